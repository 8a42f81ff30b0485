/**
 * Pure: may a request body with these headers be read, and how is it encoded? Only what the Bot Framework
 * sends is accepted: JSON in UTF-8, plain or in one gzip or deflate layer.
 */

export type ContentCoding = 'identity' | 'gzip' | 'deflate';

export type BodyRefusalCode = 'UNSUPPORTED_CONTENT_TYPE' | 'UNSUPPORTED_CONTENT_ENCODING' | 'BODY_TOO_LARGE' | 'BAD_COMPRESSION' | 'BAD_JSON';

export interface BodyRefusal {
  status: 400 | 413 | 415;
  code: BodyRefusalCode;
  message: string;
}

export type Headers = Record<string, string | string[] | undefined>;

const single = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value.join(', ') : value);

export function tooLarge(limit: number): BodyRefusal {
  return { status: 413, code: 'BODY_TOO_LARGE', message: `The body is larger than ${limit} bytes (after decompression).` };
}

/** `application/json`, with at most a UTF-8 charset. */
export function contentTypeRefusal(headers: Headers): BodyRefusal | null {
  const header = single(headers['content-type']) ?? '';
  const [mediaType = '', ...parameters] = header.split(';').map((part) => part.trim().toLowerCase());
  const refuse = (message: string): BodyRefusal => ({ status: 415, code: 'UNSUPPORTED_CONTENT_TYPE', message });
  if (mediaType !== 'application/json') return refuse(`The body must be application/json, not ${mediaType ? `"${mediaType.slice(0, 80)}"` : 'untyped'}.`);
  for (const parameter of parameters) {
    const [name, value = ''] = parameter.split('=').map((part) => part.trim().replace(/^"(.*)"$/, '$1'));
    if (name === 'charset' && value !== 'utf-8' && value !== 'utf8') return refuse('The body must be UTF-8.');
  }
  return null;
}

/** One gzip or deflate layer at most; `identity` entries are no layer. */
export function contentCodingOf(headers: Headers): ContentCoding | BodyRefusal {
  const codings = (single(headers['content-encoding']) ?? '')
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
  const refuse = (message: string): BodyRefusal => ({ status: 415, code: 'UNSUPPORTED_CONTENT_ENCODING', message });
  if (codings.length === 0) return 'identity';
  if (codings.length > 1) return refuse('Only one content encoding (gzip or deflate) is accepted.');
  const coding = codings[0];
  if (coding === 'gzip' || coding === 'deflate') return coding;
  return refuse(`Content-Encoding "${String(coding).slice(0, 40)}" is not accepted; send gzip, deflate or no encoding.`);
}

/** A declared Content-Length beyond the limit is refused before reading a byte. */
export function declaredLengthRefusal(headers: Headers, limit: number): BodyRefusal | null {
  const declared = Number(single(headers['content-length']));
  return Number.isFinite(declared) && declared > limit ? tooLarge(limit) : null;
}
