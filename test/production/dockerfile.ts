/**
 * The repository's Dockerfile and .dockerignore read for the tests, with no Docker engine: the instructions of each
 * stage (continuations joined, comments dropped), exec-form arguments, flags, ENV pairs, and which context paths
 * .dockerignore leaves out. Only the syntax the Dockerfile uses; anything else is an error, not a guess.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/index.js';

export interface Instruction {
  /** Upper case: FROM, RUN, COPY, ... */
  keyword: string;
  /** Everything after the keyword, continuations joined by a space. */
  args: string;
  line: number;
}

export interface Stage {
  image: string;
  /** The `AS` name, or null. */
  name: string | null;
  instructions: Instruction[];
}

const KNOWN = new Set(['FROM', 'RUN', 'COPY', 'ENV', 'WORKDIR', 'USER', 'EXPOSE', 'HEALTHCHECK', 'CMD', 'ARG', 'LABEL']);

export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  let pending: { text: string; line: number } | null = null;
  const finish = (whole: string, line: number) => {
    const match = /^(\w+)\s+([\s\S]*)$/.exec(whole.trim());
    if (!match) throw new Error(`Dockerfile line ${line}: cannot read "${whole}"`);
    const keyword = match[1]!.toUpperCase();
    if (!KNOWN.has(keyword)) throw new Error(`Dockerfile line ${line}: ${keyword} is not read by this test; teach test/production/dockerfile.ts it`);
    const args = match[2]!.trim();
    if (keyword === 'FROM') {
      const from = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (!from) throw new Error(`Dockerfile line ${line}: FROM ${args}`);
      stages.push({ image: from[1]!, name: from[2] ?? null, instructions: [] });
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`Dockerfile line ${line}: ${keyword} before the first FROM`);
    stage.instructions.push({ keyword, args, line });
  };
  text.split('\n').forEach((raw, index) => {
    if (/^\s*#/.test(raw) || (!raw.trim() && !pending)) return;
    const continued = /\\\s*$/.test(raw);
    const body = continued ? raw.replace(/\\\s*$/, '') : raw;
    pending = pending ? { text: `${pending.text} ${body.trim()}`, line: pending.line } : { text: body, line: index + 1 };
    if (!continued) {
      finish(pending.text, pending.line);
      pending = null;
    }
  });
  if (pending) throw new Error('Dockerfile ends in a continuation');
  return stages;
}

export function readDockerfile(): Stage[] {
  return parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
}

/** `--name=value` flags at the start of `args`, and the rest. */
export function flagsOf(args: string): { flags: Record<string, string>; rest: string } {
  const flags: Record<string, string> = {};
  let rest = args.trim();
  for (let match = /^--([\w-]+)=(\S+)\s*/.exec(rest); match; match = /^--([\w-]+)=(\S+)\s*/.exec(rest)) {
    flags[match[1]!] = match[2]!;
    rest = rest.slice(match[0].length);
  }
  return { flags, rest };
}

/** The exec (JSON array) form of RUN, CMD or HEALTHCHECK CMD, or null for the shell form. */
export function execForm(args: string): string[] | null {
  if (!args.trim().startsWith('[')) return null;
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((part) => typeof part === 'string')) throw new Error(`not an exec form: ${args}`);
  return parsed as string[];
}

/** ENV `key=value key2="value 2"`, in order. */
export function envPairs(args: string): [string, string][] {
  const pairs: [string, string][] = [];
  const pattern = /\s*([A-Za-z_][A-Za-z0-9_]*)=(?:"((?:[^"\\]|\\.)*)"|(\S*))/y;
  let at = 0;
  while (at < args.length) {
    pattern.lastIndex = at;
    const match = pattern.exec(args);
    if (!match) {
      if (!args.slice(at).trim()) break;
      throw new Error(`ENV ${args}: only key=value pairs are read`);
    }
    pairs.push([match[1]!, match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3]!]);
    at = pattern.lastIndex;
  }
  return pairs;
}

/** The stage's instructions of one kind. */
export const instructionsOf = (stage: Stage, keyword: string): Instruction[] => stage.instructions.filter((i) => i.keyword === keyword);

/** A COPY: its flags, its sources and its destination. */
export function copyOf(instruction: Instruction): { from: string | null; chown: string | null; sources: string[]; destination: string } {
  const { flags, rest } = flagsOf(instruction.args);
  const parts = execForm(rest) ?? rest.split(/\s+/);
  if (parts.length < 2) throw new Error(`COPY ${instruction.args}: a source and a destination`);
  return { from: flags.from ?? null, chown: flags.chown ?? null, sources: parts.slice(0, -1), destination: parts.at(-1)! };
}

/**
 * Whether .dockerignore leaves `path` (relative to the context, `/`-separated) out of the build context: the last
 * pattern that matches the path or one of its parent folders decides, `!` patterns put it back. Patterns as Docker
 * reads them: relative to the context root, `*` within one path segment, `**` across any number.
 */
export function ignoredBy(patterns: string[], path: string): boolean {
  const segments = path.split('/');
  const candidates = segments.map((_, i) => segments.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const pattern = (negated ? raw.slice(1) : raw).replace(/^\/+/, '').replace(/\/+$/, '');
    const source = pattern
      .split('/')
      .map((segment) => (segment === '**' ? '\u0000' : segment.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')))
      .join('/')
      .replace(/\u0000\//g, '(?:.*/)?')
      .replace(/\/\u0000/g, '(?:/.*)?')
      .replace(/\u0000/g, '.*');
    const regex = new RegExp(`^${source}$`);
    if (candidates.some((candidate) => regex.test(candidate))) ignored = !negated;
  }
  return ignored;
}

export function readDockerignore(): string[] {
  return readFileSync(join(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
}
