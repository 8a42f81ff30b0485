/**
 * Reads a JSON request body with bounds: at most `limit` bytes on the wire and `limit` bytes once decoded, so a
 * decompression bomb costs about `limit` of memory, not its expanded size. Never rejects: every problem with the
 * body is a refusal (4xx) for the caller to send.
 */
import type { Readable } from 'node:stream';
import { createGunzip, createInflate, type Gunzip, type Inflate } from 'node:zlib';
import { contentCodingOf, contentTypeRefusal, declaredLengthRefusal, tooLarge, type BodyRefusal, type Headers } from './body-headers.js';

export type { BodyRefusal };

export const MAX_BODY_BYTES = 1024 * 1024;

/** After a refusal the rest of the body is read and dropped (so the client sees the answer), up to this much. */
const DISCARD_FACTOR = 8;

export type BodyRead = { ok: true; value: unknown } | { ok: false; refusal: BodyRefusal };

export interface IncomingBody extends Readable {
  headers: Headers;
}

const badJson = (message: string): BodyRead => ({ ok: false, refusal: { status: 400, code: 'BAD_JSON', message } });

/** Pure: the decoded bytes as JSON. */
export function parseJsonBytes(bytes: Buffer): BodyRead {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return badJson('The body is not valid UTF-8.');
  }
  if (text.trim() === '') return badJson('The body is empty.');
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return badJson('The body is not valid JSON.');
  }
}

export function readJsonBody(request: IncomingBody, limit = MAX_BODY_BYTES): Promise<BodyRead> {
  const coding = contentCodingOf(request.headers);
  const early = typeof coding === 'object' ? coding : (contentTypeRefusal(request.headers) ?? declaredLengthRefusal(request.headers, limit));
  if (early) {
    discardRest(request, limit * DISCARD_FACTOR);
    return Promise.resolve({ ok: false, refusal: early });
  }
  const decoder = coding === 'gzip' ? createGunzip() : coding === 'deflate' ? createInflate() : null;
  return new Promise<BodyRead>((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let decoded = 0;
    let settled = false;

    const settle = (result: BodyRead) => {
      if (settled) return;
      settled = true;
      request.off('data', onRaw);
      decoder?.off('data', onDecoded);
      decoder?.destroy();
      chunks.length = 0;
      if (!result.ok) discardRest(request, limit * DISCARD_FACTOR);
      resolve(result);
    };
    const complete = () => settle(parseJsonBytes(Buffer.concat(chunks, decoded)));
    const onDecoded = (chunk: Buffer) => {
      decoded += chunk.length;
      if (decoded > limit) return settle({ ok: false, refusal: tooLarge(limit) });
      chunks.push(chunk);
    };
    const onRaw = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) return settle({ ok: false, refusal: tooLarge(limit) });
      if (!decoder) return onDecoded(chunk);
      if (!decoder.write(chunk)) {
        request.pause();
        decoder.once('drain', () => request.resume());
      }
    };

    request.on('data', onRaw);
    request.once('end', () => (decoder ? decoder.end() : complete()));
    request.on('error', () => settle(badJson('The body could not be read.')));
    request.once('close', () => {
      if (!request.readableEnded) settle(badJson('The body ended early (the client went away).'));
    });
    if (decoder) watchDecoder(decoder, onDecoded, complete, (message) => settle({ ok: false, refusal: { status: 400, code: 'BAD_COMPRESSION', message } }));
  });
}

function watchDecoder(decoder: Gunzip | Inflate, onData: (chunk: Buffer) => void, onEnd: () => void, onBad: (message: string) => void): void {
  decoder.on('data', onData);
  decoder.once('end', onEnd);
  // A destroyed decoder may still report the error of the data it was given: nobody is listening for it then.
  decoder.on('error', (error: NodeJS.ErrnoException) => onBad(error.code === 'Z_BUF_ERROR' ? 'The compressed body is cut short.' : 'The body is not valid for its Content-Encoding.'));
}

/** Reads and drops what the client still sends, so it can read the refusal; a client that will not stop is cut off. */
function discardRest(request: IncomingBody, allowance: number): void {
  let dropped = 0;
  request.on('error', () => undefined);
  request.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > allowance) request.destroy();
  });
  request.resume();
}
