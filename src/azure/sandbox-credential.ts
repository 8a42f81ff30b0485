import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AccessToken, TokenCredential } from '@azure/core-auth';

/**
 * A credential for an ARM-compatible sandbox: it fetches a token from the sandbox's identity endpoint,
 * the way a managed identity fetches one from its local endpoint. (node:http rather than fetch: the first
 * fetch of a process loads its HTTP stack, which costs more than the whole token exchange.)
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
    const body = JSON.parse(await post(`${this.endpoint}/_sandbox/token`)) as { access_token: string; expires_on: number };
    this.cached = { token: body.access_token, expiresOnTimestamp: body.expires_on * 1000 };
    return this.cached;
  }
}

function post(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const send = url.startsWith('https:') ? httpsRequest : request;
    const req = send(url, { method: 'POST', timeout: 10_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => (res.statusCode === 200 ? resolve(text) : reject(new Error(`Sandbox identity endpoint answered ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('Sandbox identity endpoint did not answer')));
    req.on('error', reject);
    req.end();
  });
}
