/**
 * Which of the approver groups a person belongs to, asked of Microsoft Graph with the bot's own identity:
 * `POST {endpoint}/v1.0/directoryObjects/{id}/checkMemberGroups` with `{ "groupIds": [...] }` (at most 20 ids per
 * call, transitive membership). The bot's identity needs the Graph application permissions GroupMember.Read.All and
 * User.Read.All. An answer is kept for a short while per (person, set of groups); a failure is never kept and never
 * grants: the caller gets the reason instead of a membership.
 */
import type { TokenCredential } from '@azure/core-auth';
import { messageOf } from '../errors.js';
import type { Logger } from '../log.js';
import { TtlCache } from '../common/ttl-cache.js';

export type MembershipAnswer = { ok: true; memberOf: string[] } | { ok: false; reason: string };

/** What the bot asks of the directory about approver groups. */
export interface GroupDirectory {
  /** The subset of `groupIds` that `objectId` is a (transitive) member of. */
  checkMemberGroups(objectId: string, groupIds: readonly string[]): Promise<MembershipAnswer>;
}

export interface GraphDirectoryOptions {
  /** Microsoft Graph, or a sandbox standing in for it (no trailing slash). */
  endpoint: string;
  credential: TokenCredential;
  /** How long an answer is kept (GROUP_CACHE_SECONDS); 0 = asked every time. */
  cacheSeconds: number;
  timeoutMs: number;
  logger: Logger;
  now?: () => number;
}

/** Graph takes at most this many group ids per checkMemberGroups call. */
export const GRAPH_GROUP_IDS_PER_CALL = 20;

class GraphRefusal extends Error {}

export class GraphGroupDirectory implements GroupDirectory {
  private readonly cache: TtlCache<Promise<string[]>>;
  private readonly scope: string;

  constructor(private readonly options: GraphDirectoryOptions) {
    this.cache = new TtlCache(options.cacheSeconds * 1000, options.now);
    this.scope = `${new URL(options.endpoint).origin}/.default`;
  }

  async checkMemberGroups(objectId: string, groupIds: readonly string[]): Promise<MembershipAnswer> {
    const unique = [...new Map(groupIds.map((g) => [g.toLowerCase(), g])).values()];
    if (unique.length === 0) return { ok: true, memberOf: [] };
    const key = `${objectId.toLowerCase()}|${unique.map((g) => g.toLowerCase()).sort().join(',')}`;
    let answer = this.cache.get(key);
    if (!answer) {
      answer = this.ask(objectId, unique);
      this.cache.set(key, answer);
    }
    try {
      return { ok: true, memberOf: await answer };
    } catch (error) {
      this.cache.delete(key);
      const reason = error instanceof GraphRefusal ? error.message : `Microsoft Graph could not be reached (${messageOf(error)})`;
      this.options.logger.warn('group membership check failed', { groups: unique.length, reason });
      return { ok: false, reason };
    }
  }

  private async ask(objectId: string, groupIds: string[]): Promise<string[]> {
    const chunks: string[][] = [];
    for (let i = 0; i < groupIds.length; i += GRAPH_GROUP_IDS_PER_CALL) chunks.push(groupIds.slice(i, i + GRAPH_GROUP_IDS_PER_CALL));
    const token = await this.token();
    const answers = await Promise.all(chunks.map((chunk) => this.askOnce(objectId, chunk, token)));
    return answers.flat();
  }

  private async token(): Promise<string> {
    let token;
    try {
      token = await this.options.credential.getToken(this.scope);
    } catch (error) {
      throw new GraphRefusal(`the bot got no token for Microsoft Graph (${messageOf(error).split('\n')[0]?.slice(0, 200)})`);
    }
    if (!token) throw new GraphRefusal('the bot got no token for Microsoft Graph');
    return token.token;
  }

  private async askOnce(objectId: string, groupIds: string[], token: string): Promise<string[]> {
    const url = `${this.options.endpoint}/v1.0/directoryObjects/${encodeURIComponent(objectId)}/checkMemberGroups`;
    const started = Date.now();
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ groupIds }),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
        const ms = this.options.timeoutMs;
        throw new GraphRefusal(`Microsoft Graph did not answer within ${ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`}`);
      }
      throw new GraphRefusal(`Microsoft Graph could not be reached (${networkCause(error)})`);
    }
    const body: unknown = await response.json().catch(() => undefined);
    this.options.logger.debug('graph request', { method: 'POST', path: 'checkMemberGroups', status: response.status, ms: Date.now() - started });
    if (!response.ok) throw new GraphRefusal(refusalText(response.status, body));
    const value = (body as { value?: unknown } | undefined)?.value;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new GraphRefusal("Microsoft Graph's answer was not a list of group ids");
    const returned = new Set((value as string[]).map((v) => v.toLowerCase()));
    return groupIds.filter((g) => returned.has(g.toLowerCase()));
  }
}

/** "Microsoft Graph answered 403 Authorization_RequestDenied: …" (Graph's code only; its message is not repeated). */
function refusalText(status: number, body: unknown): string {
  const code = (body as { error?: { code?: unknown } } | undefined)?.error?.code;
  const what = `Microsoft Graph answered ${status}${typeof code === 'string' ? ` ${code.slice(0, 80)}` : ''}`;
  if (status === 401 || status === 403) return `${what}: the bot's identity needs the Graph application permissions GroupMember.Read.All and User.Read.All`;
  return what;
}

/** fetch says only "fetch failed": the reason is its cause (ECONNREFUSED, ENOTFOUND, …). */
function networkCause(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (typeof cause?.code === 'string') return cause.code;
  return typeof cause?.message === 'string' ? cause.message : messageOf(error);
}
