/**
 * /_sandbox/* control endpoints (no auth, no fault injection, not logged; latency applies):
 *   GET|POST /_sandbox/token[?oid=]    managed-identity stand-in: an unsigned JWT for oid (default: the bot)
 *   GET|POST /_sandbox/faults          read / change knobs and failNext rules (see faults.ts)
 *   GET|DELETE /_sandbox/requests      the ARM request log / clear it (and the most in flight)
 *   GET /_sandbox/in-flight            ARM requests in flight now and the most at once since the log was cleared
 *   GET /_sandbox/resources/{id}       a resource as stored (VNets with subnets embedded)
 */
import type { SandboxState } from './context.js';
import { ArmError } from './errors.js';
import { parseJsonObject, type Reply } from './http.js';
import { issueToken } from './token.js';

export function handleControl(state: SandboxState, method: string, url: URL, bodyText: string): Reply {
  const path = url.pathname.replace(/\/+$/, '');
  if (path === '/_sandbox/token' && (method === 'GET' || method === 'POST')) {
    const oid = url.searchParams.get('oid') || state.store.botPrincipalId;
    return { status: 200, body: issueToken(oid, Date.now()) };
  }
  if (path === '/_sandbox/faults') {
    if (method === 'POST') {
      let body: unknown;
      try {
        body = parseJsonObject(bodyText) ?? {};
      } catch (e) {
        throw new ArmError(400, 'InvalidFaultSettings', (e as Error).message);
      }
      state.faults.update(body);
      return { status: 200, body: state.faults.snapshot() };
    }
    if (method === 'GET') return { status: 200, body: state.faults.snapshot() };
  }
  if (path === '/_sandbox/requests') {
    if (method === 'GET') return { status: 200, body: state.log.list() };
    if (method === 'DELETE') {
      state.log.clear();
      return { status: 204 };
    }
  }
  if (path === '/_sandbox/in-flight' && method === 'GET') return { status: 200, body: state.log.concurrency() };
  if (path.startsWith('/_sandbox/resources/') && method === 'GET') {
    const id = decodeURIComponent(path.slice('/_sandbox/resources'.length));
    state.ops.tick(Date.now());
    const doc = state.store.get(id);
    if (!doc) throw new ArmError(404, 'ResourceNotFound', `No stored resource with id '${id}'.`);
    return { status: 200, body: doc };
  }
  throw new ArmError(404, 'NotFound', `Unknown sandbox control endpoint ${method} ${path}.`);
}
