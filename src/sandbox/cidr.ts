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
