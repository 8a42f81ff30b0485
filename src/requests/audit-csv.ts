/**
 * The audit export as CSV (RFC 4180): a header, then one row per entry, in the columns of the JSON lines. A field
 * that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe. Pure.
 */
import type { AuditExportLine } from './audit.js';

export const AUDIT_CSV_COLUMNS = ['at', 'requestId', 'actor', 'from', 'to', 'details', 'armOperationId'] as const satisfies readonly (keyof AuditExportLine)[];

function csvField(value: string | null): string {
  if (value === null) return '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function auditCsv(lines: readonly AuditExportLine[]): string {
  const rows = lines.map((line) => AUDIT_CSV_COLUMNS.map((column) => csvField(line[column])).join(','));
  return [AUDIT_CSV_COLUMNS.join(','), ...rows].map((row) => `${row}\r\n`).join('');
}
