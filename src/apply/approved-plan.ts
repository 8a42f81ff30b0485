/**
 * What the bot may do when it applies a request: the fixes the fresh re-check still finds needed, but only those
 * the approver saw (same kind, same resources). A fix the approver did not see stops the apply. Pure.
 */
import { fixLine } from './steps.js';
import type { PlannedFix } from '../eligibility/report.js';
import { orderFixes } from '../eligibility/ranking.js';

/**
 * The resources a fix acts on, compared the way ARM compares ids (a new rule's priority may differ); for rules, the
 * tags they open too, so a rule for a dependency the approver did not see is never written in its place.
 */
export function fixTarget(fix: PlannedFix): string {
  switch (fix.kind) {
    case 'registerProvider':
      return `registerProvider:${fix.subscriptionId}`.toLowerCase();
    case 'createNsg':
      return `createNsg:${fix.nsgId}`.toLowerCase();
    case 'attachNsg':
      return `attachNsg:${fix.subnetId}>${fix.nsgId}`.toLowerCase();
    case 'addDependencyRules':
      return `addDependencyRules:${fix.nsgId}>${fix.rules.map((r) => r.destinationAddressPrefix).sort().join(',')}`.toLowerCase();
    case 'addDelegation':
      return `addDelegation:${fix.subnetId}`.toLowerCase();
  }
}

export type ApprovedPlan = { ok: true; plan: PlannedFix[] } | { ok: false; unapproved: PlannedFix; text: string };

/**
 * `required`: the fixes the re-check finds needed; `optional`: those it offers. Approved optional fixes join the
 * plan; a required fix the approver did not see refuses it. Fixes no longer needed are dropped.
 */
export function approvedPlan(approved: readonly PlannedFix[], required: readonly PlannedFix[], optional: readonly PlannedFix[]): ApprovedPlan {
  const seen = new Set(approved.map(fixTarget));
  const unapproved = required.find((fix) => !seen.has(fixTarget(fix)));
  if (unapproved) return { ok: false, unapproved, text: fixLine(unapproved) };
  return { ok: true, plan: orderFixes([...required, ...optional.filter((fix) => seen.has(fixTarget(fix)))]) };
}
