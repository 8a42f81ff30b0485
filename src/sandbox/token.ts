/**
 * Sandbox identity. `/_sandbox/token` issues unsigned JWTs (header {"alg":"none","typ":"JWT"}) with
 * `oid`, `iss` and `exp`; ARM requests name their caller through the `oid` claim. A bearer value that
 * is not a JWT stands for the seed's botPrincipalId.
 */
import { ArmError } from './errors.js';

export const TOKEN_ISSUER = 'apim-vnet-bot-sandbox';
const LIFETIME_SECONDS = 3600;

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function issueToken(oid: string, nowMs: number): { access_token: string; token_type: 'Bearer'; expires_in: number; expires_on: number } {
  const exp = Math.floor(nowMs / 1000) + LIFETIME_SECONDS;
  const jwt = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ oid, iss: TOKEN_ISSUER, exp })}.`;
  return { access_token: jwt, token_type: 'Bearer', expires_in: LIFETIME_SECONDS, expires_on: exp };
}

function decodeClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length < 2 || parts[1] === undefined) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The caller's object id from an Authorization header; throws 401 as ARM does. */
export function callerOf(authorization: string | undefined, botPrincipalId: string, nowMs: number): string {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!m || m[1] === undefined) {
    throw new ArmError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing or is not a Bearer token.");
  }
  const claims = decodeClaims(m[1]);
  if (!claims) return botPrincipalId;
  if (typeof claims['exp'] === 'number' && claims['exp'] * 1000 < nowMs) {
    throw new ArmError(401, 'ExpiredAuthenticationToken', 'The access token expiry UTC time is earlier than current UTC time.');
  }
  return typeof claims['oid'] === 'string' && claims['oid'] !== '' ? claims['oid'] : botPrincipalId;
}
