/**
 * Knobs and fault injection. Throttling and server errors hit ARM requests only (never /_sandbox/*),
 * drawn from a seeded PRNG so runs repeat. `failNext` rules answer the next matching requests with a
 * chosen error, then expire; POST /_sandbox/faults replaces the pending rules when it carries `failNext`.
 * Default codes by status: 400 BadRequest, 401 AuthenticationFailed, 403 AuthorizationFailed,
 * 404 ResourceNotFound, 409 Conflict, 429 TooManyRequests, 500 InternalServerError, 502 BadGateway,
 * 503 ServiceUnavailable, 504 GatewayTimeout, others InjectedFault. 429 and 503 carry Retry-After 1 unless set.
 * `graphDenied` answers every Microsoft Graph call 403 Authorization_RequestDenied, as Graph does for an identity
 * without the application permission (failNext rules with `pathContains` reach Graph calls too). `resourceGraph`
 * makes Azure Resource Graph's query endpoint answer (`available`), refuse (`denied`: 403 AuthorizationFailed) or fail
 * (`failing`: 500 InternalServerError); see routes-resource-graph.ts.
 */
import { ArmError } from './errors.js';
import type { Reply } from './http.js';
import { mulberry32 } from './prng.js';
import type { ResourceGraphMode } from './types.js';

const RESOURCE_GRAPH_MODES: readonly ResourceGraphMode[] = ['available', 'denied', 'failing'];

export interface Knobs {
  latencyMs: number;
  lroSeconds: number;
  pageSize: number;
  throttleRate: number;
  errorRate: number;
  failLro: boolean;
  /** Graph's checkMemberGroups answers 403 Authorization_RequestDenied (the bot lacks GroupMember.Read.All). */
  graphDenied: boolean;
  /** Azure Resource Graph answers, refuses (403 AuthorizationFailed) or fails (500). */
  resourceGraph: ResourceGraphMode;
}

export interface FailRule {
  method?: string;
  pathContains?: string;
  status: number;
  retryAfter?: number;
  code?: string;
  message?: string;
  count: number;
}

const DEFAULT_CODES: Record<number, string> = {
  400: 'BadRequest',
  401: 'AuthenticationFailed',
  403: 'AuthorizationFailed',
  404: 'ResourceNotFound',
  409: 'Conflict',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

function invalid(message: string): ArmError {
  return new ArmError(400, 'InvalidFaultSettings', message);
}

function checkNumber(name: string, v: unknown, min: number, max: number, integer = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
    throw invalid(`${name} must be ${integer ? 'an integer' : 'a number'} between ${min} and ${max}`);
  }
  return v;
}

export function checkKnobs(k: Partial<Knobs>): void {
  if (k.latencyMs !== undefined) checkNumber('latencyMs', k.latencyMs, 0, 600_000);
  if (k.lroSeconds !== undefined) checkNumber('lroSeconds', k.lroSeconds, 0, 86_400);
  if (k.pageSize !== undefined) checkNumber('pageSize', k.pageSize, 1, 10_000, true);
  if (k.throttleRate !== undefined) checkNumber('throttleRate', k.throttleRate, 0, 1);
  if (k.errorRate !== undefined) checkNumber('errorRate', k.errorRate, 0, 1);
  if (k.failLro !== undefined && typeof k.failLro !== 'boolean') throw invalid('failLro must be true or false');
  if (k.graphDenied !== undefined && typeof k.graphDenied !== 'boolean') throw invalid('graphDenied must be true or false');
  if (k.resourceGraph !== undefined && !RESOURCE_GRAPH_MODES.includes(k.resourceGraph)) throw invalid(`resourceGraph must be one of ${RESOURCE_GRAPH_MODES.join(', ')}`);
}

export class Faults {
  readonly knobs: Knobs;
  private rules: FailRule[] = [];
  private random: () => number;

  constructor(knobs: Knobs, randomSeed = 1) {
    checkKnobs(knobs);
    this.knobs = { ...knobs };
    this.random = mulberry32(randomSeed);
  }

  /** Applies a POST /_sandbox/faults body. */
  update(body: unknown): void {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('the body must be a JSON object');
    const b = body as Record<string, unknown>;
    const allowed = ['latencyMs', 'throttleRate', 'errorRate', 'failLro', 'graphDenied', 'resourceGraph', 'lroSeconds', 'pageSize', 'failNext', 'randomSeed'];
    const unknown = Object.keys(b).filter((k) => !allowed.includes(k));
    if (unknown.length > 0) throw invalid(`unknown setting(s): ${unknown.join(', ')} (allowed: ${allowed.join(', ')})`);
    const { failNext, randomSeed, ...knobs } = b;
    checkKnobs(knobs as Partial<Knobs>);
    const rules = failNext === undefined ? undefined : parseRules(failNext);
    if (randomSeed !== undefined) this.random = mulberry32(checkNumber('randomSeed', randomSeed, 0, 2 ** 32 - 1, true));
    Object.assign(this.knobs, knobs);
    if (rules) this.rules = rules;
  }

  snapshot(): Knobs & { failNext: FailRule[] } {
    return { ...this.knobs, failNext: this.rules.map((r) => ({ ...r })) };
  }

  /** The injected answer for an ARM request, if any. */
  pick(method: string, pathAndQuery: string): Reply | undefined {
    const lowerPath = pathAndQuery.toLowerCase();
    const rule = this.rules.find(
      (r) =>
        r.count > 0 &&
        (r.method === undefined || r.method.toUpperCase() === method.toUpperCase()) &&
        (r.pathContains === undefined || lowerPath.includes(r.pathContains.toLowerCase())),
    );
    if (rule) {
      rule.count -= 1;
      this.rules = this.rules.filter((r) => r.count > 0);
      return injected(rule.status, rule.code, rule.message, rule.retryAfter);
    }
    if (this.knobs.throttleRate > 0 && this.random() < this.knobs.throttleRate) return injected(429, undefined, undefined, 1);
    if (this.knobs.errorRate > 0 && this.random() < this.knobs.errorRate) return injected(500, undefined, undefined, undefined);
    return undefined;
  }
}

function parseRules(v: unknown): FailRule[] {
  if (!Array.isArray(v)) throw invalid('failNext must be an array of rules');
  return v.map((r: unknown, i): FailRule => {
    if (typeof r !== 'object' || r === null) throw invalid(`failNext[${i}] must be an object`);
    const o = r as Record<string, unknown>;
    const status = checkNumber(`failNext[${i}].status`, o['status'], 400, 599, true);
    const rule: FailRule = { status, count: o['count'] === undefined ? 1 : checkNumber(`failNext[${i}].count`, o['count'], 1, 1_000_000, true) };
    for (const key of ['method', 'pathContains', 'code', 'message'] as const) {
      const val = o[key];
      if (val === undefined) continue;
      if (typeof val !== 'string' || val === '') throw invalid(`failNext[${i}].${key} must be a non-empty string`);
      rule[key] = val;
    }
    if (o['retryAfter'] !== undefined) rule.retryAfter = checkNumber(`failNext[${i}].retryAfter`, o['retryAfter'], 0, 3600, true);
    return rule;
  });
}

function injected(status: number, code: string | undefined, message: string | undefined, retryAfter: number | undefined): Reply {
  const headers: Record<string, string> = {};
  const after = retryAfter ?? (status === 429 || status === 503 ? 1 : undefined);
  if (after !== undefined) headers['Retry-After'] = String(after);
  const c = code ?? DEFAULT_CODES[status] ?? 'InjectedFault';
  return {
    status,
    headers,
    body: { error: { code: c, message: message ?? `Injected by the sandbox (HTTP ${status} ${c}).` } },
  };
}
