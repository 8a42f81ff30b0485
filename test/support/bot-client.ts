/** Talks to a bot's /api/messages as Teams would, and reads what it sends through the fake connector. */
import type { FakeConnector } from './fake-connector.js';
import { cardAction, message, type Chat, type TeamsUser } from './teams.js';

export interface HttpResult {
  status: number;
  body: any;
  ms: number;
}

export class BotClient {
  constructor(
    /** Base URL of the bot server (…/api/messages is appended). */
    public baseUrl: string,
    readonly connector: FakeConnector,
    readonly tenantId: string,
  ) {}

  async post(body: unknown, headers: Record<string, string> = {}): Promise<HttpResult> {
    const started = performance.now();
    const response = await fetch(`${this.baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    const ms = performance.now() - started;
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed, ms };
  }

  /** A person types in a chat; returns the HTTP result and the bot's reply to that message. `mentions`: see `message`. */
  async say(from: TeamsUser, chat: Chat, text: string, tenantId = this.tenantId, mentions: TeamsUser[] = []) {
    const activity = message(this.connector.url, tenantId, chat, from, text, mentions);
    const result = await this.post(activity);
    const reply = this.connector.sent.find((s) => s.kind === 'post' && s.activity.type === 'message' && s.replyToId === activity.id);
    return { ...result, reply };
  }

  /** A person clicks an Action.Execute button on the card posted as `replyToId`. */
  click(from: TeamsUser, chat: Chat, verb: string, data: Record<string, unknown>, replyToId: string | null, tenantId = this.tenantId): Promise<HttpResult> {
    return this.post(cardAction(this.connector.url, tenantId, chat, from, verb, data, replyToId));
  }
}
