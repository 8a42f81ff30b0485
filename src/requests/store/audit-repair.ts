/**
 * The audit line of a change is appended after the change is stored, so a process that dies in between leaves
 * the change in the request's history but not in the log. At start, the bot appends what is missing for the
 * requests changed lately. Appending an entry twice is harmless: the log is read with repeats (same key) dropped.
 */
import { auditEntriesOf } from '../audit.js';
import { REQUEST_STATES, type IntegrationRequest } from '../request.js';
import type { Stores } from './store.js';


/** Appends the history entries missing from the audit log of requests changed at or after `since`; returns how many. */
export async function repairAudit(stores: Pick<Stores, 'requests' | 'audit'>, since: Date): Promise<number> {
  const iso = since.toISOString();
  const recent = (await stores.requests.listByState(REQUEST_STATES)).filter((r) => r.updatedAt >= iso);
  if (recent.length === 0) return 0;
  const logged = new Set((await stores.audit.since(since)).map((e) => e.key));
  const missing = recent.flatMap((request: IntegrationRequest) => auditEntriesOf(request, 0).filter((e) => e.at >= iso && !logged.has(e.key)));
  if (missing.length > 0) await stores.audit.append(missing);
  return missing.length;
}
