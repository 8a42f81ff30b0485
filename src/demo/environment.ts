import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Env } from '../config.js';

/**
 * The demo's defaults: the demo seed in an embedded sandbox, under the demo's approval policy
 * (seeds/demo-policy.yaml) unless approvers are set; on another seed its approvers from the seed's `_people`.
 */
export async function demoEnvironment(env: Env): Promise<Env> {
  const out: Env = { LOG_LEVEL: 'info', ...env };
  const unset = (name: string) => !out[name]?.trim();
  if (!out.ARM_ENDPOINT && !out.SANDBOX_SEED) {
    const { defaultSeedPath, packageRoot } = await import('../sandbox/index.js');
    out.SANDBOX_SEED = defaultSeedPath();
    if (unset('APPROVAL_POLICY') && unset('APPROVER_IDS') && unset('ALLOW_SELF_APPROVAL')) out.APPROVAL_POLICY = join(packageRoot(), 'seeds', 'demo-policy.yaml');
  }
  if (unset('APPROVER_IDS') && unset('APPROVAL_POLICY') && out.SANDBOX_SEED) {
    const seed = JSON.parse(await readFile(out.SANDBOX_SEED, 'utf8')) as { _people?: Record<string, string> };
    const approvers = Object.entries(seed._people ?? {})
      .filter(([, who]) => /\bapprover\b/i.test(who))
      .map(([id]) => id);
    if (approvers.length > 0) out.APPROVER_IDS = approvers.join(',');
  }
  return out;
}
