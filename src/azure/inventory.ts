import type { NetworkSecurityGroup } from '@azure/arm-network';
import { CodedError, ErrorCode } from '../errors.js';
import type { CheckFacts, InstanceFacts, NsgFacts, PrincipalAccess, SubnetFacts } from '../eligibility/facts.js';
import { parseResourceId, resourceIdKey, sameResourceId, vnetIdOfSubnet } from '../eligibility/resource-id.js';
import type { ArmClients } from './arm-clients.js';
import { asArmUnavailable, isNotFound } from './arm-errors.js';
import { findInstance, getInstance, instanceRefOf } from './find-instance.js';
import { readPrincipalAccess, readRoleDefinitions } from './rbac.js';
import { nsgFacts, subnetFacts, subnetFactsOf } from './to-facts.js';

export interface CheckTarget {
  /** Instance name or resource id. */
  instance: string;
  /** Judge only this subnet (resource id); otherwise every subnet in the instance's subscription. */
  subnetId?: string | null;
  /** Object id of the person asking; null skips the requester checks. */
  requesterId?: string | null;
}

/**
 * Reads everything one check needs. The reads run concurrently, and their number does not grow with the
 * number of subnets: VNets are listed with their subnets embedded, NSGs and role assignments are listed once.
 */
export async function readCheckFacts(arm: ArmClients, target: CheckTarget): Promise<CheckFacts> {
  try {
    const ref = instanceRefOf(target.instance);
    const instance: Promise<InstanceFacts> = ref ? getInstance(arm, ref) : findInstance(arm, target.instance);
    const subscriptionId = ref?.subscriptionId ?? (await instance).subscriptionId;

    const definitions = readRoleDefinitions(arm, subscriptionId);
    const bot = arm.principalId().then((id) => readPrincipalAccess(arm, subscriptionId, id, definitions));
    const requester: Promise<PrincipalAccess | null> = target.requesterId
      ? readPrincipalAccess(arm, subscriptionId, target.requesterId, definitions)
      : Promise.resolve(null);
    const provider = arm.resources(subscriptionId).providers.get('Microsoft.Web');
    const network = target.subnetId ? readOneSubnet(arm, target.subnetId) : readSubscriptionNetwork(arm, subscriptionId);

    const [instanceFacts, , botAccess, requesterAccess, web, { subnets, networkSecurityGroups }] = await Promise.all([
      instance,
      definitions,
      bot,
      requester,
      provider,
      network,
    ]);
    return {
      instance: instanceFacts,
      subnets,
      networkSecurityGroups,
      webProviderState: web.registrationState ?? 'NotRegistered',
      bot: botAccess,
      requester: requesterAccess,
    };
  } catch (error) {
    throw asArmUnavailable(error, 'read the facts for this check');
  }
}

interface NetworkFacts {
  subnets: SubnetFacts[];
  networkSecurityGroups: Map<string, NsgFacts>;
}

async function readSubscriptionNetwork(arm: ArmClients, subscriptionId: string): Promise<NetworkFacts> {
  const network = arm.network(subscriptionId);
  const readSubnets = async () => {
    const subnets: SubnetFacts[] = [];
    for await (const vnet of network.virtualNetworks.listAll()) subnets.push(...subnetFactsOf(vnet));
    return subnets;
  };
  const readNsgs = async () => {
    const nsgs = new Map<string, NsgFacts>();
    for await (const nsg of network.networkSecurityGroups.listAll()) addNsg(nsgs, nsg);
    return nsgs;
  };
  const [subnets, networkSecurityGroups] = await Promise.all([readSubnets(), readNsgs()]);
  return { subnets, networkSecurityGroups };
}

async function readOneSubnet(arm: ArmClients, subnetId: string): Promise<NetworkFacts> {
  const vnetId = vnetIdOfSubnet(subnetId);
  const vnetRef = vnetId ? parseResourceId(vnetId) : null;
  if (!vnetRef?.resourceGroup || vnetRef.types.length !== 1 || vnetRef.types[0]?.toLowerCase() !== 'virtualnetworks') {
    throw new CodedError(ErrorCode.INVALID_INPUT, `${subnetId} is not a subnet resource id (…/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>).`);
  }
  const vnetName = vnetRef.names[0] ?? '';
  let vnet;
  try {
    vnet = await arm.network(vnetRef.subscriptionId).virtualNetworks.get(vnetRef.resourceGroup, vnetName);
  } catch (error) {
    if (isNotFound(error)) throw new CodedError(ErrorCode.SUBNET_NOT_FOUND, `No virtual network ${vnetName} in resource group ${vnetRef.resourceGroup}.`);
    throw error;
  }
  const subnet = (vnet.subnets ?? []).find((s) => sameResourceId(s.id, subnetId));
  if (!subnet) {
    const names = (vnet.subnets ?? []).map((s) => s.name).join(', ') || 'none';
    throw new CodedError(ErrorCode.SUBNET_NOT_FOUND, `Virtual network ${vnetName} has no subnet ${subnetId.split('/').pop()}. Its subnets: ${names}.`);
  }
  const facts = subnetFacts(vnet, subnet);
  const networkSecurityGroups = new Map<string, NsgFacts>();
  const nsgRef = facts.networkSecurityGroupId ? parseResourceId(facts.networkSecurityGroupId) : null;
  if (nsgRef?.resourceGroup && nsgRef.names[0]) {
    try {
      addNsg(networkSecurityGroups, await arm.network(nsgRef.subscriptionId).networkSecurityGroups.get(nsgRef.resourceGroup, nsgRef.names[0]));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  return { subnets: [facts], networkSecurityGroups };
}

function addNsg(into: Map<string, NsgFacts>, nsg: NetworkSecurityGroup): void {
  if (nsg.id) into.set(resourceIdKey(nsg.id), nsgFacts(nsg));
}
