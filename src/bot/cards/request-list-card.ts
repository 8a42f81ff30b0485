/** `pending` and `my requests`: requests from every chat, a page at a time, with the buttons the reader may use. Pure. */
import type { IntegrationRequest } from '../../requests/request.js';
import { renderCard, type AdaptiveCard } from './template.js';
import { agoText, personText, requestSummary, stateLabelOf } from './wording.js';

/** Requests per page: ten with their buttons stay far below Teams' card size. */
export const LIST_PAGE_SIZE = 10;

export interface RequestListCard {
  title: string;
  emptyText: string;
  requests: readonly IntegrationRequest[];
  /** From 1; a page past the end shows the last one. */
  page: number;
  /** The verb of the "Next page" button. */
  pageVerb: string;
  /** Approve and reject buttons on each request. */
  decide: boolean;
  now: Date;
  /** A line for the reader before the footer (why the list may be incomplete). */
  note?: string;
}

export function requestListCard(list: RequestListCard): AdaptiveCard {
  const pages = Math.max(1, Math.ceil(list.requests.length / LIST_PAGE_SIZE));
  const page = Math.min(Math.max(1, list.page), pages);
  const shown = list.requests.slice((page - 1) * LIST_PAGE_SIZE, page * LIST_PAGE_SIZE);
  return renderCard('request-list', {
    title: list.title,
    emptyText: list.emptyText,
    items: shown.map((r) => ({
      text: `**${r.id}** · ${stateLabelOf(r, list.now)} · ${requestSummary(r)} · by ${personText(r.requester)} · ${agoText(r.createdAt, list.now)}`,
      requestId: r.id,
      decide: list.decide,
    })),
    footer: `${list.note ? `${list.note} ` : ''}${list.requests.length > LIST_PAGE_SIZE ? `Page ${page} of ${pages} (${list.requests.length} requests). ` : ''}Say status <request id> for one request's history.`,
    hasMore: page < pages,
    pageVerb: list.pageVerb,
    nextPage: String(page + 1),
  });
}

/** The page a "Next page" click asks for (1 when the data says nothing usable). */
export function pageOf(data: unknown): number {
  const raw = Number((data as { page?: unknown } | null)?.page);
  return Number.isInteger(raw) && raw >= 1 && raw <= 1000 ? raw : 1;
}
