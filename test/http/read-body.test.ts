import { Readable } from 'node:stream';
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseJsonBytes, readJsonBody, type IncomingBody } from '../../src/http/read-body.js';
import { compressedZeros } from '../support/index.js';

const JSON_TYPE = { 'content-type': 'application/json' };

function body(chunks: Buffer[], headers: Record<string, string> = {}): IncomingBody {
  return Object.assign(Readable.from(chunks, { objectMode: false }), { headers: { ...JSON_TYPE, ...headers } });
}

/** A body that hands out `chunkBytes` at a time, counting how much of it has been read. */
function countedBody(data: Buffer, headers: Record<string, string>, chunkBytes = 16 * 1024) {
  let offset = 0;
  const stream = new Readable({
    highWaterMark: chunkBytes,
    read() {
      setImmediate(() => {
        const chunk = data.subarray(offset, offset + chunkBytes);
        offset += chunk.length;
        this.push(chunk.length > 0 ? chunk : null);
      });
    },
  });
  return { request: Object.assign(stream, { headers: { ...JSON_TYPE, ...headers } }), readBytes: () => offset };
}

const activity = { type: 'message', text: 'héllo ✓', nested: { list: [1, 2, 3] } };
const json = Buffer.from(JSON.stringify(activity));

describe('parseJsonBytes', () => {
  it('parses UTF-8 JSON, with or without a byte-order mark', () => {
    expect(parseJsonBytes(json)).toEqual({ ok: true, value: activity });
    expect(parseJsonBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), json]))).toEqual({ ok: true, value: activity });
  });

  it.each([
    ['empty', Buffer.alloc(0), /empty/],
    ['blank', Buffer.from('  \n'), /empty/],
    ['cut short', json.subarray(0, 20), /not valid JSON/],
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), /UTF-8/],
    ['an encoded lone surrogate', Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22]), /UTF-8/],
    ['UTF-16', Buffer.from('{"a":1}', 'utf16le'), /UTF-8|JSON/],
  ])('refuses a body that is %s with 400 BAD_JSON', (_what, bytes, message) => {
    const read = parseJsonBytes(bytes);
    expect(read).toMatchObject({ ok: false, refusal: { status: 400, code: 'BAD_JSON' } });
    expect(!read.ok && read.refusal.message).toMatch(message);
  });

  it('keeps escaped lone surrogates and control characters as data', () => {
    expect(parseJsonBytes(Buffer.from('{"text":"\\ud800\\u0000\\u001b"}'))).toEqual({ ok: true, value: { text: '\ud800\u0000\u001b' } });
  });
});

describe('readJsonBody', () => {
  it('reads plain, gzip and deflate bodies, in any number of chunks', async () => {
    const split = (data: Buffer) => Array.from({ length: Math.ceil(data.length / 7) }, (_, i) => data.subarray(i * 7, i * 7 + 7));
    expect(await readJsonBody(body(split(json)))).toEqual({ ok: true, value: activity });
    expect(await readJsonBody(body(split(gzipSync(json)), { 'content-encoding': 'gzip' }))).toEqual({ ok: true, value: activity });
    expect(await readJsonBody(body([deflateSync(json)], { 'content-encoding': 'deflate' }))).toEqual({ ok: true, value: activity });
    expect(await readJsonBody(body([json], { 'content-encoding': 'identity' }))).toEqual({ ok: true, value: activity });
  });

  it.each([
    ['gzip header on plain JSON', { 'content-encoding': 'gzip' }, json],
    ['deflate header on gzip', { 'content-encoding': 'deflate' }, gzipSync(json)],
    ['gzip header on deflate', { 'content-encoding': 'gzip' }, deflateSync(json)],
    ['raw deflate without its zlib header', { 'content-encoding': 'deflate' }, deflateRawSync(json)],
    ['gzip cut short', { 'content-encoding': 'gzip' }, gzipSync(json).subarray(0, 30)],
    ['gzip with a damaged checksum', { 'content-encoding': 'gzip' }, Buffer.concat([gzipSync(json).subarray(0, -8), Buffer.alloc(8, 0xaa)])],
    ['an empty gzip body', { 'content-encoding': 'gzip' }, Buffer.alloc(0)],
  ])('refuses %s with 400 BAD_COMPRESSION', async (_what, headers, data) => {
    expect(await readJsonBody(body([data], headers))).toMatchObject({ ok: false, refusal: { status: 400, code: 'BAD_COMPRESSION' } });
  });

  it('refuses valid gzip around something that is not JSON with 400 BAD_JSON', async () => {
    expect(await readJsonBody(body([gzipSync('hello')], { 'content-encoding': 'gzip' }))).toMatchObject({ ok: false, refusal: { code: 'BAD_JSON' } });
  });

  it('refuses other encodings and content types with 415, before reading', async () => {
    const br = countedBody(json, { 'content-encoding': 'br' });
    expect(await readJsonBody(br.request)).toMatchObject({ ok: false, refusal: { status: 415, code: 'UNSUPPORTED_CONTENT_ENCODING' } });
    expect(await readJsonBody(body([json], { 'content-type': 'text/plain' }))).toMatchObject({ ok: false, refusal: { status: 415, code: 'UNSUPPORTED_CONTENT_TYPE' } });
    expect(await readJsonBody(body([gzipSync(gzipSync(json))], { 'content-encoding': 'gzip, gzip' }))).toMatchObject({ ok: false, refusal: { status: 415 } });
  });

  it('counts the limit in decoded bytes: a body at the limit is read, one byte more is 413', async () => {
    const atLimit = Buffer.from(JSON.stringify({ text: 'x'.repeat(100 - 11) }));
    expect(atLimit.length).toBe(100);
    expect(await readJsonBody(body([gzipSync(atLimit)], { 'content-encoding': 'gzip' }), 100)).toMatchObject({ ok: true });
    const over = Buffer.from(JSON.stringify({ text: 'x'.repeat(101 - 11) }));
    expect(await readJsonBody(body([gzipSync(over)], { 'content-encoding': 'gzip' }), 100)).toMatchObject({ ok: false, refusal: { status: 413, code: 'BODY_TOO_LARGE' } });
    expect(await readJsonBody(body([over]), 100)).toMatchObject({ ok: false, refusal: { status: 413 } });
  });

  it('refuses a declared Content-Length over the limit before reading the body', async () => {
    const big = countedBody(Buffer.alloc(5000, 0x20), { 'content-length': '5000' });
    expect(await readJsonBody(big.request, 1000)).toMatchObject({ ok: false, refusal: { status: 413 } });
    expect(big.readBytes()).toBe(0);
  });

  it.each([
    // Gzip members may follow one another: 16 copies of a 64 MB bomb are one 1 GB body.
    ['gzip', async () => Buffer.concat(Array(16).fill(await compressedZeros(64 * 1024 * 1024, 'gzip')))],
    ['deflate', () => compressedZeros(128 * 1024 * 1024, 'deflate')],
  ] as const)('stops inflating a %s bomb as soon as the limit is passed', async (coding, build) => {
    const bomb = await build();
    const { request, readBytes } = countedBody(bomb, { 'content-encoding': coding }, 1024);
    const read = await readJsonBody(request);
    expect(read).toMatchObject({ ok: false, refusal: { status: 413, code: 'BODY_TOO_LARGE' } });
    // 1 MB of zeros is about 1 KB compressed: the refusal comes after the first few kilobytes of the bomb.
    expect(readBytes()).toBeLessThan(32 * 1024);
    expect(readBytes()).toBeLessThan(bomb.length / 4);
    // The rest is drained, so an HTTP client can read the refusal.
    await new Promise((resolve) => request.once('end', resolve));
    expect(readBytes()).toBe(bomb.length);
  });

  it('cuts off a client that keeps sending long after its refusal', async () => {
    const endless = new Readable({ read() { this.push(Buffer.alloc(64 * 1024, 0x20)); } });
    const request = Object.assign(endless, { headers: JSON_TYPE });
    expect(await readJsonBody(request, 1024)).toMatchObject({ ok: false, refusal: { status: 413 } });
    await new Promise((resolve) => (request.destroyed ? resolve(null) : request.once('close', resolve)));
    expect(request.destroyed).toBe(true);
  });

  it('answers a body whose stream fails or stops early with 400, never a rejection', async () => {
    const failing = new Readable({ read() { this.destroy(new Error('ECONNRESET')); } });
    expect(await readJsonBody(Object.assign(failing, { headers: JSON_TYPE }))).toMatchObject({ ok: false, refusal: { status: 400 } });
    const closed = new Readable({ read() { this.push(json.subarray(0, 10)); this.destroy(); } });
    expect(await readJsonBody(Object.assign(closed, { headers: JSON_TYPE }))).toMatchObject({ ok: false, refusal: { status: 400 } });
  });
});
