/**
 * Malformed bodies and activities against the real /api/messages, with authentication off and on: lying encodings,
 * bombs, deep nesting, wrong types, missing fields, control characters, lone surrogates, 10,000-character commands.
 * Not one answer may be 5xx, and the server keeps answering after every batch. Cases are generated from a seeded
 * PRNG, so every run sends the same ones.
 */
import { gzipSync, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alice, BotHarness, cardAction, compressedZeros, estate, message, MULTI_TENANT_APP, personalChat, TENANT, textOf } from '../support/index.js';
import { mulberry32 } from '../../src/sandbox/prng.js';

interface Case {
  name: string;
  body: Buffer | string;
  headers: Record<string, string>;
}

const JSON_TYPE = { 'content-type': 'application/json' };

type Json = Record<string, any>;

function setPath(target: Json, path: string, value: unknown): Json {
  const copy = structuredClone(target);
  const keys = path.split('.');
  let at: Json = copy;
  for (const key of keys.slice(0, -1)) {
    if (typeof at[key] !== 'object' || at[key] === null) at[key] = {};
    at = at[key];
  }
  const last = keys.at(-1)!;
  if (value === undefined) delete at[last];
  else at[last] = value;
  return copy;
}

function nested(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

const WRONG_VALUES: [string, unknown][] = [
  ['a number', 42],
  ['an array', ['x']],
  ['an object', { nested: true }],
  ['true', true],
  ['an empty string', ''],
  ['a huge number', 1e308],
];

const FIELDS = [
  'type',
  'serviceUrl',
  'channelId',
  'from',
  'from.id',
  'from.aadObjectId',
  'from.name',
  'recipient',
  'recipient.id',
  'conversation',
  'conversation.id',
  'conversation.tenantId',
  'conversation.conversationType',
  'id',
  'text',
  'replyToId',
  'locale',
  'timestamp',
  'attachments',
  'entities',
  'channelData',
  'channelData.tenant',
  'channelData.tenant.id',
  'channelData.team',
  'name',
];

const REQUIRED = ['type', 'serviceUrl', 'channelId', 'from', 'from.id', 'recipient', 'recipient.id', 'conversation', 'conversation.id'];

function cases(serviceUrl: string, bomb: Buffer): Case[] {
  const random = mulberry32(20261203);
  const base: Json = message(serviceUrl, TENANT, personalChat(alice), alice, 'help');
  const invoke: Json = cardAction(serviceUrl, TENANT, personalChat(alice), alice, 'approve', { requestId: 'R-00000' }, null);
  const out: Case[] = [];
  const json = (name: string, value: unknown, headers: Record<string, string> = {}) => out.push({ name, body: JSON.stringify(value), headers: { ...JSON_TYPE, ...headers } });
  const raw = (name: string, body: Buffer | string, headers: Record<string, string>) => out.push({ name, body, headers });

  // Encodings that lie, bombs, broken compression.
  const plain = JSON.stringify(base);
  raw('gzip header, plain body', plain, { ...JSON_TYPE, 'content-encoding': 'gzip' });
  raw('deflate header, gzip body', gzipSync(plain), { ...JSON_TYPE, 'content-encoding': 'deflate' });
  raw('gzip header, deflate body', deflateSync(plain), { ...JSON_TYPE, 'content-encoding': 'gzip' });
  raw('gzip twice declared', gzipSync(gzipSync(plain)), { ...JSON_TYPE, 'content-encoding': 'gzip, gzip' });
  raw('br', plain, { ...JSON_TYPE, 'content-encoding': 'br' });
  raw('compress', plain, { ...JSON_TYPE, 'content-encoding': 'compress' });
  raw('unknown encoding', plain, { ...JSON_TYPE, 'content-encoding': 'x-made-up' });
  raw('gzip bomb', bomb, { ...JSON_TYPE, 'content-encoding': 'gzip' });
  raw('gzip bomb, cut short', bomb.subarray(0, bomb.length >> 1), { ...JSON_TYPE, 'content-encoding': 'gzip' });
  raw('gzip of garbage JSON', gzipSync('{"type": '), { ...JSON_TYPE, 'content-encoding': 'gzip' });
  raw('gzip, truncated header', gzipSync(plain).subarray(0, 5), { ...JSON_TYPE, 'content-encoding': 'gzip' });
  for (let i = 0; i < 8; i++) {
    const noise = Buffer.from(Array.from({ length: 1 + Math.floor(random() * 600) }, () => Math.floor(random() * 256)));
    raw(`random bytes ${i}`, noise, JSON_TYPE);
    raw(`random bytes as gzip ${i}`, noise, { ...JSON_TYPE, 'content-encoding': 'gzip' });
  }

  // Content types and bodies that are not JSON objects.
  raw('no content type', plain, {});
  raw('text/plain', plain, { 'content-type': 'text/plain' });
  raw('form', 'type=message', { 'content-type': 'application/x-www-form-urlencoded' });
  raw('latin-1 charset', plain, { 'content-type': 'application/json; charset=iso-8859-1' });
  raw('empty body', '', JSON_TYPE);
  raw('whitespace body', '   \n\t ', JSON_TYPE);
  raw('invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), JSON_TYPE);
  raw('a BOM then JSON', '\ufeff' + plain, JSON_TYPE);
  raw('truncated JSON', plain.slice(0, plain.length >> 1), JSON_TYPE);
  raw('two objects', `${plain}${plain}`, JSON_TYPE);
  for (const value of ['null', 'true', '42', '"message"', '[]', '[{}]', '{}', '1e999', '-0']) raw(`JSON ${value}`, value, JSON_TYPE);
  raw('2 MB of JSON', JSON.stringify({ ...base, text: 'x'.repeat(2 * 1024 * 1024) }), JSON_TYPE);
  for (const depth of [33, 100, 1_000, 100_000]) {
    raw(`arrays nested ${depth} deep`, nested(depth, 'array'), JSON_TYPE);
    raw(`objects nested ${depth} deep`, nested(depth, 'object'), JSON_TYPE);
    raw(`an activity whose value nests ${depth} deep`, `${plain.slice(0, -1)},"value":${nested(depth, 'array')}}`, JSON_TYPE);
    raw(`an activity whose channelData nests ${depth} deep`, `${plain.slice(0, -1)},"entities":[${nested(depth, 'object')}]}`, JSON_TYPE);
  }

  // Every field missing, or of every wrong type.
  for (const field of REQUIRED) json(`without ${field}`, setPath(base, field, undefined));
  for (const field of FIELDS) {
    for (const [label, value] of WRONG_VALUES) json(`${field} as ${label}`, setPath(base, field, value));
    json(`${field} as null`, setPath(base, field, null));
  }
  for (const url of ['not a url', 'javascript:alert(1)', 'ftp://127.0.0.1/', 'file:///etc/passwd', '//127.0.0.1/', '']) json(`serviceUrl ${JSON.stringify(url)}`, setPath(base, 'serviceUrl', url));
  json('__proto__ at the top', JSON.parse(`${plain.slice(0, -1)},"__proto__":{"polluted":true}}`));
  raw('__proto__ in channelData', `${plain.slice(0, -1).replace('"channelData":{', '"channelData":{"__proto__":{"isAdmin":true},')}}`, JSON_TYPE);
  raw('__proto__ in value', `${plain.slice(0, -1)},"value":{"__proto__":{"x":1}}}`, JSON_TYPE);

  // Texts no command has.
  const texts = [
    'x'.repeat(10_000),
    `check ${'a'.repeat(10_000)}`,
    `status ${'R-'.repeat(5_000)}`,
    '\u0000\u0001\u0002\u0007\u001b[31m',
    'help\u0000help',
    'check \u202econtoso-apim',
    '\u{1F600}'.repeat(2_000),
    '<at>APIM VNet Bot</at>'.repeat(300),
    '   ',
    '',
    'audit \r\n\r\nR-00000',
    'connect contoso-apim to ' + '/'.repeat(3_000),
  ];
  for (const [i, text] of texts.entries()) json(`text ${i} (${text.length} characters)`, { ...base, text });
  raw('a lone surrogate in text', plain.replace('"text":"help"', '"text":"\\ud800 help \\udfff"'), JSON_TYPE);
  raw('an escaped NUL in text', plain.replace('"text":"help"', '"text":"\\u0000"'), JSON_TYPE);

  // Activity types and invokes nobody sends, and invokes shaped wrong.
  for (const type of ['invoke', 'event', 'conversationUpdate', 'messageReaction', 'typing', 'endOfConversation', 'installationUpdate', 'handoff', 'unknownType', 'MESSAGE']) {
    json(`type ${type}`, { ...base, type });
  }
  for (const name of ['adaptiveCard/action', 'composeExtension/query', 'task/fetch', 'signin/verifyState', 'fileConsent/invoke', 'unknown/invoke', '', 'x'.repeat(5_000)]) {
    json(`invoke ${name.slice(0, 30)}`, { ...invoke, name });
  }
  for (const [label, value] of [
    ['no value', undefined],
    ['value a string', 'approve'],
    ['value an array', [1, 2]],
    ['action null', { action: null }],
    ['action a string', { action: 'Action.Execute' }],
    ['action without verb', { action: { type: 'Action.Execute', data: {} } }],
    ['verb a number', { action: { type: 'Action.Execute', verb: 7, data: {} } }],
    ['data a string', { action: { type: 'Action.Execute', verb: 'approve', data: 'R-00000' } }],
    ['data null', { action: { type: 'Action.Execute', verb: 'approve', data: null } }],
    ['requestId an object', { action: { type: 'Action.Execute', verb: 'approve', data: { requestId: { $gt: '' } } } }],
    ['requestId 10k long', { action: { type: 'Action.Execute', verb: 'cancel', data: { requestId: 'R'.repeat(10_000) } } }],
    ['checkId forged', { action: { type: 'Action.Execute', verb: 'requestIntegration', data: { checkId: '../../etc/passwd', subnetId: 'x' } } }],
    ['Action.Submit', { action: { type: 'Action.Submit', verb: 'approve', data: {} } }],
    ['unknown verb', { action: { type: 'Action.Execute', verb: 'rm -rf', data: {} } }],
  ] as [string, unknown][]) {
    json(`card action: ${label}`, setPath(invoke, 'value', value));
  }
  for (const [label, members] of [
    ['members a string', 'everyone'],
    ['members of numbers', [1, 2]],
    ['a member without id', [{}]],
    ['a thousand members', Array.from({ length: 1_000 }, (_, i) => ({ id: `29:m${i}`, name: 'x'.repeat(100) }))],
  ] as [string, unknown][]) {
    json(`conversationUpdate, ${label}`, { ...base, type: 'conversationUpdate', text: undefined, membersAdded: members });
    json(`conversationUpdate removed, ${label}`, { ...base, type: 'conversationUpdate', text: undefined, membersRemoved: members });
  }

  // Random combinations of the mutations above.
  while (out.length < 330) {
    let activity: Json = random() < 0.5 ? base : invoke;
    const mutations = 1 + Math.floor(random() * 3);
    for (let m = 0; m < mutations; m++) {
      const field = FIELDS[Math.floor(random() * FIELDS.length)]!;
      const [, value] = WRONG_VALUES[Math.floor(random() * WRONG_VALUES.length)]!;
      activity = setPath(activity, field, random() < 0.2 ? undefined : value);
    }
    json(`random mutation ${out.length}`, activity);
  }
  return out;
}

async function send(h: BotHarness, c: Case): Promise<number> {
  try {
    const response = await fetch(`${h.app.url}/api/messages`, { method: 'POST', headers: c.headers, body: c.body });
    await response.arrayBuffer();
    return response.status;
  } catch {
    // The server cut the connection of a client that kept sending past the limit: not a 5xx, and it stays up.
    return 0;
  }
}

let bomb: Buffer;
beforeAll(async () => {
  bomb = await compressedZeros(50 * 1024 * 1024);
});

describe.each([
  ['authentication off', {}],
  ['authentication on', MULTI_TENANT_APP],
] as [string, Record<string, string>][])('fuzzing /api/messages, %s', (_mode, env) => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await BotHarness.start({ seed: estate(), tenantId: TENANT, env });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers at least 300 malformed bodies and activities without one 5xx, and stays up', async () => {
    const all = cases(h.connector.url, bomb);
    expect(all.length).toBeGreaterThanOrEqual(300);
    const statuses: { name: string; status: number }[] = [];
    for (const [i, c] of all.entries()) {
      statuses.push({ name: c.name, status: await send(h, c) });
      if (i % 25 === 24) expect((await fetch(`${h.app.url}/healthz`)).status, `after ${c.name}`).toBe(200);
    }
    const failures = statuses.filter((s) => s.status >= 500);
    expect(failures).toEqual([]);
    expect(statuses.filter((s) => s.status === 0).map((s) => s.name)).toEqual([]);
    expect((await fetch(`${h.app.url}/healthz`)).status).toBe(200);
    // With authentication on, nothing without a token gets past the gate.
    if (env.MicrosoftAppId) expect(statuses.filter((s) => s.status === 200)).toEqual([]);
  }, 120_000);

  it('still answers a well-formed message afterwards', async () => {
    const activity = message(h.connector.url, TENANT, personalChat(alice), alice, 'help');
    const result = await h.post(activity);
    if (env.MicrosoftAppId) {
      expect(result.status).toBe(401);
      return;
    }
    expect(result.status).toBe(200);
    const reply = await h.connector.waitFor(() => h.connector.sent.find((s) => s.replyToId === activity.id && s.activity.type === 'message'), 5_000, 'the help reply');
    expect(textOf(reply.activity)).toMatch(/check/);
  });
});
