import { describe, expect, it } from 'vitest';
import {
  cidrContains,
  cidrLastAddress,
  cidrSize,
  cidrsOverlap,
  formatIpv4,
  ipv4Block,
  ipv4Cidrs,
  isCanonicalCidr,
  isNonPublicIpv4,
  largestIpv4Cidr,
  parseCidr,
  parseIpv4,
  parseIpv6,
  type Cidr,
} from '../../src/eligibility/address.js';

function cidr(text: string): Cidr {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(`bad test cidr ${text}`);
  return parsed;
}

describe('parseIpv4', () => {
  it.each([
    ['0.0.0.0', 0n],
    ['10.0.0.1', 0x0a000001n],
    ['255.255.255.255', 0xffffffffn],
  ])('%s', (text, value) => expect(parseIpv4(text)).toBe(value));

  it.each(['256.0.0.1', '10.0.0', '10.0.0.0.1', 'a.b.c.d', '10..0.1', '', '1.2.3.-4', '1234.0.0.1'])('rejects %j', (text) => {
    expect(parseIpv4(text)).toBeNull();
  });
});

describe('parseIpv6', () => {
  it.each([
    ['::', 0n],
    ['::1', 1n],
    ['2001:db8::', 0x20010db8n << 96n],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', (0x20010db8n << 96n) | 1n],
    ['::ffff:10.0.0.1', (0xffffn << 32n) | 0x0a000001n],
    ['fe80::1:2', (0xfe80n << 112n) | (1n << 16n) | 2n],
  ])('%s', (text, value) => expect(parseIpv6(text)).toBe(value));

  it.each(['1::2::3', '12345::', 'g::1', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', 'fe80::1%eth0', '', '1:2:3:4:5:6:7::8'])(
    'rejects %j',
    (text) => expect(parseIpv6(text)).toBeNull(),
  );
});

describe('parseCidr', () => {
  it('parses IPv4 and clears host bits', () => {
    expect(parseCidr('10.0.1.7/24')).toEqual({ family: 4, network: 0x0a000100n, prefixLength: 24, text: '10.0.1.7/24' });
  });
  it('parses IPv6', () => {
    const c = cidr('2001:db8:1::/64');
    expect(c.family).toBe(6);
    expect(c.prefixLength).toBe(64);
  });
  it('takes a bare address as a host route', () => {
    expect(cidr('10.0.0.1').prefixLength).toBe(32);
    expect(cidr('::1').prefixLength).toBe(128);
  });
  it('trims whitespace', () => expect(cidr(' 10.0.0.0/8 ').text).toBe('10.0.0.0/8'));
  it.each(['10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/x', 'Storage', '*', 'VirtualNetwork', ''])('rejects %j', (text) => {
    expect(parseCidr(text)).toBeNull();
  });
});

describe('containment and overlap', () => {
  it.each([
    ['10.0.0.0/16', '10.0.1.0/24', true],
    ['10.0.1.0/24', '10.0.1.0/24', true],
    ['10.0.1.0/24', '10.0.0.0/16', false],
    ['10.0.0.0/24', '10.0.1.0/24', false],
    ['0.0.0.0/0', '192.168.1.0/24', true],
    ['10.0.0.0/8', 'fd00::/8', false],
    ['::/0', '2001:db8::/32', true],
    ['2001:db8::/32', '2001:db9::/48', false],
  ])('%s contains %s: %s', (outer, inner, expected) => {
    expect(cidrContains(cidr(outer), cidr(inner))).toBe(expected);
  });

  it.each([
    ['10.0.0.0/16', '10.0.1.0/24', true],
    ['10.0.1.0/24', '10.0.0.0/16', true],
    ['10.0.0.0/25', '10.0.0.128/25', false],
    ['10.0.0.0/24', '10.0.0.128/25', true],
    ['10.0.0.0/8', 'fd00::/8', false],
  ])('%s overlaps %s: %s', (a, b, expected) => expect(cidrsOverlap(cidr(a), cidr(b))).toBe(expected));
});

describe('largestIpv4Cidr', () => {
  it('picks the smallest prefix length among IPv4 prefixes', () => {
    expect(largestIpv4Cidr(['10.0.0.0/27', '10.1.0.0/24', '10.2.0.0/26'])?.text).toBe('10.1.0.0/24');
  });
  it('ignores IPv6 even when larger', () => {
    expect(largestIpv4Cidr(['fd00::/64', '10.0.0.0/27'])?.text).toBe('10.0.0.0/27');
  });
  it('keeps the first on a tie', () => {
    expect(largestIpv4Cidr(['10.0.0.0/24', '10.1.0.0/24'])?.text).toBe('10.0.0.0/24');
  });
  it('is null with no IPv4 prefix', () => {
    expect(largestIpv4Cidr(['fd00::/64'])).toBeNull();
    expect(largestIpv4Cidr([])).toBeNull();
    expect(largestIpv4Cidr(['garbage'])).toBeNull();
  });
  it('ipv4Cidrs keeps order and skips the rest', () => {
    expect(ipv4Cidrs(['10.0.0.0/27', 'fd00::/64', 'x', '10.1.0.0/24']).map((c) => c.text)).toEqual(['10.0.0.0/27', '10.1.0.0/24']);
  });
});

describe('isNonPublicIpv4', () => {
  it.each([
    ['10.0.0.0/8', true],
    ['10.20.0.0/16', true],
    ['172.16.0.0/12', true],
    ['172.31.255.0/24', true],
    ['192.168.0.0/16', true],
    ['100.64.0.0/10', true],
    ['169.254.0.0/16', true],
    ['172.0.0.0/8', false],
    ['20.38.0.0/16', false],
    ['0.0.0.0/0', false],
    ['0.0.0.0/1', false],
  ])('%s: %s', (text, expected) => expect(isNonPublicIpv4(cidr(text))).toBe(expected));
});

describe('cidrSize and cidrLastAddress', () => {
  it.each([
    ['10.0.0.0/24', 256n, '10.0.0.255'],
    ['10.0.0.0/8', 16777216n, '10.255.255.255'],
    ['10.0.0.8/29', 8n, '10.0.0.15'],
    ['10.0.0.1/32', 1n, '10.0.0.1'],
    ['0.0.0.0/0', 4294967296n, '255.255.255.255'],
  ])('%s: %s addresses, last %s', (text, size, last) => {
    expect(cidrSize(cidr(text))).toBe(size);
    expect(formatIpv4(cidrLastAddress(cidr(text)))).toBe(last);
  });
  it('counts IPv6 too', () => {
    expect(cidrSize(cidr('2001:db8::/64'))).toBe(1n << 64n);
    expect(cidrLastAddress(cidr('::/127'))).toBe(1n);
  });
});

describe('formatIpv4', () => {
  it.each([
    [0n, '0.0.0.0'],
    [0x0a000100n, '10.0.1.0'],
    [0xffffffffn, '255.255.255.255'],
    [0xc0a80001n, '192.168.0.1'],
  ])('%s -> %s', (value, text) => expect(formatIpv4(value)).toBe(text));
  it('round-trips with parseIpv4', () => {
    for (const text of ['1.2.3.4', '10.70.128.0', '172.31.255.254']) expect(formatIpv4(parseIpv4(text) as bigint)).toBe(text);
  });
  it.each([-1n, 0x100000000n])('refuses %s', (value) => expect(() => formatIpv4(value)).toThrow(RangeError));
});

describe('ipv4Block', () => {
  it('builds the block holding an address, host bits cleared, with its text', () => {
    const block = ipv4Block(parseIpv4('10.0.1.77') as bigint, 24);
    expect(block).toEqual({ family: 4, network: 0x0a000100n, prefixLength: 24, text: '10.0.1.0/24' });
    expect(Object.isFrozen(block)).toBe(true);
  });
  it('agrees with parseCidr', () => {
    for (const text of ['10.0.0.0/8', '10.70.3.128/25', '0.0.0.0/0', '10.1.2.3/32']) {
      const parsed = cidr(text);
      expect(ipv4Block(parsed.network, parsed.prefixLength)).toEqual(parsed);
    }
  });
  it.each([-1, 33, 24.5, Number.NaN])('refuses prefix length %s', (length) => {
    expect(() => ipv4Block(0n, length)).toThrow(RangeError);
  });
});

describe('isCanonicalCidr', () => {
  it.each([
    ['10.0.1.0/24', true],
    ['10.0.1.7/24', false],
    ['10.0.1.128/25', true],
    ['10.0.1.64/25', false],
    ['10.0.0.1', true],
    ['0.0.0.0/0', true],
    ['2001:db8::/32', true],
    ['2001:db8::1/64', false],
    ['garbage', false],
    ['10.0.0.0/33', false],
  ])('%s: %s', (text, expected) => expect(isCanonicalCidr(text)).toBe(expected));
});
