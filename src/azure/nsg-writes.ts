/**
 * The bot's writes to network security groups: create one with the dependency rules, add or remove one rule, and
 * delete an NSG it created. A rule or NSG of the same name that somebody else made is never overwritten.
 */
import type { NetworkSecurityGroup, SecurityRule } from '@azure/arm-network';
import { describeSubnetId } from '../eligibility/messages.js';
import { parseResourceId, sameLocation, sameResourceId, securityRuleIdParts } from '../eligibility/resource-id.js';
import type { ArmClients } from './arm-clients.js';
import { armFailureOf } from './arm-errors.js';
import { ArmWriteError, getOrNull, pollStored, sendAndWait, type UndoOutcome, type WriteOptions } from './long-running.js';

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

/** `…/networkSecurityGroups/{nsg}/securityRules/{rule}` as the NSG's id and the rule's name. */
export function splitRuleId(ruleId: string): [string, string] {
  const parts = securityRuleIdParts(ruleId);
  if (!parts) throw new ArmWriteError('InvalidRuleId', `${ruleId} is not a security rule resource id.`);
  return [parts.nsgId, parts.ruleName];
}

/** Polls a stored DELETE of an NSG to its end; sends nothing. False when ARM no longer knows the operation. */
export function resumeNsgDeletion(arm: ArmClients, nsgId: string, pollerState: string, options: WriteOptions): Promise<boolean> {
  const ref = nsgRefOf(nsgId);
  return pollStored((from) => arm.network(ref.subscriptionId).networkSecurityGroups.beginDelete(ref.resourceGroup, ref.name, from), pollerState, options);
}

/** Polls a stored DELETE of a security rule (`…/securityRules/{rule}`) to its end; sends nothing. False when ARM forgot it. */
export function resumeRuleDeletion(arm: ArmClients, ruleId: string, pollerState: string, options: WriteOptions): Promise<boolean> {
  const [nsgId, ruleName] = splitRuleId(ruleId);
  const ref = nsgRefOf(nsgId);
  return pollStored((from) => arm.network(ref.subscriptionId).securityRules.beginDelete(ref.resourceGroup, ref.name, ruleName, from), pollerState, options);
}
