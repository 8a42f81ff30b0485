/**
 * The approval policy: who decides a request, how many approvals it needs, in which stages. Pure: a parsed
 * document in, a policy (or one line per problem) out; the rule for an instance, most specific scope first.
 *
 * {
 *   "default": { "approvers": ["<object id>", ...], "quorum": 1, "allowSelfApproval": false },
 *   "rules": [
 *     { "name": "payments", "match": { "resourceGroup": "/subscriptions/<id>/resourceGroups/rg-payments" },
 *       "stages": [ { "name": "network team", "approvers": [...] }, { "name": "owners", "approvers": [...], "quorum": 2 } ] }
 *   ]
 * }
 *
 * A rule may also set its timing: `ttlHours` (a pending request expires; default REQUEST_TTL_HOURS),
 * `remindAfterHours` (one time or a list; default halfway to expiry) and `escalate` ({ "afterHours", "to": [object ids]
 * or "approvalsChannel" }: the people become approvers of the stage that waits).
 *
 * A rule has either `approvers` (with an optional `quorum`: one stage) or `stages`. A stage (or a one-stage rule)
 * may name `groups`, Entra group object ids whose (transitive) members approve beside its `approvers`; it needs at
 * least one of the two. `match` names one scope:
 * `instance` (a resource id), `resourceGroup` (its id), `subscription` (its id) or `tag` ({ "name", "value" } on
 * the instance); an instance id beats a tag, a tag a resource group, a resource group a subscription. A rule may
 * name `windows` (see change-windows.ts): its approved requests are applied only inside one of them, and
 * `retryApprovedWithinHours`: a failed request retried that soon after its approval keeps the approval (requests/retry.ts).
 */
import type { ChangeWindow } from './change-windows.js';

export interface ApprovalStage {
  name: string;
  /** Entra object ids of the people who may approve in this stage. */
  approvers: string[];
  /**
   * Entra group object ids: their members, directly or through nested groups, approve in this stage too. Absent
   * for a stage without groups (and in records stored before groups existed).
   */
  groups?: string[];
  /** Distinct approvals this stage needs. */
  quorum: number;
}

export type RuleScope =
  | { kind: 'default' }
  | { kind: 'subscription'; id: string }
  | { kind: 'resourceGroup'; id: string }
  | { kind: 'tag'; name: string; value: string }
  | { kind: 'instance'; id: string };

export type EscalationTarget = { kind: 'people'; ids: string[] } | { kind: 'approvalsChannel' };

export interface Escalation {
  /** Hours after the request was made. */
  afterHours: number;
  to: EscalationTarget;
}

/** When a pending request is reminded of, escalated and expires, in hours after it was made. */
export interface RuleTiming {
  ttlHours: number;
  /** Ascending, each before `ttlHours`. */
  remindAfterHours: number[];
  escalate: Escalation | null;
}

export interface ApprovalRule {
  name: string;
  scope: RuleScope;
  /** In order: a stage's approvals are collected only once the stages before it are complete. */
  stages: ApprovalStage[];
  allowSelfApproval: boolean;
  timing: RuleTiming;
  /** When its approved requests may be applied; absent: at any time. */
  windows?: ChangeWindow[];
  /** A failed request retried within this many hours of its approval keeps it (same change or less); absent: approved again. */
  retryApprovedWithinHours?: number;
}

/** What a rule gets when it does not say: REQUEST_TTL_HOURS. */
export interface PolicyDefaults {
  ttlHours: number;
}

export interface ApprovalPolicy {
  /** The rule for instances no other rule matches. */
  default: ApprovalRule;
  rules: ApprovalRule[];
}

/** What the policy needs to know of an instance to pick its rule. */
export interface PolicySubject {
  id: string;
  tags?: Record<string, string>;
}

/** The timing of a rule that names none: expiry after `ttlHours`, one reminder halfway, no escalation. */
export function defaultTiming(ttlHours: number): RuleTiming {
  return { ttlHours, remindAfterHours: [ttlHours / 2], escalate: null };
}

/** The flat settings (APPROVER_IDS, ALLOW_SELF_APPROVAL) as the simplest policy: one stage, one approval. */
export function flatPolicy(approverIds: readonly string[], allowSelfApproval: boolean, ttlHours = DEFAULT_TTL_HOURS): ApprovalPolicy {
  return {
    default: {
      name: 'default',
      scope: { kind: 'default' },
      stages: [{ name: 'approvers', approvers: [...approverIds], quorum: 1 }],
      allowSelfApproval,
      timing: defaultTiming(ttlHours),
    },
    rules: [],
  };
}

/** REQUEST_TTL_HOURS's default. */
export const DEFAULT_TTL_HOURS = 168;

const SPECIFICITY: Record<RuleScope['kind'], number> = { default: 0, subscription: 1, resourceGroup: 2, tag: 3, instance: 4 };

/** The rule that decides requests on this instance: the most specific matching scope, else the default. */
export function ruleFor(policy: ApprovalPolicy, subject: PolicySubject): ApprovalRule {
  let best = policy.default;
  for (const rule of policy.rules) {
    if (matches(rule.scope, subject) && SPECIFICITY[rule.scope.kind] > SPECIFICITY[best.scope.kind]) best = rule;
  }
  return best;
}

function matches(scope: RuleScope, subject: PolicySubject): boolean {
  const id = subject.id.toLowerCase();
  switch (scope.kind) {
    case 'default':
      return true;
    case 'instance':
      return id === scope.id.toLowerCase();
    case 'subscription':
    case 'resourceGroup':
      return id.startsWith(`${scope.id.toLowerCase()}/`);
    case 'tag': {
      const entry = Object.entries(subject.tags ?? {}).find(([name]) => name.toLowerCase() === scope.name.toLowerCase());
      return entry !== undefined && entry[1] === scope.value;
    }
  }
}

/** Everyone who approves in any stage of any rule (for reading requests and choosing the approvals channel). */
export function allApprovers(policy: ApprovalPolicy): string[] {
  const ids = new Map<string, string>();
  for (const rule of [policy.default, ...policy.rules]) {
    for (const stage of rule.stages) for (const id of stage.approvers) ids.set(id.toLowerCase(), id);
  }
  return [...ids.values()];
}

/** Every approver group of any stage of any rule, once (for choosing the approvals channel). */
export function allApproverGroups(policy: ApprovalPolicy): string[] {
  const ids = new Map<string, string>();
  for (const rule of [policy.default, ...policy.rules]) {
    for (const stage of rule.stages) for (const id of stage.groups ?? []) ids.set(id.toLowerCase(), id);
  }
  return [...ids.values()];
}
