/** `audit <request id>`: the request's audit log, oldest first, as a message. */
import type { AuditEntry } from '../../requests/audit.js';
import { requestSummary, timeText, truncate } from '../cards/wording.js';
import { text, type Reply } from '../reply.js';
import { notVisibleText } from '../../requests/read-access.js';
import type { BotServices } from '../services.js';
import type { TurnInfo } from '../turn-info.js';
import { visibleRequest } from './visible-request.js';

/** Teams messages must stay small: the latest entries when there are many. */
const MAX_LINES = 40;

export function auditLine(entry: AuditEntry): string {
  const move = entry.from === entry.to ? entry.to : `${entry.from ?? 'new'} → ${entry.to}`;
  const details = entry.details ? `: ${truncate(entry.details, 300)}` : '';
  const operation = entry.armOperationId ? ` (ARM operation ${entry.armOperationId})` : '';
  return `- ${timeText(entry.at)} · **${move}** · ${entry.actor}${details}${operation}`;
}

export async function auditTrail(services: BotServices, turn: TurnInfo, requestId: string): Promise<Reply> {
  const { stores } = services.deps;
  const request = await visibleRequest(services, turn, requestId);
  if (!request) return text(notVisibleText(requestId));
  const entries = await stores.audit.forRequest(request.id);
  if (entries.length === 0) return text(`Request ${request.id} (${requestSummary(request)}) has no audit entries yet.`);
  const shown = entries.slice(-MAX_LINES);
  const skipped = entries.length - shown.length;
  return text(
    `Audit log of ${request.id} (${requestSummary(request)}), oldest first${skipped > 0 ? `; the latest ${shown.length} of ${entries.length}` : ''}:\n\n` +
      shown.map(auditLine).join('\n'),
  );
}
