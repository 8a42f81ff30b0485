/** What a route handler gets: the sandbox state and the parsed request. */
import type { Faults } from './faults.js';
import type { Operations } from './lro.js';
import type { RequestLog } from './request-log.js';
import type { Store } from './store.js';

export interface SandboxState {
  store: Store;
  ops: Operations;
  faults: Faults;
  log: RequestLog;
  /** `http://127.0.0.1:<port>`, set once the server listens. */
  baseUrl: string;
}

export interface RequestContext {
  state: SandboxState;
  method: string;
  /** Normalised path (no `//`, no trailing slash), original case, percent-decoded per segment. */
  path: string;
  segments: string[];
  query: URLSearchParams;
  body: Record<string, unknown> | undefined;
  /** Object id of the caller (JWT `oid`, else the seed's botPrincipalId). */
  caller: string;
  now: number;
}

export function apiVersionOf(ctx: RequestContext, fallback: string): string {
  return ctx.query.get('api-version') ?? fallback;
}
