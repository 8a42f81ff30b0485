/**
 * The bot's writes to subnets: delegate to Microsoft.Web/serverFarms, associate an NSG, create a subnet, and undo
 * each of them. Each reads first and does nothing that is already done; a subnet somebody else changed meanwhile
 * is never overwritten.
 */
import type { Subnet } from '@azure/arm-network';
import { parseResourceId, sameResourceId } from '../eligibility/resource-id.js';
import type { ArmClients } from './arm-clients.js';
import { armFailureOf } from './arm-errors.js';
import { ArmWriteError, getOrNull, pollStored, sendAndWait, sleep, type UndoOutcome, type WriteOptions } from './long-running.js';

export const SERVER_FARMS = 'Microsoft.Web/serverFarms';

interface SubnetRef {
  subscriptionId: string;
  resourceGroup: string;
  vnet: string;
  subnet: string;
}

export function subnetRefOf(subnetId: string): SubnetRef {
  const parsed = parseResourceId(subnetId);
  const [vnet, subnet] = parsed?.names ?? [];
  const types = (parsed?.types ?? []).map((t) => t.toLowerCase()).join('/');
  if (!parsed?.resourceGroup || types !== 'virtualnetworks/subnets' || !vnet || !subnet) {
    throw new ArmWriteError('InvalidSubnetId', `${subnetId} is not a subnet resource id.`);
  }
  return { subscriptionId: parsed.subscriptionId, resourceGroup: parsed.resourceGroup, vnet, subnet };
}

function isServerFarms(name: string | undefined): boolean {
  return (name ?? '').toLowerCase() === SERVER_FARMS.toLowerCase();
}

/** Delegates the subnet to Microsoft.Web/serverFarms (PUT of the whole subnet) unless it already is. */
export async function addServerFarmsDelegation(arm: ArmClients, subnetId: string, options: WriteOptions): Promise<'already' | 'added'> {
  const ref = subnetRefOf(subnetId);
  const subnets = arm.network(ref.subscriptionId).subnets;
  const current: Subnet = await subnets.get(ref.resourceGroup, ref.vnet, ref.subnet);
  const delegations = current.delegations ?? [];
  if (delegations.some((d) => isServerFarms(d.serviceName))) return 'already';
  const body: Subnet = {
    ...current,
    delegations: [...delegations, { name: 'Microsoft.Web.serverFarms', serviceName: SERVER_FARMS }],
  };
  // Never start a write once the caller has stopped (a lost lease, a shutdown): whoever carries on judges the subnet again.
  options.signal?.throwIfAborted();
  await sendAndWait((poll) => subnets.beginCreateOrUpdate(ref.resourceGroup, ref.vnet, ref.subnet, body, poll), options);
  return 'added';
}

/**
 * Polls a subnet PUT stored by `addServerFarmsDelegation` or `attachNsg` until it ends; sends nothing. When ARM
 * no longer knows the operation, `redo` looks at the subnet as it is now (and writes only what is still missing).
 */
export async function resumeSubnetWrite(
  arm: ArmClients,
  subnetId: string,
  pollerState: string,
  options: WriteOptions,
  redo: () => Promise<unknown>,
): Promise<'added'> {
  if (!(await resumeSubnetUpdate(arm, subnetId, pollerState, options))) await redo();
  return 'added';
}

/** Polls a stored PUT of a subnet to its end; sends nothing. False when ARM no longer knows the operation. */
export function resumeSubnetUpdate(arm: ArmClients, subnetId: string, pollerState: string, options: WriteOptions): Promise<boolean> {
  const ref = subnetRefOf(subnetId);
  const subnets = arm.network(ref.subscriptionId).subnets;
  return pollStored((from) => subnets.beginCreateOrUpdate(ref.resourceGroup, ref.vnet, ref.subnet, {}, from), pollerState, options);
}

/**
 * Associates the NSG with a subnet that has none (PUT of the whole subnet). The subnet already on that NSG =
 * 'already'; a subnet that got another NSG meanwhile is never changed (SubnetHasOtherNsg).
 */
export async function attachNsg(arm: ArmClients, subnetId: string, nsgId: string, options: WriteOptions): Promise<'already' | 'added'> {
  const ref = subnetRefOf(subnetId);
  const subnets = arm.network(ref.subscriptionId).subnets;
  const current: Subnet = await subnets.get(ref.resourceGroup, ref.vnet, ref.subnet);
  const existing = current.networkSecurityGroup?.id ?? null;
  if (sameResourceId(existing, nsgId)) return 'already';
  if (existing) {
    throw new ArmWriteError('SubnetHasOtherNsg', `Subnet ${ref.vnet}/${ref.subnet} now has network security group ${existing.split('/').pop() ?? existing}; the bot does not replace it.`);
  }
  options.signal?.throwIfAborted();
  const body: Subnet = { ...current, networkSecurityGroup: { id: nsgId } };
  await sendAndWait((poll) => subnets.beginCreateOrUpdate(ref.resourceGroup, ref.vnet, ref.subnet, body, poll), options);
  return 'added';
}

/**
 * Removes the association with `nsgId` that the bot made (PUT of the whole subnet). A subnet on another NSG, or on
 * none, = 'gone': somebody changed it since, and the bot leaves it as it is.
 */
export async function detachNsg(arm: ArmClients, subnetId: string, nsgId: string, options: WriteOptions): Promise<UndoOutcome> {
  const ref = subnetRefOf(subnetId);
  const subnets = arm.network(ref.subscriptionId).subnets;
  const current: Subnet | null = await getOrNull(() => subnets.get(ref.resourceGroup, ref.vnet, ref.subnet));
  if (!current || !sameResourceId(current.networkSecurityGroup?.id ?? null, nsgId)) return 'gone';
  options.signal?.throwIfAborted();
  const body: Subnet = { ...current, networkSecurityGroup: undefined };
  await sendAndWait((poll) => subnets.beginCreateOrUpdate(ref.resourceGroup, ref.vnet, ref.subnet, body, poll), options);
  return 'deleted';
}

/** What `createSubnet` creates: a subnet with one prefix, delegated to Microsoft.Web/serverFarms, with an NSG. */
export interface SubnetToCreate {
  subnetId: string;
  addressPrefix: string;
  nsgId: string;
}

/**
 * Creates the subnet (PUT, long-running). Reads first: a subnet of that name with the same prefix, delegation
 * and NSG is this request's own = 'already'; any other is never overwritten (SubnetNameTaken).
 */
export async function createSubnet(arm: ArmClients, subnet: SubnetToCreate, options: WriteOptions): Promise<'already' | 'created'> {
  const ref = subnetRefOf(subnet.subnetId);
  const client = arm.network(ref.subscriptionId).subnets;
  const existing: Subnet | null = await getOrNull(() => client.get(ref.resourceGroup, ref.vnet, ref.subnet));
  if (existing) {
    const same =
      (existing.addressPrefix ?? existing.addressPrefixes?.[0]) === subnet.addressPrefix &&
      (existing.delegations ?? []).some((d) => isServerFarms(d.serviceName)) &&
      sameResourceId(existing.networkSecurityGroup?.id ?? null, subnet.nsgId);
    if (same) return 'already';
    throw new ArmWriteError('SubnetNameTaken', `A subnet named ${ref.subnet} now exists in ${ref.vnet}; the bot does not change it.`);
  }
  options.signal?.throwIfAborted();
  const body: Subnet = {
    addressPrefix: subnet.addressPrefix,
    delegations: [{ name: 'Microsoft.Web.serverFarms', serviceName: SERVER_FARMS }],
    networkSecurityGroup: { id: subnet.nsgId },
  };
  await sendAndWait((poll) => client.beginCreateOrUpdate(ref.resourceGroup, ref.vnet, ref.subnet, body, poll), options);
  return 'created';
}

/** Polls a subnet creation stored by `createSubnet` until it ends; sends nothing (unless ARM forgot the operation). */
export async function resumeSubnetCreation(arm: ArmClients, subnet: SubnetToCreate, pollerState: string, options: WriteOptions): Promise<'created'> {
  const ref = subnetRefOf(subnet.subnetId);
  const subnets = arm.network(ref.subscriptionId).subnets;
  if (!(await pollStored((from) => subnets.beginCreateOrUpdate(ref.resourceGroup, ref.vnet, ref.subnet, {}, from), pollerState, options))) {
    await createSubnet(arm, subnet, options);
  }
  return 'created';
}

/** What uses a subnet besides `instanceId`'s service association link; empty = only the instance, or nothing. */
function otherSubnetUsers(subnet: Subnet, instanceId: string): string[] {
  const users: string[] = [];
  if ((subnet.ipConfigurations ?? []).length > 0) users.push('IP configurations');
  if ((subnet.privateEndpoints ?? []).length > 0) users.push('private endpoints');
  for (const link of subnet.serviceAssociationLinks ?? []) {
    if (!sameResourceId(link.link ?? null, instanceId)) users.push(`a service association link to ${link.link ?? link.linkedResourceType ?? 'another resource'}`);
  }
  if ((subnet.resourceNavigationLinks ?? []).length > 0) users.push('resource navigation links');
  return users;
}

function usedBy(subnet: Subnet, instanceId: string): boolean {
  return (subnet.serviceAssociationLinks ?? []).some((l) => sameResourceId(l.link ?? null, instanceId));
}

/**
 * Deletes a subnet the bot created, once `instanceId` no longer uses it: while its service association link
 * remains (or ARM answers InUseSubnetCannotBeDeleted) it waits. Anything else in the subnet = kept, untouched.
 */
export function deleteCreatedSubnet(arm: ArmClients, subnetId: string, instanceId: string, options: WriteOptions): Promise<UndoOutcome> {
  const ref = subnetRefOf(subnetId);
  const client = arm.network(ref.subscriptionId).subnets;
  return onceInstanceLeft(arm, subnetId, instanceId, options, 'InUseSubnetCannotBeDeleted', async () => {
    try {
      await sendAndWait((poll) => client.beginDelete(ref.resourceGroup, ref.vnet, ref.subnet, poll), options);
      return 'deleted';
    } catch (error) {
      if (armFailureOf(error).code !== 'InUseSubnetCannotBeDeleted') throw error;
      return null;
    }
  });
}

/**
 * Removes the Microsoft.Web/serverFarms delegation the bot added (PUT of the whole subnet), once `instanceId`
 * no longer uses the subnet; anything else in it = kept (ARM refuses a delegation change on a used subnet).
 */
export function removeServerFarmsDelegation(arm: ArmClients, subnetId: string, instanceId: string, options: WriteOptions): Promise<UndoOutcome> {
  const ref = subnetRefOf(subnetId);
  const client = arm.network(ref.subscriptionId).subnets;
  const delegated = (subnet: Subnet) => (subnet.delegations ?? []).some((d) => isServerFarms(d.serviceName));
  return onceInstanceLeft(
    arm,
    subnetId,
    instanceId,
    options,
    'SubnetStillInUse',
    async (subnet) => {
      const body: Subnet = { ...subnet, delegations: (subnet.delegations ?? []).filter((d) => !isServerFarms(d.serviceName)) };
      await sendAndWait((poll) => client.beginCreateOrUpdate(ref.resourceGroup, ref.vnet, ref.subnet, body, poll), options);
      return 'deleted';
    },
    delegated,
  );
}

/**
 * The wait both undo writes on a subnet share: reads the subnet until `instanceId`'s link is gone, then runs
 * `act` (null = ARM still sees it in use: wait and read again). A subnet that is gone, or (`needed`) no longer
 * carries what is to be removed = 'gone'; one that something else uses = kept. Past the timeout: `timeoutCode`.
 */
async function onceInstanceLeft(
  arm: ArmClients,
  subnetId: string,
  instanceId: string,
  options: WriteOptions,
  timeoutCode: string,
  act: (subnet: Subnet) => Promise<UndoOutcome | null>,
  needed: (subnet: Subnet) => boolean = () => true,
): Promise<UndoOutcome> {
  const ref = subnetRefOf(subnetId);
  const client = arm.network(ref.subscriptionId).subnets;
  const deadline = Date.now() + (options.timeoutMs ?? 3 * 3_600_000);
  for (;;) {
    const subnet: Subnet | null = await getOrNull(() => client.get(ref.resourceGroup, ref.vnet, ref.subnet));
    if (!subnet || !needed(subnet)) return 'gone';
    const others = otherSubnetUsers(subnet, instanceId);
    if (others.length > 0) return { kept: `it is used by ${others.join(', ')}` };
    if (!usedBy(subnet, instanceId)) {
      options.signal?.throwIfAborted();
      const outcome = await act(subnet);
      if (outcome) return outcome;
    }
    if (Date.now() > deadline) throw new ArmWriteError(timeoutCode, `Subnet ${ref.vnet}/${ref.subnet} is still in use by the instance after waiting.`);
    await sleep(options.pollIntervalMs, options.signal);
  }
}

/** Polls a stored DELETE of a subnet to its end; sends nothing. False when ARM no longer knows the operation. */
export function resumeSubnetDeletion(arm: ArmClients, subnetId: string, pollerState: string, options: WriteOptions): Promise<boolean> {
  const ref = subnetRefOf(subnetId);
  const subnets = arm.network(ref.subscriptionId).subnets;
  return pollStored((from) => subnets.beginDelete(ref.resourceGroup, ref.vnet, ref.subnet, from), pollerState, options);
}
