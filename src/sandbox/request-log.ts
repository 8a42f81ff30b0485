/**
 * The log of ARM requests the sandbox answered (GET/DELETE /_sandbox/requests), and how many were in flight at once
 * (GET /_sandbox/in-flight: now and the most since the log was last cleared). /_sandbox/* is never logged or counted.
 */

export interface LoggedRequest {
  method: string;
  /** Path with query string, as received. */
  path: string;
  /** HTTP status the sandbox answered, injected faults included. */
  status: number;
  /** Arrival time, ISO 8601. */
  time: string;
  /** The caller's `x-ms-client-request-id`, when it sent one. */
  clientRequestId?: string;
}

const MAX_ENTRIES = 10_000;

export class RequestLog {
  private entries: LoggedRequest[] = [];
  private inFlight = 0;
  private maxInFlight = 0;

  /** A request arrived (before the latency knob's wait, so overlapping requests count as overlapping). */
  begin(): void {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
  }

  /** Its answer was sent. */
  end(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
  }

  concurrency(): { inFlight: number; maxInFlight: number } {
    return { inFlight: this.inFlight, maxInFlight: this.maxInFlight };
  }

  add(entry: LoggedRequest): void {
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
  }

  list(): LoggedRequest[] {
    return this.entries.map((e) => ({ ...e }));
  }

  clear(): void {
    this.entries = [];
    this.maxInFlight = this.inFlight;
  }
}
