/** The log of ARM requests the sandbox answered (GET/DELETE /_sandbox/requests). /_sandbox/* is never logged. */

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

  add(entry: LoggedRequest): void {
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
  }

  list(): LoggedRequest[] {
    return this.entries.map((e) => ({ ...e }));
  }

  clear(): void {
    this.entries = [];
  }
}
