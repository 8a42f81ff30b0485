/**
 * The bot's telemetry in memory, for in-process tests: the OpenTelemetry SDK with an in-memory span exporter and
 * a metric reader, the Azure SDK's own instrumentation registered, and the bot's OpenTelemetry hooks installed,
 * as `serve` has them with Azure Monitor. Not in the support barrel: the instrumentation patches the Azure SDK as
 * it loads, so call `captureTelemetry()` first and load the bot afterwards (`await import('../support/index.js')`).
 */
import { createAzureSdkInstrumentation } from '@azure/opentelemetry-instrumentation-azure-sdk';
import { metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { MeterProvider, MetricReader, type DataPoint, type Histogram } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { useTelemetry } from '../../src/telemetry/index.js';
import { openTelemetryHooks } from '../../src/telemetry/open-telemetry.js';

/** Collects on demand (`collect()`), never on a timer. */
class OnDemandMetricReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

export interface TelemetryCapture {
  /** The spans ended so far. */
  spans(): ReadableSpan[];
  /** A counter's total so far (0 before its first add). */
  counter(name: string): Promise<number>;
  /** How many values a histogram has recorded so far. */
  histogramCount(name: string): Promise<number>;
  close(): Promise<void>;
}

export function captureTelemetry(): TelemetryCapture {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  tracerProvider.register({ contextManager: new AsyncLocalStorageContextManager() });
  const reader = new OnDemandMetricReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  metrics.setGlobalMeterProvider(meterProvider);
  const instrumentations = registerInstrumentations({ instrumentations: [createAzureSdkInstrumentation()], tracerProvider, meterProvider });
  useTelemetry(openTelemetryHooks());

  const points = async (name: string): Promise<DataPoint<unknown>[]> => {
    const { resourceMetrics } = await reader.collect();
    const metric = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === name);
    return (metric?.dataPoints ?? []) as DataPoint<unknown>[];
  };
  return {
    spans: () => exporter.getFinishedSpans(),
    counter: async (name) => (await points(name)).reduce((sum, p) => sum + (p.value as number), 0),
    histogramCount: async (name) => (await points(name)).reduce((sum, p) => sum + (p.value as Histogram).count, 0),
    async close() {
      useTelemetry(null);
      instrumentations();
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
      trace.disable();
      metrics.disable();
    },
  };
}

/** The span's parent span id (the SDK 2.x shape). */
export function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

/** True when `span` is `ancestor` or runs, through its parents, under it. */
export function isUnder(span: ReadableSpan, ancestor: ReadableSpan, all: readonly ReadableSpan[]): boolean {
  const byId = new Map(all.map((s) => [s.spanContext().spanId, s]));
  for (let at: ReadableSpan | undefined = span; at; at = byId.get(parentOf(at) ?? '')) {
    if (at.spanContext().spanId === ancestor.spanContext().spanId) return true;
  }
  return false;
}
