import type { TokenCredential } from '@azure/core-auth';
import type { PipelinePolicy, PipelineResponse } from '@azure/core-rest-pipeline';
import { CodedError, ErrorCode } from '../errors.js';
import type { Logger } from '../log.js';
import { currentTurn } from '../turn-scope.js';

/** Gives every request a timeout unless the caller set one. */
export function timeoutPolicy(timeoutMs: number): PipelinePolicy {
  return {
    name: 'apimBotTimeoutPolicy',
    sendRequest(request, next) {
      if (!request.timeout) request.timeout = timeoutMs;
      return next(request);
    },
  };
}

/** One log line per ARM request: method, path, status, duration. No headers, so no tokens. */
export function requestLogPolicy(logger: Logger): PipelinePolicy {
  return {
    name: 'apimBotRequestLogPolicy',
    async sendRequest(request, next) {
      const started = Date.now();
      const path = new URL(request.url).pathname;
      try {
        const response = await next(request);
        logger.debug('arm request', {
          method: request.method,
          path,
          status: response.status,
          ms: Date.now() - started,
          armRequestId: response.headers.get('x-ms-request-id') ?? undefined,
        });
        return response;
      } catch (error) {
        logger.debug('arm request failed', { method: request.method, path, ms: Date.now() - started, error: String(error) });
        throw error;
      }
    },
  };
}

/**
 * Bearer auth for plain-http sandbox endpoints, where the SDK's own bearer policy refuses to send a token.
 * Used only when ARM_ENDPOINT points at a sandbox.
 */
export function sandboxAuthPolicy(credential: TokenCredential): PipelinePolicy {
  return {
    name: 'apimBotSandboxAuthPolicy',
    async sendRequest(request, next) {
      const token = await credential.getToken('sandbox');
      if (token) request.headers.set('Authorization', `Bearer ${token.token}`);
      return next(request);
    },
  };
}

/** Sends the turn's id as `x-ms-client-request-id`, so ARM's logs and ours can be matched. */
export function turnRequestIdPolicy(): PipelinePolicy {
  return {
    name: 'apimBotTurnRequestIdPolicy',
    sendRequest(request, next) {
      const turn = currentTurn();
      if (turn) request.headers.set('x-ms-client-request-id', turn.turnId);
      return next(request);
    },
  };
}

/**
 * Inside a turn, a 429 or 503 whose Retry-After would outlast the turn's throttle deadline ends the call at once
 * (ARM_THROTTLED) instead of holding the turn open; outside a turn the retry policy waits as ARM asks. It sits
 * inside the retry loop, so it sees every answer before the retry policy decides to wait.
 */
export function turnThrottlePolicy(): PipelinePolicy {
  return {
    name: 'apimBotTurnThrottlePolicy',
    async sendRequest(request, next) {
      const response = await next(request);
      const deadline = currentTurn()?.throttleDeadline;
      if (deadline == null || (response.status !== 429 && response.status !== 503)) return response;
      const waitMs = retryAfterMs(response);
      if (waitMs === null || Date.now() + waitMs <= deadline) return response;
      const retryAt = new Date(Date.now() + waitMs);
      throw new CodedError(
        ErrorCode.ARM_THROTTLED,
        response.status === 429 ? 'Azure is throttling requests right now.' : 'Azure is temporarily unavailable.',
        { status: response.status, retryAfterSeconds: Math.ceil(waitMs / 1000), retryAt: retryAt.toISOString() },
      );
    },
  };
}

/** ARM's wait hint: `retry-after-ms`, `x-ms-retry-after-ms` (milliseconds) or `Retry-After` (seconds or a date). */
export function retryAfterMs(response: PipelineResponse): number | null {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const value = Number(response.headers.get(name));
    if (response.headers.has(name) && Number.isFinite(value) && value >= 0) return value;
  }
  const header = response.headers.get('retry-after');
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : null;
}
