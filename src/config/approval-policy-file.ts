/** APPROVAL_POLICY: a JSON or YAML file (by its extension); each problem in it is one line naming the file and where. */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { messageOf } from '../errors.js';
import type { ApprovalPolicy, PolicyDefaults } from '../policy/approval-policy.js';
import { parseApprovalPolicy } from '../policy/parse-approval-policy.js';

const YAML_EXTENSIONS = new Set(['.yaml', '.yml']);

export function readApprovalPolicyFile(file: string, defaults: PolicyDefaults, problems: string[]): ApprovalPolicy | null {
  const yaml = YAML_EXTENSIONS.has(extname(file).toLowerCase());
  let document: unknown;
  try {
    const text = readFileSync(file, 'utf8');
    document = yaml ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = messageOf(error);
    problems.push(`APPROVAL_POLICY=${file} cannot be read: ${code === 'ENOENT' ? 'no such file' : yaml ? firstLine(message) : message.replace(/\s+/g, ' ')}.`);
    return null;
  }
  const parsed = parseApprovalPolicy(document, defaults);
  if (parsed.ok) return parsed.policy;
  problems.push(...parsed.problems.map((p) => `APPROVAL_POLICY (${file}): ${p}`));
  return null;
}

/** A YAML error quotes the lines around the problem after its first line: keep the first. */
const firstLine = (message: string) => (message.split('\n')[0] ?? '').replace(/:$/, '').trim();
