/**
 * Who applies a request: the process that claims it. The claim takes the lease with one compare-and-set (and
 * moves an approved request to applying in the same write); the keeper renews the lease while the work runs and
 * aborts the work when another process has taken the request over.
 */
import type { ApplyDeps } from './deps.js';
import { holds, mayHold, newLease, renewLease } from '../requests/lease.js';
import { transition } from '../requests/lifecycle.js';
import type { ApplyProgress, IntegrationRequest, Lease } from '../requests/request.js';
import { updateWithRetry } from '../requests/store/index.js';
import { isWaiting } from '../requests/window-wait.js';
import { messageOf } from '../errors.js';

/** Another process holds the request now: stop without writing anything more. */
export class LeaseLost extends Error {
  override name = 'LeaseLost';
}

/** The process is shutting down. */
export class ApplyStopped extends Error {
  override name = 'ApplyStopped';
}

const FRESH: ApplyProgress = { step: 'recheck', done: [], pollerState: null, pollerStep: null, failure: null };

export type Claim = { claimed: true; request: IntegrationRequest; previous: { lease: Lease | null; state: string } } | { claimed: false; request: IntegrationRequest | null };

/** Takes the lease with one compare-and-set; approved moves to applying in the same write (not while it waits for its change window). */
export async function claimRequest(deps: ApplyDeps, requestId: string): Promise<Claim> {
  let previous: { lease: Lease | null; state: string } = { lease: null, state: 'approved' };
  const { request, changed } = await updateWithRetry(deps.requests, requestId, (r) => {
    const now = deps.clock();
    if (r.state !== 'approved' && r.state !== 'applying') return null;
    if (isWaiting(r, now)) return null;
    if (!mayHold(r.lease, { owner: deps.owner, now, exclusive: deps.exclusiveStore })) return null;
    previous = { lease: r.lease ?? null, state: r.state };
    const lease = newLease(deps.owner, now, deps.leaseSeconds);
    if (r.state === 'applying') return { ...r, lease, apply: r.apply ?? FRESH };
    const moved = transition(r, 'startApply', { by: null, at: now });
    return moved.ok ? { ...moved.request, lease, apply: r.apply ?? FRESH } : null;
  });
  return changed && request ? { claimed: true, request, previous } : { claimed: false, request };
}

/** Renews the lease while the work runs; aborts `signal` when another process has taken the request. */
export class LeaseKeeper {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly deps: ApplyDeps,
    private readonly requestId: string,
  ) {
    this.timer = setInterval(() => void this.renew(), Math.max(200, (deps.leaseSeconds * 1000) / 3));
    this.timer.unref();
  }

  get signal(): AbortSignal {
    return this.deps.signal ? AbortSignal.any([this.deps.signal, this.controller.signal]) : this.controller.signal;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async renew(): Promise<void> {
    try {
      await updateWithRetry(this.deps.requests, this.requestId, (r) => {
        if (!r.lease || !holds(r, this.deps.owner)) throw new LeaseLost(`Request ${this.requestId} is held by ${r.lease?.owner ?? 'nobody'} now.`);
        return { ...r, lease: renewLease(r.lease, this.deps.clock(), this.deps.leaseSeconds) };
      });
    } catch (error) {
      if (error instanceof LeaseLost) {
        this.stop();
        this.controller.abort(error);
        return;
      }
      // The store could not be reached: try again at the next tick (the lease lasts three of them).
      this.deps.logger.warn('could not renew a lease', { requestId: this.requestId, error: messageOf(error) });
    }
  }
}

