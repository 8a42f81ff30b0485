import { ArmClients, type InstanceLookupSettings } from '../../src/azure/arm-clients.js';
import { silentLogger, type Logger } from '../../src/log.js';
import { startSandbox, type RunningSandbox, type SandboxOptions, type SandboxSeed } from '../../src/sandbox/index.js';

export interface ArmRequestRecord {
  method: string;
  path: string;
  status: number;
  time: string;
}

export interface ClientOptions {
  instanceLookup?: Partial<InstanceLookupSettings>;
  logger?: Logger;
}

/** A sandbox on a free loopback port plus ARM clients pointed at it. */
export async function sandboxWithClients(seed: unknown, options: Partial<SandboxOptions> = {}, maxRetries = 2, clients: ClientOptions = {}) {
  const sandbox: RunningSandbox = await startSandbox({ seed: seed as SandboxSeed, port: 0, lroSeconds: 0.2, ...options });
  const arm = new ArmClients({
    endpoint: sandbox.url,
    timeoutMs: 10_000,
    maxRetries,
    principalId: null,
    logger: clients.logger ?? silentLogger,
    ...(clients.instanceLookup ? { instanceLookup: clients.instanceLookup } : {}),
  });
  return {
    sandbox,
    arm,
    async requests(): Promise<ArmRequestRecord[]> {
      return (await fetch(`${sandbox.url}/_sandbox/requests`)).json() as Promise<ArmRequestRecord[]>;
    },
    /** ARM requests in flight at the sandbox now, and the most at once since the log was last cleared. */
    async inFlight(): Promise<{ inFlight: number; maxInFlight: number }> {
      return (await fetch(`${sandbox.url}/_sandbox/in-flight`)).json() as Promise<{ inFlight: number; maxInFlight: number }>;
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
