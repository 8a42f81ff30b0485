/**
 * Free IPv4 address space in a virtual network. A free block is aligned to its own size (a /24 starts at
 * x.y.z.0, never at .128), lies inside one of the VNet's address-space prefixes and overlaps none of its
 * subnets' prefixes. Address-space prefixes are scanned in the order given, each from its lowest address.
 * IPv6 and unparseable prefixes are ignored. Pure.
 */
import { type Cidr, cidrLastAddress, ipv4Block, ipv4Cidrs } from '../eligibility/address.js';

/** Answers questions about one VNet's free space; the subnets' prefixes are sorted and merged once. */
export interface FreeSpace {
  /** The first free block of `/prefixLength`, or null when none is free. */
  first(prefixLength: number): Cidr | null;
  /**
   * The largest free block no smaller than `/smallestPrefixLength` and no larger than `/largestPrefixLength`
   * (default /0): the first free block of the shortest prefix length that has one. Null when none is free.
   */
  largest(smallestPrefixLength: number, largestPrefixLength?: number): Cidr | null;
}

export interface FreeBlock {
  block: Cidr;
  /** true: the wanted size; false: a smaller block, the largest free one no smaller than the minimum. */
  exact: boolean;
}

/** An inclusive range of addresses. */
interface AddressRange {
  start: bigint;
  end: bigint;
}

/**
 * Builds the free-space view of a VNet from its `addressSpace.addressPrefixes` and every prefix of its
 * subnets (`addressPrefix` and `addressPrefixes`, in any order, duplicates allowed).
 */
export function freeSpace(addressSpace: readonly string[], subnetPrefixes: readonly string[]): FreeSpace {
  const spaces = ipv4Cidrs(addressSpace);
  const taken = mergedRanges(ipv4Cidrs(subnetPrefixes));
  const first = (prefixLength: number): Cidr | null => {
    checkPrefixLength(prefixLength);
    for (const space of spaces) {
      const block = firstFreeIn(space, taken, prefixLength);
      if (block) return block;
    }
    return null;
  };
  return {
    first,
    largest(smallestPrefixLength: number, largestPrefixLength = 0): Cidr | null {
      checkPrefixLength(smallestPrefixLength);
      checkPrefixLength(largestPrefixLength);
      for (let length = largestPrefixLength; length <= smallestPrefixLength; length++) {
        const block = first(length);
        if (block) return block;
      }
      return null;
    },
  };
}

/** The first free `/prefixLength` block of a VNet, or null. */
export function firstFreeBlock(addressSpace: readonly string[], subnetPrefixes: readonly string[], prefixLength: number): Cidr | null {
  return freeSpace(addressSpace, subnetPrefixes).first(prefixLength);
}

/** The largest free block of a VNet no smaller than `/smallestPrefixLength`, or null. */
export function largestFreeBlock(addressSpace: readonly string[], subnetPrefixes: readonly string[], smallestPrefixLength: number): Cidr | null {
  return freeSpace(addressSpace, subnetPrefixes).largest(smallestPrefixLength);
}

/**
 * The first free block of `/wanted`; when there is none, the largest free block no smaller than `/minimum`
 * (wanted = 24 and minimum = 27 try /24, then /25, /26, /27). Null when not even a `/minimum` is free.
 * A minimum larger than the wanted size (a smaller prefix length) is read as the wanted size.
 */
export function findFreeBlock(
  addressSpace: readonly string[],
  subnetPrefixes: readonly string[],
  wanted: number,
  minimum: number,
): FreeBlock | null {
  const space = freeSpace(addressSpace, subnetPrefixes);
  const exact = space.first(wanted);
  if (exact) return { block: exact, exact: true };
  if (minimum <= wanted) return null;
  const smaller = space.largest(minimum, wanted + 1);
  return smaller ? { block: smaller, exact: false } : null;
}

function checkPrefixLength(prefixLength: number): void {
  if (!Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > 32) {
    throw new RangeError(`${prefixLength} is not an IPv4 prefix length (0-32)`);
  }
}

/** Subnet blocks as sorted, merged address ranges (overlapping and adjacent blocks become one range). */
function mergedRanges(blocks: readonly Cidr[]): AddressRange[] {
  const ranges = blocks
    .map((b) => ({ start: b.network, end: cidrLastAddress(b) }))
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const merged: AddressRange[] = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range.start <= last.end + 1n) {
      if (range.end > last.end) last.end = range.end;
    } else {
      merged.push({ ...range });
    }
  }
  return merged;
}

/**
 * Walks aligned candidates through one address-space prefix, jumping past each taken range it meets,
 * so the cost follows the number of subnets, not the size of the space.
 */
function firstFreeIn(space: Cidr, taken: readonly AddressRange[], prefixLength: number): Cidr | null {
  if (prefixLength < space.prefixLength) return null;
  const size = 1n << BigInt(32 - prefixLength);
  const last = cidrLastAddress(space);
  let candidate = space.network;
  let i = 0;
  while (candidate + size - 1n <= last) {
    while (i < taken.length && (taken[i] as AddressRange).end < candidate) i++;
    const range = taken[i];
    if (!range || range.start > candidate + size - 1n) return ipv4Block(candidate, prefixLength);
    candidate = alignUp(range.end + 1n, size);
  }
  return null;
}

function alignUp(value: bigint, size: bigint): bigint {
  return ((value + size - 1n) / size) * size;
}
