import { describe, expect, it } from 'vitest';
import { LIST_PAGE_SIZE, pageOf, requestListCard } from '../../src/bot/cards/request-list-card.js';
import { cardBytes } from '../../src/bot/cards/template.js';
import { request } from '../requests/fixtures.js';
import { actionsOf, textOf } from '../support/index.js';

const now = new Date('2026-12-04T12:00:00Z');
const many = Array.from({ length: 23 }, (_, i) => request({ id: `R-${String(i).padStart(5, '0')}`, createdAt: new Date(now.getTime() - (23 - i) * 60_000).toISOString() }));
const card = (page: number, decide = true) => requestListCard({ title: 't', emptyText: 'none', requests: many, page, pageVerb: 'pendingPage', decide, now });

describe('the request list card', () => {
  it('shows ten requests a page, says which page, and offers the next', () => {
    const first = card(1);
    const text = textOf(first);
    expect(many.slice(0, LIST_PAGE_SIZE).every((r) => text.includes(r.id))).toBe(true);
    expect(text).not.toContain(many[LIST_PAGE_SIZE]!.id);
    expect(text).toContain('Page 1 of 3 (23 requests).');
    expect(actionsOf(first)).toEqual([expect.objectContaining({ verb: 'pendingPage', data: { page: '2' } })]);
  });

  it('the last page has the rest and no next button; a page past the end shows the last', () => {
    expect(textOf(card(3))).toContain(many[22]!.id);
    expect(actionsOf(card(3))).toEqual([]);
    expect(textOf(card(99))).toContain('Page 3 of 3');
  });

  it('approve and reject buttons only when asked for, and a full page stays far below the Teams card limit', () => {
    expect(JSON.stringify(card(1))).toContain('"verb":"approve"');
    expect(JSON.stringify(card(1, false))).not.toContain('"verb":"approve"');
    expect(cardBytes(card(1))).toBeLessThan(28_000 / 2);
  });

  it('reads only a small whole page number from a click', () => {
    expect([pageOf({ page: '2' }), pageOf({ page: 0 }), pageOf({ page: 'x' }), pageOf(null), pageOf({ page: 1e9 })]).toEqual([2, 1, 1, 1, 1]);
  });
});
