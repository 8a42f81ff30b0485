/**
 * The Bot Framework adapter with a front gate: refuse bodies that are not activities (400), authenticate (401),
 * then refuse tenants outside ALLOWED_TENANT_IDS (403), then run the turn.
 */
import type { Activity, TurnContext } from 'botbuilder';
import { TeamsAdapter } from '@microsoft/teams-ai';
import type { BotSettings } from '../config.js';
import type { Logger } from '../log.js';
import { activityShapeProblem } from './activity-shape.js';
import { tenantOf } from './turn-info.js';
import { messageOf } from '../errors.js';

/** The bits of an HTTP request and response the adapter uses (restify's fit). */
export interface HttpRequest {
  body?: unknown;
  headers: Record<string, string | string[] | undefined>;
}
export interface HttpResponse {
  status(code: number): unknown;
  send(body?: unknown): unknown;
  end(): unknown;
}

export type GateRefusal = { status: number; code: string; message: string };

/** Pure: may this activity be served? */
export function tenantGate(allowedTenantIds: readonly string[], activity: Partial<Activity>): GateRefusal | null {
  if (allowedTenantIds.length === 0) return null;
  const tenant = tenantOf(activity)?.toLowerCase();
  if (tenant && allowedTenantIds.some((t) => t.toLowerCase() === tenant)) return null;
  return { status: 403, code: 'TENANT_NOT_ALLOWED', message: 'This bot does not serve your organisation.' };
}

export class GatedTeamsAdapter extends TeamsAdapter {
  constructor(
    private readonly settings: BotSettings,
    private readonly logger: Logger,
  ) {
    super({
      MicrosoftAppId: settings.appId,
      MicrosoftAppPassword: settings.appPassword,
      MicrosoftAppType: settings.appType,
      MicrosoftAppTenantId: settings.appTenantId,
    });
  }

  async handle(req: HttpRequest, res: HttpResponse, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const end = (status: number, body?: unknown) => {
      res.status(status);
      if (body !== undefined) res.send(body);
      res.end();
    };
    const problem = activityShapeProblem(req.body);
    if (problem) {
      this.logger.info('request refused: not an activity', { problem });
      return end(400, { code: 'BAD_ACTIVITY', message: problem });
    }
    const activity = req.body as Activity;
    const header = req.headers.authorization;
    const authHeader = typeof header === 'string' ? header : '';

    let auth;
    try {
      auth = await this.botFrameworkAuthentication.authenticateRequest(activity, authHeader);
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      this.logger.warn('request refused: authentication failed', { hadToken: authHeader !== '', status });
      return end(status === 403 ? 403 : 401, { code: 'UNAUTHORIZED', message: 'A valid Bot Framework token is required.' });
    }
    const refusal = tenantGate(this.settings.allowedTenantIds, activity);
    if (refusal) {
      this.logger.warn('request refused: tenant not allowed', { tenant: tenantOf(activity), type: activity.type });
      return end(refusal.status, { code: refusal.code, message: refusal.message });
    }
    try {
      const invokeResponse = await this.processActivity(auth, activity, logic);
      end(invokeResponse?.status ?? 200, invokeResponse?.body);
    } catch (error) {
      this.logger.error('turn failed', { type: activity.type, error: messageOf(error) });
      end(500, { code: 'TURN_FAILED', message: 'The bot could not handle this activity.' });
    }
  }
}
