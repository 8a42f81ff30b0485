/**
 * What a store found damaged, for `Stores.health()` and /healthz: each quarantined record and each bad audit line is
 * logged once, at warn level, with its name and the reason, and counted.
 */
import type { Logger } from '../../log.js';
import type { QuarantinedItem, StoreHealth } from './store.js';

/** How many quarantined records the health report lists (the count covers them all). */
const LISTED_ITEMS = 10;

export class StoreHealthLedger {
  private quarantinedCount = 0;
  private readonly latest: QuarantinedItem[] = [];
  /** Bad audit lines already reported, by `<log name>:<line>`: the log is read again and again. */
  private readonly badLines = new Set<string>();

  constructor(private readonly logger: Logger) {}

  quarantined(name: string, reason: string, movedTo: string): void {
    this.quarantinedCount++;
    this.latest.push({ name, reason, at: new Date().toISOString() });
    if (this.latest.length > LISTED_ITEMS) this.latest.shift();
    this.logger.warn('moved a stored record that cannot be read to quarantine', { name, reason, movedTo });
  }

  badAuditLine(log: string, line: number, reason: string): void {
    const key = `${log}:${line}`;
    if (this.badLines.has(key)) return;
    this.badLines.add(key);
    this.logger.warn('skipped an audit log line that cannot be read', { log, line, reason });
  }

  health(): StoreHealth {
    return { quarantined: this.quarantinedCount, items: [...this.latest], badAuditLines: this.badLines.size };
  }
}
