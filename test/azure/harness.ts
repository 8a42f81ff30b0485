import { ArmClients } from '../../src/azure/arm-clients.js';
import { silentLogger } from '../../src/log.js';
import { startSandbox, type RunningSandbox, type SandboxOptions, type SandboxSeed } from '../../src/sandbox/index.js';

export interface ArmRequestRecord {
  method: string;
  path: string;
  status: number;
  time: string;
}

/** A sandbox on a free loopback port plus ARM clients pointed at it. */
export async function sandboxWithClients(seed: unknown, options: Partial<SandboxOptions> = {}, maxRetries = 2) {
  const sandbox: RunningSandbox = await startSandbox({ seed: seed as SandboxSeed, port: 0, lroSeconds: 0.2, ...options });
  const arm = new ArmClients({ endpoint: sandbox.url, timeoutMs: 10_000, maxRetries, principalId: null, logger: silentLogger });
  return {
    sandbox,
    arm,
    async requests(): Promise<ArmRequestRecord[]> {
      return (await fetch(`${sandbox.url}/_sandbox/requests`)).json() as Promise<ArmRequestRecord[]>;
    },
    async clearRequests(): Promise<void> {
      await fetch(`${sandbox.url}/_sandbox/requests`, { method: 'DELETE' });
    },
    async faults(body: Record<string, unknown>): Promise<void> {
      const response = await fetch(`${sandbox.url}/_sandbox/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`faults: ${response.status}`);
    },
  };
}
