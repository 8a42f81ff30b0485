/** `status <instance>`: its network as Azure has it now, and its latest request. Pure. */
import type { InstanceFacts } from '../../eligibility/facts.js';
import type { IntegrationRequest } from '../../requests/request.js';
import { renderCard, type AdaptiveCard } from './template.js';
import { networkText, personText, requestSummary, skuText, STATE_LABEL, subnetLabel, timeText } from './wording.js';

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
