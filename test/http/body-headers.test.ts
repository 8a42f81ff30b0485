import { describe, expect, it } from 'vitest';
import { contentCodingOf, contentTypeRefusal, declaredLengthRefusal } from '../../src/http/body-headers.js';

describe('contentCodingOf', () => {
  it.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['identity', 'identity'],
    [' Identity ', 'identity'],
    ['gzip', 'gzip'],
    ['GZIP', 'gzip'],
    ['deflate', 'deflate'],
    ['identity, gzip', 'gzip'],
    [['gzip'], 'gzip'],
    ['gzip,', 'gzip'],
  ])('%j is %s', (header, coding) => {
    expect(contentCodingOf({ 'content-encoding': header })).toBe(coding);
  });

  it.each(['br', 'compress', 'x-gzip', 'zstd', 'gzip, gzip', 'gzip, deflate', 'gzip, br', 'br, gzip', 'foo, bar', 'gzip;q=1', ['gzip', 'gzip']])('%j is refused with 415', (header) => {
    const refusal = contentCodingOf({ 'content-encoding': header });
    expect(refusal).toMatchObject({ status: 415, code: 'UNSUPPORTED_CONTENT_ENCODING' });
    expect(typeof refusal === 'object' && refusal.message).toMatch(/encoding/i);
  });

  it('keeps a hostile encoding name short in the reason', () => {
    const refusal = contentCodingOf({ 'content-encoding': 'x'.repeat(5000) });
    expect(typeof refusal === 'object' && refusal.message.length).toBeLessThan(200);
  });
});

describe('contentTypeRefusal', () => {
  it.each(['application/json', 'application/json; charset=utf-8', 'Application/JSON;charset=UTF-8', 'application/json; charset="utf-8"', 'application/json; charset=utf8', 'application/json; foo=bar'])(
    '%j is accepted',
    (header) => {
      expect(contentTypeRefusal({ 'content-type': header })).toBeNull();
    },
  );

  it.each([undefined, '', 'text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/jsonx', 'application/json-patch+json', 'json', 'application/json; charset=latin1', 'application/json; charset=utf-16'])(
    '%j is refused with 415',
    (header) => {
      expect(contentTypeRefusal({ 'content-type': header })).toMatchObject({ status: 415, code: 'UNSUPPORTED_CONTENT_TYPE' });
    },
  );
});

describe('declaredLengthRefusal', () => {
  it('refuses a declared length over the limit, and nothing else', () => {
    expect(declaredLengthRefusal({ 'content-length': '101' }, 100)).toMatchObject({ status: 413, code: 'BODY_TOO_LARGE' });
    expect(declaredLengthRefusal({ 'content-length': '100' }, 100)).toBeNull();
    expect(declaredLengthRefusal({}, 100)).toBeNull();
    expect(declaredLengthRefusal({ 'content-length': 'lots' }, 100)).toBeNull();
  });
});
