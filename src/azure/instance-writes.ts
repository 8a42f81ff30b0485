/**
 * The instance's network update: a PATCH of only `virtualNetworkType` and `virtualNetworkConfiguration`, sent once,
 * watched when another operation is already running on the instance, confirmed by reading the instance after.
 */
import type { InstanceFacts } from '../eligibility/facts.js';
import { sameResourceId } from '../eligibility/resource-id.js';
import type { ArmClients } from './arm-clients.js';
import { getInstance, instanceRefOf, type InstanceRef } from './find-instance.js';
import { ArmWriteError, pollStored, sendAndWait, sleep, type WriteOptions } from './long-running.js';

const TERMINAL = new Set(['succeeded', 'failed', 'canceled', 'cancelled']);

/** The instance's parts for the SDK; an id that is not an API Management service is refused (InvalidInstanceId). */
function instanceRef(instanceId: string): InstanceRef {
  const ref = instanceRefOf(instanceId);
  if (!ref) throw new ArmWriteError('InvalidInstanceId', `${instanceId} is not an API Management service resource id.`);
  return ref;
}

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
  const ref = instanceRef(instanceId);
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
  const ref = instanceRef(instanceId);
  const services = arm.apiManagement(ref.subscriptionId).apiManagementService;
  if (!(await pollStored((from) => services.beginUpdate(ref.resourceGroup, ref.name, {}, from), pollerState, options))) {
    return updateInstanceNetwork(arm, instanceId, target, options);
  }
  return { outcome: 'resumed', instance: await confirmTarget(arm, instanceId, target) };
}

/** Reads the instance after an update ended; throws UpdateNotApplied when it is not on `target`. */
async function confirmTarget(arm: ArmClients, instanceId: string, target: NetworkTarget): Promise<InstanceFacts> {
  const ref = instanceRef(instanceId);
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
  const ref = instanceRef(instanceId);
  const instance = await getInstance(arm, ref);
  return { done: isSucceeded(instance) && matches(instance, target), instance };
}

function isSucceeded(instance: InstanceFacts): boolean {
  return instance.provisioningState.toLowerCase() === 'succeeded';
}

/** Polls the instance until the operation running on it ends; returns the instance as it is then. */
async function waitUntilSettled(arm: ArmClients, instanceId: string, options: WriteOptions): Promise<InstanceFacts> {
  const ref = instanceRef(instanceId);
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
