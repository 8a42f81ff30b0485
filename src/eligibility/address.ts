/**
 * IPv4 and IPv6 CIDR blocks: parsing, size, containment and overlap. Pure.
 * Both families are held as bigints so one set of comparisons serves both.
 */

export type IpFamily = 4 | 6;

export interface Cidr {
  family: IpFamily;
  /** Network address with the host bits cleared. */
  network: bigint;
  prefixLength: number;
  /** The text it was parsed from, trimmed. */
  text: string;
}

const BITS: Record<IpFamily, number> = { 4: 32, 6: 128 };

/** "10.1.2.3" -> its 32-bit value, or null when it is not a dotted-quad IPv4 address. */
export function parseIpv4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

/** "2001:db8::1" (with "::" compression or a trailing dotted IPv4) -> its 128-bit value, or null. */
export function parseIpv6(text: string): bigint | null {
  if (text.length === 0 || text.includes('%')) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (part: string): number[] | null => {
    if (part === '') return [];
    const groups: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i] ?? '';
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (v4 === null) return null;
        groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else {
        if (!/^[0-9a-f]{1,4}$/i.test(piece)) return null;
        groups.push(parseInt(piece, 16));
      }
    }
    return groups;
  };
  const head = groupsOf(halves[0] ?? '');
  const tail = halves.length === 2 ? groupsOf(halves[1] ?? '') : [];
  if (head === null || tail === null) return null;
  let groups: number[];
  if (halves.length === 2) {
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return null;
    groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  } else {
    groups = head;
  }
  if (groups.length !== 8) return null;
  let value = 0n;
  for (const group of groups) value = (value << 16n) | BigInt(group);
  return value;
}

/**
 * Parses "10.0.0.0/24", "2001:db8::/64", or a bare address (taken as /32 or /128).
 * Host bits are cleared. Returns null for anything else (service tags, "*", garbage).
 */
export function parseCidr(text: string): Cidr | null {
  let parsed = parsedCidrs.get(text);
  if (parsed === undefined) {
    if (parsedCidrs.size >= PARSED_CIDRS_LIMIT) parsedCidrs.clear();
    parsed = parseCidrText(text);
    parsedCidrs.set(text, parsed);
  }
  return parsed;
}

/** A check of a large subscription asks about the same prefixes many times; results are immutable. */
const parsedCidrs = new Map<string, Cidr | null>();
const PARSED_CIDRS_LIMIT = 100_000;

function parseCidrText(text: string): Cidr | null {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const addressText = slash < 0 ? trimmed : trimmed.slice(0, slash);
  const lengthText = slash < 0 ? null : trimmed.slice(slash + 1);
  let family: IpFamily;
  let address: bigint | null = parseIpv4(addressText);
  if (address !== null) {
    family = 4;
  } else {
    address = parseIpv6(addressText);
    if (address === null) return null;
    family = 6;
  }
  const bits = BITS[family];
  let prefixLength = bits;
  if (lengthText !== null) {
    if (!/^\d{1,3}$/.test(lengthText)) return null;
    prefixLength = Number(lengthText);
    if (prefixLength > bits) return null;
  }
  return Object.freeze({ family, network: maskNetwork(address, prefixLength, bits), prefixLength, text: trimmed });
}

/** True when every address of `inner` lies in `outer` (same family only). */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  if (outer.family !== inner.family || outer.prefixLength > inner.prefixLength) return false;
  return maskNetwork(inner.network, outer.prefixLength, BITS[outer.family]) === outer.network;
}

/** True when the blocks share at least one address. Two CIDR blocks overlap only when one contains the other. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return cidrContains(a, b) || cidrContains(b, a);
}

/** The IPv4 prefixes among `prefixes`, parsed, in their original order. Unparseable and IPv6 entries are skipped. */
export function ipv4Cidrs(prefixes: readonly string[]): Cidr[] {
  const out: Cidr[] = [];
  for (const prefix of prefixes) {
    const cidr = parseCidr(prefix);
    if (cidr?.family === 4) out.push(cidr);
  }
  return out;
}

/** The largest IPv4 block (smallest prefix length; the first one on a tie), or null when there is none. */
export function largestIpv4Cidr(prefixes: readonly string[]): Cidr | null {
  let best: Cidr | null = null;
  for (const cidr of ipv4Cidrs(prefixes)) {
    if (best === null || cidr.prefixLength < best.prefixLength) best = cidr;
  }
  return best;
}

/** Number of addresses in the block (2^(bits - prefixLength)). */
export function cidrSize(cidr: Cidr): bigint {
  return 1n << BigInt(BITS[cidr.family] - cidr.prefixLength);
}

/** The block's last address (its broadcast address for IPv4). */
export function cidrLastAddress(cidr: Cidr): bigint {
  return cidr.network + cidrSize(cidr) - 1n;
}

/** A 32-bit value as a dotted quad ("10.0.1.0"). Throws a RangeError outside 0..2^32-1. */
export function formatIpv4(value: bigint): string {
  if (value < 0n || value > 0xffffffffn) throw new RangeError(`${value} is not an IPv4 address value`);
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
}

/**
 * The IPv4 block of `prefixLength` that holds `address` ("10.0.1.0/24" for 10.0.1.77 and 24).
 * Throws a RangeError for a prefix length outside 0..32 or an address outside IPv4.
 */
export function ipv4Block(address: bigint, prefixLength: number): Cidr {
  if (!Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > 32) {
    throw new RangeError(`${prefixLength} is not an IPv4 prefix length`);
  }
  const network = maskNetwork(address, prefixLength, 32);
  return Object.freeze({ family: 4 as const, network, prefixLength, text: `${formatIpv4(network)}/${prefixLength}` });
}

/** True when the text names its network address exactly: "10.0.1.0/24" yes, "10.0.1.7/24" no (host bits set). */
export function isCanonicalCidr(text: string): boolean {
  const cidr = parseCidr(text);
  if (!cidr) return false;
  const slash = cidr.text.indexOf('/');
  const addressText = slash < 0 ? cidr.text : cidr.text.slice(0, slash);
  const address = cidr.family === 4 ? parseIpv4(addressText) : parseIpv6(addressText);
  return address === cidr.network;
}

/**
 * Blocks no public Azure service address (such as the Storage service tag) can be in:
 * RFC 1918 private ranges, shared address space, loopback, link-local, "this network", multicast and reserved.
 */
const NON_PUBLIC_IPV4: readonly Cidr[] = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '224.0.0.0/3',
].map((text) => parseCidr(text) as Cidr);

/** True when the IPv4 block lies entirely in private or reserved address space. */
export function isNonPublicIpv4(cidr: Cidr): boolean {
  return cidr.family === 4 && NON_PUBLIC_IPV4.some((range) => cidrContains(range, cidr));
}

function maskNetwork(address: bigint, prefixLength: number, bits: number): bigint {
  const hostBits = BigInt(bits - prefixLength);
  return (address >> hostBits) << hostBits;
}
