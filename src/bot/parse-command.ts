/**
 * Chat text -> Command. Pure. Tolerant of case, @mentions, HTML from the Teams client, quotes, politeness and
 * a few phrasings per command; anything it cannot read becomes `help` with the problem spelled out.
 */
import type { SubnetTarget } from '../requests/check-record.js';
import { normalizeRequestId } from '../requests/request-id.js';

export type { SubnetTarget };

export type Command =
  | { kind: 'check'; instance: string; target: SubnetTarget | null }
  | { kind: 'integrate'; instance: string; target: SubnetTarget | null }
  | { kind: 'disconnect'; instance: string }
  /** `target` is a request id or an instance (name or resource id); null = this conversation's requests. */
  | { kind: 'status'; target: string | null }
  | { kind: 'requests' }
  /** What waits for the asker's decision, across every chat; `page` from 1. */
  | { kind: 'pending'; page: number }
  /** The asker's own requests, anywhere, newest first. */
  | { kind: 'myRequests'; page: number }
  | { kind: 'cancel'; requestId: string }
  | { kind: 'retry'; requestId: string }
  /** The audit log of one request. */
  | { kind: 'audit'; requestId: string }
  | { kind: 'approvalsHere' }
  /** Who decides requests: on one instance (a name or resource id), or under the default rule when null. */
  | { kind: 'whoApproves'; instance: string | null }
  /**
   * An approver lets someone decide in their place: `to` is the text naming them (an Entra object id; empty
   * when they were @mentioned, which the route reads from the activity), `until` the end as typed.
   */
  | { kind: 'delegate'; to: string; until: string }
  | { kind: 'delegations' }
  | { kind: 'withdrawDelegation' }
  /** `problem` says what was wrong with the text; null when the person asked for help. */
  | { kind: 'help'; problem: string | null };

const ENTITIES: Record<string, string> = { '&nbsp;': ' ', '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&apos;': "'" };

/** Removes @mentions (`<at>…</at>` with their text), other markup and entities; collapses whitespace. */
export function cleanText(text: string): string {
  return text
    .replace(/<at>[\s\S]*?<\/at>/gi, ' ')
    .replace(/<\/?(p|div|br)\b[^>]*>/gi, ' ')
    .replace(/<[^>]+>/g, '')
    .replace(/&(nbsp|amp|lt|gt|quot|#39|apos);/gi, (m) => ENTITIES[m.toLowerCase()] ?? m)
    .replace(/\s+/g, ' ')
    .trim();
}

const POLITE_PREFIX = /^(?:(?:please|pls|plz|hey|hi|hello|ok|okay|bot|can you|could you|would you|will you|i want to|i'd like to|i would like to|i need to|let's|lets)[\s,]+)+/i;
const POLITE_SUFFIX = /(?:[\s,]+(?:please|pls|plz|thanks|thank you|thx|now))+$/i;
const QUOTES = /^["'`“”‘’]+|["'`“”‘’]+$/g;

function tokensOf(text: string): string[] {
  let body = text.replace(/[?!.]+$/, '').trim();
  body = body.replace(POLITE_PREFIX, '').replace(POLITE_SUFFIX, '').trim();
  return body
    .split(' ')
    .map((t) => t.replace(QUOTES, '').replace(/[,;]+$/, ''))
    .filter((t) => t.length > 0);
}

const lower = (t: string | undefined) => (t ?? '').toLowerCase();

/** Words people put before a name ("check the instance contoso-apim"); skipped only when a name follows. */
const INSTANCE_FILLERS = new Set(['the', 'instance', 'of', 'for', 'on', 'my', 'our']);
const TARGET_CONNECTORS = new Set(['to', 'with', 'into', 'onto', 'in', 'using', 'on', 'via', 'through']);
const TARGET_FILLERS = new Set(['the', 'subnet', 'vnet', 'virtual', 'network', 'a']);

function skipFillers(tokens: string[], fillers: Set<string>): string[] {
  let i = 0;
  while (i < tokens.length - 1 && fillers.has(lower(tokens[i]))) i++;
  return tokens.slice(i);
}

/** "<vnet>/<subnet>", a subnet resource id, "subnet S in [vnet] V", "vnet V subnet S", or a VNet alone. */
export function parseTarget(tokens: string[]): SubnetTarget | { problem: string } {
  const words = tokens.filter((t) => !['the', 'a'].includes(lower(t)));
  if (words.length === 0) return { problem: 'Name the subnet after the instance, as `<vnet>/<subnet>` or a subnet resource id.' };
  const first = words[0] ?? '';
  if (words.length === 1 || (words.length === 2 && ['subnet', 'vnet'].includes(lower(first)))) {
    const only = words[words.length - 1] ?? '';
    if (only.toLowerCase().startsWith('/subscriptions/')) {
      if (!/\/subnets\/[^/]+\/?$/i.test(only)) return { problem: `${only} is not a subnet resource id (it should end in /subnets/<name>).` };
      return { kind: 'id', id: only.replace(/\/+$/, '') };
    }
    const parts = only.split('/').filter(Boolean);
    if (parts.length === 2 && parts[0] && parts[1]) return { kind: 'name', vnet: parts[0], subnet: parts[1] };
    if (parts.length === 1 && parts[0]) return { kind: 'vnet', vnet: parts[0] };
    return { problem: `I could not read "${only}" as \`<vnet>/<subnet>\` or a subnet resource id.` };
  }
  // subnet S in [vnet] V  |  S in [vnet] V
  const rest = lower(first) === 'subnet' ? words.slice(1) : words;
  if (rest.length >= 3 && ['in', 'of', 'from'].includes(lower(rest[1]))) {
    const vnetWords = skipFillers(rest.slice(2), TARGET_FILLERS);
    if (vnetWords.length === 1 && rest[0] && vnetWords[0]) return { kind: 'name', vnet: vnetWords[0], subnet: rest[0] };
  }
  // vnet V subnet S
  if (words.length === 4 && lower(words[0]) === 'vnet' && lower(words[2]) === 'subnet' && words[1] && words[3]) {
    return { kind: 'name', vnet: words[1], subnet: words[3] };
  }
  return { problem: `I could not read "${tokens.join(' ')}" as a subnet. Write \`<vnet>/<subnet>\` or paste the subnet's resource id.` };
}

/** `[a] new subnet [in [the] [vnet] <vnet>]`; null when the tokens do not start with "new subnet". */
export function parseNewSubnet(tokens: string[]): SubnetTarget | { problem: string } | null {
  const words = tokens.filter((t) => !['a', 'the'].includes(lower(t)));
  if (lower(words[0]) !== 'new' || lower(words[1]) !== 'subnet') return null;
  const rest = words.slice(2);
  if (rest.length === 0) return { kind: 'new', vnet: null };
  if (['in', 'into', 'on', 'of', 'inside'].includes(lower(rest[0]))) {
    const vnetWords = skipFillers(rest.slice(1), TARGET_FILLERS);
    if (vnetWords.length === 1 && vnetWords[0] && !vnetWords[0].includes('/')) return { kind: 'new', vnet: vnetWords[0] };
    if (vnetWords.length === 1 && vnetWords[0]?.toLowerCase().startsWith('/subscriptions/')) return { kind: 'new', vnet: vnetWords[0].replace(/\/+$/, '') };
  }
  return { problem: `I could not read "${tokens.join(' ')}". Write \`integrate <instance> new subnet\` or \`integrate <instance> new subnet in <vnet>\`.` };
}

type Parsed = { instance: string; rest: string[] } | { problem: string };

/** The instance name or id (one token, after fillers), and what follows it. */
function takeInstance(tokens: string[], usage: string): Parsed {
  const words = skipFillers(tokens, INSTANCE_FILLERS);
  const instance = words[0];
  if (!instance) return { problem: `Name the API Management instance: ${usage}` };
  return { instance, rest: words.slice(1) };
}

function withTarget(kind: 'check' | 'integrate', tokens: string[], usage: string): Command {
  const parsed = takeInstance(tokens, usage);
  if ('problem' in parsed) return { kind: 'help', problem: parsed.problem };
  const { instance, rest } = parsed;
  if (rest.length === 0) return { kind, instance, target: null };
  const connector = lower(rest[0]);
  const targetTokens = TARGET_CONNECTORS.has(connector) ? rest.slice(1) : rest;
  const newSubnet = parseNewSubnet(targetTokens);
  if (newSubnet) return 'problem' in newSubnet ? { kind: 'help', problem: newSubnet.problem } : { kind, instance, target: newSubnet };
  const target = parseTarget(skipFillers(targetTokens, new Set(['the'])));
  if ('problem' in target) return { kind: 'help', problem: target.problem };
  return { kind, instance, target };
}

function single(kind: 'disconnect', tokens: string[], usage: string): Command {
  const parsed = takeInstance(tokens, usage);
  if ('problem' in parsed) return { kind: 'help', problem: parsed.problem };
  // "disconnect X from its vnet", "disconnect X from the subnet": the tail says nothing more.
  const tail = parsed.rest.map(lower).filter((t) => !['from', 'its', 'the', 'vnet', 'subnet', 'network', 'virtual', 'integration'].includes(t));
  if (tail.length > 0) return { kind: 'help', problem: `I did not understand "${parsed.rest.join(' ')}" after the instance. ${usage}` };
  return { kind, instance: parsed.instance };
}

const CHECK_USAGE = '`check <instance>` (optionally `in <vnet>`).';
const INTEGRATE_USAGE = '`integrate <instance>`, `connect <instance> to <vnet>/<subnet>` or `integrate <instance> new subnet [in <vnet>]`.';
const DISCONNECT_USAGE = '`disconnect <instance>`.';
const CANCEL_USAGE = '`cancel <request id>`, for example `cancel R-7K3QM`.';
const RETRY_USAGE = '`retry <request id>`, for example `retry R-7K3QM`.';
const AUDIT_USAGE = '`audit <request id>`, for example `audit R-7K3QM`.';
export const DELEGATE_USAGE = '`delegate to @person until <date>` (or `for <n> days`), for example `delegate to @Dave until 2026-12-24`.';

/** The tokens after a leading phrase (matched on whole lower-cased words), or null when `tokens` does not start with it. */
function after(tokens: string[], phrase: RegExp): string[] | null {
  const text = tokens.map(lower).join(' ');
  const match = phrase.exec(text);
  if (!match || match.index !== 0) return null;
  const used = match[0].trim() === '' ? 0 : match[0].trim().split(' ').length;
  return tokens.slice(used);
}

const HELP_WORDS = new Set(['help', '?', 'commands', 'usage', 'menu', 'start', 'hi', 'hello', 'hey', 'examples']);
const WHO_FILLERS = new Set(['for', 'on', 'of', 'the', 'instance', 'requests', 'here', 'in', 'this', 'chat']);
const STATUS_FILLERS = new Set(['of', 'for', 'on', 'the', 'request', 'instance', 'my']);

export function parseCommand(rawText: string | null | undefined): Command {
  const text = cleanText(rawText ?? '');
  const tokens = tokensOf(text);
  if (tokens.length === 0) return { kind: 'help', problem: null };
  const phrase = tokens.map(lower).join(' ');
  const w0 = lower(tokens[0]);

  if ((HELP_WORDS.has(w0) && tokens.length <= 2) || /^what (can|do) you do$/.test(phrase)) return { kind: 'help', problem: null };

  if (
    /^(set |use |send |post )?(the )?approvals?( channel)? (here|to this channel|in this channel)$/.test(phrase) ||
    /^(use|set|make) this (channel|chat) (for|as) (the )?approvals?( channel)?$/.test(phrase) ||
    /^set (the )?approvals? channel$/.test(phrase)
  ) {
    return { kind: 'approvalsHere' };
  }

  const who =
    after(tokens, /^who (approves|can approve|decides|signs off)( (requests|changes|integrations?))?\b/) ??
    after(tokens, /^(who are|who's|who is|list|show)( me)?( the)? approvers?\b/) ??
    after(tokens, /^approvers\b/);
  if (who) {
    const rest = who.filter((t) => !WHO_FILLERS.has(lower(t)));
    if (rest.length === 0) return { kind: 'whoApproves', instance: null };
    if (rest.length === 1 && rest[0]) return { kind: 'whoApproves', instance: rest[0] };
    return { kind: 'help', problem: `I did not understand "${rest.join(' ')}". Write \`who approves\` or \`who approves <instance>\`.` };
  }

  if (/^(withdraw|end|cancel|stop|revoke|remove) (my |the )?delegation$|^stop delegating$/.test(phrase)) return { kind: 'withdrawDelegation' };
  if (/^((list|show|get) )?(my |the )?delegations?$/.test(phrase)) return { kind: 'delegations' };
  const delegate = after(tokens, /^delegate( my approvals)?\b/);
  if (delegate) {
    const rest = lower(delegate[0]) === 'to' ? delegate.slice(1) : delegate;
    const cut = rest.findIndex((t) => ['until', 'till', 'for'].includes(lower(t)));
    if (cut < 0 || cut === rest.length - 1) return { kind: 'help', problem: `Say until when: ${DELEGATE_USAGE}` };
    const until = rest.slice(cut + 1).join(' ');
    return { kind: 'delegate', to: rest.slice(0, cut).join(' '), until: lower(rest[cut]) === 'for' ? `for ${until}` : until };
  }

  const paged = /^(?:(?:list|show|get) )?(pending|pending approvals|my approvals|waiting for me|what waits for me|my requests)(?: page (\d{1,3}))?$/.exec(phrase);
  if (paged) return { kind: paged[1] === 'my requests' ? 'myRequests' : 'pending', page: Math.max(1, Number(paged[2] ?? 1)) };
  if (/^((list|show|get) )?((all|the|open|pending|active) )*requests$/.test(phrase) || phrase === 'list') return { kind: 'requests' };

  const cancel = after(tokens, /^(cancel|withdraw|abort|revoke)\b/);
  if (cancel) {
    const rest = cancel.filter((t) => !['request', 'my', 'the'].includes(lower(t)));
    const id = rest.length === 1 && rest[0] ? normalizeRequestId(rest[0]) : null;
    if (id) return { kind: 'cancel', requestId: id };
    return { kind: 'help', problem: rest.length === 0 ? `Say which request: ${CANCEL_USAGE}` : `"${rest.join(' ')}" is not a request id. ${CANCEL_USAGE}` };
  }

  const retry = after(tokens, /^(retry|try again|rerun|re-run)\b/);
  if (retry) {
    const rest = retry.filter((t) => !['request', 'my', 'the'].includes(lower(t)));
    const id = rest.length === 1 && rest[0] ? normalizeRequestId(rest[0]) : null;
    if (id) return { kind: 'retry', requestId: id };
    return { kind: 'help', problem: rest.length === 0 ? `Say which request: ${RETRY_USAGE}` : `"${rest.join(' ')}" is not a request id. ${RETRY_USAGE}` };
  }

  const audit = after(tokens, /^(show( me)?( the)? |get( the)? )?audit( (log|trail))?\b/);
  if (audit) {
    const rest = audit.filter((t) => !['of', 'for', 'request', 'the'].includes(lower(t)));
    const id = rest.length === 1 && rest[0] ? normalizeRequestId(rest[0]) : null;
    if (id) return { kind: 'audit', requestId: id };
    return { kind: 'help', problem: rest.length === 0 ? `Say which request: ${AUDIT_USAGE}` : `"${rest.join(' ')}" is not a request id. ${AUDIT_USAGE}` };
  }

  const status = after(tokens, /^(what('s| is) the |show( me)?( the)? |get( the)? )?(status|state)\b/);
  if (status) {
    const rest = skipFillers(status, STATUS_FILLERS);
    if (rest.length === 0 || (rest.length === 1 && STATUS_FILLERS.has(lower(rest[0])))) return { kind: 'status', target: null };
    if (rest.length === 1 && rest[0]) return { kind: 'status', target: rest[0] };
    return { kind: 'help', problem: `I did not understand "${rest.join(' ')}". Write \`status <instance>\` or \`status <request id>\`.` };
  }

  const disconnect =
    after(tokens, /^(disconnect|detach|unintegrate|unlink)\b/) ??
    after(tokens, /^(disable|remove|turn off|stop|delete|undo) (the )?((vnet|network|virtual network) )?integration( (for|on|of|from))?\b/);
  if (disconnect) return single('disconnect', disconnect, DISCONNECT_USAGE);

  const integrate =
    after(tokens, /^(integrate|connect|join|attach|link)\b/) ??
    after(tokens, /^(enable|add|set up|setup|configure|request) (the )?((vnet|network|virtual network) )?integration( (for|on|of|to))?\b/);
  if (integrate) return withTarget('integrate', integrate, INTEGRATE_USAGE);

  const check =
    after(tokens, /^(check|verify|validate|assess|evaluate)( (eligibility|whether|if))?( (of|for))?\b/) ??
    after(tokens, /^(eligibility|options|subnets)( (of|for))?\b/) ??
    after(tokens, /^can (i|we) (integrate|connect)\b/);
  if (check) return withTarget('check', check, CHECK_USAGE);
  const eligible = /^is (\S+) (eligible|ready)( for (vnet |network )?integration)?$/.exec(phrase);
  if (eligible) return withTarget('check', [tokens[1] ?? ''], CHECK_USAGE);

  return { kind: 'help', problem: `I did not understand "${text.length > 80 ? text.slice(0, 77) + '…' : text}".` };
}
