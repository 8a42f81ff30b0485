import { randomInt } from 'node:crypto';

/** Crockford base32 without I, L, O, U: nothing to misread when a person types it. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const LENGTH = 5;

/** A short id a person can type: "R-" and five characters, e.g. R-7K3QM. */
export function newRequestId(): string {
  let id = 'R-';
  for (let i = 0; i < LENGTH; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}

const REQUEST_ID = /^r-?([0-9a-hjkmnp-tv-z]{5})$/i;

/** "r-7k3qm", "R7K3QM" -> "R-7K3QM"; null when `text` is not a request id. Typed O, I and L read as 0, 1, 1. */
export function normalizeRequestId(text: string): string | null {
  const cleaned = text.trim().replace(/[oO]/g, '0').replace(/[iIlL]/g, '1');
  const match = REQUEST_ID.exec(cleaned);
  return match?.[1] ? `R-${match[1].toUpperCase()}` : null;
}
