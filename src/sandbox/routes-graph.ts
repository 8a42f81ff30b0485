/**
 * The one Microsoft Graph call the bot makes, answered from the seed's `groups` (transitively, through nested
 * groups): `POST /v1.0/directoryObjects/{id}/checkMemberGroups` with `{ "groupIds": [...] }` (1 to 20 ids) gives
 * `{ "value": [ the ids the object is a member of ] }`. Errors are Graph's: `{ "error": { "code", "message" } }`.
 *
 *   401 InvalidAuthenticationToken      no `Authorization: Bearer …` header, or an expired token
 *   403 Authorization_RequestDenied     the `graphDenied` knob (an identity without GroupMember.Read.All)
 *   400 Request_BadRequest              the body is not JSON, or `groupIds` is not a list of 1 to 20 GUIDs
 *   400 Request_BadRequest              the object id is not a GUID ("Invalid object identifier")
 *   404 Request_ResourceNotFound        any other Graph path
 *   405 Request_BadRequest              a method other than POST
 */
import type { IncomingMessage } from 'node:http';
import type { SandboxState } from './context.js';
import { ArmError } from './errors.js';
import type { Reply } from './http.js';
import { callerOf } from './token.js';

const GRAPH_PATH = /^\/v1\.0(\/|$)/i;
const CHECK_MEMBER_GROUPS = /^\/v1\.0\/directoryObjects\/([^/]+)\/checkMemberGroups\/?$/i;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_GROUP_IDS = 20;

export const isGraphPath = (pathname: string): boolean => GRAPH_PATH.test(pathname);

const graphError = (status: number, code: string, message: string): ArmError => new ArmError(status, code, message);

export function handleGraph(state: SandboxState, req: IncomingMessage, method: string, url: URL, bodyText: string): Reply {
  const injected = state.faults.pick(method, req.url ?? '/');
  if (injected) return injected;
  const match = CHECK_MEMBER_GROUPS.exec(url.pathname);
  if (!match || match[1] === undefined) throw graphError(404, 'Request_ResourceNotFound', `Resource not found for the segment '${url.pathname}'.`);
  if (method !== 'POST') throw graphError(405, 'Request_BadRequest', `The method ${method} is not allowed on checkMemberGroups.`);
  authenticate(state, req.headers.authorization);
  if (state.faults.knobs.graphDenied) throw graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  const objectId = decodeURIComponent(match[1]);
  if (!GUID.test(objectId)) throw graphError(400, 'Request_BadRequest', `Invalid object identifier '${objectId}'.`);
  const groupIds = groupIdsOf(bodyText);
  const closure = state.store.principalAndGroups(objectId);
  closure.delete(objectId.toLowerCase());
  return {
    status: 200,
    body: { '@odata.context': `${state.baseUrl}/v1.0/$metadata#Collection(Edm.String)`, value: groupIds.filter((g) => closure.has(g.toLowerCase())) },
  };
}

function authenticate(state: SandboxState, authorization: string | undefined): void {
  try {
    callerOf(authorization, state.store.botPrincipalId, Date.now());
  } catch (error) {
    const expired = error instanceof ArmError && error.code === 'ExpiredAuthenticationToken';
    throw graphError(401, 'InvalidAuthenticationToken', expired ? 'Lifetime validation failed, the token is expired.' : 'Access token is empty.');
  }
}

function groupIdsOf(bodyText: string): string[] {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    throw graphError(400, 'Request_BadRequest', 'The request body is not valid JSON.');
  }
  const ids = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>)['groupIds'] : undefined;
  if (!Array.isArray(ids) || ids.length === 0 || ids.some((id) => typeof id !== 'string' || !GUID.test(id))) {
    throw graphError(400, 'Request_BadRequest', "The body must be { \"groupIds\": [...] } with group object ids (GUIDs).");
  }
  if (ids.length > MAX_GROUP_IDS) throw graphError(400, 'Request_BadRequest', `Too many groupIds: at most ${MAX_GROUP_IDS} may be checked per request.`);
  return ids as string[];
}
