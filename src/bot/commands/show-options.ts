/** `check <instance> [in <vnet>]` and `integrate <instance>`: the options card, backed by a check record. */
import { randomUUID } from 'node:crypto';
import { readCheckFacts } from '../../azure/inventory.js';
import { evaluateEligibility } from '../../eligibility/evaluate.js';
import type { CheckFacts, InstanceFacts } from '../../eligibility/facts.js';
import { hasAction } from '../../eligibility/permissions.js';
import type { EligibilityReport, SubnetReport } from '../../eligibility/report.js';
import { sameResourceId } from '../../eligibility/resource-id.js';
import type { SubnetTarget } from '../../requests/check-record.js';
import { instanceSummary } from '../../requests/summaries.js';
import { optionsCard, selectOptions } from '../cards/options-card.js';
import type { Reply } from '../reply.js';
import type { BotServices } from '../services.js';
import type { TurnInfo } from '../turn-info.js';

export const VNET_READ = 'Microsoft.Network/virtualNetworks/read';

export interface VisibleReport {
  report: EligibilityReport;
  hiddenCount: number;
  identityUnknown: boolean;
}

/** Keeps the subnets of VNets the person may read; the rest are only counted. No identity = nothing visible. */
export function visibleTo(facts: CheckFacts, report: EligibilityReport): VisibleReport {
  const requester = facts.requester;
  if (!requester) return { report: { ...report, subnets: [] }, hiddenCount: report.subnets.length, identityUnknown: true };
  const readable = new Map<string, boolean>();
  const canRead = (vnetId: string) => {
    const key = vnetId.toLowerCase();
    let allowed = readable.get(key);
    if (allowed === undefined) {
      allowed = hasAction(requester, VNET_READ, vnetId);
      readable.set(key, allowed);
    }
    return allowed;
  };
  const subnets = report.subnets.filter((s) => canRead(s.vnetId));
  return { report: { ...report, subnets }, hiddenCount: report.subnets.length - subnets.length, identityUnknown: false };
}

/** The subnets a typed target narrows the list to, and how to say it ("hub-vnet", "hub-vnet/apim-outbound"). */
export function narrow(subnets: SubnetReport[], target: SubnetTarget | null): { subnets: SubnetReport[]; label: string | null } {
  if (!target) return { subnets, label: null };
  if (target.kind === 'id') return { subnets: subnets.filter((s) => sameResourceId(s.id, target.id)), label: target.id };
  const vnet = target.vnet.toLowerCase();
  const inVnet = subnets.filter((s) => s.vnetName.toLowerCase() === vnet || sameResourceId(s.vnetId, target.vnet));
  if (target.kind === 'vnet') return { subnets: inVnet, label: target.vnet };
  return { subnets: inVnet.filter((s) => s.name.toLowerCase() === target.subnet.toLowerCase()), label: `${target.vnet}/${target.subnet}` };
}

export async function readVisibleReport(services: BotServices, turn: TurnInfo, instance: InstanceFacts): Promise<VisibleReport> {
  const { arm, config } = services.deps;
  const facts = await readCheckFacts(arm, { instance: instance.id, requesterId: turn.person.aadObjectId });
  return visibleTo(facts, evaluateEligibility(facts, config.eligibility));
}

export async function showOptions(services: BotServices, turn: TurnInfo, instance: InstanceFacts, target: SubnetTarget | null): Promise<Reply> {
  const { stores, config, clock } = services.deps;
  const visible = await readVisibleReport(services, turn, instance);
  const narrowed = narrow(visible.report.subnets, target);
  const report = { ...visible.report, subnets: narrowed.subnets };
  const selection = selectOptions(report.subnets);
  const checkId = randomUUID();
  const now = clock();
  await stores.checks.create({
    kind: 'options',
    checkId,
    instance: instanceSummary(report.instance),
    askedBy: turn.person.aadObjectId,
    conversationId: turn.conversation.conversationId,
    candidates: selection.choices.map((s) => ({
      subnetId: s.id,
      verdict: s.verdict === 'eligible' ? 'eligible' : 'fixable',
      fixes: s.fixes,
      findings: s.findings,
    })),
    createdAt: now.toISOString(),
  });
  const card = optionsCard({
    checkId,
    report,
    selection,
    hiddenCount: visible.hiddenCount,
    identityUnknown: visible.identityUnknown,
    vnetFilter: narrowed.label,
    recommendedPrefix: config.eligibility.recommendedSubnetPrefix,
    checkedAt: now,
  });
  return { card };
}
