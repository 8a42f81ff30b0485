/**
 * Carries out an approved request: re-check eligibility, make the fixes, update the instance.
 *
 * Exactly once: a process first claims the request with a compare-and-set that takes its lease (and moves it
 * from approved to applying); only the lease holder works on it, renews the lease while it works, and every
 * write it stores checks that the lease is still its own. A process that finds the lease expired (or, on a
 * store only it uses, held by a process that is gone) takes the request over and resumes it from what is
 * stored: finished steps are skipped, a stored poller is polled to its end without sending the write again,
 * and the live instance is judged before any new write. Nothing stays approved or applying past the deadline
 * (APPLY_DEADLINE_MINUTES after the approval).
 */
import {
  addSecurityRule,
  addServerFarmsDelegation,
  armOperationIdOf,
  ArmWriteError,
  attachNsg,
  createNsg,
  createSubnet,
  deleteCreatedNsg,
  deleteCreatedSubnet,
  detachNsg,
  removeSecurityRule,
  removeServerFarmsDelegation,
  resumeSecurityRule,
  resumeSubnetWrite,
  resumeUndo,
  type UndoOutcome,
  resumeNsgCreation,
  resumeSubnetCreation,
  instanceOnTarget,
  registerWebProvider,
  resumeInstanceUpdate,
  splitRuleId,
  updateInstanceNetwork,
  type NetworkTarget,
  type UpdateOutcome,
  type WriteOptions,
} from '../azure/apply.js';
import type { ArmClients } from '../azure/arm-clients.js';
import { armFailureOf, type ArmFailure } from '../azure/arm-errors.js';
import type { EligibilitySettings } from '../eligibility/facts.js';
import { ruleSpecText } from '../eligibility/dependency-allow-rules.js';
import type { SecurityRuleSpec } from '../eligibility/security-rules.js';
import type { Finding, PlannedFix } from '../eligibility/report.js';
import { CodedError } from '../errors.js';
import type { Logger } from '../log.js';
import { ApplyStopped, claimRequest, LeaseKeeper, LeaseLost } from './apply-claim.js';
import { ApplyRefused, recheck, recheckNewSubnet, RecheckRefused } from './apply-recheck.js';
import { auditEvent } from './audit.js';
import { explainArmCode } from './explain-failure.js';
import { subnetLabel } from './labels.js';
import { holds } from './lease.js';
import { leftBehind } from './leftovers.js';
import { applyDeadline, transition } from './lifecycle.js';
import type { ApplyFailure, ApplyProgress, ApplyStep, CreatedResource, IntegrationRequest, Lease, UndoPlan, UndoStep } from './request.js';
import { undoSteps } from './undo.js';
import { type AuditLog, type RequestStore, updateWithRetry } from './store/index.js';
import { nameFromId } from '../eligibility/resource-id.js';

export { ApplyStopped, LeaseLost };

export interface ApplyDeps {
  arm: ArmClients;
  requests: RequestStore;
  audit: AuditLog;
  eligibility: EligibilitySettings;
  pollIntervalMs: number;
  clock: () => Date;
  logger: Logger;
  /** This process, as lease owner. */
  owner: string;
  leaseSeconds: number;
  /** The store has one process only (the file store): a lease held by another owner is a dead process's. */
  exclusiveStore: boolean;
  deadlineMinutes: number;
  /** Aborted when the process shuts down: the work stops and the lease is handed back for another process. */
  signal?: AbortSignal;
  /** Called after every stored change with the stored request (to update cards); its failures are logged, not fatal. */
  onChange: (request: IntegrationRequest) => Promise<void>;
}

export async function applyRequest(deps: ApplyDeps, requestId: string): Promise<IntegrationRequest | null> {
  const claim = await claimRequest(deps, requestId);
  if (!claim.claimed) return claim.request;
  const keeper = new LeaseKeeper(deps, requestId);
  try {
    return await new ApplyRun(deps, claim.request, keeper.signal).run(claim.previous);
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
    const { deps } = this;
    if (this.request.kind === 'newSubnet') {
      await this.createNewSubnet();
    }
    let plan = this.request.apply?.plan ?? null;
    if (!this.isDone('recheck') && this.request.kind !== 'newSubnet') {
      const fixes = await recheck(deps.arm, deps.eligibility, this.request);
      await this.finish('recheck', 'Eligibility re-checked: nothing has changed that blocks the request.', false, { plan: fixes });
      plan = fixes;
    }
    for (const fix of plan ?? this.request.fixes) {
      if (fix.kind === 'addDependencyRules') {
        for (const rule of fix.rules) await this.addDependencyRule(fix.nsgId, rule);
        continue;
      }
      if (this.isDone(fix.kind)) continue;
      const stored = this.storedPoller(fix.kind);
      if (!stored) await this.begin(fix.kind);
      const done = await this.runFix(fix, stored);
      // Found done in a step the stopped process had begun: its write is what did it (the re-check needed the fix),
      // so it counts as this request's change, for undo.
      const changed = done.changed || this.begunBefore === fix.kind;
      const note = done.changed || !changed ? done.note : `${done.note} (done by the write sent before a restart)`;
      await this.finish(fix.kind, note, changed, fix.kind === 'createNsg' ? { created: this.createdWith('networkSecurityGroup', fix.nsgId) } : {});
    }
    if (!this.isDone('updateInstance')) {
      const target = targetOf(this.request);
      const stored = this.storedPoller('updateInstance');
      if (!stored) await this.begin('updateInstance');
      const options = this.writeOptions('updateInstance');
      const { outcome } = stored
        ? await resumeInstanceUpdate(deps.arm, this.request.instance.id, target, stored, options)
        : await updateInstanceNetwork(deps.arm, this.request.instance.id, target, options);
      await this.finish('updateInstance', updateNote(this.request, outcome), outcome === 'updated' || outcome === 'resumed');
    }
    if (this.request.kind === 'disconnect' && this.request.undo) await this.undoCreated();
  }

  /** One rule of an addDependencyRules fix: a step of its own in the stored progress, by the rule's name. */
  private async addDependencyRule(nsgId: string, rule: SecurityRuleSpec): Promise<void> {
    const step = 'addDependencyRules';
    const item = rule.name;
    if (this.isDone(step, item)) return;
    const stored = this.storedPoller(step, item);
    if (!stored) await this.begin(step, item);
    const options = this.writeOptions(step, item);
    const outcome = stored ? await resumeSecurityRule(this.deps.arm, nsgId, rule, stored, options) : await addSecurityRule(this.deps.arm, nsgId, rule, options);
    const what = `${ruleSpecText(rule)} of network security group ${nameFromId(nsgId)}`;
    const begun = this.begunBefore === step && this.begunItem === item;
    const changed = outcome === 'added' || begun;
    const note = outcome === 'added' ? `Added ${what}.` : begun ? `Added ${what} (by the write sent before a restart).` : `The ${what} was already there.`;
    await this.finish(step, note, changed, {}, item);
  }

  /**
   * disconnect: removes what the bot made for the instance (`request.undo`), and only that, once the instance has
   * left: the subnet it created (waiting while the instance's link remains), then its NSG; or the delegation it added.
   */
  private async undoCreated(): Promise<void> {
    const undo = this.request.undo;
    if (!undo) return;
    const instanceId = this.request.instance.id;
    for (const { step, id, item, what } of undoSteps(undo)) {
      if (this.isDone(step, item)) continue;
      const stored = this.storedPoller(step, item);
      if (!stored) await this.begin(step, item);
      const options = this.writeOptions(step, item);
      let outcome: UndoOutcome | null = stored ? await resumeUndo(this.deps.arm, step, id, stored, options) : null;
      if (outcome === null) outcome = await this.undoOne(step, id, instanceId, undo, options);
      const by = `made by the bot for ${undo.fromRequestId}`;
      const note =
        outcome === 'deleted'
          ? `Removed ${what} (${by}).`
          : outcome === 'gone'
            ? `${capitalize(what)} (${by}) was already gone.`
            : `Left ${what} (${by}) in place: ${outcome.kept}.`;
      await this.finish(step, note, outcome === 'deleted', {}, item);
    }
  }

  private undoOne(step: UndoStep, id: string, instanceId: string, undo: UndoPlan, options: WriteOptions): Promise<UndoOutcome> {
    const { arm } = this.deps;
    switch (step) {
      case 'deleteSubnet':
        return deleteCreatedSubnet(arm, id, instanceId, options);
      case 'removeDelegation':
        return removeServerFarmsDelegation(arm, id, instanceId, options);
      case 'detachNsg':
        return undo.nsgAttachment ? detachNsg(arm, id, undo.nsgAttachment.nsgId, options) : Promise.resolve('gone');
      case 'deleteNsg':
        return deleteCreatedNsg(arm, id, options);
      case 'removeDependencyRule': {
        const [nsgId, ruleName] = splitRuleId(id);
        return removeSecurityRule(arm, nsgId, ruleName, this.request.instance.subnetResourceId, options);
      }
    }
  }

  /**
   * newSubnet: re-check (the proposal, or a new pick in the same VNet), then create the NSG and the subnet, each
   * a resumable long-running write, recording what was created for undo. The instance update follows in `carryOut`.
   */
  private async createNewSubnet(): Promise<void> {
    const { deps } = this;
    if (!this.isDone('recheck')) {
      const { proposal, note } = await recheckNewSubnet(deps.arm, deps.eligibility, this.request);
      await this.finish('recheck', note, false, { plan: [], proposal });
    }
    const proposal = this.request.apply?.proposal;
    if (!proposal) throw new ArmWriteError('ProposalMissing', `Request ${this.id} has no subnet to create.`);
    const nsg = proposal.nsg;
    if ('create' in nsg && !this.isDone('createNsg')) {
      const fix = { kind: 'createNsg' as const, nsgId: nsg.id, name: nsg.create, location: nsg.location, rules: nsg.rules };
      const stored = this.storedPoller('createNsg');
      if (!stored) await this.begin('createNsg');
      const { note } = await this.runFix(fix, stored);
      await this.finish('createNsg', note, true, { created: this.createdWith('networkSecurityGroup', nsg.id) });
    }
    if (!this.isDone('createSubnet')) {
      const spec = { subnetId: proposal.subnetId, addressPrefix: proposal.addressPrefix, nsgId: nsg.id };
      const stored = this.storedPoller('createSubnet');
      if (!stored) await this.begin('createSubnet');
      const options = this.writeOptions('createSubnet');
      const outcome = stored ? await resumeSubnetCreation(deps.arm, spec, stored, options) : await createSubnet(deps.arm, spec, options);
      const what = `subnet ${proposal.vnetName}/${proposal.name} (${proposal.addressPrefix}, delegated to ${proposal.delegation}, network security group ${nsg.id.split('/').pop() ?? nsg.id})`;
      const note = outcome === 'already' ? `The ${what} was already there (created before a restart).` : `Created ${what}.`;
      await this.finish('createSubnet', note, true, { created: this.createdWith('subnet', proposal.subnetId) });
    }
  }

  private createdWith(type: CreatedResource['type'], id: string): CreatedResource[] {
    const created = this.request.apply?.created ?? [];
    return [...created.filter((c) => c.id.toLowerCase() !== id.toLowerCase()), { type, id, at: this.deps.clock().toISOString() }];
  }

  private async runFix(fix: PlannedFix, storedPoller: string | null): Promise<{ note: string; changed: boolean }> {
    const { arm } = this.deps;
    const options = this.writeOptions(fix.kind);
    switch (fix.kind) {
      case 'registerProvider': {
        const outcome = await registerWebProvider(arm, fix.subscriptionId, options);
        return outcome === 'already'
          ? { note: 'Microsoft.Web was already registered.', changed: false }
          : { note: `Registered Microsoft.Web in subscription ${fix.subscriptionId}.`, changed: true };
      }
      case 'createNsg': {
        const spec = { id: fix.nsgId, location: fix.location, securityRules: fix.rules };
        const outcome = storedPoller ? await resumeNsgCreation(arm, spec, storedPoller, options) : await createNsg(arm, spec, options);
        const rules = fix.rules.length > 0 ? `with ${fix.rules.map(ruleSpecText).join(', ')}` : 'with no custom rules';
        return outcome === 'already'
          ? { note: `Network security group ${fix.name} was already there ${rules} (created before a restart).`, changed: true }
          : { note: `Created network security group ${fix.name} ${rules}.`, changed: true };
      }
      case 'attachNsg': {
        const write = () => attachNsg(arm, fix.subnetId, fix.nsgId, options);
        const outcome = storedPoller ? await resumeSubnetWrite(arm, fix.subnetId, storedPoller, options, write) : await write();
        const what = `network security group ${nameFromId(fix.nsgId)}`;
        return outcome === 'already'
          ? { note: `Subnet ${subnetLabel(fix.subnetId)} already had ${what}.`, changed: false }
          : { note: `Associated ${what} with subnet ${subnetLabel(fix.subnetId)}.`, changed: true };
      }
      case 'addDependencyRules':
        throw new Error('addDependencyRules runs rule by rule (addDependencyRule).');
      case 'addDelegation': {
        const write = () => addServerFarmsDelegation(arm, fix.subnetId, options);
        const outcome = storedPoller ? await resumeSubnetWrite(arm, fix.subnetId, storedPoller, options, write) : await write();
        return outcome === 'already'
          ? { note: `Subnet ${subnetLabel(fix.subnetId)} was already delegated to Microsoft.Web/serverFarms.`, changed: false }
          : { note: `Delegated subnet ${subnetLabel(fix.subnetId)} to Microsoft.Web/serverFarms.`, changed: true };
      }
    }
  }

  /** Past the deadline: done if the instance is on target now, failed otherwise. Sends nothing. */
  private async judgeAtDeadline(): Promise<IntegrationRequest | null> {
    const target = targetOf(this.request);
    let state = 'unknown';
    try {
      const { done, instance } = await instanceOnTarget(this.deps.arm, this.request.instance.id, target);
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
      explanation: `The change was not confirmed within ${this.deps.deadlineMinutes} minutes of the approval (APPLY_DEADLINE_MINUTES), so the bot stopped. An operation already running in Azure may still finish: say status ${this.request.instance.name}. Make a new request if it is still needed.`,
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
      this.deps.logger.warn('could not hand back a lease at shutdown', { requestId: this.id, error: error instanceof Error ? error.message : String(error) });
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
        await this.auditNote(`ARM accepted the ${WRITE_TEXT[step]}${item ? ` (${item})` : ''}.`, `op-${step}-${operation ?? this.request.version}`, operation);
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
      this.deps.logger.error('could not append to the audit log', { requestId: this.id, error: error instanceof Error ? error.message : String(error) });
    }
  }
}

const WRITE_TEXT: Record<ApplyStep, string> = {
  recheck: 're-check',
  registerProvider: 'registration of Microsoft.Web',
  addDelegation: 'subnet delegation (PUT subnet)',
  createNsg: 'creation of the network security group (PUT networkSecurityGroups)',
  attachNsg: 'association of the network security group (PUT subnet)',
  addDependencyRules: 'addition of a dependency rule (PUT securityRules)',
  detachNsg: 'removal of the network security group association the bot made (PUT subnet)',
  removeDependencyRule: 'removal of a dependency rule the bot added (DELETE securityRules)',
  createSubnet: 'creation of the subnet (PUT subnet)',
  deleteSubnet: 'deletion of the subnet the bot created (DELETE subnet)',
  deleteNsg: 'deletion of the network security group the bot created (DELETE networkSecurityGroups)',
  removeDelegation: 'removal of the delegation the bot added (PUT subnet)',
  updateInstance: 'instance update (PATCH service)',
  done: 'write',
};

function targetOf(request: IntegrationRequest): NetworkTarget {
  const subnetId = request.kind === 'newSubnet' ? (request.apply?.proposal?.subnetId ?? request.subnetId) : request.subnetId;
  return request.kind !== 'disconnect' && subnetId ? { type: 'External', subnetId } : { type: 'None' };
}

function updateNote(request: IntegrationRequest, outcome: UpdateOutcome): string {
  const target = targetOf(request);
  const what = target.type === 'External' ? `integrated with ${subnetLabel(target.subnetId)}` : 'out of its virtual network';
  if (outcome === 'already') return `${request.instance.name} was already ${what}.`;
  if (outcome === 'watched') return `${request.instance.name} is now ${what} (an update already in progress finished; nothing was sent twice).`;
  if (outcome === 'resumed') return `${request.instance.name} is now ${what} (the update sent before a restart finished; nothing was sent twice).`;
  return `${request.instance.name} is now ${what}.`;
}

/** ARM's code and message, or the finding that stopped the re-check, with a plain explanation. */
export function failureOf(error: unknown): ApplyFailure {
  if (error instanceof ApplyRefused) return { code: error.code, message: error.message, explanation: error.explanation };
  if (error instanceof RecheckRefused) {
    const f: Finding = error.finding;
    return { code: f.code, message: f.message, explanation: f.fix ?? 'The request no longer passes the checks. Check again and make a new request.' };
  }
  if (error instanceof ArmWriteError) return { code: error.code, message: error.message, explanation: explainArmCode(error.code) };
  if (error instanceof CodedError) {
    const arm = error.details.arm as ArmFailure | undefined;
    if (arm) return { code: arm.code, message: arm.message, explanation: explainArmCode(arm.code) };
    return { code: error.code, message: error.message, explanation: 'Check again and make a new request.' };
  }
  const arm = armFailureOf(error);
  return { code: arm.code, message: arm.message, explanation: explainArmCode(arm.code) };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
