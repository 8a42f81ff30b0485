/**
 * What `disconnect` can undo: the NSG and subnet an earlier request of the bot created for the instance's current
 * subnet, or what it changed on an existing one (the delegation, the NSG association, the dependency rules); nothing
 * else. Of that, what the bot's identity may not remove is kept, and the approval card says so. Pure.
 */
import type { PrincipalAccess } from '../eligibility/facts.js';
import { hasAction } from '../eligibility/permissions.js';
import { nameFromId, sameResourceId, securityRuleIdParts } from '../eligibility/resource-id.js';
import { subnetLabel } from '../requests/labels.js';
import type { ApplyStep, IntegrationRequest, UndoKept, UndoPlan, UndoStep } from '../requests/request.js';
import { keptLine, undoAction, undoLine } from './steps.js';

/** The integrated subnet of a succeeded integrate/newSubnet request. */
function integratedSubnetOf(request: IntegrationRequest): string | null {
  if (request.kind === 'newSubnet') return request.apply?.proposal?.subnetId ?? request.subnetId;
  return request.kind === 'integrate' ? request.subnetId : null;
}

/**
 * From the instance's requests: the latest succeeded one that put the instance on `currentSubnetId`, and what it
 * created (or the delegation it added). Null when the bot made nothing there, or a later request already undid it.
 * What `bot` (the bot's own access) may not remove is kept (`UndoPlan.kept`), instead of failing when applied.
 */
export function undoPlanFor(requests: readonly IntegrationRequest[], currentSubnetId: string | null, bot: PrincipalAccess): UndoPlan | null {
  if (!currentSubnetId) return null;
  const succeeded = requests.filter((r) => r.state === 'succeeded').sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const source = succeeded.find((r) => r.kind !== 'disconnect' && sameResourceId(integratedSubnetOf(r), currentSubnetId));
  if (!source?.apply) return null;
  const apply = source.apply;
  const created = apply.created ?? [];
  const subnetId = created.find((c) => c.type === 'subnet' && sameResourceId(c.id, currentSubnetId))?.id ?? null;
  const nsgId = created.find((c) => c.type === 'networkSecurityGroup')?.id ?? null;
  const changed = (step: ApplyStep, item?: string) => apply.done.some((d) => d.step === step && d.item === item && d.changed === true);
  const plan = apply.plan ?? source.fixes;
  const delegated = subnetId === null && changed('addDelegation') ? currentSubnetId : null;
  const attach = plan.find((f) => f.kind === 'attachNsg');
  const nsgAttachment = subnetId === null && attach && changed('attachNsg') ? { subnetId: attach.subnetId, nsgId: attach.nsgId } : null;
  const dependencyRuleIds = plan.flatMap((f) =>
    f.kind === 'addDependencyRules' ? f.rules.filter((r) => changed('addDependencyRules', r.name)).map((r) => `${f.nsgId}/securityRules/${r.name}`) : [],
  );
  if (!subnetId && !nsgId && !delegated && !nsgAttachment && dependencyRuleIds.length === 0) return null;
  const made: UndoPlan = { fromRequestId: source.id, subnetId, nsgId, delegatedSubnetId: delegated, nsgAttachment, dependencyRuleIds };
  const kept = keptFor(made, bot);
  return kept.length > 0 ? { ...made, kept } : made;
}

/**
 * The parts of `undo` the bot may not remove: each step whose action its identity lacks on the step's resource, and
 * a created NSG that stays associated with a subnet the undo keeps (ARM refuses to delete an NSG in use).
 */
function keptFor(undo: UndoPlan, bot: PrincipalAccess): UndoKept[] {
  const kept: UndoKept[] = [];
  for (const { step, id } of allUndoItems(undo)) {
    const action = undoAction(step);
    if (!hasAction(bot, action, id)) {
      kept.push({ step, id, lacks: action });
      continue;
    }
    if (step !== 'deleteNsg') continue;
    const holder = kept.find(
      (k) => k.step === 'deleteSubnet' || (k.step === 'detachNsg' && sameResourceId(undo.nsgAttachment?.nsgId ?? null, id)),
    );
    if (holder) kept.push({ step, id, lacks: null, associatedWith: holder.id });
  }
  return kept;
}

/** One thing a disconnect removes: the step and resource, what it is (for progress notes) and the approval card's line. */
export interface UndoItem {
  step: UndoStep;
  id: string;
  /** The step's item in the stored progress (`DoneStep.item`): the rule's id for removeDependencyRule. */
  item?: string;
  what: string;
  plan: string;
}

/** Everything the bot made that a disconnect would remove, in order: the created subnet or the delegation, the NSG association, the created NSG, the rules. */
function allUndoItems(undo: UndoPlan): Omit<UndoItem, 'plan'>[] {
  const items: Omit<UndoItem, 'plan'>[] = [];
  if (undo.subnetId) items.push({ step: 'deleteSubnet', id: undo.subnetId, what: `subnet ${subnetLabel(undo.subnetId)}` });
  if (undo.delegatedSubnetId) {
    items.push({
      step: 'removeDelegation',
      id: undo.delegatedSubnetId,
      what: `the delegation to Microsoft.Web/serverFarms of subnet ${subnetLabel(undo.delegatedSubnetId)}`,
    });
  }
  if (undo.nsgAttachment) {
    const { subnetId, nsgId } = undo.nsgAttachment;
    items.push({ step: 'detachNsg', id: subnetId, what: `the association of network security group ${nameFromId(nsgId)} with subnet ${subnetLabel(subnetId)}` });
  }
  if (undo.nsgId) items.push({ step: 'deleteNsg', id: undo.nsgId, what: `network security group ${nameFromId(undo.nsgId)}` });
  for (const ruleId of undo.dependencyRuleIds ?? []) {
    const parts = securityRuleIdParts(ruleId);
    items.push({ step: 'removeDependencyRule', id: ruleId, item: ruleId, what: `rule ${parts?.ruleName ?? ruleId} of network security group ${nameFromId(parts?.nsgId)}` });
  }
  return items;
}

const keptEntry = (undo: UndoPlan, item: Pick<UndoItem, 'step' | 'id'>) => undo.kept?.find((k) => k.step === item.step && sameResourceId(k.id, item.id)) ?? null;

/** Why a part is left in place, for the card and the progress note. */
function keptReason(kept: UndoKept): string {
  if (kept.lacks) return `the bot's identity lacks ${kept.lacks}`;
  return `it stays associated with subnet ${subnetLabel(kept.associatedWith ?? null)}, which is left in place`;
}

/** One part of what the bot made, as a disconnect treats it: removed (`keptBecause` null) or left in place, and why. */
export interface UndoPart extends UndoItem {
  keptBecause: string | null;
  /** The action the bot's identity lacks for a part left in place; null otherwise (or when it stays with another kept part). */
  lacks: string | null;
}

/** Everything the bot made, in order, each removed or kept as the plan says; `plan` is the approval card's line for either. */
export function undoItems(undo: UndoPlan): UndoPart[] {
  const nsgId = undo.nsgAttachment?.nsgId;
  return allUndoItems(undo).map((item) => {
    const target = { id: item.id, fromRequestId: undo.fromRequestId, ...(nsgId ? { nsgId } : {}) };
    const kept = keptEntry(undo, item);
    if (!kept) return { ...item, keptBecause: null, lacks: null, plan: undoLine(item.step, target) };
    const reason = keptReason(kept);
    return { ...item, keptBecause: reason, lacks: kept.lacks, plan: keptLine(item.step, { ...target, what: item.what }, reason) };
  });
}

/** What a disconnect removes, in order (what the plan keeps left out): the created subnet or the delegation, the NSG association, the created NSG, the rules. */
export function undoSteps(undo: UndoPlan): UndoItem[] {
  return undoItems(undo).filter((part) => part.keptBecause === null);
}

/** What the disconnect leaves in place of what the bot made, in the same order, each with why (`UndoPlan.kept`). */
export function keptParts(undo: UndoPlan): UndoPart[] {
  return undoItems(undo).filter((part) => part.keptBecause !== null);
}
