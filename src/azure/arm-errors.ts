import { isRestError } from './sdk.js';
import { CodedError, ErrorCode } from '../errors.js';

export interface ArmFailure {
  status: number | null;
  /** ARM's error code (`error.code` in the body), or the transport's code. */
  code: string;
  message: string;
}

/** The SDK reports a failed long-running operation as a plain Error whose message carries ARM's code. */
const LRO_FAILED = /^The long-running operation has failed\.\s*([A-Za-z0-9_.]+)\.\s*([\s\S]*)$/;

/**
 * What ARM said, from anything an SDK call throws: a RestError (ARM's error body), a failed long-running
 * operation, a poll that was given up, or an error of our own that carries a `code`.
 */
export function armFailureOf(error: unknown): ArmFailure {
  if (isRestError(error)) {
    const body = error.details as { error?: { code?: string; message?: string } } | undefined;
    return {
      status: error.statusCode ?? null,
      code: body?.error?.code ?? error.code ?? 'UnknownError',
      message: body?.error?.message ?? error.message,
    };
  }
  if (!(error instanceof Error)) return { status: null, code: 'UnexpectedError', message: String(error) };
  const lro = LRO_FAILED.exec(error.message);
  if (lro?.[1]) return { status: null, code: lro[1], message: lro[2]?.trim() || error.message };
  if (error.name === 'AbortError') return { status: null, code: 'OperationTimeout', message: 'Gave up waiting for the operation to finish.' };
  const own = error as Error & { code?: unknown; status?: unknown };
  if (typeof own.code === 'string') return { status: typeof own.status === 'number' ? own.status : null, code: own.code, message: error.message };
  return { status: null, code: 'UnexpectedError', message: error.message };
}

export function isNotFound(error: unknown): boolean {
  return isRestError(error) && error.statusCode === 404;
}

export function isForbidden(error: unknown): boolean {
  return isRestError(error) && error.statusCode === 403;
}

/** Rethrows an ARM failure as ARM_UNAVAILABLE (after the pipeline's retries), keeping coded errors as they are. */
export function asArmUnavailable(error: unknown, doing: string): CodedError {
  if (error instanceof CodedError) return error;
  if (isSignInFailure(error)) {
    const firstLine = (error as Error).message.split('\n')[0];
    return new CodedError(
      ErrorCode.ARM_UNAVAILABLE,
      `Could not ${doing}: signing in to Azure failed (${firstLine}). Sign in with \`az login\`, run with a managed identity, or set ARM_ENDPOINT to a sandbox.`,
    );
  }
  const failure = armFailureOf(error);
  const status = failure.status ? ` (HTTP ${failure.status})` : '';
  return new CodedError(ErrorCode.ARM_UNAVAILABLE, `Could not ${doing}: ARM answered ${failure.code}${status}: ${failure.message}`, {
    arm: failure,
  });
}

/** @azure/identity's failures: no credential found, or sign-in refused. */
export function isSignInFailure(error: unknown): boolean {
  return error instanceof Error && /CredentialUnavailableError|AuthenticationError|AggregateAuthenticationError/.test(error.name);
}
