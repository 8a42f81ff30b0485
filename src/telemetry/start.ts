/**
 * `serve` with APPLICATIONINSIGHTS_CONNECTION_STRING: OpenTelemetry through Azure Monitor. Its Azure SDK
 * instrumentation makes a span for every ARM request (and the HTTP one for /api/messages); the bot's own spans
 * and metrics go through the same providers. Start it before the Azure SDK and the HTTP server are loaded: an
 * instrumentation patches a module as it loads, so one loaded earlier would send no spans.
 */
import { shutdownAzureMonitor, useAzureMonitor } from '@azure/monitor-opentelemetry';
import { useTelemetry } from './index.js';
import { openTelemetryHooks } from './open-telemetry.js';

export interface RunningTelemetry {
  /** Sends what is still buffered and stops. */
  close(): Promise<void>;
}

const OFF = { enabled: false };

export function startAzureMonitor(connectionString: string): RunningTelemetry {
  useAzureMonitor({
    azureMonitorExporterOptions: { connectionString },
    // The bot talks to ARM through the Azure SDK and serves HTTP; it uses none of the databases or loggers.
    instrumentationOptions: { azureSdk: { enabled: true }, http: { enabled: true }, mongoDb: OFF, mySql: OFF, postgreSql: OFF, redis: OFF, redis4: OFF, bunyan: OFF, winston: OFF },
  });
  useTelemetry(openTelemetryHooks());
  return {
    async close() {
      useTelemetry(null);
      await shutdownAzureMonitor();
    },
  };
}
