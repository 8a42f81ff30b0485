/**
 * Long-running operations. Time is evaluated lazily: every request first calls `tick(now)`, which
 * finishes the operations whose time is up, so no timers outlive the server.
 *
 * Polling URLs (absolute, on the sandbox's base URL):
 *   Azure-AsyncOperation  /subscriptions/{s}/providers/{ns}/locations/{loc}/{operations|operationsStatus}/{id}
 *                         -> { id, name, status: InProgress|Succeeded|Failed, startTime, endTime?, error? }
 *   Location              /subscriptions/{s}/providers/{ns}/locations/{loc}/operationResults/{id}
 *                         -> 202 while running, 200 with the resource when done, the error when failed.
 * Retry-After: @azure/core-lro reads it in whole seconds and ignores 0 (it then keeps its own
 * interval, `updateIntervalInMs`, default 2 s). The sandbox sends 0 when less than a second remains,
 * so clients that set a short `updateIntervalInMs` finish quickly, and ceil(remaining s) up to 10 otherwise.
 */
import { randomUUID } from 'node:crypto';

export type OperationStatus = 'InProgress' | 'Succeeded' | 'Failed';

/** What a write asks of an operation it starts. */
export interface StartOperation {
  subscriptionId: string;
  /** Provider namespace in the polling URLs, e.g. Microsoft.Network. */
  namespace: string;
  /** Path segment of the status URL: `operations` (Network) or `operationsStatus` (API Management). */
  statusSegment: string;
  location: string;
  resourceId: string;
  apiVersion: string;
  durationMs: number;
  willFail: boolean;
  onSucceed: () => void;
  onFail: () => void;
}

export interface Operation extends Omit<StartOperation, 'durationMs'> {
  id: string;
  startTime: Date;
  endsAt: number;
  status: OperationStatus;
  endTime?: Date;
  error?: { code: string; message: string };
}

export const INJECTED_LRO_FAILURE = 'InjectedOperationFailure';

export class Operations {
  private readonly ops = new Map<string, Operation>();

  start(init: StartOperation, now = Date.now()): Operation {
    const { durationMs, ...rest } = init;
    const op: Operation = { ...rest, id: randomUUID(), startTime: new Date(now), endsAt: now + Math.max(0, durationMs), status: 'InProgress' };
    this.ops.set(op.id, op);
    return op;
  }

  get(id: string): Operation | undefined {
    return this.ops.get(id.toLowerCase());
  }

  /** Finishes every running operation whose time is up, oldest first. */
  tick(now = Date.now()): void {
    for (const op of this.ops.values()) {
      if (op.status !== 'InProgress' || op.endsAt > now) continue;
      op.endTime = new Date(Math.max(op.endsAt, op.startTime.getTime()));
      if (op.willFail) {
        op.status = 'Failed';
        op.error = { code: INJECTED_LRO_FAILURE, message: `The operation on '${op.resourceId}' failed (sandbox fault injection: failLro).` };
        op.onFail();
      } else {
        op.status = 'Succeeded';
        op.onSucceed();
      }
    }
  }
}

export function retryAfterSeconds(remainingMs: number): number {
  return remainingMs < 1000 ? 0 : Math.min(10, Math.ceil(remainingMs / 1000));
}

export function operationPaths(op: Operation): { status: string; result: string } {
  const base = `/subscriptions/${op.subscriptionId}/providers/${op.namespace}/locations/${op.location}`;
  return { status: `${base}/${op.statusSegment}/${op.id}`, result: `${base}/operationResults/${op.id}` };
}

/** Headers of an accepted long-running request and of a poll that is still running. */
export function lroHeaders(baseUrl: string, op: Operation, now: number, withLocation: boolean): Record<string, string> {
  const q = `?api-version=${encodeURIComponent(op.apiVersion)}`;
  const paths = operationPaths(op);
  const headers: Record<string, string> = {
    'Azure-AsyncOperation': `${baseUrl}${paths.status}${q}`,
    'Retry-After': String(retryAfterSeconds(op.endsAt - now)),
  };
  if (withLocation) headers['Location'] = `${baseUrl}${paths.result}${q}`;
  return headers;
}

export function statusBody(op: Operation): Record<string, unknown> {
  return {
    id: operationPaths(op).status,
    name: op.id,
    status: op.status,
    startTime: op.startTime.toISOString(),
    ...(op.endTime ? { endTime: op.endTime.toISOString() } : {}),
    ...(op.error ? { error: op.error } : {}),
  };
}
