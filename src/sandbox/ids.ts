/** Resource ids, scopes and locations, compared the way ARM compares them (ids case-insensitive, locations without spaces). */

/** Collapses repeated slashes (SDKs build `//` for empty path parts) and drops a trailing slash. */
export function normalizePath(path: string): string {
  const collapsed = ('/' + path).replace(/\/{2,}/g, '/');
  return collapsed.length > 1 && collapsed.endsWith('/') ? collapsed.slice(0, -1) : collapsed;
}

/** Map key for an id or scope: normalised and lower case. The root scope is ''. */
export function idKey(id: string): string {
  const n = normalizePath(id).toLowerCase();
  return n === '/' ? '' : n;
}

export function sameId(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && idKey(a) === idKey(b);
}

/** "West Europe" -> "westeurope". */
export function normalizeLocation(location: string | undefined): string {
  return (location ?? '').replace(/\s+/g, '').toLowerCase();
}

export function segmentsOf(path: string): string[] {
  return normalizePath(path).split('/').filter((s) => s.length > 0);
}

export interface ParsedResourceId {
  subscriptionId?: string;
  resourceGroup?: string;
  /** Provider namespace, e.g. Microsoft.Network. */
  namespace?: string;
  /** Resource type segments, e.g. ['virtualNetworks', 'subnets']. */
  types: string[];
  /** Names matching `types`; one shorter when the id ends in a type (a collection). */
  names: string[];
}

/**
 * Parses `/subscriptions/{s}[/resourceGroups/{rg}][/providers/{ns}/{type}/{name}[/{type}/{name}...]]`.
 * Returns undefined for anything else (tenant-level paths, extension resources are split off by the caller).
 */
export function parseResourceId(id: string): ParsedResourceId | undefined {
  const seg = segmentsOf(id);
  const out: ParsedResourceId = { types: [], names: [] };
  let i = 0;
  if (seg[i]?.toLowerCase() !== 'subscriptions' || seg[i + 1] === undefined) return undefined;
  out.subscriptionId = seg[i + 1];
  i += 2;
  if (seg[i]?.toLowerCase() === 'resourcegroups') {
    if (seg[i + 1] === undefined) return undefined;
    out.resourceGroup = seg[i + 1];
    i += 2;
  }
  if (i === seg.length) return out;
  if (seg[i]?.toLowerCase() !== 'providers' || seg[i + 1] === undefined) return undefined;
  out.namespace = seg[i + 1];
  i += 2;
  while (i < seg.length) {
    const t = seg[i];
    if (t === undefined) break;
    out.types.push(t);
    const n = seg[i + 1];
    if (n !== undefined) out.names.push(n);
    i += 2;
  }
  return out;
}

/** `Microsoft.Network/virtualNetworks/subnets` for a parsed id (lower case). */
export function typeKey(parsed: ParsedResourceId): string {
  return [parsed.namespace ?? '', ...parsed.types].join('/').toLowerCase();
}

export function subscriptionOf(id: string): string | undefined {
  return parseResourceId(id)?.subscriptionId;
}

/** True when `ancestor` is `scope` itself or one of its parent scopes ('' and '/' are the root). */
export function isAtOrAbove(ancestor: string, scope: string): boolean {
  const a = idKey(ancestor);
  const s = idKey(scope);
  return a === '' || a === s || s.startsWith(a + '/');
}

/** Last path segment (GUID of a role definition id, name of a resource). */
export function lastSegment(id: string): string {
  const seg = segmentsOf(id);
  return seg[seg.length - 1] ?? '';
}
