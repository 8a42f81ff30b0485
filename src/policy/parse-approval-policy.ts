/**
 * Reading an APPROVAL_POLICY document (parsed YAML or JSON) into a policy. Pure: every problem is one line that
 * names where it is (the format is described in approval-policy.ts and the README).
 */
import { isGuid } from '../eligibility/resource-id.js';
import {
  DEFAULT_TTL_HOURS,
  type ApprovalPolicy,
  type ApprovalRule,
  type ApprovalStage,
  type Escalation,
  type EscalationTarget,
  type PolicyDefaults,
  type RuleScope,
  type RuleTiming,
} from './approval-policy.js';
import { parseWindows } from './change-windows.js';

export type PolicyParse = { ok: true; policy: ApprovalPolicy } | { ok: false; problems: string[] };

const POLICY_KEYS = ['default', 'rules'];
const RULE_KEYS = ['name', 'match', 'approvers', 'groups', 'quorum', 'stages', 'allowSelfApproval', 'ttlHours', 'remindAfterHours', 'escalate', 'windows', 'retryApprovedWithinHours'];
const ESCALATE_KEYS = ['afterHours', 'to'];
const STAGE_KEYS = ['name', 'approvers', 'groups', 'quorum'];
const MATCH_KEYS = ['instance', 'resourceGroup', 'subscription', 'tag'];

const SUBSCRIPTION_ID = /^\/subscriptions\/[0-9a-f-]{36}$/i;
const RESOURCE_GROUP_ID = /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+$/i;
const INSTANCE_ID = /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.ApiManagement\/service\/[^/]+$/i;

type Doc = Record<string, unknown>;

const isObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads a policy document (parsed JSON); every problem is one line naming where it is. */
export function parseApprovalPolicy(document: unknown, defaults: PolicyDefaults = { ttlHours: DEFAULT_TTL_HOURS }): PolicyParse {
  const problems: string[] = [];
  if (!isObject(document)) return { ok: false, problems: ['the policy must be an object with "default" and optional "rules"'] };
  unknownKeys(document, POLICY_KEYS, 'the policy', problems);
  const fallback = isObject(document.default) ? parseRule(document.default, 'default', problems, true, defaults) : null;
  if (!isObject(document.default)) problems.push('default: required, an object with "approvers" (or "stages")');
  const rules: ApprovalRule[] = [];
  if (document.rules !== undefined && !Array.isArray(document.rules)) problems.push('rules: must be a list');
  for (const [i, raw] of (Array.isArray(document.rules) ? document.rules : []).entries()) {
    if (!isObject(raw)) {
      problems.push(`rules[${i}]: must be an object`);
      continue;
    }
    const rule = parseRule(raw, `rules[${i}]`, problems, false, defaults);
    if (rule) rules.push(rule);
  }
  overlapping(rules, problems);
  if (problems.length > 0 || !fallback) return { ok: false, problems };
  return { ok: true, policy: { default: fallback, rules } };
}

function parseRule(raw: Doc, where: string, problems: string[], isDefault: boolean, defaults: PolicyDefaults): ApprovalRule | null {
  const before = problems.length;
  unknownKeys(raw, isDefault ? RULE_KEYS.filter((k) => k !== 'match') : RULE_KEYS, where, problems);
  const name = raw.name === undefined ? (isDefault ? 'default' : where) : raw.name;
  if (typeof name !== 'string' || name.trim() === '') problems.push(`${where}.name: must be a non-empty string`);
  const scope: RuleScope | null = isDefault ? { kind: 'default' } : parseMatch(raw.match, `${where}.match`, problems);
  let stages: ApprovalStage[] = [];
  if (raw.stages !== undefined && (raw.approvers !== undefined || raw.groups !== undefined || raw.quorum !== undefined)) {
    problems.push(`${where}: give either "approvers" (and "quorum") or "stages", not both (with stages, "groups" go in each stage)`);
  } else if (raw.stages !== undefined) {
    if (!Array.isArray(raw.stages) || raw.stages.length === 0) problems.push(`${where}.stages: must be a non-empty list`);
    else {
      raw.stages.forEach((stage, i) => {
        const at = `${where}.stages[${i}]`;
        if (!isObject(stage)) problems.push(`${at}: must be an object with "approvers"`);
        else {
          unknownKeys(stage, STAGE_KEYS, at, problems);
          const parsed = parseStage(stage, at, typeof stage.name === 'string' ? stage.name : `stage ${i + 1}`, problems);
          if (parsed) stages.push(parsed);
        }
      });
    }
  } else {
    const parsed = parseStage(raw, where, 'approvers', problems);
    stages = parsed ? [parsed] : [];
  }
  const allowSelfApproval = raw.allowSelfApproval ?? false;
  if (typeof allowSelfApproval !== 'boolean') problems.push(`${where}.allowSelfApproval: must be true or false`);
  const timing = parseTiming(raw, where, problems, defaults);
  const windows = raw.windows === undefined ? null : parseWindows(raw.windows, `${where}.windows`, problems);
  const retryHours = raw.retryApprovedWithinHours;
  if (retryHours !== undefined && !isHours(retryHours)) problems.push(`${where}.retryApprovedWithinHours: must be a number of hours above 0`);
  if (problems.length > before || !scope || !timing) return null;
  return {
    name: String(name),
    scope,
    stages,
    allowSelfApproval: allowSelfApproval === true,
    timing,
    ...(windows ? { windows } : {}),
    ...(isHours(retryHours) ? { retryApprovedWithinHours: retryHours } : {}),
  };
}

const isHours = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

function parseTiming(raw: Doc, where: string, problems: string[], defaults: PolicyDefaults): RuleTiming | null {
  const before = problems.length;
  const ttlHours = raw.ttlHours ?? defaults.ttlHours;
  if (!isHours(ttlHours)) problems.push(`${where}.ttlHours: must be a number of hours above 0`);
  const ttl = isHours(ttlHours) ? ttlHours : defaults.ttlHours;
  const given = raw.remindAfterHours;
  const reminders = given === undefined ? [ttl / 2] : Array.isArray(given) ? given : [given];
  reminders.forEach((hours, i) => {
    const at = Array.isArray(given) ? `${where}.remindAfterHours[${i}]` : `${where}.remindAfterHours`;
    if (!isHours(hours)) problems.push(`${at}: must be a number of hours above 0`);
    else if (hours >= ttl) problems.push(`${at}: ${hours} hours is not before the request expires (${ttl} hours)`);
    else if (i > 0 && isHours(reminders[i - 1]) && hours <= (reminders[i - 1] as number)) problems.push(`${at}: list the reminder times in increasing order`);
  });
  const escalate = raw.escalate === undefined ? null : parseEscalation(raw.escalate, `${where}.escalate`, ttl, problems);
  if (problems.length > before) return null;
  return { ttlHours: ttl, remindAfterHours: reminders as number[], escalate };
}

function parseEscalation(raw: unknown, where: string, ttlHours: number, problems: string[]): Escalation | null {
  if (!isObject(raw)) {
    problems.push(`${where}: must be { "afterHours": <hours>, "to": [<object ids>] or "approvalsChannel" }`);
    return null;
  }
  const before = problems.length;
  unknownKeys(raw, ESCALATE_KEYS, where, problems);
  if (!isHours(raw.afterHours)) problems.push(`${where}.afterHours: required, a number of hours above 0`);
  else if (raw.afterHours >= ttlHours) problems.push(`${where}.afterHours: ${raw.afterHours} hours is not before the request expires (${ttlHours} hours)`);
  let to: EscalationTarget | null = null;
  if (raw.to === 'approvalsChannel') to = { kind: 'approvalsChannel' };
  else if (Array.isArray(raw.to) && raw.to.length > 0) {
    const bad = raw.to.filter((id) => typeof id !== 'string' || !isGuid(id));
    if (bad.length > 0) problems.push(`${where}.to: ${bad.map((id) => JSON.stringify(id)).join(', ')} ${bad.length === 1 ? 'is not an Entra object id' : 'are not Entra object ids'} (a GUID)`);
    else to = { kind: 'people', ids: raw.to as string[] };
  } else problems.push(`${where}.to: required, a list of Entra object ids or "approvalsChannel"`);
  if (problems.length > before || !to || !isHours(raw.afterHours)) return null;
  return { afterHours: raw.afterHours, to };
}

function parseStage(raw: Doc, where: string, name: string, problems: string[]): ApprovalStage | null {
  const before = problems.length;
  if (raw.name !== undefined && (typeof raw.name !== 'string' || raw.name.trim() === '')) problems.push(`${where}.name: must be a non-empty string`);
  const given = (list: unknown) => Array.isArray(list) && list.length > 0;
  if (!given(raw.approvers) && !given(raw.groups)) {
    const key = raw.approvers === undefined && raw.groups !== undefined ? 'groups' : 'approvers';
    problems.push(`${where}.${key}: required, a non-empty list of Entra object ids (approvers) or of Entra group object ids (groups)`);
    return null;
  }
  const listed = problems.length;
  const ids = guidList(raw.approvers, `${where}.approvers`, 'Entra object id', problems);
  const groups = guidList(raw.groups, `${where}.groups`, 'Entra group object id', problems);
  const quorum = raw.quorum ?? 1;
  if (typeof quorum !== 'number' || !Number.isInteger(quorum) || quorum < 1) problems.push(`${where}.quorum: must be a whole number of at least 1`);
  else if (groups.length === 0 && quorum > ids.length && problems.length === listed) {
    // With groups, how many people may approve is not known until they are asked.
    problems.push(`${where}.quorum: ${quorum} approvals needed but only ${ids.length} approver${ids.length === 1 ? ' is' : 's are'} listed`);
  }
  if (problems.length > before) return null;
  return { name, approvers: ids, ...(groups.length > 0 ? { groups } : {}), quorum: quorum as number };
}

/** An optional list of GUIDs, each once (whatever its case); every bad entry is one problem. */
function guidList(raw: unknown, where: string, what: string, problems: string[]): string[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    problems.push(`${where}: must be a list of ${what}s`);
    return [];
  }
  const ids: string[] = [];
  raw.forEach((id, i) => {
    if (typeof id !== 'string' || !isGuid(id)) problems.push(`${where}[${i}]: ${JSON.stringify(id)} is not an ${what} (a GUID)`);
    else if (ids.some((known) => known.toLowerCase() === id.toLowerCase())) problems.push(`${where}[${i}]: ${id} is listed twice`);
    else ids.push(id);
  });
  return ids;
}

function parseMatch(raw: unknown, where: string, problems: string[]): RuleScope | null {
  if (!isObject(raw)) {
    problems.push(`${where}: required, an object naming one of ${MATCH_KEYS.join(', ')}`);
    return null;
  }
  unknownKeys(raw, MATCH_KEYS, where, problems);
  const given = MATCH_KEYS.filter((k) => raw[k] !== undefined);
  if (given.length !== 1) {
    problems.push(`${where}: name exactly one of ${MATCH_KEYS.join(', ')} (got ${given.length === 0 ? 'none' : given.join(', ')})`);
    return null;
  }
  const key = given[0];
  const value = raw[key as string];
  const idOf = (pattern: RegExp, what: string): string | null => {
    if (typeof value === 'string' && pattern.test(value)) return value;
    problems.push(`${where}.${key}: ${JSON.stringify(value)} is not ${what}`);
    return null;
  };
  switch (key) {
    case 'subscription': {
      const id = idOf(SUBSCRIPTION_ID, 'a subscription id (/subscriptions/<GUID>)');
      return id ? { kind: 'subscription', id } : null;
    }
    case 'resourceGroup': {
      const id = idOf(RESOURCE_GROUP_ID, 'a resource group id (/subscriptions/<GUID>/resourceGroups/<name>)');
      return id ? { kind: 'resourceGroup', id } : null;
    }
    case 'instance': {
      const id = idOf(INSTANCE_ID, 'an API Management instance resource id');
      return id ? { kind: 'instance', id } : null;
    }
    default: {
      if (!isObject(value) || typeof value.name !== 'string' || value.name === '' || typeof value.value !== 'string') {
        problems.push(`${where}.tag: must be { "name": "<tag name>", "value": "<tag value>" }`);
        return null;
      }
      unknownKeys(value, ['name', 'value'], `${where}.tag`, problems);
      return { kind: 'tag', name: value.name, value: value.value };
    }
  }
}

function scopeKey(scope: RuleScope): string {
  switch (scope.kind) {
    case 'default':
      return 'default';
    case 'tag':
      return `tag:${scope.name.toLowerCase()}=${scope.value}`;
    default:
      return `${scope.kind}:${scope.id.toLowerCase()}`;
  }
}

/** Two rules on the same scope would both claim the same instances at the same specificity. */
function overlapping(rules: readonly ApprovalRule[], problems: string[]): void {
  const seen = new Map<string, string>();
  for (const rule of rules) {
    const key = scopeKey(rule.scope);
    const first = seen.get(key);
    if (first !== undefined) problems.push(`rules "${first}" and "${rule.name}" match the same ${rule.scope.kind}: keep one`);
    else seen.set(key, rule.name);
  }
}

function unknownKeys(raw: Doc, known: readonly string[], where: string, problems: string[]): void {
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) problems.push(`${where}: unknown key "${key}" (known: ${known.join(', ')})`);
  }
}
