import { TtlCache } from '../common/ttl-cache.js';
import { CodedError, ErrorCode, isCodedError } from '../errors.js';
import type { InstanceFacts } from '../eligibility/facts.js';
import { parseResourceId } from '../eligibility/resource-id.js';
import type { ArmClients } from './arm-clients.js';
import { isNotFound } from './arm-errors.js';
import { hasControlCharacters } from './instance-query.js';
import { listInstancesNamed } from './instance-listing.js';
import { instanceFacts } from './to-facts.js';

export interface InstanceRef {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

/** A resource id of an API Management service, or null when `text` is not one. */
export function instanceRefOf(text: string): InstanceRef | null {
  const parsed = parseResourceId(text);
  if (!parsed?.resourceGroup || parsed.provider?.toLowerCase() !== 'microsoft.apimanagement') return null;
  if (parsed.types.length !== 1 || parsed.types[0]?.toLowerCase() !== 'service') return null;
  return { subscriptionId: parsed.subscriptionId, resourceGroup: parsed.resourceGroup, name: parsed.names[0] ?? '' };
}

export function looksLikeResourceId(text: string): boolean {
  return text.trim().toLowerCase().startsWith('/subscriptions/');
}

export async function getInstance(arm: ArmClients, ref: InstanceRef): Promise<InstanceFacts> {
  try {
    return instanceFacts(await arm.apiManagement(ref.subscriptionId).apiManagementService.get(ref.resourceGroup, ref.name));
  } catch (error) {
    if (isNotFound(error)) {
      throw new CodedError(ErrorCode.INSTANCE_NOT_FOUND, `No API Management instance ${ref.name} in resource group ${ref.resourceGroup} of subscription ${ref.subscriptionId}.`);
    }
    throw error;
  }
}

/** Every API Management instance the identity can read, across its subscriptions (Resource Graph, else each subscription). */
export async function listInstances(arm: ArmClients): Promise<InstanceFacts[]> {
  return (await listInstancesNamed(arm, null)).matches;
}

/** The resource ids each name (lower case) resolved to, kept INSTANCE_NAME_CACHE_SECONDS per set of ARM clients. */
const nameCaches = new WeakMap<ArmClients, TtlCache<string[]>>();

function nameCache(arm: ArmClients): TtlCache<string[]> {
  let cache = nameCaches.get(arm);
  if (!cache) {
    cache = new TtlCache<string[]>(arm.instanceLookup.nameCacheSeconds * 1000, arm.instanceLookup.now);
    nameCaches.set(arm, cache);
  }
  return cache;
}

/**
 * Finds an instance by resource id or by name (case-insensitive, across subscriptions). A name is resolved to resource
 * ids once per INSTANCE_NAME_CACHE_SECONDS; the instance itself is always read fresh by id, so a kept answer can only
 * be stale about which instance a name means, never about the instance.
 */
export async function findInstance(arm: ArmClients, nameOrId: string): Promise<InstanceFacts> {
  const text = nameOrId.trim();
  if (looksLikeResourceId(text)) {
    const ref = instanceRefOf(text);
    if (!ref) throw new CodedError(ErrorCode.INVALID_INPUT, `${text} is not the resource id of an API Management service (…/providers/Microsoft.ApiManagement/service/<name>).`);
    return getInstance(arm, ref);
  }
  if (text === '' || hasControlCharacters(text)) {
    throw new CodedError(ErrorCode.INVALID_INPUT, 'Name an API Management instance by its name (on one line) or its resource id.');
  }
  const key = text.toLowerCase();
  const cache = nameCache(arm);
  const kept = cache.get(key);
  if (kept) {
    try {
      return oneOf(text, await Promise.all(kept.map((id) => getInstance(arm, instanceRefOf(id) as InstanceRef))));
    } catch (error) {
      if (!isCodedError(error, ErrorCode.INSTANCE_NOT_FOUND)) throw error;
      cache.delete(key); // One of them is gone: ask again which instances the name means.
    }
  }
  const listing = await listInstancesNamed(arm, text);
  const { matches } = listing;
  if (matches.length > 0) cache.set(key, matches.map((m) => m.id));
  const only = matches.length === 1 ? matches[0] : undefined;
  if (only) {
    // Resource Graph's copy may lag ARM by a little: read the instance itself.
    if (listing.path === 'subscriptions') return only;
    const ref = instanceRefOf(only.id);
    if (!ref) return only;
    return getInstance(arm, ref).catch((error: unknown) => {
      if (isCodedError(error, ErrorCode.INSTANCE_NOT_FOUND)) cache.delete(key);
      throw error;
    });
  }
  if (matches.length > 1) return oneOf(text, matches);
  throw notFound(text, listing.all ?? (await listInstancesNamed(arm, null)).matches);
}

/** The one instance, or INSTANCE_AMBIGUOUS with every match (the pick card lists them). */
function oneOf(text: string, matches: InstanceFacts[]): InstanceFacts {
  if (matches.length === 1 && matches[0]) return matches[0];
  throw new CodedError(
    ErrorCode.INSTANCE_AMBIGUOUS,
    `${matches.length} API Management instances are named ${text}; name one by resource id:\n${matches.map((m) => `  ${m.id}`).join('\n')}`,
    { matches },
  );
}

function notFound(text: string, all: InstanceFacts[]): CodedError {
  const lower = text.toLowerCase();
  const similar = all.filter((i) => i.name.toLowerCase().includes(lower) || lower.includes(i.name.toLowerCase()));
  const hint =
    similar.length > 0
      ? ` Did you mean: ${similar.slice(0, 5).map((i) => i.name).join(', ')}?`
      : all.length > 0
        ? ` Known instances: ${all.slice(0, 10).map((i) => i.name).join(', ')}${all.length > 10 ? ', …' : ''}.`
        : ' The identity can read no API Management instances.';
  return new CodedError(ErrorCode.INSTANCE_NOT_FOUND, `No API Management instance named ${text} in the subscriptions this identity can read.${hint}`, { similar });
}
