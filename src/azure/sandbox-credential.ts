import type { AccessToken, TokenCredential } from '@azure/core-auth';

/**
 * A credential for an ARM-compatible sandbox: it fetches a token from the sandbox's identity endpoint,
 * the way a managed identity fetches one from its local endpoint.
 */
export class SandboxCredential implements TokenCredential {
  private cached: AccessToken | null = null;
  private pending: Promise<AccessToken> | null = null;

  constructor(private readonly endpoint: string) {}

  async getToken(): Promise<AccessToken> {
    if (this.cached && this.cached.expiresOnTimestamp - Date.now() > 60_000) return this.cached;
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  private async fetchToken(): Promise<AccessToken> {
    const response = await fetch(`${this.endpoint}/_sandbox/token`, { method: 'POST' });
    if (!response.ok) throw new Error(`Sandbox identity endpoint answered ${response.status}`);
    const body = (await response.json()) as { access_token: string; expires_on: number };
    this.cached = { token: body.access_token, expiresOnTimestamp: body.expires_on * 1000 };
    return this.cached;
  }
}
