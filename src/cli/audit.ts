/**
 * `apim-vnet-bot audit [--since <ISO 8601 date>] [--request <id>] [--format jsonl|csv]`: exports the audit log as
 * JSON lines or CSV (at, requestId, actor, from, to, details, armOperationId), oldest first, from the store the environment
 * configures (STORE, DATA_DIR or BLOB_CONNECTION_STRING and BLOB_CONTAINER). Reads only: it runs beside a bot.
 */
import { parseArgs } from 'node:util';
import { type Env, loadConfig } from '../config.js';
import { CodedError, ErrorCode } from '../errors.js';
import { createLogger } from '../log.js';
import { toExportLine } from '../requests/audit.js';
import { auditCsv } from '../requests/audit-csv.js';
import { openStores } from '../requests/store/index.js';
import { normalizeRequestId } from '../requests/request-id.js';

export const AUDIT_USAGE = `usage: apim-vnet-bot audit [--since <ISO 8601 date or time>] [--request <request id>] [--format jsonl|csv]
  Prints one JSON object per line (jsonl, the default) or a CSV table with a header (csv):
  at, requestId, actor, from, to, details, armOperationId.
  Example: apim-vnet-bot audit --since 2024-05-01 --format csv > audit.csv`;

const FORMATS = ['jsonl', 'csv'] as const;

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export function parseSince(text: string): Date {
  const date = ISO_8601.test(text) ? new Date(text) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) {
    throw new CodedError(ErrorCode.INVALID_INPUT, `--since ${text} is not an ISO 8601 date or time (for example 2024-05-01 or 2024-05-01T12:00:00Z).\n${AUDIT_USAGE}`);
  }
  return date;
}

export async function auditCommand(args: string[], env: Env, write: (text: string) => void = (t) => void process.stdout.write(t)): Promise<number> {
  let values: { since?: string | undefined; request?: string | undefined; format?: string | undefined };
  try {
    ({ values } = parseArgs({ args, options: { since: { type: 'string' }, request: { type: 'string' }, format: { type: 'string' } }, strict: true }));
  } catch (error) {
    throw new CodedError(ErrorCode.INVALID_INPUT, `${(error as Error).message}\n${AUDIT_USAGE}`);
  }
  const since = values.since === undefined ? new Date(0) : parseSince(values.since);
  const requestId = values.request === undefined ? null : normalizeRequestId(values.request);
  if (values.request !== undefined && !requestId) throw new CodedError(ErrorCode.INVALID_INPUT, `--request ${values.request} is not a request id.\n${AUDIT_USAGE}`);

  const format = (values.format ?? 'jsonl').toLowerCase();
  if (!(FORMATS as readonly string[]).includes(format)) throw new CodedError(ErrorCode.INVALID_INPUT, `--format ${values.format} is not one of: ${FORMATS.join(', ')}.\n${AUDIT_USAGE}`);

  const config = loadConfig(env);
  const stores = await openStores(config.requests.store, { owner: false, logger: createLogger(config.logLevel) });
  try {
    const entries = requestId ? (await stores.audit.forRequest(requestId)).filter((e) => e.at >= since.toISOString()) : await stores.audit.since(since);
    const lines = entries.map(toExportLine);
    write(format === 'csv' ? auditCsv(lines) : lines.map((line) => JSON.stringify(line) + '\n').join(''));
    return 0;
  } finally {
    await stores.close();
  }
}
