/**
 * Telemetry as the rest of the bot sees it: a span around each turn, each apply run and each of its steps, the
 * active trace for log lines, counters of request transitions and the duration of each check.
 *
 * Nothing here loads OpenTelemetry. Until `useTelemetry` installs an implementation (`serve` does, through
 * `start.ts`, when APPLICATIONINSIGHTS_CONNECTION_STRING is set) every call runs its work as it is and records
 * nothing, so `check` and the sandbox pay nothing for it. The spans of ARM calls are not made here: the Azure
 * SDK's own instrumentation makes them, as children of the span that is active when the call is made.
 */
import { ATTRIBUTE, SPAN, type RequestMetric } from './names.js';

export type { RequestMetric };

export type SpanAttributes = Record<string, string | number | boolean | undefined>;

/** The trace and span a log line belongs to (W3C ids, hex). */
export interface TraceIds {
  traceId: string;
  spanId: string;
}

/** What an implementation provides (open-telemetry.ts over @opentelemetry/api; tests install the same one). */
export interface TelemetryHooks {
  /** Runs `work` in a new span, a child of the active one, active while `work` runs; ended when it settles. */
  inSpan<T>(name: string, attributes: SpanAttributes, work: (note: (attributes: SpanAttributes) => void) => Promise<T>, options?: { turn?: boolean }): Promise<T>;
  /** Adds attributes to the span of the turn in progress (none outside a turn). */
  noteTurn(attributes: SpanAttributes): void;
  activeTrace(): TraceIds | null;
  countRequest(metric: RequestMetric): void;
  recordCheckDuration(seconds: number, attributes: SpanAttributes): void;
}

let hooks: TelemetryHooks | null = null;

/** Installs the implementation for this process (null uninstalls it: every call records nothing again). */
export function useTelemetry(implementation: TelemetryHooks | null): void {
  hooks = implementation;
}

/** The facts of an incoming activity that a turn's span carries: its kinds and ids, never its text. */
export interface TurnFacts {
  turnId: string;
  activityType: string;
  invokeName?: string;
  conversationType?: string;
}

export function inTurnSpan<T>(turn: TurnFacts, work: () => Promise<T>): Promise<T> {
  if (!hooks) return work();
  const attributes = {
    [ATTRIBUTE.turnId]: turn.turnId,
    [ATTRIBUTE.activityType]: turn.activityType,
    [ATTRIBUTE.invokeName]: turn.invokeName,
    [ATTRIBUTE.conversationType]: turn.conversationType,
  };
  return hooks.inSpan(SPAN.turn(turn.activityType), attributes, work, { turn: true });
}

/** What the turn turned out to be: a text command's kind, a card action's verb. */
export function noteTurn(facts: { command?: string; cardAction?: string }): void {
  hooks?.noteTurn({ [ATTRIBUTE.command]: facts.command, [ATTRIBUTE.cardAction]: facts.cardAction });
}

/** One apply run; its span records the state the request is left in. */
export function inApplySpan<T extends { state: string } | null>(request: { id: string; kind: string }, work: () => Promise<T>): Promise<T> {
  if (!hooks) return work();
  return hooks.inSpan(SPAN.apply, { [ATTRIBUTE.requestId]: request.id, [ATTRIBUTE.requestKind]: request.kind }, async (note) => {
    const result = await work();
    if (result) note({ [ATTRIBUTE.requestState]: result.state });
    return result;
  });
}

/** One step of the apply's step table. */
export function inStepSpan<T>(step: string, item: string | undefined, work: () => Promise<T>): Promise<T> {
  if (!hooks) return work();
  return hooks.inSpan(SPAN.step(step), { [ATTRIBUTE.step]: step, [ATTRIBUTE.stepItem]: item }, () => work());
}

export function countRequest(metric: RequestMetric): void {
  hooks?.countRequest(metric);
}

/** Times one check (bot, CLI or re-check), also when it fails. */
export async function timeCheck<T>(scope: 'subnet' | 'subscription', work: () => Promise<T>): Promise<T> {
  const current = hooks;
  if (!current) return work();
  const started = performance.now();
  let outcome = 'error';
  try {
    const result = await work();
    outcome = 'ok';
    return result;
  } finally {
    current.recordCheckDuration((performance.now() - started) / 1000, { [ATTRIBUTE.checkScope]: scope, [ATTRIBUTE.checkOutcome]: outcome });
  }
}

/** The active trace, for the log line being written (null without telemetry or outside any span). */
export function activeTrace(): TraceIds | null {
  return hooks?.activeTrace() ?? null;
}
