/**
 * The periodic sweep over open requests (also run once at start): expires overdue requests and updates their
 * cards, sends the reminders and the escalation their rule names (each once), and takes over approved or applying requests that no live process
 * holds. Every change is a compare-and-set, so several processes sweeping at once do each thing once. Then it
 * removes the check records older than CHECK_TTL_HOURS.
 */
import { checkRecordCutoff } from '../requests/check-record.js';
import { OPEN_STATES, type IntegrationRequest } from '../requests/request.js';
import { sweepAction } from '../requests/sweep.js';
import { expireIfOverdue } from './actions/authorize.js';
import { sendDueNotice } from './approval-notices.js';
import type { ApplyRunner } from './apply-runner.js';
import type { BotServices } from './services.js';
import { messageOf } from '../errors.js';

export class RequestSweeper {
  private current: Promise<void> | null = null;

  constructor(
    private readonly services: BotServices,
    private readonly runner: ApplyRunner,
  ) {}

  /** One pass; a call while a pass runs waits for that pass. */
  sweep(): Promise<void> {
    this.current ??= this.pass().finally(() => {
      this.current = null;
    });
    return this.current;
  }

  private async pass(): Promise<void> {
    await this.sweepRequests();
    await this.removeOldChecks();
  }

  private async sweepRequests(): Promise<void> {
    const { deps } = this.services;
    const { stores, config, clock, logger } = deps;
    let open: IntegrationRequest[];
    try {
      open = await stores.requests.listByState(OPEN_STATES);
    } catch (error) {
      logger.warn('sweep could not list open requests', { error: messageOf(error) });
      return;
    }
    for (const request of open) {
      const action = sweepAction(request, { now: clock(), ttlHours: config.bot.requestTtlHours, owner: deps.owner, exclusive: stores.exclusive });
      try {
        if (action === 'expire') await expireIfOverdue(this.services, request);
        else if (action === 'notice') await sendDueNotice(this.services, request);
        else if (action === 'takeOver' && !this.runner.isRunning(request.id)) this.runner.start(request.id);
      } catch (error) {
        logger.warn('sweep could not handle a request', { requestId: request.id, action, error: messageOf(error) });
      }
    }
  }

  private async removeOldChecks(): Promise<void> {
    const { stores, config, clock, logger } = this.services.deps;
    try {
      const removed = await stores.checks.removeOlderThan(checkRecordCutoff(clock(), config.requests.checkTtlHours));
      if (removed > 0) logger.info('removed check records past CHECK_TTL_HOURS', { removed });
    } catch (error) {
      logger.warn('sweep could not remove old check records', { error: messageOf(error) });
    }
  }
}
