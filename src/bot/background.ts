import type { Logger } from '../log.js';
import { runDetached } from '../turn-scope.js';
import { messageOf } from '../errors.js';

/**
 * Work that outlives the turn that started it (card updates, applying a request). Tracked so that tests and
 * shutdown can wait for it; failures are logged, never thrown into a finished turn.
 */
export class BackgroundWork {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  run(name: string, work: () => Promise<unknown>): void {
    const task: Promise<void> = runDetached(() => Promise.resolve().then(work))
      .then(
        () => undefined,
        (error: unknown) => this.logger.error('background work failed', { work: name, error: messageOf(error) }),
      )
      .finally(() => this.running.delete(task));
    this.running.add(task);
  }

  /** Resolves once nothing is running, including work started while waiting. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  get size(): number {
    return this.running.size;
  }
}
