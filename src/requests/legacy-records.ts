/**
 * Requests stored before the NSG dependency became configuration (2026-12) speak of one Storage rule: a fix
 * `addStorageRule { rule }`, steps `addStorageRule` / `removeStorageRule`, an undo `storageRuleId`, and the findings
 * NSG_BLOCKS_STORAGE / NSG_STORAGE_NOT_EXPLICIT. They are read as today's shape (one rule in a list, per-rule steps,
 * the general codes with `details.tag: 'Storage'`), so they still apply, resume and undo exactly what they planned.
 * Pure; a record already in today's shape is returned as it is.
 */
import { FindingCode } from '../eligibility/codes.js';
import type { SecurityRuleSpec } from '../eligibility/security-rules.js';
import type { Finding, PlannedFix } from '../eligibility/report.js';
import type { ApplyProgress, ApplyStep, DoneStep, IntegrationRequest, UndoPlan } from './request.js';

type LegacyFix = { kind: 'addStorageRule'; nsgId: string; rule: SecurityRuleSpec };
type AnyFix = PlannedFix | LegacyFix;
type LegacyUndo = UndoPlan & { storageRuleId?: string | null };

const STEPS: Record<string, ApplyStep> = { addStorageRule: 'addDependencyRules', removeStorageRule: 'removeDependencyRule' };
const CODES: Record<string, FindingCode> = {
  NSG_BLOCKS_STORAGE: FindingCode.NSG_BLOCKS_DEPENDENCY,
  NSG_STORAGE_NOT_EXPLICIT: FindingCode.NSG_DEPENDENCY_NOT_EXPLICIT,
};

const isLegacyFix = (fix: AnyFix): fix is LegacyFix => fix.kind === 'addStorageRule';
const isLegacyStep = (step: string | null | undefined) => step != null && step in STEPS;

export function isLegacyRequest(request: IntegrationRequest): boolean {
  const apply = request.apply;
  return (
    (request.fixes as AnyFix[]).some(isLegacyFix) ||
    ((apply?.plan ?? []) as AnyFix[]).some(isLegacyFix) ||
    (apply !== null && (isLegacyStep(apply.step) || isLegacyStep(apply.pollerStep) || apply.done.some((d) => isLegacyStep(d.step)))) ||
    (request.undo as LegacyUndo | null | undefined)?.storageRuleId != null ||
    request.findings.some((f) => f.code in CODES)
  );
}

export function upgradeRequest(request: IntegrationRequest): IntegrationRequest {
  if (!isLegacyRequest(request)) return request;
  const upgraded: IntegrationRequest = { ...request, fixes: request.fixes.map(upgradeFix), findings: request.findings.map(upgradeFinding) };
  const undo = request.undo as LegacyUndo | null | undefined;
  if (undo) {
    const { storageRuleId, ...rest } = undo;
    upgraded.undo = storageRuleId ? { ...rest, dependencyRuleIds: [...(rest.dependencyRuleIds ?? []), storageRuleId] } : rest;
  }
  if (request.apply) upgraded.apply = upgradeProgress(request.apply, request.apply.plan ?? request.fixes, undo?.storageRuleId ?? null);
  return upgraded;
}

function upgradeFix(fix: AnyFix): PlannedFix {
  return isLegacyFix(fix) ? { kind: 'addDependencyRules', nsgId: fix.nsgId, rules: [fix.rule] } : fix;
}

function upgradeFinding(finding: Finding): Finding {
  const code = CODES[finding.code];
  return code ? { ...finding, code, details: { tag: 'Storage' } } : finding;
}

/** The legacy steps become the per-rule steps, each naming its rule: by name when adding, by id when removing. */
function upgradeProgress(apply: ApplyProgress, plan: readonly AnyFix[], storageRuleId: string | null): ApplyProgress {
  const ruleName = plan.find(isLegacyFix)?.rule.name;
  const itemOf = (step: string): string | undefined => (step === 'addStorageRule' ? ruleName : step === 'removeStorageRule' ? (storageRuleId ?? undefined) : undefined);
  const upgradeDone = (d: DoneStep): DoneStep => {
    const step = STEPS[d.step];
    if (!step) return d;
    const item = itemOf(d.step);
    return item === undefined ? { ...d, step } : { ...d, step, item };
  };
  const stepItem = isLegacyStep(apply.step) ? itemOf(apply.step) : undefined;
  return {
    ...apply,
    step: STEPS[apply.step] ?? apply.step,
    pollerStep: apply.pollerStep ? (STEPS[apply.pollerStep] ?? apply.pollerStep) : null,
    ...(stepItem !== undefined ? { stepItem } : {}),
    done: apply.done.map(upgradeDone),
    ...(apply.plan ? { plan: (apply.plan as AnyFix[]).map(upgradeFix) } : {}),
  };
}
