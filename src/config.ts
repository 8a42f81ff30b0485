import { CodedError, ErrorCode } from './errors.js';
import type { LogLevel } from './log.js';
import type { EligibilitySettings } from './eligibility/facts.js';

/** Everything the program reads from the environment, validated once. Nothing else reads process.env. */
export interface Config {
  /** ARM-compatible endpoint (a running sandbox); null = Azure with @azure/identity. */
  armEndpoint: string | null;
  /** Object id the bot runs as; null = taken from the access token's `oid` claim. */
  botPrincipalId: string | null;
  armTimeoutMs: number;
  armMaxRetries: number;
  logLevel: LogLevel;
  eligibility: EligibilitySettings;
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const read = new EnvReader(env, problems);
  const config: Config = {
    armEndpoint: read.url('ARM_ENDPOINT'),
    botPrincipalId: read.guid('BOT_PRINCIPAL_ID'),
    armTimeoutMs: read.int('ARM_TIMEOUT_MS', 30_000, 100, 600_000),
    armMaxRetries: read.int('ARM_MAX_RETRIES', 4, 0, 10),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'warn'),
    eligibility: {
      minSubnetPrefix: read.int('MIN_SUBNET_PREFIX', 27, 8, 29),
      recommendedSubnetPrefix: read.int('RECOMMENDED_SUBNET_PREFIX', 24, 8, 29),
      requesterRbac: read.oneOf('REQUESTER_RBAC', ['enforce', 'advisory'] as const, 'enforce'),
    },
  };
  if (config.eligibility.recommendedSubnetPrefix > config.eligibility.minSubnetPrefix) {
    problems.push(
      `RECOMMENDED_SUBNET_PREFIX (/${config.eligibility.recommendedSubnetPrefix}) must be the same size as or larger than MIN_SUBNET_PREFIX (/${config.eligibility.minSubnetPrefix}).`,
    );
  }
  if (problems.length > 0) {
    throw new CodedError(ErrorCode.CONFIG_INVALID, `Invalid configuration:\n- ${problems.join('\n- ')}`, { problems });
  }
  return config;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class EnvReader {
  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  raw(name: string): string | null {
    const value = this.env[name]?.trim();
    return value ? value : null;
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === null) return fallback;
    const n = Number(value);
    if (!/^-?\d+$/.test(value) || n < min || n > max) {
      this.problems.push(`${name}=${value} is not a whole number from ${min} to ${max}.`);
      return fallback;
    }
    return n;
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (['true', '1', 'yes', 'on'].includes(value)) return true;
    if (['false', '0', 'no', 'off'].includes(value)) return false;
    this.problems.push(`${name}=${value} is not true or false.`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === null) return fallback;
    const match = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
    if (!match) this.problems.push(`${name}=${value} must be one of: ${allowed.join(', ')}.`);
    return match ?? fallback;
  }

  url(name: string): string | null {
    const value = this.raw(name);
    if (value === null) return null;
    try {
      const url = new URL(value);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
      return value.replace(/\/+$/, '');
    } catch {
      this.problems.push(`${name}=${value} is not an http(s) URL.`);
      return null;
    }
  }

  guid(name: string): string | null {
    const value = this.raw(name);
    if (value !== null && !GUID.test(value)) {
      this.problems.push(`${name}=${value} is not an object id (a GUID).`);
      return null;
    }
    return value;
  }

  guidList(name: string): string[] {
    const value = this.raw(name);
    if (value === null) return [];
    const items = value.split(',').map((s) => s.trim()).filter(Boolean);
    const bad = items.filter((i) => !GUID.test(i));
    if (bad.length > 0) this.problems.push(`${name} has values that are not GUIDs: ${bad.join(', ')}.`);
    return items.filter((i) => GUID.test(i));
  }
}
