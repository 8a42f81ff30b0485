/**
 * The program's Azure identity, one for ARM and the keyless blob store: a user-assigned managed identity by its
 * client id (ManagedIdentityCredential, so that no other identity on the host is picked by mistake), or
 * DefaultAzureCredential. @azure/identity is loaded on the first token request: it is slow to import, and the
 * sandbox and `check --seed` never need it.
 */
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import type { AzureIdentitySettings } from '../config.js';

/** The credential itself (loads @azure/identity now). */
export async function loadAzureCredential(identity: AzureIdentitySettings): Promise<TokenCredential> {
  const { DefaultAzureCredential, ManagedIdentityCredential } = await import('@azure/identity');
  return identity.kind === 'managedIdentity' ? new ManagedIdentityCredential({ clientId: identity.clientId }) : new DefaultAzureCredential();
}

/** A credential that loads the real one on its first token request, then hands every request to it. */
export class LazyAzureCredential implements TokenCredential {
  private credential: Promise<TokenCredential> | null = null;

  constructor(readonly identity: AzureIdentitySettings) {}

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    this.credential ??= loadAzureCredential(this.identity);
    return (await this.credential).getToken(scopes, options);
  }
}
