/**
 * The ARM writes the bot makes on approval: register Microsoft.Web, delegate a subnet, re-network the instance.
 * Each write reads first and does nothing that is already done; long-running writes report their poller state
 * (`poller.toString()`) as soon as ARM accepts them, so polling can be resumed after a restart
 * (`resumeDelegation`, `resumeInstanceUpdate`: they poll the stored operation and send nothing again).
 */
import type { Subnet } from '@azure/arm-network';
import type { InstanceFacts } from '../eligibility/facts.js';
import { parseResourceId, sameResourceId } from '../eligibility/resource-id.js';
import type { ArmClients } from './arm-clients.js';
import { getInstance, instanceRefOf } from './find-instance.js';
import { isRestError } from './sdk.js';

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
  const poller = await subnets.beginCreateOrUpdate(ref.resourceGroup, ref.vnet, ref.subnet, body, {
    updateIntervalInMs: options.pollIntervalMs,
  });
  await options.onAccepted?.(poller.toString());
  await waitFor(poller, options);
  return 'added';
}

/** Polls a delegation stored by `addServerFarmsDelegation` until it ends; sends nothing. */
export async function resumeDelegation(arm: ArmClients, subnetId: string, pollerState: string, options: WriteOptions): Promise<'added'> {
  const ref = subnetRefOf(subnetId);
  try {
    const poller = await arm.network(ref.subscriptionId).subnets.beginCreateOrUpdate(ref.resourceGroup, ref.vnet, ref.subnet, {}, {
      resumeFrom: pollerState,
      updateIntervalInMs: options.pollIntervalMs,
    });
    await waitFor(poller, options);
    return 'added';
  } catch (error) {
    if (!isOperationGone(error)) throw error;
    // The operation is no longer known: look at the subnet as it is now (and delegate it if it still is not).
    await addServerFarmsDelegation(arm, subnetId, options);
    return 'added';
  }
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
  const poller = await arm
    .apiManagement(ref.subscriptionId)
    .apiManagementService.beginUpdate(ref.resourceGroup, ref.name, parameters, { updateIntervalInMs: options.pollIntervalMs });
  await options.onAccepted?.(poller.toString());
  await waitFor(poller, options);
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
  try {
    const poller = await arm.apiManagement(ref.subscriptionId).apiManagementService.beginUpdate(ref.resourceGroup, ref.name, {}, {
      resumeFrom: pollerState,
      updateIntervalInMs: options.pollIntervalMs,
    });
    await waitFor(poller, options);
  } catch (error) {
    if (!isOperationGone(error)) throw error;
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

/** ARM answers 404 for an operation it no longer knows (or a resource that is gone). */
function isOperationGone(error: unknown): boolean {
  return isRestError(error) && error.statusCode === 404;
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

