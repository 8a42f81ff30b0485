/**
 * The names the bot's telemetry is found by in Application Insights: spans, their attributes, metrics. Described
 * once here; nothing else spells them. Attributes never carry what a person typed, tokens or secrets.
 */

/** The instrumentation scope of the bot's own spans and metrics. */
export const SCOPE = 'apim-vnet-bot';

export const SPAN = {
  /** One Teams activity through /api/messages, e.g. `turn message`, `turn invoke`. */
  turn: (activityType: string) => `turn ${activityType}`,
  /** One run of an approved request's apply (claimed by this process). */
  apply: 'apply',
  /** One step of the apply's step table (`apply/steps.ts`), e.g. `apply step updateInstance`. */
  step: (step: string) => `apply step ${step}`,
} as const;

const PREFIX = 'apim_vnet_bot';

export const ATTRIBUTE = {
  /** The turn id: also every log line's `turnId` and ARM's `x-ms-client-request-id`. */
  turnId: `${PREFIX}.turn.id`,
  activityType: `${PREFIX}.activity.type`,
  /** An invoke's name (`adaptiveCard/action`). */
  invokeName: `${PREFIX}.invoke.name`,
  /** personal, groupChat or channel. */
  conversationType: `${PREFIX}.conversation.type`,
  /** The text command's kind (`check`, `status`, …), not its text. */
  command: `${PREFIX}.command`,
  /** A card action's verb (`approve`, `requestIntegration`, …). */
  cardAction: `${PREFIX}.card.action`,
  requestId: `${PREFIX}.request.id`,
  requestKind: `${PREFIX}.request.kind`,
  /** The state a request is left in when its apply run ends. */
  requestState: `${PREFIX}.request.state`,
  step: `${PREFIX}.apply.step`,
  /** Which one of a step that runs once per item (a rule, an undo target). */
  stepItem: `${PREFIX}.apply.step_item`,
  /** A check of one named subnet, or of every subnet of the subscription. */
  checkScope: `${PREFIX}.check.scope`,
  /** ok, or error when the check could not finish. */
  checkOutcome: `${PREFIX}.check.outcome`,
} as const;

/** The request lifecycle transitions that are counted, each once, when the store records them. */
export type RequestMetric = 'opened' | 'approved' | 'applied' | 'failed';

export const METRIC = {
  requests: {
    opened: `${PREFIX}.requests.opened`,
    approved: `${PREFIX}.requests.approved`,
    applied: `${PREFIX}.requests.applied`,
    failed: `${PREFIX}.requests.failed`,
  } satisfies Record<RequestMetric, string>,
  /** Seconds from asking to a report, for every check (bot, CLI, the apply's re-check). */
  checkDuration: `${PREFIX}.check.duration`,
} as const;
