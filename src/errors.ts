/** Failures the program expects and explains; callers branch on `code`, never on message text. */
export enum ErrorCode {
  INVALID_INPUT = 'INVALID_INPUT',
  CONFIG_INVALID = 'CONFIG_INVALID',
  INSTANCE_NOT_FOUND = 'INSTANCE_NOT_FOUND',
  INSTANCE_AMBIGUOUS = 'INSTANCE_AMBIGUOUS',
  SUBNET_NOT_FOUND = 'SUBNET_NOT_FOUND',
  ARM_UNAVAILABLE = 'ARM_UNAVAILABLE',
  /** ARM asked to wait longer than a chat turn may: answered at once with when to retry. */
  ARM_THROTTLED = 'ARM_THROTTLED',
  /** Another bot process holds the section (a request for the same instance is being made): try again. */
  BUSY = 'BUSY',
  /** Another process took DATA_DIR over while this one was paused: this process writes nothing more and stops. */
  STORE_LEASE_LOST = 'STORE_LEASE_LOST',
}

export class CodedError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'CodedError';
  }
}

export function isCodedError(value: unknown, code?: ErrorCode): value is CodedError {
  return value instanceof CodedError && (code === undefined || value.code === code);
}

/** What went wrong, in one line, for a log or a message: an Error's message, anything else as a string. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
