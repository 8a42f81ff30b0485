import type { TokenCredential } from '@azure/core-auth';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import type { Logger } from '../log.js';

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
