import { readFile } from 'node:fs/promises';
import type { Env } from '../config.js';

/** The demo's defaults: the demo seed in an embedded sandbox, its approvers from the seed's `_people`. */
export async function demoEnvironment(env: Env): Promise<Env> {
  const out: Env = { LOG_LEVEL: 'info', ...env };
  if (!out.ARM_ENDPOINT && !out.SANDBOX_SEED) {
    const { defaultSeedPath } = await import('../sandbox/index.js');
    out.SANDBOX_SEED = defaultSeedPath();
  }
  if (!out.APPROVER_IDS && out.SANDBOX_SEED) {
    const seed = JSON.parse(await readFile(out.SANDBOX_SEED, 'utf8')) as { _people?: Record<string, string> };
    const approvers = Object.entries(seed._people ?? {})
      .filter(([, who]) => /\bapprover\b/i.test(who))
      .map(([id]) => id);
    if (approvers.length > 0) out.APPROVER_IDS = approvers.join(',');
  }
  return out;
}
