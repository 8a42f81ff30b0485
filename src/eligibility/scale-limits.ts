/**
 * How many addresses an instance takes at its tier's maximum scale, in one place: documented figures that move.
 * Microsoft documents them for Premium v2 VNet injection only (checked 2026-12); for outbound integration they are
 * derived, not documented, and the finding that uses them says so.
 */

/** Addresses Azure keeps in every subnet (network, default gateway, two for DNS, broadcast). */
export const RESERVED_SUBNET_ADDRESSES = 5;
/** Addresses one scale unit of the gateway uses. */
export const ADDRESSES_PER_SCALE_UNIT = 2;
/** The most scale units of each tier, by lower-cased ARM SKU name. */
export const MAX_SCALE_UNITS: Readonly<Record<string, number>> = { standardv2: 10, premiumv2: 30 };

export interface ScaleNeed {
  maxUnits: number;
  /** RESERVED_SUBNET_ADDRESSES + ADDRESSES_PER_SCALE_UNIT per unit. */
  addresses: number;
}

const needs = new Map<string, ScaleNeed | null>();

/** What the tier needs at its maximum scale; null for a tier without a known maximum (not an integration tier). */
export function needAtMaxScale(skuName: string): ScaleNeed | null {
  let need = needs.get(skuName);
  if (need === undefined) {
    const maxUnits = MAX_SCALE_UNITS[skuName.trim().toLowerCase()];
    need = maxUnits === undefined ? null : { maxUnits, addresses: RESERVED_SUBNET_ADDRESSES + ADDRESSES_PER_SCALE_UNIT * maxUnits };
    needs.set(skuName, need);
  }
  return need;
}
