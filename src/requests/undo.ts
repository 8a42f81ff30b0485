/**
 * What `disconnect` can undo: the NSG and subnet an earlier request of the bot created for the instance's current
 * subnet, or what it changed on an existing one (the delegation, the NSG association, the dependency rules); nothing
 * else. Pure.
 */
import { nameFromId, sameResourceId } from '../eligibility/resource-id.js';
import { securityRuleIdParts } from '../eligibility/resource-id.js';
import { subnetLabel } from './labels.js';
import type { ApplyStep, IntegrationRequest, UndoPlan, UndoStep } from './request.js';

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
  const created = `created by the bot for ${undo.fromRequestId}`;
  const added = `added by the bot for ${undo.fromRequestId}`;
  const items: UndoItem[] = [];
  if (undo.subnetId) {
    const subnet = subnetLabel(undo.subnetId);
    items.push({ step: 'deleteSubnet', id: undo.subnetId, what: `subnet ${subnet}`, plan: `Delete subnet ${subnet} (${created}), once the instance no longer uses it.` });
  }
  if (undo.delegatedSubnetId) {
    const subnet = subnetLabel(undo.delegatedSubnetId);
    items.push({
      step: 'removeDelegation',
      id: undo.delegatedSubnetId,
      what: `the delegation to Microsoft.Web/serverFarms of subnet ${subnet}`,
      plan: `Remove the delegation to Microsoft.Web/serverFarms from subnet ${subnet} (${added}), once the instance no longer uses it.`,
    });
  }
  if (undo.nsgAttachment) {
    const subnet = subnetLabel(undo.nsgAttachment.subnetId);
    const nsg = nameFromId(undo.nsgAttachment.nsgId);
    items.push({
      step: 'detachNsg',
      id: undo.nsgAttachment.subnetId,
      what: `the association of network security group ${nsg} with subnet ${subnet}`,
      plan: `Remove network security group ${nsg} from subnet ${subnet} (associated by the bot for ${undo.fromRequestId}).`,
    });
  }
  if (undo.nsgId) {
    const nsg = nameFromId(undo.nsgId);
    items.push({ step: 'deleteNsg', id: undo.nsgId, what: `network security group ${nsg}`, plan: `Delete network security group ${nsg} (${created}).` });
  }
  for (const ruleId of undo.dependencyRuleIds ?? []) {
    const parts = securityRuleIdParts(ruleId);
    const rule = parts?.ruleName ?? ruleId;
    const nsg = nameFromId(parts?.nsgId);
    items.push({
      step: 'removeDependencyRule',
      id: ruleId,
      item: ruleId,
      what: `rule ${rule} of network security group ${nsg}`,
      plan: `Delete rule ${rule} from network security group ${nsg} (${added}), unless the NSG serves other subnets by then.`,
    });
  }
  return items;
}
