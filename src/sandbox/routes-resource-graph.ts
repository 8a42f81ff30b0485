/**
 * Azure Resource Graph's query endpoint, for the one query shape the bot sends (resource-graph-query.ts):
 * `POST /providers/Microsoft.ResourceGraph/resources?api-version=…` with `{ query, subscriptions?, options? }`.
 * Answered over the resources the sandbox holds, in every subscription GET /subscriptions lists (reads are not
 * permission-checked in the sandbox, so that is every subscription), or in those of `subscriptions` when given; in
 * the objectArray form `{ totalRecords, count, resultTruncated, $skipToken?, data, facets }`, rows in id order, paged
 * by `options.$top` (at most 1,000) or else the pageSize knob, with an opaque `$skipToken` tied to the query text.
 *
 *   400 BadRequest (details[0].code InvalidQuery)   a query of another shape, a bad body or options, a foreign $skipToken
 *   403 AuthorizationFailed                         the `resourceGraph: 'denied'` knob (an identity Resource Graph refuses)
 *   500 InternalServerError                         the `resourceGraph: 'failing'` knob
 */
import { createHash, randomUUID } from 'node:crypto';
import type { RequestContext } from './context.js';
import { ArmError, authorizationFailed } from './errors.js';
import type { Reply } from './http.js';
import { parseResourceGraphQuery, QueryShapeError, type ResourceGraphQuery } from './resource-graph-query.js';
import type { ArmResource } from './types.js';

const MAX_TOP = 1_000;

export function isResourceGraphQuery(lowerSegments: string[]): boolean {
  return lowerSegments.length === 3 && lowerSegments[0] === 'providers' && lowerSegments[1] === 'microsoft.resourcegraph' && lowerSegments[2] === 'resources';
}

/** Resource Graph's 400: BadRequest, with InvalidQuery first in the details and the reason after it. */
export function invalidQuery(reason: string, code = 'InvalidQuery'): ArmError {
  const support = `Please provide below info when asking for support: timestamp = ${new Date().toISOString()}, correlationId = ${randomUUID()}.`;
  return new ArmError(400, 'BadRequest', support, {}, [
    { code: 'InvalidQuery', message: 'Query is invalid. Please refer to the documentation for the Azure Resource Graph service and fix the error before retrying.' },
    ...(code === 'InvalidQuery' ? [{ code: 'ParserFailure', message: reason }] : [{ code, message: reason }]),
  ]);
}

export function queryResourceGraph(ctx: RequestContext): Reply {
  if (ctx.method !== 'POST') throw new ArmError(405, 'MethodNotAllowed', `The method ${ctx.method} is not allowed on Microsoft.ResourceGraph/resources; POST a query.`);
  const knob = ctx.state.faults.knobs.resourceGraph;
  if (knob === 'denied') throw authorizationFailed(ctx.caller, 'Microsoft.ResourceGraph/resources/read', '/');
  if (knob === 'failing') throw new ArmError(500, 'InternalServerError', 'Encountered internal server error. (sandbox: the resourceGraph knob is failing)');
  const body = ctx.body ?? {};
  const text = body['query'];
  if (typeof text !== 'string' || text.trim() === '') throw invalidQuery('the body must carry the query text in "query"', 'MissingQuery');
  if (body['managementGroups'] !== undefined) throw invalidQuery('the sandbox models tenant and subscription scopes, not managementGroups', 'UnsupportedScope');
  let query: ResourceGraphQuery;
  try {
    query = parseResourceGraphQuery(text);
  } catch (error) {
    if (error instanceof QueryShapeError) throw invalidQuery(`${error.message} (at character ${error.position})`);
    throw error;
  }
  const options = optionsOf(body['options']);
  const rows = matchingResources(ctx, query, scopeOf(body['subscriptions'])).map((doc) => rowOf(ctx, doc, query.columns));
  const fingerprint = createHash('sha256').update(text).digest('hex').slice(0, 12);
  const offset = options.skipToken === null ? options.skip : offsetOf(options.skipToken, fingerprint);
  const size = options.top ?? ctx.state.faults.knobs.pageSize;
  const data = rows.slice(offset, offset + size);
  const next = offset + size < rows.length ? Buffer.from(JSON.stringify({ o: offset + size, q: fingerprint })).toString('base64url') : null;
  return {
    status: 200,
    body: { totalRecords: rows.length, count: data.length, resultTruncated: 'false', ...(next ? { $skipToken: next } : {}), data, facets: [] },
  };
}

interface Options {
  skipToken: string | null;
  top: number | null;
  skip: number;
}

function optionsOf(value: unknown): Options {
  if (value === undefined || value === null) return { skipToken: null, top: null, skip: 0 };
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidQuery('"options" must be an object', 'InvalidOptions');
  const o = value as Record<string, unknown>;
  const format = o['resultFormat'];
  if (format !== undefined && format !== 'objectArray') throw invalidQuery('the sandbox answers in the objectArray result format only', 'UnsupportedResultFormat');
  const whole = (name: string, min: number, max: number): number | null => {
    const n = o[name];
    if (n === undefined) return null;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) throw invalidQuery(`options.${name} must be a whole number from ${min} to ${max}`, 'InvalidOptions');
    return n;
  };
  const token = o['$skipToken'];
  if (token !== undefined && (typeof token !== 'string' || token === '')) throw invalidQuery('options.$skipToken must be a non-empty string', 'InvalidSkipToken');
  return { skipToken: typeof token === 'string' ? token : null, top: whole('$top', 1, MAX_TOP), skip: whole('$skip', 0, Number.MAX_SAFE_INTEGER) ?? 0 };
}

function offsetOf(token: string, fingerprint: string): number {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    decoded = null;
  }
  const { o, q } = (typeof decoded === 'object' && decoded !== null ? decoded : {}) as { o?: unknown; q?: unknown };
  if (typeof o !== 'number' || !Number.isInteger(o) || o < 0 || q !== fingerprint) {
    throw invalidQuery('the $skipToken is not one this query was given (pass it back with the same query)', 'InvalidSkipToken');
  }
  return o;
}

/** Lower-case subscription ids to answer over, or null for all. */
function scopeOf(value: unknown): Set<string> | null {
  if (value === undefined) return null;
  if (!Array.isArray(value) || value.some((s) => typeof s !== 'string')) throw invalidQuery('"subscriptions" must be a list of subscription ids', 'InvalidSubscriptions');
  return new Set((value as string[]).map((s) => s.toLowerCase()));
}

function matchingResources(ctx: RequestContext, query: ResourceGraphQuery, scope: Set<string> | null): ArmResource[] {
  const { store } = ctx.state;
  const name = query.name?.toLowerCase() ?? null;
  const found: ArmResource[] = [];
  for (const subscription of store.listSubscriptions()) {
    if (scope && !scope.has(subscription.subscriptionId.toLowerCase())) continue;
    for (const doc of store.list(subscription.subscriptionId, undefined, query.type)) {
      if (name === null || doc.name.toLowerCase() === name) found.push(doc);
    }
  }
  return found.sort((a, b) => (a.id.toLowerCase() < b.id.toLowerCase() ? -1 : a.id.toLowerCase() > b.id.toLowerCase() ? 1 : 0));
}

/** A row as Resource Graph writes it: the type and resource group in lower case, absent values as null or empty. */
function rowOf(ctx: RequestContext, stored: ArmResource, columns: string[]): Record<string, unknown> {
  const doc = ctx.state.store.view(stored);
  const segments = doc.id.split('/');
  const subscriptionId = segments[2] ?? '';
  const resourceGroup = (segments[4] ?? '').toLowerCase();
  const all: Record<string, unknown> = {
    id: doc.id,
    name: doc.name,
    type: doc.type.toLowerCase(),
    tenantId: ctx.state.store.subscription(subscriptionId)?.tenantId ?? ctx.state.store.tenantId,
    kind: doc['kind'] ?? '',
    location: doc.location ?? '',
    resourceGroup,
    subscriptionId,
    managedBy: doc['managedBy'] ?? '',
    sku: doc.sku ?? null,
    plan: doc['plan'] ?? null,
    properties: doc.properties ?? {},
    tags: doc['tags'] ?? {},
    identity: doc['identity'] ?? null,
    zones: doc['zones'] ?? null,
    extendedLocation: doc['extendedLocation'] ?? null,
  };
  return Object.fromEntries(columns.map((c) => [c, all[c]]));
}
