/** When the instance lookup leaves Resource Graph for the per-subscription listing, and when it reports the failure instead. */
import { describe, expect, it } from 'vitest';
import { graphFallbackOf } from '../../src/azure/graph-fallback.js';

const failure = (status: number | null, code: string) => ({ status, code, message: 'm' });

describe('graphFallbackOf', () => {
  it.each([
    [403, 'AuthorizationFailed', 'refused'],
    [403, 'Forbidden', 'refused'],
    [404, 'NotFound', 'absent'],
    [400, 'InvalidResourceNamespace', 'absent'],
    [400, 'NoRegisteredProviderFound', 'absent'],
    [400, 'InvalidApiVersionParameter', 'absent'],
    [501, 'NotImplementedInSandbox', 'absent'],
    [500, 'InternalServerError', 'failing'],
    [502, 'BadGateway', 'failing'],
    [503, 'ServiceUnavailable', 'failing'],
    [504, 'GatewayTimeout', 'failing'],
    [null, 'REQUEST_SEND_ERROR', 'unreachable'],
    [null, 'OperationTimeout', 'unreachable'],
  ] as const)('%s %s: falls back (%s)', (status, code, kind) => {
    const fallback = graphFallbackOf(failure(status, code));
    expect(fallback?.kind).toBe(kind);
    expect(fallback?.reason).toContain(code);
  });

  it.each([
    [400, 'BadRequest'],
    [401, 'AuthenticationFailed'],
    [401, 'ExpiredAuthenticationToken'],
    [409, 'Conflict'],
    [429, 'TooManyRequests'],
    [null, 'UnexpectedError'],
  ] as const)('%s %s: reported, not hidden behind the fallback', (status, code) => {
    expect(graphFallbackOf(failure(status, code))).toBeNull();
  });

  it('names the status in the reason', () => {
    expect(graphFallbackOf(failure(403, 'AuthorizationFailed'))?.reason).toBe('Resource Graph refused the query: AuthorizationFailed (HTTP 403)');
  });
});
