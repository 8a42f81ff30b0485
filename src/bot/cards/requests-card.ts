/** `requests`: the open requests of a chat or team. Pure. */
import type { IntegrationRequest } from '../../requests/request.js';
import { renderCard, type AdaptiveCard } from './template.js';
import { personText, requestSummary, stateLabelOf, agoText } from './wording.js';

export function requestsCard(title: string, requests: IntegrationRequest[], emptyText: string, now: Date): AdaptiveCard {
  const shown = requests.slice(0, 20);
  const more = requests.length - shown.length;
  return renderCard('requests', {
    title,
    emptyText,
    items: shown.map((r) => ({
      text: `**${r.id}** · ${stateLabelOf(r, now)} · ${requestSummary(r)} · by ${personText(r.requester)} · ${agoText(r.createdAt, now)}`,
    })),
    footer: `${more > 0 ? `…and ${more} more. ` : ''}Say status <request id> for one request's history.`,
  });
}
