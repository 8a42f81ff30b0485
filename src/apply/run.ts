/**
 * Carries out an approved request: re-check eligibility, make the fixes, update the instance.
 *
 * Exactly once: a process first claims the request with a compare-and-set that takes its lease (and moves it
 * from approved to applying); only the lease holder works on it, renews the lease while it works, and every
 * write it stores checks that the lease is still its own. A process that finds the lease expired (or, on a
 * store only it uses, held by a process that is gone) takes the request over and resumes it from what is
 * stored: finished steps are skipped, a stored poller is polled to its end without sending the write again,
 * and the live instance is judged before any new write. Nothing stays approved or applying past the deadline
 * (APPLY_DEADLINE_MINUTES after the approval, or after the change window it waited for opened).
 */
import { armOperationIdOf, ArmWriteError, type WriteOptions } from '../azure/long-running.js';
import { armFailureOf } from '../azure/arm-errors.js';
import { auditEvent } from '../requests/audit.js';
import { subnetLabel } from '../requests/labels.js';
import { holds } from '../requests/lease.js';
import { applyDeadline, transition } from '../requests/lifecycle.js';
import type { ApplyFailure, ApplyProgress, ApplyStep, CreatedResource, IntegrationRequest, Lease } from '../requests/request.js';
import { updateWithRetry } from '../requests/store/index.js';
import { ApplyStopped, claimRequest, LeaseKeeper, LeaseLost } from './claim.js';
import type { ApplyDeps } from './deps.js';
import { failureOf } from './failure.js';
import { leftBehind } from './leftovers.js';
import { recheck, recheckNewSubnet } from './recheck.js';
import { auditText, createNsgStepOf, createSubnetStepOf, fixSteps, keptNote, onTarget, undoStepOf, updateInstanceStepOf, updateNote, type PlannedStep } from './steps.js';
import { undoItems } from './undo.js';
import { messageOf } from '../errors.js';
import { inApplySpan, inStepSpan } from '../telemetry/index.js';

export { ApplyStopped, LeaseLost };

export type { ApplyDeps };

export async function applyRequest(deps: ApplyDeps, requestId: string): Promise<IntegrationRequest | null> {
  const claim = await claimRequest(deps, requestId);
  if (!claim.claimed) return claim.request;
  const keeper = new LeaseKeeper(deps, requestId);
  try {
    return await inApplySpan(claim.request, () => new ApplyRun(deps, claim.request, keeper.signal).run(claim.previous));
  } finally {
    keeper.stop();
  }
}

class ApplyRun {
  private request: IntegrationRequest;
  private readonly deadline: Date;

  constructor(
    private readonly deps: ApplyDeps,
    claimed: IntegrationRequest,
    private readonly signal: AbortSignal,
  ) {
    this.request = claimed;
    this.deadline = applyDeadline(claimed, deps.deadlineMinutes);
    this.begunBefore = claimed.apply?.step ?? null;
    this.begunItem = claimed.apply?.stepItem ?? undefined;
  }

  /** The step a stopped process had begun (taken over): its write may have reached ARM without its poller being stored. */
  private readonly begunBefore: ApplyStep | null;
  private readonly begunItem: string | undefined;

  private get id(): string {
    return this.request.id;
  }

  private remainingMs(): number {
    return this.deadline.getTime() - this.deps.clock().getTime();
  }

  async run(previous: { lease: Lease | null; state: string }): Promise<IntegrationRequest | null> {
    const { deps } = this;
    if (previous.state === 'applying') {
      const from = previous.lease && previous.lease.owner !== deps.owner ? ` from ${previous.lease.owner}` : '';
      await this.auditNote(`Taken over by ${deps.owner}${from}; resuming after step "${this.request.apply?.step ?? 'recheck'}".`, `takeover-${this.request.version}`);
      deps.logger.info('apply taken over', { requestId: this.id, from: previous.lease?.owner ?? null });
    }
    await this.report();
    try {
      if (this.remainingMs() <= 0) return await this.judgeAtDeadline();
      await this.carryOut();
      return await this.end('succeed', null);
    } catch (error) {
      return await this.handleFailure(error);
    }
  }

  private async carryOut(): Promise<void> {
    const { deps, request } = this;
    if (request.kind === 'newSubnet') {
      await this.createNewSubnet();
    } else if (!this.isDone('recheck')) {
      await inStepSpan('recheck', undefined, async () => {
        const fixes = await recheck(deps.arm, deps.eligibility, request);
        await this.finish('recheck', 'Eligibility re-checked: nothing has changed that blocks the request.', false, { plan: fixes });
      });
    }
    for (const fix of this.request.apply?.plan ?? this.request.fixes) {
      for (const step of fixSteps(fix)) await this.runStep(step);
    }
    await this.runStep(updateInstanceStepOf(this.request));
    if (this.request.kind === 'disconnect' && this.request.undo) await this.undoCreated();
  }

  /**
   * The one way a step runs: skipped when done; otherwise begun (stored), resumed from its stored poller or started,
   * and finished with its note, what it created, and whether it changed Azure.
   */
  private async runStep(planned: PlannedStep): Promise<void> {
    const { step, item } = planned;
    if (this.isDone(step, item)) return;
    await inStepSpan(step, item, async () => {
      const stored = this.storedPoller(step, item);
      if (!stored) await this.begin(step, item);
      const begun = this.begunBefore === step && this.begunItem === item;
      const result = await planned.run(this.deps.arm, stored, this.writeOptions(step, item), begun);
      const extra = result.created ? { created: this.createdWith(result.created.type, result.created.id) } : {};
      await this.finish(step, result.note, result.changed, extra, item);
    });
  }

  /**
   * disconnect: removes what the bot made for the instance (`request.undo`), and only that, once the instance has
   * left: the subnet it created (waiting while the instance's link remains), then its NSG; or the delegation it added.
   * What the plan keeps (the bot may not remove it) is not touched: its note says so.
   */
  private async undoCreated(): Promise<void> {
    const undo = this.request.undo;
    if (!undo) return;
    const instanceId = this.request.instance.id;
    for (const { step, id, item, what, keptBecause } of undoItems(undo)) {
      const target = { id, instanceId, fromRequestId: undo.fromRequestId, what, nsgId: undo.nsgAttachment?.nsgId, subnetId: this.request.instance.subnetResourceId };
      if (keptBecause === null) await this.runStep(undoStepOf(step, target, item));
      else if (!this.isDone(step, item)) await this.finish(step, keptNote(step, target, keptBecause).note, false, {}, item);
    }
  }

  /**
   * newSubnet: re-check (the proposal, or a new pick in the same VNet), then create the NSG and the subnet, each
   * a resumable long-running write, recording what was created for undo. The instance update follows in `carryOut`.
   */
  private async createNewSubnet(): Promise<void> {
    const { deps } = this;
    if (!this.isDone('recheck')) {
      await inStepSpan('recheck', undefined, async () => {
        const { proposal, note } = await recheckNewSubnet(deps.arm, deps.eligibility, this.request);
        await this.finish('recheck', note, false, { plan: [], proposal });
      });
    }
    const proposal = this.request.apply?.proposal;
    if (!proposal) throw new ArmWriteError('ProposalMissing', `Request ${this.id} has no subnet to create.`);
    const nsg = proposal.nsg;
    if ('create' in nsg) await this.runStep(createNsgStepOf({ nsgId: nsg.id, name: nsg.create, location: nsg.location, rules: nsg.rules }));
    const { subnetId, addressPrefix, vnetName, name, delegation } = proposal;
    await this.runStep(createSubnetStepOf({ subnetId, addressPrefix, nsgId: nsg.id, vnetName, name, delegation }));
  }

  private createdWith(type: CreatedResource['type'], id: string): CreatedResource[] {
    const created = this.request.apply?.created ?? [];
    return [...created.filter((c) => c.id.toLowerCase() !== id.toLowerCase()), { type, id, at: this.deps.clock().toISOString() }];
  }

  /** Past the deadline: done if the instance is on target now, failed otherwise. Sends nothing. */
  private async judgeAtDeadline(): Promise<IntegrationRequest | null> {
    let state = 'unknown';
    try {
      const { done, instance } = await onTarget(this.deps.arm, this.request);
      if (done) {
        await this.finish('updateInstance', `${updateNote(this.request, 'already')} (found so when the deadline passed)`, false);
        return await this.end('succeed', null);
      }
      state = `${instance.virtualNetworkType}${instance.subnetResourceId ? ` on ${subnetLabel(instance.subnetResourceId)}` : ''}, provisioning state ${instance.provisioningState}`;
    } catch (error) {
      state = `unreadable (${armFailureOf(error).code})`;
    }
    return this.end('fail', this.deadlineFailure(`The instance is ${state}.`));
  }

  private deadlineFailure(message: string): ApplyFailure {
    return {
      code: 'ApplyDeadlineExceeded',
      message,
      explanation: `The change was not confirmed within ${this.deps.deadlineMinutes} minutes of ${this.request.waitsUntil ? 'the start of its change window' : 'the approval'} (APPLY_DEADLINE_MINUTES), so the bot stopped. An operation already running in Azure may still finish: say status ${this.request.instance.name}. Make a new request if it is still needed.`,
      leftBehind: leftBehind(this.request),
    };
  }

  private async handleFailure(error: unknown): Promise<IntegrationRequest | null> {
    const { deps } = this;
    const reason: unknown = this.signal.aborted ? this.signal.reason : error;
    if (reason instanceof LeaseLost || error instanceof LeaseLost) {
      deps.logger.warn('apply stopped: another process holds the request', { requestId: this.id });
      return deps.requests.get(this.id);
    }
    if (reason instanceof ApplyStopped) {
      await this.handBack();
      return deps.requests.get(this.id);
    }
    if (this.remainingMs() <= 0) {
      const failure = armFailureOf(error);
      return this.end('fail', this.deadlineFailure(`Still waiting when the deadline passed (${failure.code}: ${failure.message}).`));
    }
    const failure = failureOf(error);
    deps.logger.warn('apply failed', { requestId: this.id, step: this.request.apply?.step, code: failure.code });
    return this.end('fail', { ...failure, leftBehind: leftBehind(this.request) });
  }

  /** Shutting down: keep the progress (and poller), give up the lease so another process can resume at once. */
  private async handBack(): Promise<void> {
    try {
      await updateWithRetry(this.deps.requests, this.id, (r) => (holds(r, this.deps.owner) ? { ...r, lease: null } : null));
      this.deps.logger.info('apply handed back at shutdown', { requestId: this.id, step: this.request.apply?.step });
    } catch (error) {
      this.deps.logger.warn('could not hand back a lease at shutdown', { requestId: this.id, error: messageOf(error) });
    }
  }

  // ------------------------------------------------------------------------------------- stored progress

  /** `item`: which one of a step that runs once per item (DoneStep.item). */
  private isDone(step: ApplyStep, item?: string): boolean {
    return this.request.apply?.done.some((d) => d.step === step && d.item === item) ?? false;
  }

  private storedPoller(step: ApplyStep, item?: string): string | null {
    const apply = this.request.apply;
    return apply?.pollerStep === step && (apply.stepItem ?? undefined) === item && apply.pollerState ? apply.pollerState : null;
  }

  /** Stores a change of the apply progress, only while this process holds the lease. */
  private async change(mutate: (apply: ApplyProgress) => ApplyProgress): Promise<void> {
    const { request } = await updateWithRetry(this.deps.requests, this.id, (r) => {
      if (!holds(r, this.deps.owner) || r.state !== 'applying' || !r.apply) throw new LeaseLost(`Request ${this.id} is no longer this process's to apply.`);
      return { ...r, apply: mutate(r.apply), updatedAt: this.deps.clock().toISOString() };
    });
    if (!request) throw new Error(`Request ${this.id} disappeared while it was being applied.`);
    this.request = request;
  }

  private async begin(step: ApplyStep, item?: string): Promise<void> {
    await this.change((a) => ({ ...a, step, stepItem: item ?? null, pollerState: null, pollerStep: null }));
    await this.report();
  }

  private async finish(step: ApplyStep, note: string, changed: boolean, extra: Partial<ApplyProgress> = {}, item?: string): Promise<void> {
    const at = this.deps.clock().toISOString();
    const done = item === undefined ? { step, at, note, changed } : { step, item, at, note, changed };
    await this.change((a) => ({ ...a, ...extra, done: [...a.done, done], pollerState: null, pollerStep: null, stepItem: null }));
  }

  private writeOptions(step: ApplyStep, item?: string): WriteOptions {
    return {
      pollIntervalMs: this.deps.pollIntervalMs,
      timeoutMs: Math.max(1, this.remainingMs()),
      signal: this.signal,
      onAccepted: async (pollerState) => {
        // The audit line first: a process that dies after storing the poller must not leave the log without it.
        const operation = armOperationIdOf(pollerState);
        await this.auditNote(`ARM accepted the ${auditText(step)}${item ? ` (${item})` : ''}.`, `op-${step}-${operation ?? this.request.version}`, operation);
        // Then the poller, so a process that takes over polls this operation instead of writing again.
        await this.change((a) => ({ ...a, pollerState, pollerStep: step }));
      },
    };
  }

  private async end(event: 'succeed' | 'fail', failure: ApplyFailure | null): Promise<IntegrationRequest | null> {
    const { deps } = this;
    try {
      const { request } = await updateWithRetry(deps.requests, this.id, (r) => {
        if (!holds(r, deps.owner)) throw new LeaseLost(`Request ${this.id} is no longer this process's to apply.`);
        const why = failure ? `${failure.code}: ${failure.explanation}` : (r.apply?.done.at(-1)?.note ?? null);
        const moved = transition(r, event, { by: null, at: deps.clock(), why });
        if (!moved.ok || !r.apply) return null;
        const apply: ApplyProgress = failure ? { ...r.apply, failure } : { ...r.apply, step: 'done', pollerState: null, pollerStep: null };
        return { ...moved.request, apply, lease: null };
      });
      if (request) {
        this.request = request;
        await this.report();
      }
      return request;
    } catch (error) {
      if (!(error instanceof LeaseLost)) throw error;
      deps.logger.warn('apply ended elsewhere: another process holds the request', { requestId: this.id });
      return deps.requests.get(this.id);
    }
  }

  private async report(): Promise<void> {
    try {
      await this.deps.onChange(this.request);
    } catch (error) {
      this.deps.logger.warn('could not report request progress', { requestId: this.id, error: String(error) });
    }
  }

  private async auditNote(details: string, key: string, armOperationId: string | null = null): Promise<void> {
    try {
      await this.deps.audit.append([auditEvent(this.request, this.deps.clock(), details, { key, armOperationId })]);
    } catch (error) {
      this.deps.logger.error('could not append to the audit log', { requestId: this.id, error: messageOf(error) });
    }
  }
}
