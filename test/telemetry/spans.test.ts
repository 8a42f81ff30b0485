/**
 * The bot's telemetry over the real /api/messages, with the OpenTelemetry SDK in memory: a turn's span with the
 * Azure SDK's own spans of its ARM requests beneath it, log lines that carry its trace, an apply's span with one
 * child per step, and the request and check metrics.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { createLogger } from '../../src/log.js';
import { ATTRIBUTE, METRIC, SPAN } from '../../src/telemetry/names.js';
import { captureTelemetry, isUnder, parentOf } from '../support/telemetry-capture.js';

const telemetry = captureTelemetry();
// The bot, and with it the Azure SDK, is loaded only now that its instrumentation is registered (as in `serve`).
const { alice, approvalCard, BOB, bob, checkAndRequest, estate, groupChat, personalChat, subnetId, TENANT, told, useBot } = await import('../support/index.js');
afterAll(() => telemetry.close());

const bot = useBot();

const idOf = (span: ReadableSpan) => span.spanContext().spanId;
const traceOf = (span: ReadableSpan) => span.spanContext().traceId;

/** Waits for a span (a turn's span ends just after its HTTP answer has been sent). */
function spanWhere(where: (span: ReadableSpan) => boolean, what: string): Promise<ReadableSpan> {
  return vi.waitFor(
    () => {
      const found = telemetry.spans().find(where);
      if (!found) throw new Error(`no span: ${what}`);
      return found;
    },
    { timeout: 5_000, interval: 20 },
  );
}

async function requestCounts() {
  const { opened, approved, applied, failed } = METRIC.requests;
  return {
    opened: await telemetry.counter(opened),
    approved: await telemetry.counter(approved),
    applied: await telemetry.counter(applied),
    failed: await telemetry.counter(failed),
  };
}

describe('telemetry', () => {
  it('a check over /api/messages: one turn span, the ARM requests\' own spans beneath it, and the turn\'s log lines carry its trace', async () => {
    const lines: string[] = [];
    const h = await bot.start({ seed: estate(), tenantId: TENANT, env: { APPROVER_IDS: BOB }, logger: createLogger('debug', (line) => lines.push(line)) });
    const checks = await telemetry.histogramCount(METRIC.checkDuration);
    const from = telemetry.spans().length;

    const asked = await h.say(alice, personalChat(alice), 'check contoso-apim');
    expect(asked.status).toBe(200);
    const turn = await spanWhere((s) => s.name === SPAN.turn('message'), 'the turn of the check');
    await h.idle();
    const spans = telemetry.spans().slice(from);

    expect(spans.filter((s) => s.name.startsWith('turn '))).toHaveLength(1);
    expect(turn.attributes).toMatchObject({ [ATTRIBUTE.activityType]: 'message', [ATTRIBUTE.command]: 'check', [ATTRIBUTE.conversationType]: 'personal' });
    const turnId = turn.attributes[ATTRIBUTE.turnId];
    expect(turnId).toMatch(/^[0-9a-f-]{36}$/);
    // Kinds and ids only: nothing the person typed.
    expect(JSON.stringify(turn.attributes)).not.toContain('contoso-apim');

    // The spans of the ARM requests are the Azure SDK's own (its tracing policy), every one a descendant of the turn.
    const arm = spans.filter((s) => String(s.attributes['http.url'] ?? '').startsWith(h.sandbox.url));
    expect(arm.length).toBeGreaterThanOrEqual(5);
    for (const span of arm) {
      expect(span.name).toMatch(/^HTTP (GET|POST)$/);
      expect(span.instrumentationScope.name).toBe('@azure/core-rest-pipeline');
      expect(traceOf(span)).toBe(traceOf(turn));
      expect(isUnder(span, turn, spans), `${span.name} ${span.attributes['http.url']} under the turn`).toBe(true);
    }
    const armPaths = (await h.armRequests()).filter((r) => !r.path.startsWith('/_sandbox')).length;
    expect(arm).toHaveLength(armPaths);

    // Every log line of the turn carries its trace; an ARM request's line, the span it was written in.
    const ofTurn = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.turnId === turnId);
    expect(ofTurn.length).toBeGreaterThan(0);
    for (const line of ofTurn) expect(line.traceId, JSON.stringify(line)).toBe(traceOf(turn));
    const spanIds = new Set([idOf(turn), ...spans.map(idOf)]);
    for (const line of ofTurn) expect(spanIds.has(String(line.spanId)), JSON.stringify(line)).toBe(true);
    expect(ofTurn.some((l) => l.msg === 'arm request' && arm.some((s) => idOf(s) === l.spanId))).toBe(true);

    expect(await telemetry.histogramCount(METRIC.checkDuration)).toBe(checks + 1);
  });

  it('an approved request\'s apply: an apply span under the approval\'s turn, a child span per step with its ARM write, and the request counters move', async () => {
    const h = await bot.start({ seed: estate({ webProvider: 'NotRegistered' }), tenantId: TENANT, env: { APPROVER_IDS: BOB } });
    const before = await requestCounts();
    const chat = groupChat('telemetry-apply');
    const { requestId } = await checkAndRequest(h, alice, chat, 'contoso-apim', subnetId('hub-vnet', 'apim-empty'));
    expect(await requestCounts()).toEqual({ ...before, opened: before.opened + 1 });

    const approval = await approvalCard(h, chat.id, requestId);
    await h.click(bob, chat, 'approve', { requestId }, approval.activityId);
    await told(h, chat.id, new RegExp(`${requestId} is done`));
    await h.idle();

    const apply = await spanWhere((s) => s.name === SPAN.apply && s.attributes[ATTRIBUTE.requestId] === requestId, 'the apply');
    const spans = telemetry.spans();
    expect(apply.attributes).toMatchObject({ [ATTRIBUTE.requestKind]: 'integrate', [ATTRIBUTE.requestState]: 'succeeded' });
    const approvalTurn = spans.find((s) => s.name === SPAN.turn('invoke') && s.attributes[ATTRIBUTE.cardAction] === 'approve');
    expect(approvalTurn, 'the approval turn').toBeTruthy();
    expect(isUnder(apply, approvalTurn!, spans)).toBe(true);

    // Its other children are the Bot Connector calls that update the cards.
    const steps = spans.filter((s) => parentOf(s) === idOf(apply) && s.name.startsWith('apply step ')).sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1]);
    expect(steps.map((s) => s.name)).toEqual(['recheck', 'registerProvider', 'addDelegation', 'updateInstance'].map(SPAN.step));
    const writes = spans.filter((s) => s.attributes['http.method'] !== 'GET' && String(s.attributes['http.url'] ?? '').startsWith(h.sandbox.url));
    const writeUnder = (step: string) => writes.filter((w) => isUnder(w, steps.find((s) => s.name === SPAN.step(step))!, spans)).map((w) => w.attributes['http.method']);
    expect(writeUnder('registerProvider')).toEqual(['POST']);
    expect(writeUnder('addDelegation')).toEqual(['PUT']);
    expect(writeUnder('updateInstance')).toEqual(['PATCH']);
    expect(writeUnder('recheck')).toEqual([]);

    expect(await requestCounts()).toEqual({ opened: before.opened + 1, approved: before.approved + 1, applied: before.applied + 1, failed: before.failed });
  });

  it('an apply that fails: its step span is marked failed, the apply span ends failed, and the failed counter moves', async () => {
    const h = await bot.start({ seed: estate(), tenantId: TENANT, env: { APPROVER_IDS: BOB } });
    const before = await requestCounts();
    const chat = groupChat('telemetry-fail');
    const { requestId } = await checkAndRequest(h, alice, chat, 'contoso-apim', subnetId('hub-vnet', 'apim-outbound'));
    const approval = await approvalCard(h, chat.id, requestId);
    await h.faults({ failNext: [{ method: 'PATCH', pathContains: '/service/contoso-apim', status: 403, code: 'LinkedAuthorizationFailed', message: 'no join/action', count: 1 }] });
    await h.click(bob, chat, 'approve', { requestId }, approval.activityId);
    await told(h, chat.id, new RegExp(`${requestId} failed`));
    await h.idle();

    const apply = await spanWhere((s) => s.name === SPAN.apply && s.attributes[ATTRIBUTE.requestId] === requestId, 'the apply');
    expect(apply.attributes[ATTRIBUTE.requestState]).toBe('failed');
    const update = telemetry.spans().find((s) => parentOf(s) === idOf(apply) && s.name === SPAN.step('updateInstance'));
    expect(update?.status.code).toBe(2); // SpanStatusCode.ERROR
    expect(await requestCounts()).toEqual({ opened: before.opened + 1, approved: before.approved + 1, applied: before.applied, failed: before.failed + 1 });
  });
});
