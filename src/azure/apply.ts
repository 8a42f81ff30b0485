/**
 * The ARM writes the bot makes on approval: register Microsoft.Web, delegate a subnet, re-network the instance.
 * Each write reads first and does nothing that is already done; long-running writes report their poller state
 * (`poller.toString()`) as soon as ARM accepts them, so polling can be resumed after a restart
 * (`resumeDelegation`, `resumeInstanceUpdate`: they poll the stored operation and send nothing again).
 */
import type { NetworkSecurityGroup, SecurityRule, Subnet } from '@azure/arm-network';
import type { InstanceFacts } from '../eligibility/facts.js';
import { describeSubnetId } from '../eligibility/messages.js';
import { parseResourceId, sameLocation, sameResourceId, securityRuleIdParts } from '../eligibility/resource-id.js';
import type { ArmClients } from './arm-clients.js';
import { armFailureOf, isNotFound } from './arm-errors.js';
import { getInstance, instanceRefOf } from './find-instance.js';

export const WEB_NAMESPACE = 'Microsoft.Web';
export const SERVER_FARMS = 'Microsoft.Web/serverFarms';

export interface WriteOptions {
  /** Interval between polls when ARM sends no Retry-After. */
  pollIntervalMs: number;
  /** Called once ARM has accepted a long-running write, with the serialised poller. */
  onAccepted?: (pollerState: string) => Promise<void>;
  /** Give up waiting after this long (the write itself may still finish in Azure). */
  timeoutMs?: number;
  /** Stops waiting when aborted (the process lost its lease on the request, or is shutting down). */
  signal?: AbortSignal;
}

/** A write that ARM refused or that ended badly; `code` is ARM's error code where ARM gave one. */
export class ArmWriteError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'ArmWriteError';
  }
}

const TERMINAL = new Set(['succeeded', 'failed', 'canceled', 'cancelled']);

/** Waits `ms`, or rejects at once when `signal` aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function abortError(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error) return reason;
  const error = new Error('The wait was aborted.');
  error.name = 'AbortError';
  return error;
}

/** The signal that ends a wait: the caller's, or the timeout, whichever comes first. */
function waitSignal(options: WriteOptions): AbortSignal {
  const timeout = AbortSignal.timeout(Math.max(1, options.timeoutMs ?? 3 * 3_600_000));
  return options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
}

/** The ARM operation id in a stored poller state (the last segment of its operation URL), for the audit log. */
export function armOperationIdOf(pollerState: string): string | null {
  try {
    const config = (JSON.parse(pollerState) as { state?: { config?: { operationLocation?: string; resourceLocation?: string } } }).state?.config;
    const url = config?.operationLocation ?? config?.resourceLocation;
    if (!url) return null;
    return new URL(url).pathname.split('/').filter(Boolean).pop() ?? null;
  } catch {
    return null;
  }
}

// ------------------------------------------------------------------------------------------ resource provider

/** Registers Microsoft.Web in the subscription unless it is registered, and waits until it is. */
export async function registerWebProvider(arm: ArmClients, subscriptionId: string, options: WriteOptions): Promise<'already' | 'registered'> {
  const providers = arm.resources(subscriptionId).providers;
  const before = await providers.get(WEB_NAMESPACE);
  if (before.registrationState?.toLowerCase() === 'registered') return 'already';
  options.signal?.throwIfAborted();
  if (before.registrationState?.toLowerCase() !== 'registering') await providers.register(WEB_NAMESPACE);
  const deadline = Date.now() + (options.timeoutMs ?? 15 * 60_000);
  for (;;) {
    const state = (await providers.get(WEB_NAMESPACE)).registrationState ?? 'NotRegistered';
    if (state.toLowerCase() === 'registered') return 'registered';
    if (!['registering', 'notregistered'].includes(state.toLowerCase())) {
      throw new ArmWriteError('ProviderRegistrationFailed', `Microsoft.Web registration ended in state ${state}.`);
    }
    if (Date.now() > deadline) throw new ArmWriteError('ProviderRegistrationTimeout', `Microsoft.Web is still ${state} after waiting.`);
    await sleep(options.pollIntervalMs, options.signal);
  }
}

// ------------------------------------------------------------------------------------------ subnet delegation

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
  const ref = subnetRefOf(subnetId);
  const subnets = arm.network(ref.subscriptionId).subnets;
  if (!(await pollStored((from) => subnets.beginCreateOrUpdate(ref.resourceGroup, ref.vnet, ref.subnet, {}, from), pollerState, options))) await redo();
  return 'added';
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

// --------------------------------------------------------------------------- the explicit dependency rules

/** A custom security rule as `securityRules.beginCreateOrUpdate` takes it. */
export interface RuleToAdd {
  name: string;
  description: string;
  protocol: string;
  sourcePortRange: string;
  destinationPortRange: string;
  sourceAddressPrefix: string;
  destinationAddressPrefix: string;
  access: string;
  priority: number;
  direction: string;
}

function sameRule(existing: SecurityRule, rule: RuleToAdd): boolean {
  const same = (a: string | number | undefined, b: string | number) => String(a ?? '').toLowerCase() === String(b).toLowerCase();
  return (
    same(existing.access, rule.access) &&
    same(existing.direction, rule.direction) &&
    same(existing.priority, rule.priority) &&
    same(existing.destinationAddressPrefix, rule.destinationAddressPrefix) &&
    same(existing.destinationPortRange, rule.destinationPortRange)
  );
}

/**
 * Adds the rule to the NSG (PUT of one security rule). A rule of that name that is the same rule = 'already' (a
 * write accepted before a restart); any other rule of that name is never overwritten (SecurityRuleNameTaken).
 */
export async function addSecurityRule(arm: ArmClients, nsgId: string, rule: RuleToAdd, options: WriteOptions): Promise<'already' | 'added'> {
  const ref = nsgRefOf(nsgId);
  const rules = arm.network(ref.subscriptionId).securityRules;
  const existing: SecurityRule | null = await getOrNull(() => rules.get(ref.resourceGroup, ref.name, rule.name));
  if (existing) {
    if (sameRule(existing, rule)) return 'already';
    throw new ArmWriteError('SecurityRuleNameTaken', `Network security group ${ref.name} now has another rule named ${rule.name}; the bot does not change it.`);
  }
  options.signal?.throwIfAborted();
  await sendAndWait((poll) => rules.beginCreateOrUpdate(ref.resourceGroup, ref.name, rule.name, { ...rule }, poll), options);
  return 'added';
}

/** Polls a rule write stored by `addSecurityRule` until it ends; sends nothing (unless ARM forgot the operation). */
export async function resumeSecurityRule(arm: ArmClients, nsgId: string, rule: RuleToAdd, pollerState: string, options: WriteOptions): Promise<'added'> {
  const ref = nsgRefOf(nsgId);
  const rules = arm.network(ref.subscriptionId).securityRules;
  if (!(await pollStored((from) => rules.beginCreateOrUpdate(ref.resourceGroup, ref.name, rule.name, {}, from), pollerState, options))) {
    await addSecurityRule(arm, nsgId, rule, options);
  }
  return 'added';
}

/**
 * Deletes the rule the bot added for `subnetId`; a rule no longer there = 'gone'. While the NSG also serves other
 * subnets the rule is kept: they may have come to rely on it since.
 */
export async function removeSecurityRule(arm: ArmClients, nsgId: string, ruleName: string, subnetId: string | null, options: WriteOptions): Promise<UndoOutcome> {
  const ref = nsgRefOf(nsgId);
  const network = arm.network(ref.subscriptionId);
  const existing: SecurityRule | null = await getOrNull(() => network.securityRules.get(ref.resourceGroup, ref.name, ruleName));
  if (!existing) return 'gone';
  const nsg: NetworkSecurityGroup | null = await getOrNull(() => network.networkSecurityGroups.get(ref.resourceGroup, ref.name));
  const others = (nsg?.subnets ?? []).map((s) => s.id ?? '').filter((id) => id !== '' && !sameResourceId(id, subnetId));
  const nics = (nsg?.networkInterfaces ?? []).length;
  if (others.length > 0 || nics > 0) {
    const served = [...others.map(describeSubnetId), ...(nics > 0 ? [`${nics} network interface${nics === 1 ? '' : 's'}`] : [])];
    return { kept: `network security group ${ref.name} also serves ${served.join(', ')}` };
  }
  const rules = network.securityRules;
  options.signal?.throwIfAborted();
  await sendAndWait((poll) => rules.beginDelete(ref.resourceGroup, ref.name, ruleName, poll), options);
  return 'deleted';
}

// --------------------------------------------------------------------------------- new NSG and new subnet

/** What `createNsg` creates: the NSG of a subnet proposal (`ProposedNsg` with `create`). */
export interface NsgToCreate {
  id: string;
  location: string;
  securityRules: { name: string; description: string; protocol: string; sourcePortRange: string; destinationPortRange: string; sourceAddressPrefix: string; destinationAddressPrefix: string; access: string; priority: number; direction: string }[];
}

function nsgRefOf(nsgId: string): { subscriptionId: string; resourceGroup: string; name: string } {
  const parsed = parseResourceId(nsgId);
  const [name] = parsed?.names ?? [];
  const types = (parsed?.types ?? []).map((t) => t.toLowerCase()).join('/');
  if (!parsed?.resourceGroup || types !== 'networksecuritygroups' || !name) {
    throw new ArmWriteError('InvalidNsgId', `${nsgId} is not a network security group resource id.`);
  }
  return { subscriptionId: parsed.subscriptionId, resourceGroup: parsed.resourceGroup, name };
}

async function getOrNull<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/**
 * Creates the NSG with its rules (PUT, long-running). Reads first: an NSG of that name that already carries the
 * rules is taken as this request's own (a write accepted before a restart) = 'already'; one without them belongs
 * to somebody else and is never overwritten (NsgNameTaken).
 */
export async function createNsg(arm: ArmClients, nsg: NsgToCreate, options: WriteOptions): Promise<'already' | 'created'> {
  const ref = nsgRefOf(nsg.id);
  const client = arm.network(ref.subscriptionId).networkSecurityGroups;
  const existing: NetworkSecurityGroup | null = await getOrNull(() => client.get(ref.resourceGroup, ref.name));
  if (existing) {
    const rules = existing.securityRules ?? [];
    const ours = nsg.securityRules.every((r) => rules.some((e) => (e.name ?? '').toLowerCase() === r.name.toLowerCase() && sameRule(e, r)));
    if (ours && sameLocation(existing.location, nsg.location)) return 'already';
    throw new ArmWriteError('NsgNameTaken', `A network security group named ${ref.name} now exists in ${ref.resourceGroup} without the bot's rule; the bot does not change it.`);
  }
  options.signal?.throwIfAborted();
  const body = { location: nsg.location, securityRules: nsg.securityRules.map((r) => ({ ...r })) };
  await sendAndWait((poll) => client.beginCreateOrUpdate(ref.resourceGroup, ref.name, body, poll), options);
  return 'created';
}

/** Polls an NSG creation stored by `createNsg` until it ends; sends nothing (unless ARM forgot the operation). */
export async function resumeNsgCreation(arm: ArmClients, nsg: NsgToCreate, pollerState: string, options: WriteOptions): Promise<'created'> {
  const ref = nsgRefOf(nsg.id);
  const nsgs = arm.network(ref.subscriptionId).networkSecurityGroups;
  if (!(await pollStored((from) => nsgs.beginCreateOrUpdate(ref.resourceGroup, ref.name, {}, from), pollerState, options))) {
    await createNsg(arm, nsg, options);
  }
  return 'created';
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

// ------------------------------------------------------------------------------ undo: what the bot created

/** deleted: removed now; gone: already not there; kept: something other than the instance uses it (left in place). */
export type UndoOutcome = 'deleted' | 'gone' | { kept: string };

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

/** Deletes an NSG the bot created; one still associated with a subnet or NIC = kept. */
export async function deleteCreatedNsg(arm: ArmClients, nsgId: string, options: WriteOptions): Promise<UndoOutcome> {
  const ref = nsgRefOf(nsgId);
  const client = arm.network(ref.subscriptionId).networkSecurityGroups;
  const nsg: NetworkSecurityGroup | null = await getOrNull(() => client.get(ref.resourceGroup, ref.name));
  if (!nsg) return 'gone';
  const users = [...(nsg.subnets ?? []), ...(nsg.networkInterfaces ?? [])].map((u) => u.id ?? '').filter(Boolean);
  if (users.length > 0) return { kept: `it is still associated with ${users.map((u) => u.split('/').slice(-1)[0]).join(', ')}` };
  options.signal?.throwIfAborted();
  try {
    await sendAndWait((poll) => client.beginDelete(ref.resourceGroup, ref.name, poll), options);
  } catch (error) {
    if (armFailureOf(error).code === 'InUseNetworkSecurityGroupCannotBeDeleted') return { kept: 'it is still associated with a subnet or network interface' };
    throw error;
  }
  return 'deleted';
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

/** Polls an undo write stored by one of the functions above until it ends; sends nothing. Null when ARM forgot it. */
export async function resumeUndo(
  arm: ArmClients,
  kind: 'deleteSubnet' | 'deleteNsg' | 'removeDelegation' | 'detachNsg' | 'removeDependencyRule',
  id: string,
  pollerState: string,
  options: WriteOptions,
): Promise<'deleted' | null> {
  let resume: (from: StoredPoll) => Promise<Pollable>;
  if (kind === 'deleteNsg') {
    const ref = nsgRefOf(id);
    resume = (from) => arm.network(ref.subscriptionId).networkSecurityGroups.beginDelete(ref.resourceGroup, ref.name, from);
  } else if (kind === 'removeDependencyRule') {
    // `id` is the rule's id: …/networkSecurityGroups/{nsg}/securityRules/{rule}.
    const [nsgId, ruleName] = splitRuleId(id);
    const ref = nsgRefOf(nsgId);
    resume = (from) => arm.network(ref.subscriptionId).securityRules.beginDelete(ref.resourceGroup, ref.name, ruleName, from);
  } else {
    const ref = subnetRefOf(id);
    const subnets = arm.network(ref.subscriptionId).subnets;
    resume =
      kind === 'deleteSubnet'
        ? (from) => subnets.beginDelete(ref.resourceGroup, ref.vnet, ref.subnet, from)
        : (from) => subnets.beginCreateOrUpdate(ref.resourceGroup, ref.vnet, ref.subnet, {}, from);
  }
  return (await pollStored(resume, pollerState, options)) ? 'deleted' : null;
}

/** `…/networkSecurityGroups/{nsg}/securityRules/{rule}` as the NSG's id and the rule's name. */
export function splitRuleId(ruleId: string): [string, string] {
  const parts = securityRuleIdParts(ruleId);
  if (!parts) throw new ArmWriteError('InvalidRuleId', `${ruleId} is not a security rule resource id.`);
  return [parts.nsgId, parts.ruleName];
}

// ----------------------------------------------------------------------------------------- instance network

export type NetworkTarget = { type: 'External'; subnetId: string } | { type: 'None' };

/** updated: sent and finished; watched: an update already running ended there; already: nothing to do; resumed: a stored operation, polled to its end. */
export type UpdateOutcome = 'updated' | 'watched' | 'already' | 'resumed';

function matches(instance: InstanceFacts, target: NetworkTarget): boolean {
  const type = (instance.virtualNetworkType || 'None').toLowerCase();
  if (target.type === 'None') return type === 'none';
  return type === 'external' && sameResourceId(instance.subnetResourceId, target.subnetId);
}

function isBusy(instance: InstanceFacts): boolean {
  return !TERMINAL.has(instance.provisioningState.toLowerCase());
}

/**
 * Moves the instance to `target` with a PATCH of only `virtualNetworkType` and `virtualNetworkConfiguration`.
 * Reads the instance first: already there = nothing sent. While another operation runs (ARM would answer 409)
 * it waits for that operation to end; if it ended with the instance on `target` (the same update, started
 * earlier) that is the outcome, watched and not sent again.
 */
export async function updateInstanceNetwork(
  arm: ArmClients,
  instanceId: string,
  target: NetworkTarget,
  options: WriteOptions,
): Promise<{ outcome: UpdateOutcome; instance: InstanceFacts }> {
  const ref = instanceRefOf(instanceId);
  if (!ref) throw new ArmWriteError('InvalidInstanceId', `${instanceId} is not an API Management service resource id.`);
  let before = await getInstance(arm, ref);
  if (isBusy(before)) {
    before = await waitUntilSettled(arm, instanceId, options);
    if (isSucceeded(before) && matches(before, target)) return { outcome: 'watched', instance: before };
  }
  if (isSucceeded(before) && matches(before, target)) return { outcome: 'already', instance: before };

  const parameters =
    target.type === 'External'
      ? { virtualNetworkType: 'External', virtualNetworkConfiguration: { subnetResourceId: target.subnetId } }
      : { virtualNetworkType: 'None' };
  options.signal?.throwIfAborted();
  const services = arm.apiManagement(ref.subscriptionId).apiManagementService;
  await sendAndWait((poll) => services.beginUpdate(ref.resourceGroup, ref.name, parameters, poll), options);
  return { outcome: 'updated', instance: await confirmTarget(arm, instanceId, target) };
}

/**
 * Finishes an update whose poller state was stored (by a process that stopped): polls that operation to its
 * end without sending the PATCH again. When ARM no longer knows the operation, the instance is judged as it is
 * now (`updateInstanceNetwork`: on target = done, busy = watch, otherwise update).
 */
export async function resumeInstanceUpdate(
  arm: ArmClients,
  instanceId: string,
  target: NetworkTarget,
  pollerState: string,
  options: WriteOptions,
): Promise<{ outcome: UpdateOutcome; instance: InstanceFacts }> {
  const ref = instanceRefOf(instanceId);
  if (!ref) throw new ArmWriteError('InvalidInstanceId', `${instanceId} is not an API Management service resource id.`);
  const services = arm.apiManagement(ref.subscriptionId).apiManagementService;
  if (!(await pollStored((from) => services.beginUpdate(ref.resourceGroup, ref.name, {}, from), pollerState, options))) {
    return updateInstanceNetwork(arm, instanceId, target, options);
  }
  return { outcome: 'resumed', instance: await confirmTarget(arm, instanceId, target) };
}

/** Reads the instance after an update ended; throws UpdateNotApplied when it is not on `target`. */
async function confirmTarget(arm: ArmClients, instanceId: string, target: NetworkTarget): Promise<InstanceFacts> {
  const ref = instanceRefOf(instanceId);
  if (!ref) throw new ArmWriteError('InvalidInstanceId', `${instanceId} is not an API Management service resource id.`);
  const after = await getInstance(arm, ref);
  if (!matches(after, target)) {
    throw new ArmWriteError(
      'UpdateNotApplied',
      `The update finished, but the instance is ${after.virtualNetworkType}${after.subnetResourceId ? ` on ${after.subnetResourceId}` : ''} (state ${after.provisioningState}).`,
    );
  }
  return after;
}

/** Is the instance on `target` now, with no operation running? (For judging a request past its deadline.) */
export async function instanceOnTarget(arm: ArmClients, instanceId: string, target: NetworkTarget): Promise<{ done: boolean; instance: InstanceFacts }> {
  const ref = instanceRefOf(instanceId);
  if (!ref) throw new ArmWriteError('InvalidInstanceId', `${instanceId} is not an API Management service resource id.`);
  const instance = await getInstance(arm, ref);
  return { done: isSucceeded(instance) && matches(instance, target), instance };
}

/** Sends a long-running write, stores its poller state as soon as ARM accepts it, and polls it to its end. */
async function sendAndWait(begin: (poll: { updateIntervalInMs: number }) => Promise<Pollable & { toString(): string }>, options: WriteOptions): Promise<void> {
  const poller = await begin({ updateIntervalInMs: options.pollIntervalMs });
  await options.onAccepted?.(poller.toString());
  await waitFor(poller, options);
}

/** The options that make an SDK `begin…` call resume a stored poller instead of sending its request. */
interface StoredPoll {
  resumeFrom: string;
  updateIntervalInMs: number;
}

/**
 * Polls a stored operation to its end without sending anything again; false when ARM no longer knows it
 * (it answers 404 for such an operation).
 */
async function pollStored(resume: (from: StoredPoll) => Promise<Pollable>, pollerState: string, options: WriteOptions): Promise<boolean> {
  try {
    await waitFor(await resume({ resumeFrom: pollerState, updateIntervalInMs: options.pollIntervalMs }), options);
    return true;
  } catch (error) {
    if (!isNotFound(error)) throw error;
    return false;
  }
}

function isSucceeded(instance: InstanceFacts): boolean {
  return instance.provisioningState.toLowerCase() === 'succeeded';
}

/** Polls the instance until the operation running on it ends; returns the instance as it is then. */
async function waitUntilSettled(arm: ArmClients, instanceId: string, options: WriteOptions): Promise<InstanceFacts> {
  const ref = instanceRefOf(instanceId);
  if (!ref) throw new ArmWriteError('InvalidInstanceId', `${instanceId} is not an API Management service resource id.`);
  const deadline = Date.now() + (options.timeoutMs ?? 3 * 3_600_000);
  for (;;) {
    await sleep(options.pollIntervalMs, options.signal);
    const now = await getInstance(arm, ref);
    if (!isBusy(now)) return now;
    if (Date.now() > deadline) {
      throw new ArmWriteError('InstanceBusy', `The instance is still ${now.provisioningState} after waiting for the operation running on it.`, 409);
    }
  }
}

interface Pollable {
  pollUntilDone(options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

async function waitFor(poller: Pollable, options: WriteOptions): Promise<void> {
  const signal = waitSignal(options);
  try {
    await poller.pollUntilDone({ abortSignal: signal });
  } catch (error) {
    // Report why the wait ended: the caller's reason (a lost lease, a shutdown) rather than a bare abort.
    if (options.signal?.aborted) throw abortError(options.signal);
    throw error;
  }
}

