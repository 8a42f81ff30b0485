/**
 * What `disconnect` can undo: the NSG and subnet an earlier request of the bot created for the instance's current
 * subnet, or what it changed on an existing one (the delegation, the NSG association, the dependency rules); nothing
 * else. Pure.
 */
import { nameFromId, sameResourceId, securityRuleIdParts } from '../eligibility/resource-id.js';
import { subnetLabel } from '../requests/labels.js';
import type { ApplyStep, IntegrationRequest, UndoPlan, UndoStep } from '../requests/request.js';
import { undoLine } from './steps.js';

/** The integrated subnet of a succeeded integrate/newSubnet request. */
function integratedSubnetOf(request: IntegrationRequest): string | null {
  if (request.kind === 'newSubnet') return request.apply?.proposal?.subnetId ?? request.subnetId;
  return request.kind === 'integrate' ? request.subnetId : null;
}

/**
 * From the instance's requests: the latest succeeded one that put the instance on `currentSubnetId`, and what it
 * created (or the delegation it added). Null when the bot made nothing there, or a later request already undid it.
 */
export function undoPlanFor(requests: readonly IntegrationRequest[], currentSubnetId: string | null): UndoPlan | null {
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
  return { fromRequestId: source.id, subnetId, nsgId, delegatedSubnetId: delegated, nsgAttachment, dependencyRuleIds };
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

/** What a disconnect removes, in order: the created subnet or the delegation, the NSG association, the created NSG, the rules. */
export function undoSteps(undo: UndoPlan): UndoItem[] {
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
  const nsgId = undo.nsgAttachment?.nsgId;
  return items.map((item) => ({ ...item, plan: undoLine(item.step, { id: item.id, fromRequestId: undo.fromRequestId, ...(nsgId ? { nsgId } : {}) }) }));
}
