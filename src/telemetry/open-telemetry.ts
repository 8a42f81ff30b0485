/**
 * The telemetry hooks over the OpenTelemetry API: spans from the global tracer provider, counters and a histogram
 * from the global meter provider, the active span's ids for log lines. Whoever registers the providers (Azure
 * Monitor in `start.ts`, the in-memory ones in tests) decides where they go; build these after registering them
 * (a meter taken before its provider is registered stays a no-op).
 */
import { context, createContextKey, isSpanContextValid, metrics, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import type { SpanAttributes, TelemetryHooks } from './index.js';
import { METRIC, SCOPE, type RequestMetric } from './names.js';

/** Where a turn's span is kept in the context, so that `noteTurn` finds it under any child span. */
const TURN_SPAN = createContextKey('apim-vnet-bot turn span');

const COUNTED: Record<RequestMetric, string> = {
  opened: 'Requests created (pending approval).',
  approved: 'Requests approved.',
  applied: 'Requests whose apply succeeded.',
  failed: 'Requests whose apply failed (or could not start).',
};

/** Seconds; a check of a large subscription takes seconds, one of a subnet a fraction of one. */
const CHECK_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60];

export function openTelemetryHooks(): TelemetryHooks {
  const tracer = trace.getTracer(SCOPE);
  const meter = metrics.getMeter(SCOPE);
  const counters = Object.fromEntries(
    (Object.keys(COUNTED) as RequestMetric[]).map((metric) => [metric, meter.createCounter(METRIC.requests[metric], { description: COUNTED[metric], unit: '{request}' })]),
  ) as Record<RequestMetric, ReturnType<typeof meter.createCounter>>;
  const checkDuration = meter.createHistogram(METRIC.checkDuration, {
    description: 'Time from asking to a report, for every check.',
    unit: 's',
    advice: { explicitBucketBoundaries: CHECK_BUCKETS },
  });

  return {
    inSpan(name, attributes, work, options) {
      const parent = context.active();
      const span = tracer.startSpan(name, { attributes: defined(attributes) }, parent);
      const active = trace.setSpan(options?.turn ? parent.setValue(TURN_SPAN, span) : parent, span);
      return context.with(active, async () => {
        try {
          return await work((more) => span.setAttributes(defined(more)));
        } catch (error) {
          if (error instanceof Error) span.recordException(error);
          span.setStatus({ code: SpanStatusCode.ERROR });
          throw error;
        } finally {
          span.end();
        }
      });
    },
    noteTurn(attributes) {
      (context.active().getValue(TURN_SPAN) as Span | undefined)?.setAttributes(defined(attributes));
    },
    activeTrace() {
      const ids = trace.getActiveSpan()?.spanContext();
      return ids && isSpanContextValid(ids) ? { traceId: ids.traceId, spanId: ids.spanId } : null;
    },
    countRequest(metric) {
      counters[metric].add(1);
    },
    recordCheckDuration(seconds, attributes) {
      checkDuration.record(seconds, defined(attributes));
    },
  };
}

function defined(attributes: SpanAttributes): Attributes {
  return Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== undefined)) as Attributes;
}
