import { CodedError, ErrorCode } from '../errors.js';
import type { CheckContext } from '../eligibility/evaluate.js';
import type { CheckFacts, InstanceFacts, NsgFacts, PrincipalAccess, RouteTableFacts, SubnetFacts } from '../eligibility/facts.js';
import { parseResourceId, resourceIdKey, sameResourceId, subscriptionOf, vnetIdOfSubnet } from '../eligibility/resource-id.js';
import type { ArmClients } from './arm-clients.js';
import { asArmUnavailable, isForbidden, isNotFound } from './arm-errors.js';
import { findInstance, getInstance, instanceRefOf } from './find-instance.js';
import { readPrincipalAccess, readRoleDefinitions, type RoleDefinitionIndex } from './rbac.js';
import type { WireNetworkSecurityGroup, WireRouteTable, WireVirtualNetwork } from './arm-wire.js';
import type { ProposalVnet } from '../proposal/index.js';
import { nsgFacts, proposalVnetOf, routeTableFacts, subnetFacts, subnetFactsOf } from './to-facts.js';
import { getWire, listWire } from './wire-reads.js';

/** The api-version @azure/arm-network 36 speaks, for the reads sent through its pipeline as plain JSON. */
const NETWORK_API_VERSION = '2025-05-01';

export interface CheckTarget {
  /** Instance name or resource id, or its facts when already read (then it is not read again). */
  instance: string | InstanceFacts;
  /** Judge only this subnet (resource id); otherwise every subnet in the instance's subscription. */
  subnetId?: string | null;
  /** Object id of the person asking; null skips the requester checks. */
  requesterId?: string | null;
  /** An NSG the bot would associate with a subnet that has none (NEW_SUBNET_NSG_ID): read with the one subnet. */
  configuredNsgId?: string | null;
}

/** One page of the subscription's VNets: their subnets as facts, and the VNets as a subnet proposal needs them. */
export interface NetworkPage {
  subnets: SubnetFacts[];
  vnets: ProposalVnet[];
}

/** What a check reads: everything but the subnets at once, and the subnets page by page as they arrive. */
export interface CheckFactsStream {
  context: Promise<CheckContext>;
  pages: AsyncIterable<NetworkPage>;
}

/**
 * Starts every read one check needs, concurrently. Their number does not grow with the number of subnets:
 * VNets are listed with their subnets embedded, NSGs, route tables and role assignments are listed once.
 */
export function streamCheckFacts(arm: ArmClients, target: CheckTarget): CheckFactsStream {
  const known = typeof target.instance === 'string' ? null : target.instance;
  const typed = typeof target.instance === 'string' ? target.instance : '';
  const ref = known ? null : instanceRefOf(typed);
  const instance: Promise<InstanceFacts> = known ? Promise.resolve(known) : ref ? getInstance(arm, ref) : findInstance(arm, typed);
  const subscription = known ? Promise.resolve(known.subscriptionId) : ref ? Promise.resolve(ref.subscriptionId) : instance.then((i) => i.subscriptionId);
  const oneSubnet = target.subnetId ? readOneSubnet(arm, target.subnetId, target.configuredNsgId ?? null) : null;
  oneSubnet?.catch(() => undefined);

  const context = (async (): Promise<CheckContext> => {
    const subscriptionId = await subscription;
    const subnetSubscription = target.subnetId ? (subscriptionOf(target.subnetId) ?? subscriptionId) : subscriptionId;
    const definitions = readRoleDefinitions(arm, subscriptionId);
    const accessOf = (principalId: string) => readAccess(arm, principalId, [subscriptionId, subnetSubscription], definitions);
    const [instanceFacts, , bot, requester, web, networkSecurityGroups, routeTables] = await Promise.all([
      instance,
      definitions,
      arm.principalId().then(accessOf),
      target.requesterId ? accessOf(target.requesterId) : null,
      arm.resources(subscriptionId).providers.get('Microsoft.Web'),
      oneSubnet ? oneSubnet.then((n) => n.networkSecurityGroups) : listNsgs(arm, subscriptionId),
      oneSubnet ? oneSubnet.then((n) => n.routeTables) : listRouteTables(arm, subscriptionId),
    ]);
    return {
      instance: instanceFacts,
      networkSecurityGroups,
      webProviderState: web.registrationState ?? 'NotRegistered',
      routeTables,
      bot,
      requester,
    };
  })().catch((error: unknown) => {
    throw asArmUnavailable(error, 'read the facts for this check');
  });

  async function* pages(): AsyncGenerator<NetworkPage> {
    try {
      if (oneSubnet) {
        yield { subnets: (await oneSubnet).subnets, vnets: [] };
        return;
      }
      const subscriptionId = await subscription;
      const url = arm.url(`/subscriptions/${subscriptionId}/providers/Microsoft.Network/virtualNetworks`, NETWORK_API_VERSION);
      for await (const page of listWire<WireVirtualNetwork>(arm.network(subscriptionId), url)) {
        yield { subnets: page.flatMap(subnetFactsOf), vnets: page.map(proposalVnetOf) };
      }
    } catch (error) {
      throw asArmUnavailable(error, 'list the virtual networks');
    }
  }
  return { context, pages: pages() };
}

/** Everything one check needs, all at once. */
export async function readCheckFacts(arm: ArmClients, target: CheckTarget): Promise<CheckFacts> {
  const { context, pages } = streamCheckFacts(arm, target);
  context.catch(() => undefined);
  const subnets: SubnetFacts[] = [];
  for await (const page of pages) subnets.push(...page.subnets);
  return { ...(await context), subnets };
}

/** A principal's grants in the instance's subscription and, when it differs, the asked-about subnet's. */
async function readAccess(
  arm: ArmClients,
  principalId: string,
  subscriptionIds: string[],
  definitions: Promise<RoleDefinitionIndex>,
): Promise<PrincipalAccess> {
  const [home, ...others] = [...new Map(subscriptionIds.map((s) => [s.toLowerCase(), s])).values()];
  const reads = [
    readPrincipalAccess(arm, home ?? '', principalId, definitions),
    ...others.map((sub) => {
      const otherDefinitions = readRoleDefinitions(arm, sub);
      otherDefinitions.catch(() => undefined);
      return readPrincipalAccess(arm, sub, principalId, otherDefinitions);
    }),
  ];
  return { principalId, grants: (await Promise.all(reads)).flatMap((a) => a.grants) };
}

interface NetworkFacts {
  subnets: SubnetFacts[];
  networkSecurityGroups: Map<string, NsgFacts>;
  routeTables: Map<string, RouteTableFacts>;
}

async function listNsgs(arm: ArmClients, subscriptionId: string): Promise<Map<string, NsgFacts>> {
  const nsgs = new Map<string, NsgFacts>();
  const url = arm.url(`/subscriptions/${subscriptionId}/providers/Microsoft.Network/networkSecurityGroups`, NETWORK_API_VERSION);
  for await (const page of listWire<WireNetworkSecurityGroup>(arm.network(subscriptionId), url)) for (const nsg of page) addNsg(nsgs, nsg);
  return nsgs;
}

/**
 * The subscription's route tables. A bot that may not list them gets none: the rules then report, for each subnet
 * with a route table, that it could not be checked.
 */
async function listRouteTables(arm: ArmClients, subscriptionId: string): Promise<Map<string, RouteTableFacts>> {
  const tables = new Map<string, RouteTableFacts>();
  const url = arm.url(`/subscriptions/${subscriptionId}/providers/Microsoft.Network/routeTables`, NETWORK_API_VERSION);
  try {
    for await (const page of listWire<WireRouteTable>(arm.network(subscriptionId), url)) for (const table of page) addRouteTable(tables, table);
  } catch (error) {
    if (!isForbidden(error)) throw error;
  }
  return tables;
}

/**
 * One subnet, its VNet, its NSG and its route table. A subnet without an NSG comes with the NSGs of its VNet's resource group (the
 * name of one the bot would create must be new there) and the configured NSG, if any.
 */
async function readOneSubnet(arm: ArmClients, subnetId: string, configuredNsgId: string | null): Promise<NetworkFacts> {
  const vnetId = vnetIdOfSubnet(subnetId);
  const vnetRef = vnetId ? parseResourceId(vnetId) : null;
  if (!vnetId || !vnetRef?.resourceGroup || vnetRef.types.length !== 1 || vnetRef.types[0]?.toLowerCase() !== 'virtualnetworks') {
    throw new CodedError(ErrorCode.INVALID_INPUT, `${subnetId} is not a subnet resource id (…/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>).`);
  }
  const vnetName = vnetRef.names[0] ?? '';
  const network = arm.network(vnetRef.subscriptionId);
  let vnet: WireVirtualNetwork;
  try {
    vnet = await getWire<WireVirtualNetwork>(network, arm.url(vnetId, NETWORK_API_VERSION));
  } catch (error) {
    if (isNotFound(error)) throw new CodedError(ErrorCode.SUBNET_NOT_FOUND, `No virtual network ${vnetName} in resource group ${vnetRef.resourceGroup}.`);
    throw error;
  }
  const subnets = vnet.properties?.subnets ?? [];
  const subnet = subnets.find((s) => sameResourceId(s.id, subnetId));
  if (!subnet) {
    const names = subnets.map((s) => s.name).join(', ') || 'none';
    throw new CodedError(ErrorCode.SUBNET_NOT_FOUND, `Virtual network ${vnetName} has no subnet ${subnetId.split('/').pop()}. Its subnets: ${names}.`);
  }
  const facts = subnetFacts(vnet, subnet);
  const routeTables = new Map<string, RouteTableFacts>();
  const routeTableRead = facts.routeTableId ? readRouteTable(arm, facts.routeTableId, vnetRef.subscriptionId, routeTables) : null;
  routeTableRead?.catch(() => undefined);
  const networkSecurityGroups = new Map<string, NsgFacts>();
  const readNsg = async (nsgId: string) => {
    const nsgSubscription = parseResourceId(nsgId)?.subscriptionId ?? vnetRef.subscriptionId;
    try {
      addNsg(networkSecurityGroups, await getWire<WireNetworkSecurityGroup>(arm.network(nsgSubscription), arm.url(nsgId, NETWORK_API_VERSION)));
    } catch (error) {
      // Not found, or not readable by the bot: the rules report an NSG that could not be read.
      if (!isNotFound(error) && !isForbidden(error)) throw error;
    }
  };
  if (facts.networkSecurityGroupId) {
    await readNsg(facts.networkSecurityGroupId);
  } else {
    const group = `/subscriptions/${vnetRef.subscriptionId}/resourceGroups/${vnetRef.resourceGroup}/providers/Microsoft.Network/networkSecurityGroups`;
    try {
      for await (const page of listWire<WireNetworkSecurityGroup>(network, arm.url(group, NETWORK_API_VERSION))) for (const nsg of page) addNsg(networkSecurityGroups, nsg);
    } catch (error) {
      // A bot that may read the VNet but not its resource group: the check goes on; creating the NSG later
      // still refuses to take over one of the same name.
      if (!isForbidden(error)) throw error;
    }
    if (configuredNsgId && !networkSecurityGroups.has(resourceIdKey(configuredNsgId))) await readNsg(configuredNsgId);
  }
  await routeTableRead;
  return { subnets: [facts], networkSecurityGroups, routeTables };
}

/** GET one route table by id into `into`; not found or not readable leaves it out (the rules say it was not checked). */
async function readRouteTable(arm: ArmClients, id: string, fallbackSubscription: string, into: Map<string, RouteTableFacts>): Promise<void> {
  const subscriptionId = parseResourceId(id)?.subscriptionId ?? fallbackSubscription;
  try {
    addRouteTable(into, await getWire<WireRouteTable>(arm.network(subscriptionId), arm.url(id, NETWORK_API_VERSION)));
  } catch (error) {
    if (!isNotFound(error) && !isForbidden(error)) throw error;
  }
}

function addNsg(into: Map<string, NsgFacts>, nsg: WireNetworkSecurityGroup): void {
  if (nsg.id) into.set(resourceIdKey(nsg.id), nsgFacts(nsg));
}

function addRouteTable(into: Map<string, RouteTableFacts>, table: WireRouteTable): void {
  if (table.id) into.set(resourceIdKey(table.id), routeTableFacts(table));
}
