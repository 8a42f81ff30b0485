/**
 * When the bot stops asking Azure Resource Graph and lists instances subscription by subscription instead (pure).
 * Refused (403), absent (404, or ARM not knowing the Microsoft.ResourceGraph provider, as in a cloud without it),
 * failing (5xx after the pipeline's retries) or unreachable (no HTTP status: a network error or a timeout): fall back.
 * Anything else is not Resource Graph's problem alone (401 sign-in, 429 throttling that outlasted the retries, a 400
 * on the bot's own query) and is reported as it is.
 */
import type { ArmFailure } from './arm-errors.js';

export type GraphFallback = { kind: 'refused' | 'absent' | 'failing' | 'unreachable'; reason: string };

/** ARM's answers for a provider namespace or api-version it does not serve (Azure Stack, some sovereign clouds). */
const ABSENT_CODES = new Set(['invalidresourcenamespace', 'noregisteredproviderfound', 'invalidapiversionparameter', 'notimplementedinsandbox']);

export function graphFallbackOf(failure: ArmFailure): GraphFallback | null {
  const { status, code } = failure;
  const what = `${code}${status === null ? '' : ` (HTTP ${status})`}`;
  if (status === 403) return { kind: 'refused', reason: `Resource Graph refused the query: ${what}` };
  if (status === 404 || ABSENT_CODES.has(code.toLowerCase())) return { kind: 'absent', reason: `Resource Graph is not available here: ${what}` };
  if (status !== null && status >= 500) return { kind: 'failing', reason: `Resource Graph failed: ${what}` };
  if (status === null && code !== 'UnexpectedError') return { kind: 'unreachable', reason: `Resource Graph could not be reached: ${code}` };
  return null;
}
