/**
 * Starts applies in the background, at most one per request in this process (other processes are kept out by
 * the lease in the store), and stops them at shutdown so their leases are handed back.
 */
import { applyRequest, ApplyStopped } from '../apply/run.js';
import type { BackgroundWork } from './background.js';
import type { BotDeps } from './deps.js';
import type { PostedRequestCards } from './posted-request-cards.js';

const ENDED = new Set(['succeeded', 'failed']);

export class ApplyRunner {
  private readonly running = new Set<string>();
  private readonly stopping = new AbortController();

  constructor(
    private readonly deps: BotDeps,
    private readonly cards: PostedRequestCards,
    private readonly background: BackgroundWork,
  ) {}

  isRunning(requestId: string): boolean {
    return this.running.has(requestId);
  }

  /** Applies (or takes over) the request unless this process is already on it. */
  start(requestId: string): void {
    if (this.running.has(requestId) || this.stopping.signal.aborted) return;
    this.running.add(requestId);
    const { deps, cards } = this;
    const { config } = deps;
    this.background.run(`apply ${requestId}`, () =>
      applyRequest(
        {
          arm: deps.arm,
          requests: deps.stores.requests,
          audit: deps.stores.audit,
          eligibility: config.eligibility,
          pollIntervalMs: config.armPollIntervalMs,
          clock: deps.clock,
          logger: deps.logger,
          owner: deps.owner,
          leaseSeconds: config.requests.leaseSeconds,
          exclusiveStore: deps.stores.exclusive,
          deadlineMinutes: config.requests.applyDeadlineMinutes,
          signal: this.stopping.signal,
          onChange: async (request) => {
            await cards.refresh(request.id);
            if (ENDED.has(request.state)) await cards.tellRequesterOnce(request.id);
          },
        },
        requestId,
      ).finally(() => this.running.delete(requestId)),
    );
  }

  /** Stops every apply of this process; each keeps its progress and hands its lease back. */
  stop(): void {
    this.stopping.abort(new ApplyStopped('The bot is shutting down.'));
  }
}
