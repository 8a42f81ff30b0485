/**
 * What `disconnect` can undo: the NSG and subnet an earlier request of the bot created for the instance's current
 * subnet, or what it changed on an existing one (the delegation, the NSG association, the Storage rule); nothing
 * else. Pure.
 */
import { sameResourceId } from '../eligibility/resource-id.js';
import type { ApplyStep, IntegrationRequest, UndoPlan } from './request.js';

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
  const changed = (step: ApplyStep) => apply.done.some((d) => d.step === step && d.changed === true);
  const plan = apply.plan ?? source.fixes;
  const delegated = subnetId === null && changed('addDelegation') ? currentSubnetId : null;
  const attach = plan.find((f) => f.kind === 'attachNsg');
  const nsgAttachment = subnetId === null && attach && changed('attachNsg') ? { subnetId: attach.subnetId, nsgId: attach.nsgId } : null;
  const rule = plan.find((f) => f.kind === 'addStorageRule');
  const storageRuleId = rule && changed('addStorageRule') ? `${rule.nsgId}/securityRules/${rule.rule.name}` : null;
  if (!subnetId && !nsgId && !delegated && !nsgAttachment && !storageRuleId) return null;
  return { fromRequestId: source.id, subnetId, nsgId, delegatedSubnetId: delegated, nsgAttachment, storageRuleId };
}
