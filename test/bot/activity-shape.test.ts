import { describe, expect, it } from 'vitest';
import { MAX_ACTIVITY_DEPTH, activityShapeProblem } from '../../src/bot/activity-shape.js';
import { cardAction, channel, groupChat, membersAdded, message, personalChat, user } from '../support/index.js';

const SERVICE_URL = 'https://smba.trafficmanager.net/emea/';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const alice = user('Alice', '00000000-0000-0000-0000-00000000a11c');

const valid = () => message(SERVICE_URL, TENANT, personalChat(alice), alice, 'help') as Record<string, any>;

/** The activity with `path` (dotted) set to `value`, or removed when `value` is undefined. */
function withField(path: string, value: unknown): Record<string, any> {
  const activity = valid();
  const keys = path.split('.');
  let target = activity;
  for (const key of keys.slice(0, -1)) target = target[key] = { ...(target[key] ?? {}) };
  const last = keys[keys.length - 1]!;
  if (value === undefined) delete target[last];
  else target[last] = value;
  return activity;
}

function nested(depth: number, kind: 'array' | 'object'): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = kind === 'array' ? [value] : { a: value };
  return value;
}

describe('activities as Teams sends them', () => {
  it.each([
    ['a personal message', valid()],
    ['a group chat message', message(SERVICE_URL, TENANT, groupChat(), alice, 'check contoso-apim')],
    ['a channel message', message(SERVICE_URL, TENANT, channel(), alice, 'approvals here')],
    ['a card action', cardAction(SERVICE_URL, TENANT, groupChat(), alice, 'approve', { requestId: 'R-00000' }, '1:abc')],
    ['an install', membersAdded(SERVICE_URL, TENANT, channel(), alice)],
    ['a message from an http serviceUrl', { ...valid(), serviceUrl: 'http://127.0.0.1:3000/' }],
    ['a message with unknown extra fields', { ...valid(), localTimezone: 'Europe/Paris', textFormat: 'xml', deliveryMode: 5, extra: { deep: [null] } }],
    ['a message with null optional fields', { ...valid(), text: null, id: null, locale: null, channelData: null, entities: null }],
    ['a message whose strings hold control characters and lone surrogates', { ...valid(), text: '\u0000\u0007\u001b[31m\ud800\udfff\ud83d', from: { id: '\u0000', name: '\ud800' } }],
    ['an activity of a type the bot does not know', { ...valid(), type: 'somethingNew' }],
    ['any JSON as value', { ...valid(), value: [1, 'two', null, { three: [true] }] }],
    ['an empty optional id', withField('id', '')],
  ])('%s is accepted', (_what, activity) => {
    expect(activityShapeProblem(activity)).toBeNull();
  });
});

describe('bodies that are not activities', () => {
  it.each([null, 42, 'message', true, [], [valid()]])('%j is refused', (body) => {
    expect(activityShapeProblem(body)).toMatch(/must be a Bot Framework activity/);
  });
});

/** Wrong values for every field that is checked, and the reason naming it. */
const NOT_A_STRING = [42, true, {}, [], ['x']];
const NOT_AN_OBJECT = [42, true, 'x', [], [{}]];
const NOT_AN_ARRAY = [42, true, 'x', {}];

const cases: [string, unknown, RegExp][] = [];
const required = (path: string) => cases.push([path, undefined, new RegExp(`^${path.replace('.', '\\.')} is required\\.$`)], [path, null, /is required/]);
for (const path of ['type', 'serviceUrl', 'channelId', 'from', 'from.id', 'recipient', 'recipient.id', 'conversation', 'conversation.id']) required(path);
// The ids a reply is addressed by may not be empty either (the SDK fails on them).
for (const path of ['channelId', 'from.id', 'recipient.id', 'conversation.id']) {
  for (const value of [...NOT_A_STRING, '']) cases.push([path, value, new RegExp(`^${path.replaceAll('.', '\\.')} must be a non-empty string\\.$`)]);
}
for (const path of ['from.aadObjectId', 'from.name', 'conversation.tenantId', 'conversation.conversationType', 'id', 'name', 'text', 'replyToId', 'locale', 'timestamp', 'channelData.tenant.id', 'channelData.team.id', 'channelData.channel.id']) {
  for (const value of NOT_A_STRING) cases.push([path, value, new RegExp(`^${path.replaceAll('.', '\\.')} must be a string\\.$`)]);
}
for (const value of [...NOT_A_STRING, '']) cases.push(['type', value, /^type must be a non-empty string\.$/]);
for (const value of [...NOT_A_STRING, '', 'not a url', '/v3/conversations', 'ftp://files.example/', 'file:///etc/passwd', 'javascript:alert(1)', 'https//missing-colon'])
  cases.push(['serviceUrl', value, /^serviceUrl must be an http\(s\) URL\.$/]);
for (const path of ['from', 'recipient', 'conversation', 'channelData', 'channelData.tenant', 'channelData.team', 'channelData.channel']) {
  for (const value of NOT_AN_OBJECT) cases.push([path, value, new RegExp(`^${path.replaceAll('.', '\\.')} must be an object\\.$`)]);
}
for (const path of ['attachments', 'entities', 'membersAdded', 'membersRemoved']) {
  for (const value of NOT_AN_ARRAY) cases.push([path, value, new RegExp(`^${path} must be an array\\.$`)]);
  for (const item of [null, 42, 'x', [], true]) cases.push([path, [{ id: 'ok' }, item], new RegExp(`^${path}\\[1\\] must be an object\\.$`)]);
}

describe('malformed fields', () => {
  it.each(cases)('%s = %j is refused, naming the field', (path, value, reason) => {
    expect(activityShapeProblem(withField(path, value))).toMatch(reason);
  });
});

describe('structure', () => {
  it.each(['array', 'object'] as const)(`%s nesting: ${MAX_ACTIVITY_DEPTH} levels in all is accepted, one more is refused`, (kind) => {
    // The activity itself is level 1, so `value` may nest MAX - 1 levels.
    expect(activityShapeProblem({ ...valid(), value: nested(MAX_ACTIVITY_DEPTH - 1, kind) })).toBeNull();
    expect(activityShapeProblem({ ...valid(), value: nested(MAX_ACTIVITY_DEPTH, kind) })).toBe(`value nests deeper than ${MAX_ACTIVITY_DEPTH} levels.`);
    expect(activityShapeProblem({ ...valid(), channelData: nested(100_000, kind) })).toMatch(/^channelData nests deeper/);
  });

  it('refuses a __proto__ key anywhere, naming the top-level field', () => {
    const parse = (text: string) => JSON.parse(text) as Record<string, unknown>;
    const base = JSON.stringify(valid()).slice(1, -1);
    expect(activityShapeProblem(parse(`{"__proto__":{"admin":true},${base}}`))).toBe('The activity has a key "__proto__", which is not accepted.');
    expect(activityShapeProblem(parse(`{${base},"value":{"a":[{"__proto__":1}]}}`))).toBe('value has a key "__proto__", which is not accepted.');
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('accepts keys that merely look special', () => {
    expect(activityShapeProblem({ ...valid(), value: { constructor: 1, prototype: 2, toString: 'x', hasOwnProperty: null } })).toBeNull();
  });

  it('keeps reasons short', () => {
    for (const [path, value] of cases) expect(activityShapeProblem(withField(path, value))!.length).toBeLessThan(120);
  });
});
