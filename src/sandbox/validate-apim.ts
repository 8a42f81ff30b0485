/**
 * Validation of PATCH Microsoft.ApiManagement/service/{name}, independent of the bot's own rules.
 * Codes (full list with ARM-real vs sandbox-own in errors.ts), in the order they are checked:
 *   403 AuthorizationFailed (real)               caller lacks Microsoft.ApiManagement/service/write on the instance
 *   409 PessimisticConcurrencyConflict (real)    provisioningState is not Succeeded (another operation runs)
 *   400 UnsupportedVirtualNetworkType (own)      virtualNetworkType not None/External/Internal, or Internal (injection, not modelled)
 *   400 SkuDoesNotSupportVirtualNetworkIntegration (own)  SKU is not StandardV2/PremiumV2 (classic Developer/Premium
 *                                                injection is not modelled: the sandbox refuses it as well)
 *   400 CannotSwitchVirtualNetworkMode (own)     injected (Internal) <-> integrated (External)
 *   400 VirtualNetworkConfigurationRequired (own) External without a subnet id of the form …/virtualNetworks/{v}/subnets/{s}
 *   400 SubnetInDifferentSubscription (own)
 *   400 SubnetNotFound (own)
 *   403 LinkedAuthorizationFailed (real)         caller lacks Microsoft.Network/virtualNetworks/subnets/join/action on the subnet
 *   400 SubnetInDifferentRegion (own)            VNet location differs from the instance's (normalised)
 *   400 VirtualNetworkSubnetHasIncorrectDelegation (real)  not delegated to exactly Microsoft.Web/serverFarms
 *   400 SubnetInUse (own)                        ip configurations, private endpoints, or links to anything but this instance
 *   400 SubnetTooSmall (own)                     largest IPv4 prefix smaller than /27 (32 addresses)
 * Network checks run only when the PATCH changes virtualNetworkType or the subnet, and not for `None`.
 */
import { ArmError, authorizationFailed, linkedAuthorizationFailed } from './errors.js';
import { normalizeLocation, parseResourceId, sameId } from './ids.js';
import { mergePatch } from './merge-patch.js';
import { hasPermission } from './rbac.js';
import type { Store } from './store.js';
import { delegationServices, largestIpv4Size, subnetUsers } from './subnet-facts.js';
import type { ArmResource, JsonObject } from './types.js';

export const APIM_WRITE = 'Microsoft.ApiManagement/service/write';
export const SUBNET_JOIN = 'Microsoft.Network/virtualNetworks/subnets/join/action';
const V2_SKUS = ['standardv2', 'premiumv2'];
const MIN_SUBNET_ADDRESSES = 32;

export type VnetType = 'None' | 'External' | 'Internal';

export interface ApimPatchPlan {
  /** The document after the operation succeeds (provisioningState still to be set). */
  target: ArmResource;
  vnetType: VnetType;
  subnetId?: string;
  networkChanged: boolean;
}

function bad(code: string, message: string): ArmError {
  return new ArmError(400, code, message);
}

function vnetTypeOf(v: unknown): VnetType {
  const s = String(v ?? 'None').toLowerCase();
  if (s === 'none') return 'None';
  if (s === 'external') return 'External';
  if (s === 'internal') return 'Internal';
  throw bad('UnsupportedVirtualNetworkType', `virtualNetworkType '${String(v)}' is not one of None, External, Internal.`);
}

function subnetIdOf(props: JsonObject | undefined): string | undefined {
  const cfg = props?.['virtualNetworkConfiguration'] as JsonObject | undefined | null;
  const id = cfg?.['subnetResourceId'];
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** Caller and state checks that come before the body is looked at. */
export function checkApimWriteAllowed(store: Store, caller: string, current: ArmResource): void {
  if (!hasPermission(store, caller, current.id, APIM_WRITE)) throw authorizationFailed(caller, APIM_WRITE, current.id);
  const state = String(current.properties?.['provisioningState'] ?? 'Succeeded');
  if (state.toLowerCase() !== 'succeeded') {
    throw new ArmError(
      409,
      'PessimisticConcurrencyConflict',
      `Conflict: another operation is in progress on the API Management service '${current.name}' (state '${state}'). Retry once it has finished.`,
    );
  }
}

/** Validates the PATCH body against the instance and the subnet; returns what to apply. */
export function planApimPatch(store: Store, caller: string, current: ArmResource, body: JsonObject | undefined): ApimPatchPlan {
  const patch = { ...(body ?? {}) };
  for (const key of ['id', 'name', 'type', 'location']) delete patch[key];
  const patchProps = patch['properties'];
  if (typeof patchProps === 'object' && patchProps !== null) {
    const p = { ...(patchProps as JsonObject) };
    delete p['provisioningState'];
    patch['properties'] = p;
  }
  const target = mergePatch(structuredClone(current), patch) as ArmResource;
  const props = (target.properties ??= {});
  const curType = vnetTypeOf(current.properties?.['virtualNetworkType']);
  const vnetType = vnetTypeOf(props['virtualNetworkType']);
  const subnetId = vnetType === 'None' ? undefined : subnetIdOf(props);
  props['virtualNetworkType'] = vnetType;
  if (vnetType === 'None') delete props['virtualNetworkConfiguration'];
  else if (subnetId !== undefined) props['virtualNetworkConfiguration'] = { subnetResourceId: subnetId };

  const networkChanged = curType !== vnetType || !(subnetId === undefined ? subnetIdOf(current.properties) === undefined : sameId(subnetId, subnetIdOf(current.properties)));
  const plan: ApimPatchPlan = { target, vnetType, networkChanged, ...(subnetId !== undefined ? { subnetId } : {}) };
  if (!networkChanged || vnetType === 'None') return plan;

  const sku = String(current.sku?.name ?? '');
  if (!V2_SKUS.includes(sku.toLowerCase())) {
    throw bad(
      'SkuDoesNotSupportVirtualNetworkIntegration',
      `The SKU '${sku}' of '${current.name}' does not support outbound virtual network integration; only StandardV2 and PremiumV2 do (classic Developer/Premium injection is not modelled by the sandbox).`,
    );
  }
  if (vnetType === 'Internal') {
    if (curType === 'External') throw bad('CannotSwitchVirtualNetworkMode', `'${current.name}' is integrated with a virtual network and cannot be switched to injection.`);
    throw bad('UnsupportedVirtualNetworkType', `virtualNetworkType 'Internal' (injection) is not modelled by the sandbox; use 'External' for outbound integration.`);
  }
  if (curType === 'Internal') {
    throw bad('CannotSwitchVirtualNetworkMode', `'${current.name}' is injected into a virtual network (Internal) and cannot be switched to outbound integration.`);
  }

  const parsed = subnetId === undefined ? undefined : parseResourceId(subnetId);
  if (
    subnetId === undefined ||
    !parsed ||
    parsed.namespace?.toLowerCase() !== 'microsoft.network' ||
    parsed.types.map((t) => t.toLowerCase()).join('/') !== 'virtualnetworks/subnets' ||
    parsed.names.length !== 2
  ) {
    throw bad(
      'VirtualNetworkConfigurationRequired',
      `virtualNetworkType 'External' needs virtualNetworkConfiguration.subnetResourceId of the form /subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Network/virtualNetworks/{vnet}/subnets/{subnet}; got '${String(subnetId)}'.`,
    );
  }
  const instanceSub = parseResourceId(current.id)?.subscriptionId ?? '';
  if ((parsed.subscriptionId ?? '').toLowerCase() !== instanceSub.toLowerCase()) {
    throw bad('SubnetInDifferentSubscription', `The subnet '${subnetId}' is in subscription '${parsed.subscriptionId}', not in the instance's subscription '${instanceSub}'.`);
  }
  const found = store.findSubnet(subnetId);
  if (!found) throw bad('SubnetNotFound', `The subnet '${subnetId}' does not exist.`);
  const { vnet, subnet } = found;
  if (!hasPermission(store, caller, subnet.id, SUBNET_JOIN)) throw linkedAuthorizationFailed(caller, SUBNET_JOIN, subnet.id);
  if (normalizeLocation(vnet.location) !== normalizeLocation(current.location)) {
    throw bad('SubnetInDifferentRegion', `The virtual network '${vnet.name}' is in '${String(vnet.location)}', the instance '${current.name}' in '${String(current.location)}'; they must be in the same region.`);
  }
  const delegations = delegationServices(subnet.properties);
  if (delegations.length !== 1 || delegations[0]?.toLowerCase() !== 'microsoft.web/serverfarms') {
    throw bad(
      'VirtualNetworkSubnetHasIncorrectDelegation',
      `Subnet '${subnet.name}' must be delegated to 'Microsoft.Web/serverFarms' (current delegations: ${delegations.length > 0 ? delegations.join(', ') : 'none'}).`,
    );
  }
  const users = subnetUsers(subnet, current.id);
  if (users.length > 0) throw bad('SubnetInUse', `Subnet '${subnet.name}' is already in use: ${users.join('; ')}.`);
  const size = largestIpv4Size(subnet.properties);
  if (size < MIN_SUBNET_ADDRESSES) {
    throw bad('SubnetTooSmall', `Subnet '${subnet.name}' has ${size} addresses; outbound integration needs at least a /27 (32 addresses).`);
  }
  return plan;
}
