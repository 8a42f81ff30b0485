/**
 * The options card: the instance, its problems, the usable subnets to pick from (at most 25, best first), the
 * closest unusable ones with their reasons, and counts for the rest. Pure. Small at any estate size.
 */
import type { FindingCode } from '../../eligibility/codes.js';
import type { EligibilityReport, SubnetReport } from '../../eligibility/report.js';
import type { SubnetProposal } from '../../proposal/index.js';
import { NEW_SUBNET_CHOICE_PREFIX, type ProposalCandidate } from '../../requests/check-record.js';
import { findingLine, fixShort, networkText, skuText, timeText, truncate } from './wording.js';
import { cardBytes, renderCard, type AdaptiveCard } from './template.js';

export const MAX_CHOICES = 25;
export const MAX_INELIGIBLE_SHOWN = 5;
/** Teams' older message limit, kept as the budget for every card. */
export const CARD_BUDGET_BYTES = 40_000;

export interface OptionsSelection {
  choices: SubnetReport[];
  /** Usable subnets not offered because of the limit. */
  moreUsable: number;
  ineligibleShown: SubnetReport[];
  ineligibleMore: number;
}

function blockingCount(s: SubnetReport): number {
  return s.findings.filter((f) => f.severity === 'blocking').length;
}

/** Subnets arrive ranked (eligible, fixable, ineligible). Unusable ones closest to usable (fewest blockers) come first. */
export function selectOptions(subnets: readonly SubnetReport[], maxChoices = MAX_CHOICES, maxIneligible = MAX_INELIGIBLE_SHOWN): OptionsSelection {
  const usable = subnets.filter((s) => s.verdict !== 'ineligible');
  const ineligible = subnets
    .map((s, i) => ({ s, i, blockers: blockingCount(s) }))
    .filter((x) => x.s.verdict === 'ineligible')
    .sort((a, b) => a.blockers - b.blockers || a.i - b.i)
    .map((x) => x.s);
  return {
    choices: usable.slice(0, maxChoices),
    moreUsable: Math.max(0, usable.length - maxChoices),
    ineligibleShown: ineligible.slice(0, maxIneligible),
    ineligibleMore: Math.max(0, ineligible.length - maxIneligible),
  };
}

const WARNING_SHORT: Partial<Record<FindingCode, string>> = {
  SUBNET_BELOW_RECOMMENDED: 'smaller than recommended',
  NSG_DEPENDENCY_NOT_EXPLICIT: 'no explicit NSG rule for a dependency on 443',
  NSG_BLOCKS_OPTIONAL_DEPENDENCY: 'NSG denies a formerly documented dependency',
  REQUESTER_PERMISSION_MISSING: 'you lack rights on it: the approver decides',
  ALREADY_INTEGRATED: 'current subnet',
  SUBNET_BELOW_MAX_SCALE: 'too small for the maximum scale',
  ROUTE_FORCED_TUNNELING: 'forced tunnel: the firewall must allow the dependencies',
  ROUTE_TABLE_NOT_READ: 'route table not checked',
  NAT_GATEWAY_ATTACHED: 'NAT gateway',
};

/** The options card's tick box for the optional explicit rules; the approval card lists the rules exactly. */
export function dependencyRulesToggle(tags: readonly string[]): string {
  const what = tags.length === 1 ? `the explicit outbound rule for TCP 443 to ${tags[0]}` : `the explicit outbound rules for TCP 443 to ${tags.join(' and ')}`;
  return `Also add ${what} to the chosen subnet's network security group, where it lacks them (recommended; the approval card lists each rule)`;
}

function notesOf(s: SubnetReport): string[] {
  return [...new Set(s.findings.filter((f) => f.severity === 'warning' || f.severity === 'info').map((f) => WARNING_SHORT[f.code] ?? f.code))];
}

export function choiceTitle(s: SubnetReport): string {
  const parts = [`${s.vnetName}/${s.name}`, s.addressPrefix ?? 'no prefix'];
  parts.push(s.verdict === 'eligible' ? 'ready' : `bot ${s.fixes.map(fixShort).join(' and ')}`);
  parts.push(...notesOf(s));
  return truncate(parts.join(' · '), 200);
}

/** ✅ ready · ⚠️ usable, with a warning · 🔧 the bot fixes it first (the legend on the card). */
export function choiceMark(s: SubnetReport): string {
  if (s.verdict === 'fixable') return '🔧';
  return notesOf(s).length > 0 ? '⚠️' : '✅';
}

/** The proposal's mark: 🆕 the bot creates it. */
export const NEW_SUBNET_MARK = '🆕';

/** What choosing the proposal creates: "New subnet hub-vnet/snet-… · 10.0.0.0/24 · new NSG nsg-… · delegated to Microsoft.Web/serverFarms". */
export function proposalTitle(p: SubnetProposal): string {
  const parts = [`New subnet ${p.vnetName}/${p.name}`, p.addressPrefix, proposalNsgText(p), `delegated to ${p.delegation}`];
  if (p.belowRecommended) parts.push('smaller than recommended');
  return truncate(parts.join(' · '), 200);
}

export function proposalNsgText(p: SubnetProposal): string {
  if ('create' in p.nsg) {
    const tags = p.nsg.rules.map((r) => r.destinationAddressPrefix);
    return `new NSG ${p.nsg.create}${tags.length > 0 ? ` (allows TCP 443 to ${tags.join(' and ')})` : ''}`;
  }
  return `NSG ${p.nsg.id.split('/').pop() ?? p.nsg.id}`;
}

export function proposalChoiceValue(candidate: ProposalCandidate): string {
  return `${NEW_SUBNET_CHOICE_PREFIX}${candidate.choiceId}`;
}

function ineligibleLine(s: SubnetReport): string {
  const blockers = s.findings.filter((f) => f.severity === 'blocking');
  const first = blockers[0];
  const more = blockers.length > 1 ? ` (+${blockers.length - 1} more)` : '';
  return truncate(`${s.vnetName}/${s.name} (${s.addressPrefix ?? 'no prefix'}): ${first ? findingLine(first, 260) : 'blocked by the instance'}${more}`, 320);
}

export interface OptionsCardInput {
  checkId: string;
  /** The report restricted to the subnets the person may see. */
  report: EligibilityReport;
  selection: OptionsSelection;
  /** Subnets not shown because the person cannot read their VNet. */
  hiddenCount: number;
  /** true when Teams sent no Entra id, so no VNet could be shown. */
  identityUnknown: boolean;
  /** What the list was narrowed to (a VNet, vnet/subnet or a subnet id), if anything. */
  vnetFilter: string | null;
  recommendedPrefix: number;
  /** The required dependency tags (OUTBOUND_DEPENDENCIES), named where the card says which rules are written. */
  dependencyTags: readonly string[];
  checkedAt: Date;
  /** A new subnet to offer after the existing ones. */
  proposal?: ProposalCandidate | null;
  /** Why no new subnet could be proposed, when one was looked for. */
  proposalRefusal?: string | null;
}

export function optionsCard(input: OptionsCardInput): AdaptiveCard {
  let card = buildOptionsCard(input);
  // Names are bounded by ARM, so this only trims when something is unusually long.
  let { selection } = input;
  while (cardBytes(card) > CARD_BUDGET_BYTES && (selection.ineligibleShown.length > 0 || selection.choices.length > 5)) {
    selection =
      selection.ineligibleShown.length > 0
        ? { ...selection, ineligibleShown: [], ineligibleMore: selection.ineligibleMore + selection.ineligibleShown.length }
        : { ...selection, choices: selection.choices.slice(0, 5), moreUsable: selection.moreUsable + selection.choices.length - 5 };
    card = buildOptionsCard({ ...input, selection });
  }
  return card;
}

function buildOptionsCard(input: OptionsCardInput): AdaptiveCard {
  const { report, selection } = input;
  const { instance } = report;
  const usable = selection.choices.length + selection.moreUsable;
  const proposal = input.proposal ?? null;
  const ready = report.subnets.filter((s) => s.verdict === 'eligible').length;
  const instanceBlocked = report.findings.some((f) => f.severity === 'blocking');
  const where = input.vnetFilter ? ` in ${input.vnetFilter}` : '';

  let summary: string;
  if (usable > 0) {
    summary = `${usable} subnet${usable === 1 ? '' : 's'}${where} can be used (${ready} ready, ${usable - ready} after the bot's fixes). Pick one and request integration; an approver confirms before anything changes.`;
  } else if (proposal && !instanceBlocked) {
    summary = `No existing subnet${where} you can see can be used, so I propose a new one: ${proposalTitle(proposal.proposal)}. Request it; an approver confirms before anything is created.`;
  } else if (instanceBlocked) {
    summary = `${instance.name} cannot be integrated until the instance problems above are solved.`;
  } else if (report.subnets.length === 0) {
    summary = input.identityUnknown ? 'I cannot show you any subnet.' : `I found no subnet${where} you can see in subscription ${instance.subscriptionId}.`;
  } else {
    summary = `None of the ${report.subnets.length} subnets${where} you can see is usable.`;
  }

  const whatToChange: { text: string }[] = [];
  if (usable === 0) {
    for (const f of report.findings.filter((x) => x.severity === 'blocking' && x.fix)) whatToChange.push({ text: `• ${f.fix}` });
    if (!instanceBlocked && !proposal) {
      if (input.proposalRefusal) whatToChange.push({ text: `• I cannot propose a new subnet: ${input.proposalRefusal}` });
      whatToChange.push({
        text: `• Use or create a subnet of /${input.recommendedPrefix} in a VNet in ${instance.location} (subscription ${instance.subscriptionId}), delegated to Microsoft.Web/serverFarms, with a network security group${input.dependencyTags.length > 0 ? ` that allows outbound TCP 443 to ${input.dependencyTags.join(' and ')}` : ''}, and nothing else in it. Then check again.`,
      });
    }
  }

  let hiddenText = '';
  if (input.identityUnknown) {
    hiddenText = 'Teams did not send your Entra identity, so I cannot tell which virtual networks you may read: none are shown.';
  } else if (input.hiddenCount > 0) {
    hiddenText = `${input.hiddenCount} subnet${input.hiddenCount === 1 ? ' is' : 's are'} not shown: ${input.hiddenCount === 1 ? 'it is' : 'they are'} in virtual networks you cannot read.`;
  }

  return renderCard('options', {
    title: `Outbound VNet integration for ${instance.name}`,
    instance: {
      sku: skuText(instance.skuName),
      location: instance.location,
      network: networkText(instance),
      state: instance.provisioningState,
    },
    instanceProblems: report.findings.map((f) => ({ text: findingLine(f) })),
    summary,
    choices: [
      ...selection.choices.map((s) => ({ mark: choiceMark(s), title: choiceTitle(s), value: s.id })),
      ...(proposal ? [{ mark: NEW_SUBNET_MARK, title: proposalTitle(proposal.proposal), value: proposalChoiceValue(proposal) }] : []),
    ],
    firstChoice: selection.choices[0]?.id ?? (proposal ? proposalChoiceValue(proposal) : ''),
    dependencyRulesOffered: selection.choices.some((s) => s.optionalFixes.length > 0),
    dependencyRulesText: dependencyRulesToggle(input.dependencyTags),
    proposalRefusalText: usable > 0 && !proposal && input.proposalRefusal ? `No new subnet offered: ${input.proposalRefusal}` : '',
    moreText:
      selection.moreUsable > 0
        ? `…and ${selection.moreUsable} more usable subnet${selection.moreUsable === 1 ? '' : 's'}. Narrow the list: check ${instance.name} in <vnet>.`
        : '',
    whatToChange,
    ineligible: selection.ineligibleShown.map((s) => ({ text: ineligibleLine(s) })),
    ineligibleMoreText:
      selection.ineligibleMore > 0 ? `…and ${selection.ineligibleMore} more subnet${selection.ineligibleMore === 1 ? '' : 's'} that cannot be used.` : '',
    hiddenText,
    checkId: input.checkId,
    checkedAt: timeText(input.checkedAt.toISOString()),
  });
}
