import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { problemsOf } from '../support/index.js';

const AZURITE = 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=c2VjcmV0;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;';

describe('request settings', () => {
  it('defaults to the file store in DATA_DIR (its lease: 30 seconds), a 120-minute apply deadline, 60-second leases and check records kept 24 hours', () => {
    expect(loadConfig({}).requests).toEqual({ store: { kind: 'file', dataDir: './data', dataDirLeaseSeconds: 30 }, applyDeadlineMinutes: 120, leaseSeconds: 60, checkTtlHours: 24 });
    expect(loadConfig({}).bot.requestTtlHours).toBe(168);
    expect(loadConfig({ DATA_DIR: '/srv/bot', DATA_DIR_LEASE_SECONDS: '6', APPLY_DEADLINE_MINUTES: '30', LEASE_SECONDS: '5', CHECK_TTL_HOURS: '2' }).requests).toEqual({
      store: { kind: 'file', dataDir: '/srv/bot', dataDirLeaseSeconds: 6 },
      applyDeadlineMinutes: 30,
      leaseSeconds: 5,
      checkTtlHours: 2,
    });
  });

  it('reads the blob store: connection string and container (default apim-vnet-bot)', () => {
    expect(loadConfig({ STORE: 'Blob', BLOB_CONNECTION_STRING: AZURITE }).requests.store).toEqual({ kind: 'blob', connectionString: AZURITE, container: 'apim-vnet-bot' });
    expect(loadConfig({ STORE: 'blob', BLOB_CONNECTION_STRING: AZURITE, BLOB_CONTAINER: 'bot-prod-1' }).requests.store).toMatchObject({ container: 'bot-prod-1' });
  });

  it('names every bad value, and never quotes the connection string', () => {
    const problems = problemsOf({ STORE: 'sql', APPLY_DEADLINE_MINUTES: '0', LEASE_SECONDS: 'long', REQUEST_TTL_HOURS: '-1', CHECK_TTL_HOURS: '0', DATA_DIR_LEASE_SECONDS: '2' });
    expect(problems).toEqual([
      expect.stringContaining('REQUEST_TTL_HOURS=-1'),
      expect.stringContaining('STORE=sql must be one of: file, blob'),
      expect.stringContaining('APPLY_DEADLINE_MINUTES=0'),
      expect.stringContaining('LEASE_SECONDS=long'),
      expect.stringContaining('CHECK_TTL_HOURS=0'),
      expect.stringContaining('DATA_DIR_LEASE_SECONDS=2 is not a whole number from 5 to 3600'),
    ]);
    expect(problemsOf({ STORE: 'blob' })).toEqual(['BLOB_ACCOUNT_URL or BLOB_CONNECTION_STRING is required when STORE=blob.']);
    const secret = 'AccountKey=topsecret;NotAnEndpoint=x';
    const bad = problemsOf({ STORE: 'blob', BLOB_CONNECTION_STRING: secret, BLOB_CONTAINER: 'Bad_Name' });
    expect(bad).toEqual([expect.stringContaining('does not look like an Azure Storage connection string'), expect.stringContaining('BLOB_CONTAINER=Bad_Name')]);
    expect(bad.join(' ')).not.toContain('topsecret');
  });
});
