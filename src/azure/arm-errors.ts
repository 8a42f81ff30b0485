import { isRestError } from './sdk.js';
import { CodedError, ErrorCode } from '../errors.js';

export interface ArmFailure {
  status: number | null;
  /** ARM's error code (`error.code` in the body), or the transport's code. */
  code: string;
  message: string;
}

/** What ARM said, from a RestError or anything else thrown by an SDK call. */
export function armFailureOf(error: unknown): ArmFailure {
  if (isRestError(error)) {
    const body = error.details as { error?: { code?: string; message?: string } } | undefined;
    return {
      status: error.statusCode ?? null,
      code: body?.error?.code ?? error.code ?? 'UnknownError',
      message: body?.error?.message ?? error.message,
    };
  }
  return { status: null, code: 'UnknownError', message: error instanceof Error ? error.message : String(error) };
}

export function isNotFound(error: unknown): boolean {
  return isRestError(error) && error.statusCode === 404;
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
function isSignInFailure(error: unknown): boolean {
  return error instanceof Error && /CredentialUnavailableError|AuthenticationError|AggregateAuthenticationError/.test(error.name);
}
