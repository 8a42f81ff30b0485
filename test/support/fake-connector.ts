/**
 * A local stand-in for the Bot Framework Connector that Teams' serviceUrl points at. It answers like the
 * connector (`{ id }`) and records everything the bot sends:
 *   POST /v3/conversations/{id}/activities[/{replyToId}]  new message or reply
 *   PUT  /v3/conversations/{id}/activities/{activityId}   update (Teams: for everyone)
 *   POST /v3/conversations                                 proactive conversation creation
 *   GET  /v3/conversations/{id}/members/{memberId}        one member (TeamsInfo.getMember), from `addMembers`
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TeamsUser } from './teams.js';

export interface Sent {
  method: 'POST' | 'PUT';
  kind: 'post' | 'update' | 'createConversation';
  conversationId: string;
  /** The id the connector gave (post) or the id updated (update). */
  activityId: string;
  replyToId: string | null;
  activity: Record<string, any>;
  authorization: string | null;
  at: number;
}

export class FakeConnector {
  readonly sent: Sent[] = [];
  private counter = 0;
  private failures: { status: number; count: number }[] = [];
  private readonly members = new Map<string, TeamsUser[]>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeConnector> {
    let connector!: FakeConnector;
    const server = createServer((req, res) => {
      void connector.handle(req).then(
        ({ status, body }) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        },
        (error: unknown) => {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: String(error) }));
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    connector = new FakeConnector(server, `http://127.0.0.1:${port}/`);
    return connector;
  }

  /** People the roster API finds in the conversation. */
  addMembers(conversationId: string, ...users: TeamsUser[]): void {
    this.members.set(conversationId, [...(this.members.get(conversationId) ?? []), ...users]);
  }

  /** The next `count` sends are answered with `status` (e.g. 429) and not recorded. */
  failNext(status: number, count = 1): void {
    this.failures.push({ status, count });
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const activity = text ? (JSON.parse(text) as Record<string, any>) : {};
    const failure = this.failures[0];
    if (failure) {
      if (--failure.count <= 0) this.failures.shift();
      return { status: failure.status, body: { error: { code: 'Injected', message: 'fake connector failure' } } };
    }
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    const authorization = req.headers.authorization ?? null;
    if (parts[0] !== 'v3' || parts[1] !== 'conversations') return { status: 404, body: { error: 'unknown path' } };
    if (parts.length === 2 && req.method === 'POST') {
      const id = `a:conv-${++this.counter}`;
      this.record({ method: 'POST', kind: 'createConversation', conversationId: id, activityId: '', replyToId: null, activity, authorization, at: Date.now() });
      return { status: 200, body: { id, activityId: `act-${this.counter}` } };
    }
    const conversationId = parts[2] ?? '';
    if (parts[3] === 'members' && parts[4] && req.method === 'GET') return this.member(conversationId, parts[4]);
    if (parts[3] !== 'activities') return { status: 404, body: { error: 'unknown path' } };
    if (req.method === 'POST') {
      const id = `act-${++this.counter}`;
      this.record({ method: 'POST', kind: 'post', conversationId, activityId: id, replyToId: parts[4] ?? null, activity, authorization, at: Date.now() });
      return { status: 200, body: { id } };
    }
    if (req.method === 'PUT' && parts[4]) {
      this.record({ method: 'PUT', kind: 'update', conversationId, activityId: parts[4], replyToId: null, activity, authorization, at: Date.now() });
      return { status: 200, body: { id: parts[4] } };
    }
    return { status: 405, body: { error: 'method' } };
  }

  private member(conversationId: string, memberId: string): { status: number; body: unknown } {
    // Teams finds a member by Teams id, UPN or Entra object id.
    const found = this.members.get(conversationId)?.find((u) => u.teamsId === memberId || u.aadObjectId?.toLowerCase() === memberId.toLowerCase());
    if (!found) return { status: 404, body: { error: { code: 'MemberNotFoundInConversation', message: 'The member is not part of the conversation.' } } };
    const upn = `${found.name.toLowerCase()}@contoso.example`;
    return { status: 200, body: { id: found.teamsId, name: found.name, aadObjectId: found.aadObjectId, userPrincipalName: upn, email: upn, userRole: 'user' } };
  }

  private record(sent: Sent): void {
    this.sent.push(sent);
  }

  /** Messages (no typing indicators), optionally in one conversation. */
  messages(conversationId?: string): Sent[] {
    return this.sent.filter((s) => s.activity.type === 'message' && (conversationId === undefined || s.conversationId === conversationId));
  }

  /** The last card the bot showed under this activity id (its post or its latest update). */
  latestCard(activityId: string): Record<string, any> | null {
    const versions = this.sent.filter((s) => s.activityId === activityId && s.activity.attachments?.length);
    return cardOf(versions.at(-1)?.activity) ?? null;
  }

  async waitFor<T>(find: () => T | null | undefined | false, timeoutMs = 15_000, what = 'a condition'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = find();
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}. Sent so far:\n${this.describe()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  describe(): string {
    return this.sent
      .filter((s) => s.activity.type !== 'typing')
      .map((s) => `${s.kind} ${s.conversationId} ${s.activityId}: ${(s.activity.text ?? textOf(cardOf(s.activity))).slice(0, 160)}`)
      .join('\n');
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

export function cardOf(activity: Record<string, any> | undefined): Record<string, any> | undefined {
  const attachment = activity?.attachments?.find((a: any) => a.contentType === 'application/vnd.microsoft.card.adaptive');
  return attachment?.content;
}

/** All text of an activity or card, flattened, for assertions. */
export function textOf(value: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
  return out.join(' \n ');
}

/** The Action.Execute actions of a card. */
export function actionsOf(card: Record<string, any> | null | undefined): { verb: string; data: Record<string, any>; title: string }[] {
  return ((card?.actions ?? []) as any[]).filter((a) => a.type === 'Action.Execute');
}

/** The choices of the card's Input.ChoiceSet with this id. */
export function choicesOf(card: Record<string, any> | null | undefined, id: string): { title: string; value: string }[] {
  let found: { title: string; value: string }[] = [];
  const walk = (v: any) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      if (v.type === 'Input.ChoiceSet' && v.id === id) found = v.choices ?? [];
      Object.values(v).forEach(walk);
    }
  };
  walk(card);
  return found;
}
