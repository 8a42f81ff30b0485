/** Small node:http helpers: reading bodies and writing replies. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ArmError, errorBody } from './errors.js';

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const MAX_BODY_BYTES = 5 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new ArmError(413, 'RequestEntityTooLarge', 'The request body is too large.');
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses a JSON object body; `undefined` for an empty body. */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  if (text.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new ArmError(400, 'InvalidRequestContent', `The request content was invalid and could not be deserialized: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ArmError(400, 'InvalidRequestContent', 'The request content must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

export function errorReply(e: ArmError): Reply {
  return { status: e.status, headers: e.headers, body: errorBody(e.code, e.message, e.details) };
}

export function sendReply(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { 'x-ms-request-id': cryptoId(), ...(reply.headers ?? {}) };
  let payload = '';
  if (reply.body !== undefined) {
    payload = JSON.stringify(reply.body);
    headers['Content-Type'] = 'application/json; charset=utf-8';
  }
  headers['Content-Length'] = String(Buffer.byteLength(payload));
  res.writeHead(reply.status, headers);
  res.end(payload);
}

let counter = 0;
function cryptoId(): string {
  counter += 1;
  return `sandbox-${process.pid}-${counter}`;
}
