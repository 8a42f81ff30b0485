/**
 * Carries out an approved request: re-check eligibility, make the fixes, update the instance. Every step is
 * stored on the request (and reported through `onChange`) before and after it runs; the ARM poller state is
 * stored as soon as ARM accepts a long-running write. Exactly-once: only the caller whose compare-and-set moved
 * the request from approved to applying does the work.
 */
import { ArmWriteError, addServerFarmsDelegation, registerWebProvider, updateInstanceNetwork, type NetworkTarget } from '../azure/apply.js';
import type { ArmClients } from '../azure/arm-clients.js';
import { armFailureOf, type ArmFailure } from '../azure/arm-errors.js';
import { runCheck } from '../check/run-check.js';
import type { EligibilitySettings } from '../eligibility/facts.js';
import type { Finding, PlannedFix } from '../eligibility/report.js';
import { sameResourceId } from '../eligibility/resource-id.js';
import { CodedError } from '../errors.js';
import type { Logger } from '../log.js';
import { disconnectBlockers, integrateBlockers } from './blockers.js';
import { explainArmCode } from './explain-failure.js';
import { transition } from './lifecycle.js';
import type { ApplyFailure, ApplyProgress, ApplyStep, IntegrationRequest } from './request.js';
import { updateWithRetry, type RequestStore } from './store.js';
import { subnetLabel } from './labels.js';

export interface ApplyDeps {
  arm: ArmClients;
  requests: RequestStore;
  eligibility: EligibilitySettings;
  pollIntervalMs: number;
  clock: () => Date;
  logger: Logger;
  /** Called after every stored change with the stored request (to update cards); its failures are logged, not fatal. */
  onChange: (request: IntegrationRequest) => Promise<void>;
}

/** The re-check found a reason to stop. */
class RecheckRefused extends Error {
  constructor(readonly finding: Finding) {
    super(finding.message);
  }
}

export async function applyRequest(deps: ApplyDeps, requestId: string): Promise<IntegrationRequest | null> {
  const store = deps.requests;
  const started = await updateWithRetry(store, requestId, (r) => {
    const moved = transition(r, 'startApply', { by: null, at: deps.clock() });
    if (!moved.ok) return null;
    const apply: ApplyProgress = { step: 'recheck', done: [], pollerState: null, pollerStep: null, failure: null };
    return { ...moved.request, apply };
  });
  if (!started.changed || !started.request) return started.request;
  await report(deps, started.request);

  let request = started.request;
  const change = async (mutate: (apply: ApplyProgress) => ApplyProgress): Promise<IntegrationRequest> => {
    const { request: stored } = await updateWithRetry(store, requestId, (r) => (r.apply ? { ...r, apply: mutate(r.apply), updatedAt: deps.clock().toISOString() } : null));
    if (!stored) throw new Error(`Request ${requestId} disappeared while it was being applied.`);
    return stored;
  };
  const begin = async (step: ApplyStep) => {
    request = await change((a) => ({ ...a, step, pollerState: null, pollerStep: null }));
    await report(deps, request);
  };
  const finish = async (step: ApplyStep, note: string) => {
    request = await change((a) => ({ ...a, done: [...a.done, { step, at: deps.clock().toISOString(), note }], pollerState: null, pollerStep: null }));
  };
  const write = (step: ApplyStep) => ({
    pollIntervalMs: deps.pollIntervalMs,
    onAccepted: async (pollerState: string) => {
      request = await change((a) => ({ ...a, pollerState, pollerStep: step }));
    },
  });

  try {
    const fixes = await recheck(deps, request);
    await finish('recheck', 'Eligibility re-checked: nothing has changed that blocks the request.');
    for (const fix of fixes) {
      await begin(fix.kind);
      await finish(fix.kind, await runFix(deps, fix, write(fix.kind)));
    }
    await begin('updateInstance');
    const target: NetworkTarget = request.kind === 'integrate' && request.subnetId ? { type: 'External', subnetId: request.subnetId } : { type: 'None' };
    const { outcome } = await updateInstanceNetwork(deps.arm, request.instance.id, target, write('updateInstance'));
    await finish('updateInstance', updateNote(request, outcome));
    return await end(deps, requestId, 'succeed', null);
  } catch (error) {
    const failure = failureOf(error);
    deps.logger.warn('apply failed', { requestId, step: request.apply?.step, code: failure.code });
    return await end(deps, requestId, 'fail', failure);
  }
}

async function end(deps: ApplyDeps, requestId: string, event: 'succeed' | 'fail', failure: ApplyFailure | null): Promise<IntegrationRequest | null> {
  const { request } = await updateWithRetry(deps.requests, requestId, (r) => {
    const moved = transition(r, event, { by: null, at: deps.clock(), why: failure ? `${failure.code}: ${failure.explanation}` : null });
    if (!moved.ok || !r.apply) return null;
    const apply: ApplyProgress = failure ? { ...r.apply, failure } : { ...r.apply, step: 'done', pollerState: null, pollerStep: null };
    return { ...moved.request, apply };
  });
  if (request) await report(deps, request);
  return request;
}

async function report(deps: ApplyDeps, request: IntegrationRequest): Promise<void> {
  try {
    await deps.onChange(request);
  } catch (error) {
    deps.logger.warn('could not report request progress', { requestId: request.id, error: String(error) });
  }
}

/** Runs the checks again on today's estate; returns the fixes still needed. */
async function recheck(deps: ApplyDeps, request: IntegrationRequest): Promise<PlannedFix[]> {
  const requesterId = request.requester.aadObjectId;
  if (request.kind === 'disconnect') {
    const current = request.instance.subnetResourceId;
    const report = await runCheck(deps.arm, { instance: request.instance.id, subnetId: current, requesterId }, deps.eligibility).catch((error: unknown) => {
      // The subnet it was on may be gone; the instance-level rules are what matter here.
      if (current && error instanceof CodedError && error.code === 'SUBNET_NOT_FOUND') return null;
      throw error;
    });
    if (report) {
      const blocker = disconnectBlockers(report, { ignoreBusy: true })[0];
      if (blocker) throw new RecheckRefused(blocker);
    }
    return [];
  }
  const subnetId = request.subnetId ?? '';
  const report = await runCheck(deps.arm, { instance: request.instance.id, subnetId, requesterId }, deps.eligibility);
  const subnet = report.subnets.find((s) => sameResourceId(s.id, subnetId));
  if (!subnet) throw new ArmWriteError('SubnetNotFound', `Subnet ${subnetLabel(subnetId)} no longer exists.`);
  const blocker = integrateBlockers(report, subnet, { ignoreBusy: true })[0];
  if (blocker) throw new RecheckRefused(blocker);
  return subnet.fixes;
}

async function runFix(deps: ApplyDeps, fix: PlannedFix, options: Parameters<typeof addServerFarmsDelegation>[2]): Promise<string> {
  if (fix.kind === 'registerProvider') {
    const outcome = await registerWebProvider(deps.arm, fix.subscriptionId, options);
    return outcome === 'already' ? 'Microsoft.Web was already registered.' : `Registered Microsoft.Web in subscription ${fix.subscriptionId}.`;
  }
  const outcome = await addServerFarmsDelegation(deps.arm, fix.subnetId, options);
  return outcome === 'already'
    ? `Subnet ${subnetLabel(fix.subnetId)} was already delegated to Microsoft.Web/serverFarms.`
    : `Delegated subnet ${subnetLabel(fix.subnetId)} to Microsoft.Web/serverFarms.`;
}

function updateNote(request: IntegrationRequest, outcome: 'updated' | 'watched' | 'already'): string {
  const what = request.kind === 'integrate' ? `integrated with ${subnetLabel(request.subnetId)}` : 'out of its virtual network';
  if (outcome === 'already') return `${request.instance.name} was already ${what}.`;
  if (outcome === 'watched') return `${request.instance.name} is now ${what} (an update already in progress finished; nothing was sent twice).`;
  return `${request.instance.name} is now ${what}.`;
}

/** ARM's code and message, or the finding that stopped the re-check, with a plain explanation. */
export function failureOf(error: unknown): ApplyFailure {
  if (error instanceof RecheckRefused) {
    const f = error.finding;
    return { code: f.code, message: f.message, explanation: f.fix ?? 'The request no longer passes the checks. Check again and make a new request.' };
  }
  if (error instanceof CodedError) {
    const arm = error.details.arm as ArmFailure | undefined;
    if (arm) return { code: arm.code, message: arm.message, explanation: explainArmCode(arm.code) };
    return { code: error.code, message: error.message, explanation: 'Check again and make a new request.' };
  }
  const arm = armFailureOf(error);
  return { code: arm.code, message: arm.message, explanation: explainArmCode(arm.code) };
}
