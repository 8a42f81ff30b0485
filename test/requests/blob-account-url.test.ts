/** STORE=blob without keys: BLOB_ACCOUNT_URL and the program's Azure identity (the same kind of credential as ARM). */
import type { TokenCredential } from '@azure/core-auth';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { LazyAzureCredential, loadAzureCredential } from '../../src/azure/credential.js';
import { blobServiceClient } from '../../src/requests/store/blob-stores.js';
import { problemsOf } from '../support/config-problems.js';

const CLIENT_ID = '0b7f3a52-5d1e-4f0a-9c55-2f0e7d6c1a11';
const TENANT_ID = '9d5c2e61-8a0b-4c7e-b0f3-6e1d2a4c5b77';
const MSI = { MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppId: CLIENT_ID, MicrosoftAppTenantId: TENANT_ID };
const URL_ = 'https://stapimbot.blob.core.windows.net';

describe('blob store by account URL', () => {
  it('reads BLOB_ACCOUNT_URL with the identity the bot signs in with (a user-assigned managed identity by its client id)', () => {
    expect(loadConfig({ ...MSI, STORE: 'blob', BLOB_ACCOUNT_URL: `${URL_}/` }).requests.store).toEqual({
      kind: 'blob',
      accountUrl: URL_,
      identity: { kind: 'managedIdentity', clientId: CLIENT_ID },
      container: 'apim-vnet-bot',
    });
    expect(loadConfig({ STORE: 'blob', BLOB_ACCOUNT_URL: URL_ }).requests.store).toMatchObject({ identity: { kind: 'default' } });
  });

  it('builds the BlobServiceClient from the account URL and the credential, never a key', () => {
    const credential: TokenCredential = { getToken: async () => null };
    const service = blobServiceClient({ accountUrl: URL_, identity: { kind: 'default' }, container: 'apim-vnet-bot' }, credential);
    expect(service.url).toBe(`${URL_}/`);
    expect(service.accountName).toBe('stapimbot');
    expect(service.credential).toBe(credential);
  });

  it('without a credential given, signs in with the identity of the settings', () => {
    const identity = { kind: 'managedIdentity', clientId: CLIENT_ID } as const;
    const service = blobServiceClient({ accountUrl: URL_, identity, container: 'apim-vnet-bot' });
    expect(service.credential).toBeInstanceOf(LazyAzureCredential);
    expect((service.credential as LazyAzureCredential).identity).toEqual(identity);
  });

  it('names a bad URL in one line, and never quotes a SAS', () => {
    const one = (value: string) => problemsOf({ STORE: 'blob', BLOB_ACCOUNT_URL: value });
    expect(one('not a url')).toEqual(['BLOB_ACCOUNT_URL=not a url is not a storage account\'s blob URL (https://<account>.blob.core.windows.net).']);
    expect(one('http://stapimbot.blob.core.windows.net')).toEqual([expect.stringMatching(/^BLOB_ACCOUNT_URL=http:\/\/stapimbot\.blob\.core\.windows\.net is not .* it must be https\.$/)]);
    const sas = one(`${URL_}?sv=2024-01-01&sig=topsecret`);
    expect(sas).toEqual([expect.stringContaining('without a query, a SAS or credentials')]);
    expect(sas.join(' ')).not.toContain('topsecret');
    expect(problemsOf({ STORE: 'blob', BLOB_ACCOUNT_URL: URL_, BLOB_CONNECTION_STRING: 'AccountName=x;AccountKey=y' })).toEqual([
      expect.stringContaining('not both'),
    ]);
    expect(problemsOf({ STORE: 'blob' })).toEqual(['BLOB_ACCOUNT_URL or BLOB_CONNECTION_STRING is required when STORE=blob.']);
  });
});

describe('the Azure identity', () => {
  it('a UserAssignedMSI bot signs in to ARM as that identity: AZURE_CLIENT_ID, else its app id', () => {
    expect(loadConfig(MSI).azureIdentity).toEqual({ kind: 'managedIdentity', clientId: CLIENT_ID });
    const other = '5e0c7a43-1f2b-4d6e-8a9c-3b4d5e6f7a8b';
    expect(loadConfig({ ...MSI, AZURE_CLIENT_ID: other }).azureIdentity).toEqual({ kind: 'managedIdentity', clientId: other });
  });

  it('AZURE_CLIENT_ID alone names a user-assigned identity; beside a service principal secret it is that principal (DefaultAzureCredential)', () => {
    expect(loadConfig({ AZURE_CLIENT_ID: CLIENT_ID }).azureIdentity).toEqual({ kind: 'managedIdentity', clientId: CLIENT_ID });
    expect(loadConfig({ AZURE_CLIENT_ID: CLIENT_ID, AZURE_CLIENT_SECRET: 's' }).azureIdentity).toEqual({ kind: 'default' });
    expect(loadConfig({}).azureIdentity).toEqual({ kind: 'default' });
    expect(problemsOf({ AZURE_CLIENT_ID: 'me' })).toEqual(['AZURE_CLIENT_ID=me is not a client id (a GUID).']);
  });

  it('a managed identity is a ManagedIdentityCredential with its client id, not a chain', async () => {
    const { DefaultAzureCredential, ManagedIdentityCredential } = await import('@azure/identity');
    const credential = await loadAzureCredential({ kind: 'managedIdentity', clientId: CLIENT_ID });
    expect(credential).toBeInstanceOf(ManagedIdentityCredential);
    expect((credential as unknown as { clientId: string }).clientId).toBe(CLIENT_ID);
    expect(await loadAzureCredential({ kind: 'default' })).toBeInstanceOf(DefaultAzureCredential);
  });
});
