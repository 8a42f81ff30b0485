import { describe, expect, it } from 'vitest';
import { auditCsv } from '../../src/requests/audit-csv.js';
import type { AuditExportLine } from '../../src/requests/audit.js';

const line = (overrides: Partial<AuditExportLine> = {}): AuditExportLine => ({
  at: '2026-12-04T10:00:00.000Z',
  requestId: 'R-7K3QM',
  actor: 'Bob (b0b00000-0000-4000-8000-000000000001)',
  from: 'pending',
  to: 'approved',
  details: null,
  armOperationId: null,
  ...overrides,
});

describe('the audit export as CSV', () => {
  it('a header and one CRLF row per entry, empty fields for nulls', () => {
    expect(auditCsv([line(), line({ from: null, to: 'pending' })])).toBe(
      'at,requestId,actor,from,to,details,armOperationId\r\n' +
        '2026-12-04T10:00:00.000Z,R-7K3QM,Bob (b0b00000-0000-4000-8000-000000000001),pending,approved,,\r\n' +
        '2026-12-04T10:00:00.000Z,R-7K3QM,Bob (b0b00000-0000-4000-8000-000000000001),,pending,,\r\n',
    );
  });

  it('quotes commas, quotes and line breaks as RFC 4180 says', () => {
    const [, row] = auditCsv([line({ details: 'ok, "approved"\nnext line' })]).split('\r\n');
    expect(row).toContain(',"ok, ""approved""\nnext line",');
  });

  it('defuses what a spreadsheet would run as a formula', () => {
    for (const details of ['=HYPERLINK("http://x")', '+1', '-2', '@SUM(A1)']) {
      const [, row] = auditCsv([line({ details })]).split('\r\n');
      expect(row).toContain(`'${details.replace(/"/g, '""')}`);
    }
  });
});
