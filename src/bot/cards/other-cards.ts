/** The small cards: help, pick an instance, instance status, open requests, a subnet's problems. Pure. */
import type { InstanceFacts } from '../../eligibility/facts.js';
import type { Finding, SubnetReport } from '../../eligibility/report.js';
import type { IntegrationRequest } from '../../requests/request.js';
import { findingLine, networkText, personText, requestSummary, skuText, STATE_LABEL, subnetLabel, timeText, truncate } from './format.js';
import { renderCard, type AdaptiveCard } from './template.js';

export const HELP_EXAMPLES: { command: string; what: string }[] = [
  { command: 'check contoso-apim', what: 'Judge the instance and its subnets; pick one to request integration.' },
  { command: 'check contoso-apim in hub-vnet', what: 'The same, for one VNet.' },
  { command: 'connect contoso-apim to hub-vnet/apim-outbound', what: 'Request integration with that subnet (or paste its resource id).' },
  { command: 'integrate contoso-apim new subnet', what: 'Have the bot propose, and on approval create, a new subnet for the instance.' },
  { command: 'disconnect contoso-apim', what: 'Request that the instance leaves its VNet.' },
  { command: 'status contoso-apim', what: 'Live network state from Azure, and the latest request.' },
  { command: 'status R-7K3QM', what: 'A request and its history.' },
  { command: 'requests', what: 'Open requests in this chat or team.' },
  { command: 'cancel R-7K3QM', what: 'Withdraw your pending request.' },
  { command: 'audit R-7K3QM', what: 'Every change of a request: who, when, what, and ARM operation ids.' },
  { command: 'approvals here', what: 'Approvers: send approval cards to this channel.' },
];

export function helpCard(problem: string | null): AdaptiveCard {
  return renderCard('help', {
    problem: problem ?? '',
    examples: HELP_EXAMPLES,
    footer: 'Instances by name or resource id. Nothing changes in Azure until an approver approves.',
  });
}

export function pickInstanceCard(checkId: string, typed: string, instances: InstanceFacts[], actionTitle: string): AdaptiveCard {
  return renderCard('pick-instance', {
    title: `${instances.length} instances are named ${typed}`,
    text: 'Which one do you mean?',
    checkId,
    actionTitle,
    choices: instances.map((i) => ({
      title: truncate(`${i.name} · ${i.resourceGroup} · subscription ${i.subscriptionId} · ${skuText(i.skuName)} · ${i.location}`, 200),
      value: i.id,
    })),
  });
}

/** `latest`: the instance's latest request; 'hidden' when the reader may not see it (requests/read-access.ts). */
export function instanceStatusCard(instance: InstanceFacts, busy: boolean, latest: IntegrationRequest | 'hidden' | null, readAt: string): AdaptiveCard {
  const type = instance.virtualNetworkType.toLowerCase();
  const headline = busy
    ? `Busy: ${instance.provisioningState}`
    : type === 'external' && instance.subnetResourceId
      ? `Integrated with ${subnetLabel(instance.subnetResourceId)}`
      : type === 'none'
        ? 'Not in a virtual network'
        : `Virtual network type ${instance.virtualNetworkType}`;
  const requestText =
    latest === 'hidden'
      ? 'Its latest request was made in another chat; its requester, the approvers and that chat can see it.'
      : latest
        ? `Latest request: ${latest.id} (${requestSummary(latest)}): ${STATE_LABEL[latest.state]}, by ${personText(latest.requester)}, ${timeText(latest.updatedAt)}. Say status ${latest.id} for its history.`
        : 'No request for this instance yet.';
  return renderCard('instance-status', {
    title: `${instance.name}`,
    headline,
    headlineColor: busy ? 'Warning' : type === 'external' ? 'Good' : 'Default',
    facts: [
      { title: 'SKU', value: skuText(instance.skuName) },
      { title: 'Region', value: instance.location },
      { title: 'Network', value: networkText(instance) },
      { title: 'Subnet id', value: instance.subnetResourceId ?? '(none)' },
      { title: 'Provisioning', value: instance.provisioningState },
      { title: 'Resource id', value: instance.id },
    ],
    requestText,
    readAt: timeText(readAt),
  });
}

export function requestsCard(title: string, requests: IntegrationRequest[], emptyText: string, now: Date): AdaptiveCard {
  const shown = requests.slice(0, 20);
  const more = requests.length - shown.length;
  return renderCard('requests', {
    title,
    emptyText,
    items: shown.map((r) => ({
      text: `**${r.id}** · ${STATE_LABEL[r.state]} · ${requestSummary(r)} · by ${personText(r.requester)} · ${ago(r.createdAt, now)}`,
    })),
    footer: `${more > 0 ? `…and ${more} more. ` : ''}Say status <request id> for one request's history.`,
  });
}

/** Why a named subnet cannot be used: the instance's blocking findings, then the subnet's. */
export function subnetProblemsCard(instanceName: string, subnet: SubnetReport, instanceBlockers: Finding[]): AdaptiveCard {
  const problems = [...instanceBlockers, ...subnet.findings.filter((f) => f.severity === 'blocking')];
  return renderCard('subnet-problems', {
    title: `${subnet.vnetName}/${subnet.name} cannot be used for ${instanceName}`,
    text: `${problems.length} problem${problems.length === 1 ? '' : 's'} to solve first:`,
    problems: problems.map((f) => ({ text: findingLine(f) })),
    footer: `Say check ${instanceName} to see the subnets that can be used.`,
  });
}

function ago(iso: string, now: Date): string {
  const minutes = Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.round(hours / 24)} days ago`;
}
