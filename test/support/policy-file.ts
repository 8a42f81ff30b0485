/** An APPROVAL_POLICY file for a test, written to a fresh temp folder. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function policyFile(policy: unknown): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'approval-policy-')), 'approval-policy.json');
  await writeFile(file, JSON.stringify(policy));
  return file;
}
