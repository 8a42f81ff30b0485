/**
 * Retrying a failed request. Pure: who may retry, and whether the retry keeps the failed request's approval.
 *
 * Only its requester may retry a failed request, once (a second retry goes through the first one's id). The retry is
 * a new request from a fresh check; it keeps the approval only when its rule allows it (`retryApprovedWithinHours`),
 * the failed request was approved that recently, under the same rule, and the retry changes the same things or fewer:
 * the same kind, instance and subnet, and no fix (or part of an undo) the approvers did not see.
 */
import type { PlannedFix } from '../eligibility/report.js';
import { sameResourceId } from '../eligibility/resource-id.js';
import { describeState, lastEntryInto } from './lifecycle.js';
import { isSamePerson } from './people.js';
import type { ApprovalPlan, IntegrationRequest, Person, RequestKind, UndoPlan } from './request.js';

/** Why `person` may not retry `failed`; null when they may. `retry`: the request that already retries it, if stored. */
export function retryRefusal(failed: IntegrationRequest, person: Person, retry: IntegrationRequest | null): string | null {
  if (!isSamePerson(failed.requester, person)) return `Only ${failed.requester.name || 'the requester'}, who made request ${failed.id}, can retry it. Nothing changed.`;
  if (failed.state !== 'failed') return `Request ${failed.id} is ${describeState(failed.state)}; only a failed request can be retried. Nothing changed.`;
  if (retry) return `Request ${failed.id} was already retried as ${retry.id} (${describeState(retry.state)}). Say status ${retry.id}${retry.state === 'failed' ? ` or retry ${retry.id}` : ''}.`;
  return null;
}

/** What a retry asks for, as its fresh check found it. */
export interface RetryDraft {
  kind: RequestKind;
  instanceId: string;
  subnetId: string | null;
  fixes: PlannedFix[];
  undo?: UndoPlan | null;
}

/**
 * The plan of a retry that keeps the failed request's approvals, or null when it needs approving again. `fresh`: the
 * plan of the rule the retry falls under now.
 */
export function keptApproval(failed: IntegrationRequest, draft: RetryDraft, fresh: ApprovalPlan, now: Date): ApprovalPlan | null {
  const hours = fresh.retryApprovedWithinHours;
  const approved = lastEntryInto(failed, 'approved');
  const old = failed.approval;
  if (!hours || !approved || !old || old.rule !== fresh.rule) return null;
  if (now.getTime() - Date.parse(approved.at) > hours * 3_600_000) return null;
  if (draft.kind !== failed.kind || !sameResourceId(draft.instanceId, failed.instance.id)) return null;
  if ((draft.subnetId !== null || failed.subnetId !== null) && !sameResourceId(draft.subnetId, failed.subnetId)) return null;
  const seen = new Set([...failed.fixes.flatMap(changesOfFix), ...undoChanges(failed.undo)]);
  const asked = [...draft.fixes.flatMap(changesOfFix), ...undoChanges(draft.undo)];
  if (!asked.every((change) => seen.has(change))) return null;
  return { ...fresh, approvals: old.approvals.map((a) => ({ ...a })) };
}

/** Why the retry keeps the approval, for its history. */
export function keptApprovalNote(failed: IntegrationRequest, names: string[], hours: number): string {
  return `Retry of ${failed.id}: its approved plan (approved by ${names.join(', ') || 'its approvers'}) is retried within ${hours} hours of the approval, so it is not approved again.`;
}

/** Each change a fix makes, as a comparable key (one per rule for the dependency rules). */
export function changesOfFix(fix: PlannedFix): string[] {
  switch (fix.kind) {
    case 'registerProvider':
      return [`registerProvider:${fix.subscriptionId}:${fix.namespace}`.toLowerCase()];
    case 'createNsg':
      return [`createNsg:${fix.nsgId}`.toLowerCase(), ...fix.rules.map((r) => `rule:${fix.nsgId}:${r.name}`.toLowerCase())];
    case 'attachNsg':
      return [`attachNsg:${fix.subnetId}:${fix.nsgId}`.toLowerCase()];
    case 'addDependencyRules':
      return fix.rules.map((r) => `rule:${fix.nsgId}:${r.name}`.toLowerCase());
    case 'addDelegation':
      return [`addDelegation:${fix.subnetId}:${fix.serviceName}`.toLowerCase()];
  }
}

function undoChanges(undo: UndoPlan | null | undefined): string[] {
  if (!undo) return [];
  const parts = [
    undo.subnetId ? `deleteSubnet:${undo.subnetId}` : null,
    undo.nsgId ? `deleteNsg:${undo.nsgId}` : null,
    undo.delegatedSubnetId ? `removeDelegation:${undo.delegatedSubnetId}` : null,
    undo.nsgAttachment ? `detachNsg:${undo.nsgAttachment.subnetId}:${undo.nsgAttachment.nsgId}` : null,
    ...(undo.dependencyRuleIds ?? []).map((id) => `removeRule:${id}`),
  ];
  return parts.filter((p): p is string => p !== null).map((p) => p.toLowerCase());
}
