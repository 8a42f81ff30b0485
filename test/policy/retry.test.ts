/**
 * `retry <id>` over /api/messages on the sandbox: a failed request tried again by its requester, through a fresh
 * check and the same approval path, or straight to apply when the policy keeps a recent approval; the two requests
 * linked in their records, cards and audit; refusals for everyone and everything else.
 */
import { describe, expect, it } from 'vitest';
import {
  alice,
  approvalCard,
  BOB,
  bob,
  carol,
  cardOf,
  checkAndRequest,
  estate,
  FakeClock,
  groupChat,
  policyFile,
  REQUEST_ID,
  subnetId,
  TENANT,
  textOf,
  told,
  useBot,
  type BotHarness,
  type Chat,
} from '../support/index.js';

const bot = useBot();
const OUTBOUND = subnetId('hub-vnet', 'apim-outbound');
const JOIN_REFUSED = { method: 'PATCH', pathContains: '/service/contoso-apim', status: 403, code: 'LinkedAuthorizationFailed', message: 'The client has no permission to perform action join/action.', count: 1 };

/** Alice's request for contoso-apim on apim-outbound, approved by Bob, failed by ARM on the instance update. */
async function failedRequest(h: BotHarness, chat: Chat): Promise<string> {
  const { requestId } = await checkAndRequest(h, alice, chat, 'contoso-apim', OUTBOUND);
  const approval = await approvalCard(h, chat.id, requestId);
  await h.faults({ failNext: [JOIN_REFUSED] });
  await h.click(bob, chat, 'approve', { requestId }, approval.activityId);
  const failed = await told(h, chat.id, new RegExp(`${requestId} failed`));
  expect(failed.activity.text).toContain(`say retry ${requestId} to try again`);
  await h.idle();
  return requestId;
}

/** The bot's reply to a message: its text, or the text of its card. */
function said(result: { reply?: { activity: Record<string, any> } | undefined }): string {
  const activity = result.reply?.activity;
  return activity?.text || textOf(cardOf(activity));
}

async function updates(h: BotHarness): Promise<number> {
  return (await h.armRequests()).filter((r) => r.method === 'PATCH' && r.path.includes('/service/contoso-apim') && r.status < 300).length;
}

async function auditLines(h: BotHarness, requestId: string): Promise<string[]> {
  return (await h.app.stores.audit.forRequest(requestId)).map((e) => `${e.from ?? 'none'}->${e.to} ${e.actor}: ${e.details ?? ''}`);
}

describe('retry of a failed request', () => {
  it('a fresh check, the same approval path, and both requests linked in their records, cards and audit', async () => {
    const h = await bot.start({ seed: estate(), tenantId: TENANT, env: { APPROVER_IDS: BOB } });
    const chat = groupChat('retry');
    const failedId = await failedRequest(h, chat);
    expect(await updates(h)).toBe(0);

    const reply = await h.say(alice, chat, `retry ${failedId}`);
    const card = said(reply);
    const retryId = REQUEST_ID.exec(card.replace(failedId, ''))?.[0];
    expect(retryId, card).toBeTruthy();
    expect(card).toMatch(new RegExp(`Retry of[\\s\\S]{0,80}${failedId}`));
    expect(card).toContain('hub-vnet/apim-outbound');

    const approval = await approvalCard(h, chat.id, retryId!);
    await h.click(bob, chat, 'approve', { requestId: retryId }, approval.activityId);
    await told(h, chat.id, new RegExp(`${retryId} is done`));
    await h.idle();
    expect(await updates(h)).toBe(1);

    expect((await h.storedRequest(failedId)).retriedAs).toBe(retryId);
    expect((await h.storedRequest(retryId!)).retryOf).toBe(failedId);
    expect(await auditLines(h, failedId)).toContainEqual(`failed->failed Alice (${alice.aadObjectId}): Retried as ${retryId} by Alice (${alice.aadObjectId}).`);
    expect((await auditLines(h, retryId!))[0]).toBe(`none->pending Alice (${alice.aadObjectId}): Retry of ${failedId}.`);
    const status = said(await h.say(alice, chat, `status ${failedId}`));
    expect(status).toMatch(new RegExp(`Retried as[\\s\\S]{0,80}${retryId}`));
  });

  it('only the requester, only a failed request, and only once: everyone else is told why and nothing is opened', async () => {
    const h = await bot.start({ seed: estate(), tenantId: TENANT, env: { APPROVER_IDS: BOB } });
    const chat = groupChat('retry-refusals');
    const failedId = await failedRequest(h, chat);

    expect(said(await h.say(carol, chat, `retry ${failedId}`))).toBe(`Only Alice, who made request ${failedId}, can retry it. Nothing changed.`);
    expect(said(await h.say(alice, chat, 'retry R-ZZZZZ'))).toBe('I have no request R-ZZZZZ. Nothing changed.');
    expect(said(await h.say(alice, chat, 'retry'))).toContain('Say which request: `retry <request id>`');

    // Two at once: the instance lock lets one through; the other sees the retry that is open now.
    const [a, b] = await Promise.all([h.say(alice, chat, `retry ${failedId}`), h.say(alice, chat, `try again ${failedId}`)]);
    const replies = [said(a), said(b)];
    const opened = replies.filter((r) => new RegExp(`Retry of[\\s\\S]{0,80}${failedId}`).test(r));
    expect(opened, replies.join('\n---\n')).toHaveLength(1);
    const retryId = (await h.storedRequest(failedId)).retriedAs as string;
    expect(replies.find((r) => !opened.includes(r))).toMatch(new RegExp(`already (open|retried as ${retryId})`));

    expect(said(await h.say(alice, chat, `retry ${retryId}`))).toBe(`Request ${retryId} is waiting for approval; only a failed request can be retried. Nothing changed.`);
    await h.say(alice, chat, `cancel ${retryId}`);
    expect(said(await h.say(alice, chat, `retry ${failedId}`))).toBe(`Request ${failedId} was already retried as ${retryId} (cancelled). Say status ${retryId}.`);
    const requests = await h.app.stores.requests.listByInstance((await h.storedRequest(failedId)).instance.id);
    expect(requests).toHaveLength(2);
  });

  it('within the policy\'s retryApprovedWithinHours the approval carries over and the apply starts; later it is approved again', async () => {
    const clock = new FakeClock();
    const policy = { default: { approvers: [BOB], retryApprovedWithinHours: 2 } };
    const h = await bot.start({ seed: estate(), tenantId: TENANT, clock: clock.now, env: { APPROVAL_POLICY: await policyFile(policy) } });
    const chat = groupChat('retry-kept');
    const failedId = await failedRequest(h, chat);

    clock.advanceHours(1);
    const reply = await h.say(alice, chat, `retry ${failedId}`);
    const card = said(reply);
    expect(card).toContain('Approved already: the apply starts now.');
    const retryId = REQUEST_ID.exec(card.replace(failedId, ''))![0];
    await told(h, chat.id, new RegExp(`${retryId} is done`));
    await h.idle();
    expect(await updates(h)).toBe(1);
    const approvalCards = h.connector.messages(chat.id).filter((s) => s.kind === 'post' && textOf(s.activity).includes(retryId) && /Approve/.test(JSON.stringify(s.activity)));
    expect(approvalCards.filter((s) => JSON.stringify(s.activity).includes('"verb":"approve"'))).toHaveLength(0);
    const audit = await auditLines(h, retryId);
    expect(audit[1]).toBe(`pending->approved bot: Retry of ${failedId}: its approved plan (approved by Bob) is retried within 2 hours of the approval, so it is not approved again.`);
    expect((await h.storedRequest(retryId)).approval.approvals.map((a: { by: { name: string } }) => a.by.name)).toEqual(['Bob']);

    // A second failure, retried after the window: a new approval is needed.
    const second = await failedAgain(h, chat, clock);
    clock.advanceHours(3);
    const late = said(await h.say(alice, chat, `retry ${second}`));
    const lateId = REQUEST_ID.exec(late.replace(second, ''))![0];
    expect(late).toContain('Waiting for approval');
    await approvalCard(h, chat.id, lateId);
  });
});

/** contoso-apim leaves its subnet, and a new request for it fails the same way: that request's id. */
async function failedAgain(h: BotHarness, chat: Chat, clock: FakeClock): Promise<string> {
  const disconnect = said(await h.say(alice, chat, 'disconnect contoso-apim'));
  const leaveId = REQUEST_ID.exec(disconnect)![0];
  await h.click(bob, chat, 'approve', { requestId: leaveId }, (await approvalCard(h, chat.id, leaveId)).activityId);
  await told(h, chat.id, new RegExp(`${leaveId} is done`));
  await h.idle();
  clock.advanceMinutes(1);
  return failedRequest(h, chat);
}
