import { describe, expect, it } from 'vitest';
import { cidrLastAddress, cidrsOverlap, formatIpv4, ipv4Cidrs, parseCidr, type Cidr } from '../../src/eligibility/address.js';
import { findFreeBlock, firstFreeBlock, freeSpace, largestFreeBlock } from '../../src/proposal/free-space.js';

const first = (space: string[], used: string[], length: number): string | null => firstFreeBlock(space, used, length)?.text ?? null;
const largest = (space: string[], used: string[], smallest: number): string | null => largestFreeBlock(space, used, smallest)?.text ?? null;

describe('firstFreeBlock: an empty VNet', () => {
  it('starts at the bottom of the address space', () => {
    expect(first(['10.70.0.0/16'], [], 24)).toBe('10.70.0.0/24');
  });
  it('gives the whole space when the wanted size equals it', () => {
    expect(first(['10.70.0.0/24'], [], 24)).toBe('10.70.0.0/24');
  });
  it('finds nothing when the wanted block is larger than the space', () => {
    expect(first(['10.70.0.0/25'], [], 24)).toBeNull();
  });
  it('clears host bits of an address-space prefix', () => {
    expect(first(['10.70.9.9/16'], [], 24)).toBe('10.70.0.0/24');
  });
  it('finds nothing without an address space', () => {
    expect(first([], [], 24)).toBeNull();
  });
});

describe('firstFreeBlock: fragmented space', () => {
  it('skips a used block', () => {
    expect(first(['10.70.0.0/16'], ['10.70.0.0/24'], 24)).toBe('10.70.1.0/24');
  });
  it('takes the first hole, not the end of the used run', () => {
    expect(first(['10.70.0.0/16'], ['10.70.0.0/24', '10.70.2.0/24', '10.70.3.0/24'], 24)).toBe('10.70.1.0/24');
  });
  it('a hole too small for the wanted size is skipped', () => {
    // 10.70.0.128/25 is free but a /24 needs 10.70.1.0
    expect(first(['10.70.0.0/16'], ['10.70.0.0/25'], 24)).toBe('10.70.1.0/24');
  });
  it('the same hole serves a smaller wanted size', () => {
    expect(first(['10.70.0.0/16'], ['10.70.0.0/25'], 25)).toBe('10.70.0.128/25');
  });
  it('holes between many small subnets', () => {
    const used = ['10.70.0.0/27', '10.70.0.64/27', '10.70.0.128/26', '10.70.1.0/24'];
    expect(first(['10.70.0.0/16'], used, 27)).toBe('10.70.0.32/27');
    expect(first(['10.70.0.0/16'], used, 26)).toBe('10.70.0.192/26');
    expect(first(['10.70.0.0/16'], used, 24)).toBe('10.70.2.0/24');
  });
  it('subnets in any order, duplicated, with addressPrefixes mixed in', () => {
    const used = ['10.70.2.0/24', '10.70.0.0/24', '10.70.0.0/24', '10.70.1.0/25', '10.70.1.128/25'];
    expect(first(['10.70.0.0/16'], used, 24)).toBe('10.70.3.0/24');
  });
  it('adjacent subnets merge into one taken run', () => {
    const used = Array.from({ length: 40 }, (_, i) => `10.70.${i}.0/24`);
    expect(first(['10.70.0.0/16'], used, 24)).toBe('10.70.40.0/24');
    expect(first(['10.70.0.0/16'], used, 22)).toBe('10.70.40.0/22');
    expect(first(['10.70.0.0/16'], used, 21)).toBe('10.70.40.0/21');
    expect(first(['10.70.0.0/16'], used.slice(1), 21)).toBe('10.70.40.0/21');
    expect(first(['10.70.0.0/16'], [...used, '10.70.40.0/24'], 21)).toBe('10.70.48.0/21');
  });
});

describe('firstFreeBlock: alignment', () => {
  it('a /24 never starts at .128', () => {
    const block = firstFreeBlock(['10.70.0.0/16'], ['10.70.0.0/25'], 24) as Cidr;
    expect(formatIpv4(block.network).endsWith('.0')).toBe(true);
  });
  it('a /24 in a space that itself starts at .128 (a /25 space) does not fit', () => {
    expect(first(['10.70.0.128/25'], [], 24)).toBeNull();
  });
  it('a /26 after a /27 at the start starts at .64', () => {
    expect(first(['10.70.0.0/24'], ['10.70.0.0/27'], 26)).toBe('10.70.0.64/26');
  });
  it('a /22 after a /24 at the start starts at .4.0', () => {
    expect(first(['10.70.0.0/16'], ['10.70.1.0/24'], 22)).toBe('10.70.4.0/22');
  });
  it('every block returned is aligned to its size, in a busy space', () => {
    const used = ['10.70.0.16/28', '10.70.0.96/27', '10.70.1.0/25', '10.70.3.64/26', '10.70.6.0/23'];
    for (let length = 16; length <= 30; length++) {
      const block = firstFreeBlock(['10.70.0.0/16'], used, length);
      if (!block) continue;
      expect(block.network % (1n << BigInt(32 - length))).toBe(0n);
      expect(block.prefixLength).toBe(length);
    }
  });
});

describe('firstFreeBlock: overlaps of every shape', () => {
  const space = ['10.70.0.0/22']; // 10.70.0.0 - 10.70.3.255: four /24s
  it('a subnet containing the candidate block', () => {
    expect(first(space, ['10.70.0.0/23'], 24)).toBe('10.70.2.0/24');
  });
  it('the candidate block containing a small subnet', () => {
    expect(first(space, ['10.70.0.200/29'], 24)).toBe('10.70.1.0/24');
  });
  it('a subnet at the end of the candidate block', () => {
    expect(first(space, ['10.70.0.248/29'], 24)).toBe('10.70.1.0/24');
  });
  it('a subnet equal to the candidate block', () => {
    expect(first(space, ['10.70.0.0/24'], 24)).toBe('10.70.1.0/24');
  });
  it('a subnet straddling candidates of a smaller size', () => {
    // 10.70.0.64/26 straddles the two /27 candidates 10.70.0.64 and 10.70.0.96
    expect(first(space, ['10.70.0.0/26', '10.70.0.64/26'], 27)).toBe('10.70.0.128/27');
  });
  it('a subnet larger than the whole space', () => {
    expect(first(space, ['10.70.0.0/16'], 24)).toBeNull();
  });
  it('a subnet partly outside the space still takes the part inside', () => {
    expect(first(['10.70.0.0/23'], ['10.69.255.0/24', '10.70.0.0/24'], 24)).toBe('10.70.1.0/24');
    expect(first(['10.70.0.128/25', '10.70.1.0/24'], ['10.70.0.0/24'], 25)).toBe('10.70.1.0/25');
  });
});

describe('firstFreeBlock: subnets outside the space, invalid and IPv6 prefixes', () => {
  it('ignores subnets outside the address space', () => {
    expect(first(['10.70.0.0/16'], ['10.71.0.0/24', '192.168.0.0/24', '10.69.255.0/24'], 24)).toBe('10.70.0.0/24');
  });
  it('ignores invalid subnet prefixes', () => {
    expect(first(['10.70.0.0/16'], ['10.70.0.0/33', 'garbage', '', '10.70.300.0/24'], 24)).toBe('10.70.0.0/24');
  });
  it('ignores invalid address-space prefixes and keeps the valid ones', () => {
    expect(first(['nope', '10.70.0.0/16'], [], 24)).toBe('10.70.0.0/24');
  });
  it('ignores IPv6 subnet prefixes (a dual-stack subnet takes only its IPv4 block)', () => {
    expect(first(['10.70.0.0/16', 'fd00:70::/48'], ['10.70.0.0/24', 'fd00:70::/64'], 24)).toBe('10.70.1.0/24');
  });
  it('never proposes IPv6: an IPv6-only VNet has no free IPv4 block', () => {
    expect(first(['fd00:70::/48'], [], 24)).toBeNull();
    expect(() => first(['fd00:70::/48'], [], 64)).toThrow(RangeError);
  });
  it('takes a bare address as a /32', () => {
    expect(first(['10.70.0.0/29'], ['10.70.0.0'], 31)).toBe('10.70.0.2/31');
  });
});

describe('firstFreeBlock: several address prefixes', () => {
  it('scans the prefixes in the order given', () => {
    expect(first(['10.80.0.0/16', '10.70.0.0/16'], [], 24)).toBe('10.80.0.0/24');
  });
  it('moves to the next prefix when the first is full', () => {
    expect(first(['10.70.0.0/24', '10.71.0.0/24'], ['10.70.0.0/24'], 24)).toBe('10.71.0.0/24');
  });
  it('moves to the next prefix when the first is too small for the size', () => {
    expect(first(['10.70.0.0/26', '10.71.0.0/16'], [], 24)).toBe('10.71.0.0/24');
    expect(first(['10.70.0.0/26', '10.71.0.0/16'], [], 27)).toBe('10.70.0.0/27');
  });
  it('never spans two adjacent prefixes', () => {
    // two /25s side by side form 10.70.0.0/24 together, but a block must lie inside one prefix
    expect(first(['10.70.0.0/25', '10.70.0.128/25'], [], 24)).toBeNull();
  });
  it('finds nothing when every prefix is full', () => {
    expect(first(['10.70.0.0/24', '10.71.0.0/24'], ['10.70.0.0/24', '10.71.0.0/25', '10.71.0.128/25'], 28)).toBeNull();
  });
});

describe('firstFreeBlock: a full VNet', () => {
  it('one subnet covering the space', () => {
    expect(first(['10.90.0.0/24'], ['10.90.0.0/24'], 29)).toBeNull();
  });
  it('many subnets covering the space exactly', () => {
    const used = Array.from({ length: 8 }, (_, i) => `10.90.0.${i * 32}/27`);
    for (let length = 24; length <= 32; length++) expect(first(['10.90.0.0/24'], used, length)).toBeNull();
  });
  it('a single free address is found only at /32', () => {
    const used = ['10.90.0.0/25', '10.90.0.128/26', '10.90.0.192/27', '10.90.0.224/28', '10.90.0.240/29', '10.90.0.248/30', '10.90.0.252/31', '10.90.0.254/32'];
    expect(first(['10.90.0.0/24'], used, 31)).toBeNull();
    expect(first(['10.90.0.0/24'], used, 32)).toBe('10.90.0.255/32');
  });
});

describe('firstFreeBlock: boundaries', () => {
  it('a /8 space, /29 wanted, first /29 taken', () => {
    expect(first(['10.0.0.0/8'], ['10.0.0.0/29'], 29)).toBe('10.0.0.8/29');
  });
  it('a /8 space almost full: the only free /29 is the last one', () => {
    const used = ['10.0.0.0/9', '10.128.0.0/10', '10.192.0.0/11', '10.224.0.0/12', '10.240.0.0/13', '10.248.0.0/14', '10.252.0.0/15', '10.254.0.0/16',
      '10.255.0.0/17', '10.255.128.0/18', '10.255.192.0/19', '10.255.224.0/20', '10.255.240.0/21', '10.255.248.0/22', '10.255.252.0/23', '10.255.254.0/24',
      '10.255.255.0/25', '10.255.255.128/26', '10.255.255.192/27', '10.255.255.224/28', '10.255.255.240/29'];
    expect(first(['10.0.0.0/8'], used, 29)).toBe('10.255.255.248/29');
    expect(first(['10.0.0.0/8'], used, 28)).toBeNull();
  });
  it('the top of the IPv4 space', () => {
    expect(first(['255.255.255.0/24'], ['255.255.255.0/25'], 25)).toBe('255.255.255.128/25');
    expect(first(['255.255.255.0/24'], ['255.255.255.0/25', '255.255.255.128/25'], 25)).toBeNull();
  });
  it('the whole IPv4 space', () => {
    expect(first(['0.0.0.0/0'], ['0.0.0.0/1'], 1)).toBe('128.0.0.0/1');
    expect(first(['0.0.0.0/0'], [], 0)).toBe('0.0.0.0/0');
  });
  it('finds the block after thousands of subnets', () => {
    const used = Array.from({ length: 4000 }, (_, i) => `10.${Math.floor(i / 256)}.${i % 256}.0/24`);
    expect(first(['10.0.0.0/8'], used, 24)).toBe('10.15.160.0/24');
  });
  it.each([-1, 33, 1.5, Number.NaN])('refuses prefix length %s', (length) => {
    expect(() => firstFreeBlock(['10.0.0.0/8'], [], length)).toThrow(RangeError);
  });
});

describe('largestFreeBlock', () => {
  it('the largest free aligned block anywhere in the space', () => {
    // free: 10.70.0.128/25 and 10.70.1.0/24 (+ the rest of the /22 from 10.70.2.0)
    expect(largest(['10.70.0.0/22'], ['10.70.0.0/25', '10.70.2.0/23'], 27)).toBe('10.70.1.0/24');
  });
  it('is the whole space when the VNet is empty', () => {
    expect(largest(['10.70.0.0/16'], [], 27)).toBe('10.70.0.0/16');
  });
  it('is no smaller than the minimum', () => {
    const used = ['10.90.0.0/25', '10.90.0.128/26', '10.90.0.192/27', '10.90.0.224/28'];
    expect(largest(['10.90.0.0/24'], used, 27)).toBeNull();
    expect(largest(['10.90.0.0/24'], used, 28)).toBe('10.90.0.240/28');
  });
  it('first on a tie, across prefixes in order', () => {
    expect(largest(['10.70.0.0/24', '10.71.0.0/24'], ['10.70.0.0/25', '10.71.0.0/25'], 27)).toBe('10.70.0.128/25');
  });
  it('a larger block in a later prefix wins over a smaller one in an earlier prefix', () => {
    expect(largest(['10.70.0.0/24', '10.71.0.0/24'], ['10.70.0.0/25', '10.70.0.128/26'], 27)).toBe('10.71.0.0/24');
  });
  it('respects an upper bound on the size', () => {
    expect(freeSpace(['10.70.0.0/16'], []).largest(27, 25)?.text).toBe('10.70.0.0/25');
  });
});

describe('findFreeBlock (recommended, then minimum)', () => {
  it('exact when a block of the wanted size is free', () => {
    expect(findFreeBlock(['10.70.0.0/16'], ['10.70.0.0/24'], 24, 27)).toEqual({ block: parseCidr('10.70.1.0/24'), exact: true });
  });
  it('falls back to the largest free block no smaller than the minimum', () => {
    const used = ['10.90.0.0/25', '10.90.0.128/27', '10.90.0.192/26'];
    const found = findFreeBlock(['10.90.0.0/24'], used, 24, 27);
    expect(found?.block.text).toBe('10.90.0.160/27');
    expect(found?.exact).toBe(false);
  });
  it('prefers a later /25 over an earlier /27', () => {
    const used = ['10.90.0.0/27', '10.90.0.64/26', '10.90.0.128/25', '10.90.1.0/24', '10.90.2.128/25', '10.90.3.0/24'];
    expect(findFreeBlock(['10.90.0.0/22'], used, 24, 27)?.block.text).toBe('10.90.2.0/25');
  });
  it('null when even the minimum does not fit', () => {
    expect(findFreeBlock(['10.90.0.0/24'], ['10.90.0.0/25', '10.90.0.128/26', '10.90.0.192/27', '10.90.0.224/28'], 24, 27)).toBeNull();
  });
  it('a minimum larger than the wanted size means only the wanted size', () => {
    expect(findFreeBlock(['10.90.0.0/24'], ['10.90.0.0/25'], 25, 24)?.block.text).toBe('10.90.0.128/25');
    expect(findFreeBlock(['10.90.0.0/24'], ['10.90.0.0/25'], 24, 24)).toBeNull();
  });
});

/** The slow, obvious answer: every aligned candidate in order, checked against every subnet. */
function oracle(space: string[], used: string[], length: number): string | null {
  const taken = ipv4Cidrs(used);
  for (const s of ipv4Cidrs(space)) {
    if (length < s.prefixLength) continue;
    const size = 1n << BigInt(32 - length);
    for (let at = s.network; at + size - 1n <= cidrLastAddress(s); at += size) {
      const candidate = parseCidr(`${formatIpv4(at)}/${length}`) as Cidr;
      if (!taken.some((t) => cidrsOverlap(t, candidate))) return candidate.text;
    }
  }
  return null;
}

describe('agrees with a brute-force scan on random VNets', () => {
  let state = 12345;
  const random = (n: number): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
  it('500 random fragmented /20-/24 spaces, every size from /20 to /30', () => {
    for (let round = 0; round < 500; round++) {
      const spaces = Array.from({ length: 1 + random(2) }, (_, i) => `10.${70 + i * 2 + random(2)}.${random(4) * 16}.0/${20 + random(5)}`);
      const used = Array.from({ length: random(14) }, () => {
        const length = 22 + random(9);
        return `10.${70 + random(5)}.${random(64)}.${random(256)}/${length}`; // host bits set on purpose: parsing aligns
      });
      for (let length = 20; length <= 30; length++) {
        expect(first(spaces, used, length), `${JSON.stringify({ spaces, used, length })}`).toBe(oracle(spaces, used, length));
      }
    }
  });
});
