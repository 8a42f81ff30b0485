/**
 * The ARM writes the bot makes on approval: register Microsoft.Web, delegate a subnet, re-network the instance.
 * Each write reads first and does nothing that is already done; long-running writes report their poller state
 * (`poller.toString()`) as soon as ARM accepts them, so polling can be resumed after a restart.
 */
import type { Subnet } from '@azure/arm-network';
import type { InstanceFacts } from '../eligibility/facts.js';
import { parseResourceId, sameResourceId } from '../eligibility/resource-id.js';
import type { ArmClients } from './arm-clients.js';
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
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ------------------------------------------------------------------------------------------ resource provider

/** Registers Microsoft.Web in the subscription unless it is registered, and waits until it is. */
export async function registerWebProvider(arm: ArmClients, subscriptionId: string, options: WriteOptions): Promise<'already' | 'registered'> {
  const providers = arm.resources(subscriptionId).providers;
  const before = await providers.get(WEB_NAMESPACE);
  if (before.registrationState?.toLowerCase() === 'registered') return 'already';
  if (before.registrationState?.toLowerCase() !== 'registering') await providers.register(WEB_NAMESPACE);
  const deadline = Date.now() + (options.timeoutMs ?? 15 * 60_000);
  for (;;) {
    const state = (await providers.get(WEB_NAMESPACE)).registrationState ?? 'NotRegistered';
    if (state.toLowerCase() === 'registered') return 'registered';
    if (!['registering', 'notregistered'].includes(state.toLowerCase())) {
      throw new ArmWriteError('ProviderRegistrationFailed', `Microsoft.Web registration ended in state ${state}.`);
    }
    if (Date.now() > deadline) throw new ArmWriteError('ProviderRegistrationTimeout', `Microsoft.Web is still ${state} after waiting.`);
    await sleep(options.pollIntervalMs);
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
  const poller = await subnets.beginCreateOrUpdate(ref.resourceGroup, ref.vnet, ref.subnet, body, {
    updateIntervalInMs: options.pollIntervalMs,
  });
  await options.onAccepted?.(poller.toString());
  await waitFor(poller, options);
  return 'added';
}

// ----------------------------------------------------------------------------------------- instance network

export type NetworkTarget = { type: 'External'; subnetId: string } | { type: 'None' };

export type UpdateOutcome = 'updated' | 'watched' | 'already';

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
  const poller = await arm
    .apiManagement(ref.subscriptionId)
    .apiManagementService.beginUpdate(ref.resourceGroup, ref.name, parameters, { updateIntervalInMs: options.pollIntervalMs });
  await options.onAccepted?.(poller.toString());
  await waitFor(poller, options);
  const after = await getInstance(arm, ref);
  if (!matches(after, target)) {
    throw new ArmWriteError(
      'UpdateNotApplied',
      `The update finished, but the instance is ${after.virtualNetworkType}${after.subnetResourceId ? ` on ${after.subnetResourceId}` : ''} (state ${after.provisioningState}).`,
    );
  }
  return { outcome: 'updated', instance: after };
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
    await sleep(options.pollIntervalMs);
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
  const signal = AbortSignal.timeout(options.timeoutMs ?? 3 * 3_600_000);
  await poller.pollUntilDone({ abortSignal: signal });
}

