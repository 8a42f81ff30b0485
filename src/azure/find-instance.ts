import type { ApiManagementServiceResource } from '@azure/arm-apimanagement';
import { CodedError, ErrorCode } from '../errors.js';
import type { InstanceFacts } from '../eligibility/facts.js';
import { parseResourceId } from '../eligibility/resource-id.js';
import type { ArmClients } from './arm-clients.js';
import { isNotFound } from './arm-errors.js';
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

/** Every API Management instance the identity can read, across its subscriptions. */
export async function listInstances(arm: ArmClients): Promise<InstanceFacts[]> {
  const subscriptionIds: string[] = [];
  for await (const subscription of arm.subscriptions().subscriptions.list()) {
    if (subscription.subscriptionId) subscriptionIds.push(subscription.subscriptionId);
  }
  const perSubscription = await Promise.all(
    subscriptionIds.map(async (subscriptionId) => {
      const found: ApiManagementServiceResource[] = [];
      for await (const service of arm.apiManagement(subscriptionId).apiManagementService.list()) found.push(service);
      return found.map(instanceFacts);
    }),
  );
  return perSubscription.flat();
}

/** Finds an instance by resource id or by name (case-insensitive, across subscriptions). */
export async function findInstance(arm: ArmClients, nameOrId: string): Promise<InstanceFacts> {
  const text = nameOrId.trim();
  if (looksLikeResourceId(text)) {
    const ref = instanceRefOf(text);
    if (!ref) throw new CodedError(ErrorCode.INVALID_INPUT, `${text} is not the resource id of an API Management service (…/providers/Microsoft.ApiManagement/service/<name>).`);
    return getInstance(arm, ref);
  }
  const all = await listInstances(arm);
  const matches = all.filter((i) => i.name.toLowerCase() === text.toLowerCase());
  if (matches.length === 1 && matches[0]) return matches[0];
  if (matches.length > 1) {
    throw new CodedError(
      ErrorCode.INSTANCE_AMBIGUOUS,
      `${matches.length} API Management instances are named ${text}; name one by resource id:\n${matches.map((m) => `  ${m.id}`).join('\n')}`,
      { matches },
    );
  }
  const similar = all.filter((i) => i.name.toLowerCase().includes(text.toLowerCase()) || text.toLowerCase().includes(i.name.toLowerCase()));
  const hint = similar.length > 0 ? ` Did you mean: ${similar.slice(0, 5).map((i) => i.name).join(', ')}?` : all.length > 0 ? ` Known instances: ${all.slice(0, 10).map((i) => i.name).join(', ')}${all.length > 10 ? ', …' : ''}.` : ' The identity can read no API Management instances.';
  throw new CodedError(ErrorCode.INSTANCE_NOT_FOUND, `No API Management instance named ${text} in the subscriptions this identity can read.${hint}`, { similar });
}
