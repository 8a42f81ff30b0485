import { RestError } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import { ArmWriteError } from '../../src/azure/long-running.js';
import { CodedError, ErrorCode } from '../../src/errors.js';
import { failureOf } from '../../src/apply/failure.js';
import { explainArmCode } from '../../src/apply/explain-failure.js';

describe('what a failed apply tells people', () => {
  it('keeps ARM\'s code from a long-running operation that failed', () => {
    const error = new Error('The long-running operation has failed. VirtualNetworkSubnetHasIncorrectDelegation. Subnet must be delegated.');
    expect(failureOf(error)).toEqual({
      code: 'VirtualNetworkSubnetHasIncorrectDelegation',
      message: 'Subnet must be delegated.',
      explanation: explainArmCode('VirtualNetworkSubnetHasIncorrectDelegation'),
    });
    expect(failureOf(new Error('socket hang up'))).toMatchObject({ code: 'UnexpectedError', message: 'socket hang up' });
    expect(failureOf(new ArmWriteError('SubnetNotFound', 'gone'))).toMatchObject({ code: 'SubnetNotFound', message: 'gone' });
    const abort = new Error('aborted');
    abort.name = 'AbortError';
    expect(failureOf(abort)).toMatchObject({ code: 'OperationTimeout' });
  });

  it('reads the code from an ARM error response', () => {
    const error = new RestError('denied', { statusCode: 403, code: 'LinkedAuthorizationFailed' });
    (error as RestError & { details: unknown }).details = { error: { code: 'LinkedAuthorizationFailed', message: 'no join/action' } };
    expect(failureOf(error)).toMatchObject({ code: 'LinkedAuthorizationFailed', message: 'no join/action', explanation: expect.stringContaining('join/action') });
  });

  it('explains the codes of the domain table in plain words, and anything else generically', () => {
    for (const code of ['VirtualNetworkSubnetHasIncorrectDelegation', 'SubnetDelegationsCannotChangeWhenSubnetUsedByResource', 'MissingSubscriptionRegistration', 'LinkedAuthorizationFailed', 'InUseSubnetCannotBeDeleted']) {
      expect(explainArmCode(code)).not.toBe(explainArmCode('SomethingNobodyKnows'));
    }
    expect(explainArmCode('SomethingNobodyKnows')).toMatch(/Azure refused the change/);
  });

  it('explains every 409 of a running operation alike: wait, then request again, without the classic tiers\' 15 minutes', () => {
    for (const code of ['Conflict', 'AnotherOperationInProgress', 'ServiceUpdateInProgress', 'PessimisticConcurrencyConflict', 'InstanceBusy']) {
      const text = explainArmCode(code);
      expect(text, code).toMatch(/another operation is running|another update is running|Azure refused the change because another operation/i);
      expect(text, code).toMatch(/request again/);
      expect(text, code).not.toMatch(/15 minutes/);
    }
    expect(explainArmCode('PessimisticConcurrencyConflict')).toMatch(/may take several minutes/);
  });

  it('passes on ARM_UNAVAILABLE with ARM\'s own code when the reads failed', () => {
    const error = new CodedError(ErrorCode.ARM_UNAVAILABLE, 'Could not read', { arm: { status: 429, code: 'TooManyRequests', message: 'slow down' } });
    expect(failureOf(error)).toMatchObject({ code: 'TooManyRequests', message: 'slow down' });
    expect(failureOf(new CodedError(ErrorCode.SUBNET_NOT_FOUND, 'gone'))).toMatchObject({ code: 'SUBNET_NOT_FOUND', message: 'gone' });
    expect(failureOf('weird')).toMatchObject({ code: 'UnexpectedError', message: 'weird' });
  });
});
