/** IPv4 CIDR arithmetic for subnet size and range checks. IPv6 prefixes are ignored by these checks. */

export interface Ipv4Cidr {
  /** Network address as an unsigned 32-bit number. */
  base: number;
  prefixLength: number;
}

export function parseIpv4Cidr(text: string): Ipv4Cidr | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text.trim());
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefixLength = Number(m[5]);
  if (octets.some((o) => o > 255) || prefixLength > 32) return undefined;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefixLength);
  return { base: address - (address % size), prefixLength };
}

/** "a.b.c.d/n" of a parsed block (the network address, host bits cleared). */
export function formatIpv4Cidr(c: Ipv4Cidr): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(c.base / 2 ** shift) % 256);
  return `${octets.join('.')}/${c.prefixLength}`;
}

/** True when the text has host bits set ("10.0.1.7/24"): ARM wants the network address itself. */
export function hasHostBits(text: string): boolean {
  const c = parseIpv4Cidr(text);
  if (!c) return false;
  const address = text.trim().split('/')[0] ?? '';
  return address.split('.').map(Number).reduce((acc, o) => acc * 256 + o, 0) !== c.base;
}

export function isIpv6Prefix(text: string): boolean {
  return text.includes(':');
}

export function cidrSize(c: Ipv4Cidr): number {
  return 2 ** (32 - c.prefixLength);
}

export function cidrContains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
  return inner.base >= outer.base && inner.base + cidrSize(inner) <= outer.base + cidrSize(outer);
}

export function cidrOverlaps(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return a.base < b.base + cidrSize(b) && b.base < a.base + cidrSize(a);
}

/** `addressPrefix` plus `addressPrefixes` of a subnet's properties (a subnet may carry either or both). */
export function subnetPrefixes(properties: Record<string, unknown> | undefined): string[] {
  const out: string[] = [];
  const single = properties?.['addressPrefix'];
  if (typeof single === 'string') out.push(single);
  const many = properties?.['addressPrefixes'];
  if (Array.isArray(many)) for (const p of many) if (typeof p === 'string' && !out.includes(p)) out.push(p);
  return out;
}
