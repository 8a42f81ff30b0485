/** The audit log as text, one JSON line per entry, the way both stores keep it. Pure. */
import type { AuditEntry } from '../audit.js';
import { auditEntryProblem } from './record-shape.js';

export interface BadAuditLine {
  /** 1-based line number in the text read. */
  line: number;
  reason: string;
}

/**
 * The entries of an audit log's text, and the lines that are not entries (torn by a crash, or damaged), which
 * readers skip and report. Blank lines are neither. With `tailMayBeInProgress` (a file another write may still be
 * appending to), a last line without its newline is skipped unreported: once the next append ends it, it is judged.
 */
export function parseAuditText(text: string, options: { tailMayBeInProgress?: boolean } = {}): { entries: AuditEntry[]; bad: BadAuditLine[] } {
  const entries: AuditEntry[] = [];
  const bad: BadAuditLine[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    const reportable = !(options.tailMayBeInProgress && i === lines.length - 1);
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      if (reportable) bad.push({ line: i + 1, reason: 'not JSON' });
      return;
    }
    const problem = auditEntryProblem(value);
    if (!problem) entries.push(value as AuditEntry);
    else if (reportable) bad.push({ line: i + 1, reason: problem });
  });
  return { entries, bad };
}
