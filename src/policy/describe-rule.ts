/** A policy rule in words, for the people who ask who decides: approvers, quorum, stages, self-approval, timing. Pure. */
import type { ApprovalRule, RuleScope } from './approval-policy.js';
import type { ChangeWindow } from './change-windows.js';

/** A person's display name by Entra object id, or the id itself when the bot knows no name. */
export type NameOf = (aadObjectId: string) => string;

export function scopeText(scope: RuleScope): string {
  switch (scope.kind) {
    case 'default':
      return 'every instance no other rule names';
    case 'instance':
      return `the instance ${scope.id.split('/').pop() ?? scope.id}`;
    case 'resourceGroup':
      return `instances in resource group ${scope.id.split('/').pop() ?? scope.id}`;
    case 'subscription':
      return `instances in subscription ${scope.id.split('/').pop() ?? scope.id}`;
    case 'tag':
      return `instances tagged ${scope.name}=${scope.value}`;
  }
}

export function listText(items: string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
}

const windowText = (w: ChangeWindow) => `${w.days.join(', ')} ${w.from}–${w.to} ${w.timeZone}`;

const hours = (h: number) => (h % 24 === 0 && h >= 48 ? `${h / 24} days` : `${h} hour${h === 1 ? '' : 's'}`);

/** One line per stage: who, how many of them, in which order. */
export function stageLines(rule: ApprovalRule, nameOf: NameOf): string[] {
  return rule.stages.map((stage, index) => {
    const who = [...stage.approvers.map(nameOf), ...(stage.groups ?? []).map((g) => `members of group ${g}`)];
    const count = stage.quorum === 1 ? (who.length === 1 ? 'approval of' : 'one approval from') : `${stage.quorum} approvals from`;
    const order = rule.stages.length > 1 ? `Stage ${index + 1} (${stage.name})${index > 0 ? ', after the stages before it' : ''}: ` : '';
    return `${order}${count} ${listText(who) || 'nobody (no approver is configured)'}.`;
  });
}

/** What else the rule says: self-approval, expiry, reminders, escalation, change windows. */
export function termsLines(rule: ApprovalRule, nameOf: NameOf): string[] {
  const { timing } = rule;
  const lines = [rule.allowSelfApproval ? 'An approver may approve their own request.' : 'Nobody approves their own request.'];
  const reminders = timing.remindAfterHours.map(hours);
  lines.push(`A request waits ${hours(timing.ttlHours)} for a decision${reminders.length > 0 ? `, with a reminder after ${listText(reminders)}` : ''}.`);
  if (timing.escalate) {
    const to = timing.escalate.to.kind === 'approvalsChannel' ? 'the approvals channel' : listText(timing.escalate.to.ids.map(nameOf));
    lines.push(`Undecided after ${hours(timing.escalate.afterHours)}, it is escalated to ${to}.`);
  }
  if (rule.windows && rule.windows.length > 0) lines.push(`Approved changes are applied only in the change windows ${listText(rule.windows.map(windowText))}.`);
  return lines;
}
