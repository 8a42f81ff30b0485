/**
 * When no subnet fits: the subnet a network engineer would create for an instance. In a VNet of the
 * instance's subscription and region that the requester may change, the first free block of the
 * recommended size (else the largest free block no smaller than the minimum), a name from the pattern made
 * unique in that VNet, the NSG it will use and the delegation. Pure: the caller reads ARM and decides rights.
 */
import { cidrContains, cidrsOverlap, ipv4Cidrs, parseCidr } from '../eligibility/address.js';
import { DEFAULT_DEPENDENCIES, DEFAULT_NSG_NAME_PATTERN, DEFAULT_SUBNET_NAME_PATTERN, type PrincipalAccess } from '../eligibility/facts.js';
import { hasAction, SUBNET_WRITE_ACTION } from '../eligibility/permissions.js';
import { resourceIdKey, sameLocation, sameResourceId, subscriptionOf } from '../eligibility/resource-id.js';
import { SERVER_FARMS_DELEGATION } from '../eligibility/subnet-rules.js';
import { freeSpace, type FreeSpace } from './free-space.js';
import { nameFromPattern, uniqueName } from '../eligibility/names.js';
import { newApimNsg, nsgNamesInGroup, resourceGroupIdOf, type NewNsg } from '../eligibility/new-nsg.js';

export { DEFAULT_NSG_NAME_PATTERN, DEFAULT_SUBNET_NAME_PATTERN };

export interface ProposalInstance {
  name: string;
  subscriptionId: string;
  location: string;
}

export interface ProposalSubnet {
  name: string;
  /** `addressPrefix` and `addressPrefixes` together (IPv6 and unparseable entries are ignored). */
  addressPrefixes: readonly string[];
}

/** A VNet as the proposal needs it: `virtualNetworks.list` gives all of it in one paged call. */
export interface ProposalVnet {
  id: string;
  name: string;
  location: string;
  /** `addressSpace.addressPrefixes`. */
  addressPrefixes: readonly string[];
  subnets: readonly ProposalSubnet[];
}

/** The NSG of the new subnet: an existing one (by id), or one to create in the VNet's resource group. */
export type NsgChoice = { existingNsgId: string } | { create: { name: string } };

export interface ProposalSettings {
  /** Wanted size as a prefix length (24 = /24). */
  recommendedPrefix: number;
  /** Smallest acceptable size as a prefix length (27 = /27). */
  minimumPrefix: number;
  /** Subnet name; `<instance>` is replaced by the instance's name. */
  namePattern: string;
  /** A created NSG's name may use `<instance>` too. */
  nsg: NsgChoice;
  /** The required dependency tags: a created NSG gets an explicit allow for each. */
  dependencyTags: readonly string[];
  /** Destination of a created NSG's rules: each tag (global, default) or its form for the instance's region. */
  tagForm: 'global' | 'regional';
  /** Source of a created NSG's rules: `VirtualNetwork` (default) or the new subnet's own prefix. */
  ruleSource: 'VirtualNetwork' | 'subnet';
}

export const DEFAULT_PROPOSAL_SETTINGS: ProposalSettings = {
  recommendedPrefix: 24,
  minimumPrefix: 27,
  namePattern: DEFAULT_SUBNET_NAME_PATTERN,
  nsg: { create: { name: DEFAULT_NSG_NAME_PATTERN } },
  dependencyTags: DEFAULT_DEPENDENCIES.required,
  tagForm: 'global',
  ruleSource: 'VirtualNetwork',
};

/** VNets the requester may change: a predicate, or VNet ids (compared the way ARM compares ids). */
export type MayChange = ((vnet: ProposalVnet) => boolean) | ReadonlySet<string> | readonly string[];

export interface ProposalInput {
  instance: ProposalInstance;
  /** The VNets of the instance's subscription, in the order to try them (others are skipped). */
  vnets: readonly ProposalVnet[];
  mayChange: MayChange;
  settings?: Partial<ProposalSettings>;
  /** Only this VNet, by name or id (`integrate <instance> new subnet in <vnet>`). */
  vnet?: string;
  /** Ids of NSGs that exist, so that a created NSG's name does not take one already used in its resource group. */
  existingNsgIds?: readonly string[];
}

/** The NSG of a new subnet: an existing one (by id), or one the bot creates. */
export type ProposedNsg = { id: string } | NewNsg;

export interface SubnetProposal {
  vnetId: string;
  vnetName: string;
  /** The new subnet's name, unique in the VNet. */
  name: string;
  subnetId: string;
  addressPrefix: string;
  prefixLength: number;
  /** true when no block of the recommended size was free and a smaller one (no smaller than the minimum) was taken. */
  belowRecommended: boolean;
  nsg: ProposedNsg;
  delegation: typeof SERVER_FARMS_DELEGATION;
}

/** Why there is no proposal. Stable codes for code and tests; the message is for people. */
export const ProposalRefusal = {
  /** `vnet` was given and no VNet of the subscription has that name or id. */
  VNET_NOT_FOUND: 'VNET_NOT_FOUND',
  /** No VNet in the instance's subscription and region. */
  NO_VNET_IN_REGION: 'NO_VNET_IN_REGION',
  /** VNets in the region exist, but the requester may change none of them. */
  NO_VNET_REQUESTER_MAY_CHANGE: 'NO_VNET_REQUESTER_MAY_CHANGE',
  /** Every VNet the requester may change is full: not even a block of the minimum size is free. */
  NO_FREE_SPACE: 'NO_FREE_SPACE',
  /** The configured NSG (NEW_SUBNET_NSG_ID) cannot go on the new subnet (unreadable, another region, denies a required dependency, no join rights). */
  NSG_NOT_USABLE: 'NSG_NOT_USABLE',
} as const;
export type ProposalRefusal = (typeof ProposalRefusal)[keyof typeof ProposalRefusal];

export type ProposalOutcome =
  | { proposal: SubnetProposal; reason: null }
  | { proposal: null; reason: { code: ProposalRefusal; message: string } };

/** Proposes a new subnet for the instance, or says why there is none. */
export function proposeSubnet(input: ProposalInput): ProposalOutcome {
  const settings: ProposalSettings = { ...DEFAULT_PROPOSAL_SETTINGS, ...input.settings };
  const { instance } = input;
  let vnets = input.vnets;
  if (input.vnet !== undefined) {
    const wanted = input.vnet.trim();
    vnets = vnets.filter((v) => sameResourceId(v.id, wanted) || v.name.toLowerCase() === wanted.toLowerCase());
    if (vnets.length === 0) {
      return refuse('VNET_NOT_FOUND', `No virtual network named '${wanted}' was found in subscription ${instance.subscriptionId}.`);
    }
  }
  const inRegion = vnets.filter(
    (v) => (subscriptionOf(v.id) ?? '').toLowerCase() === instance.subscriptionId.toLowerCase() && sameLocation(v.location, instance.location),
  );
  if (inRegion.length === 0) {
    const which = input.vnet !== undefined ? `Virtual network '${vnets[0]?.name ?? input.vnet}' is not` : 'No virtual network is';
    return refuse(
      'NO_VNET_IN_REGION',
      `${which} in subscription ${instance.subscriptionId} and region ${instance.location}, where '${instance.name}' is; integration needs a VNet in both.`,
    );
  }
  const allowed = inRegion.filter(mayChangePredicate(input.mayChange));
  if (allowed.length === 0) {
    return refuse(
      'NO_VNET_REQUESTER_MAY_CHANGE',
      `The requester may not add a subnet to ${listNames(inRegion)} in ${instance.location} (creating one needs ${SUBNET_WRITE_ACTION}); a network owner can grant it or create the subnet.`,
    );
  }

  const spaces = allowed.map((vnet) => ({ vnet, space: freeSpace(vnet.addressPrefixes, vnet.subnets.flatMap((s) => s.addressPrefixes)) }));
  const found = pick(spaces, settings);
  if (!found) {
    const sizes =
      settings.minimumPrefix > settings.recommendedPrefix ? `/${settings.recommendedPrefix} to /${settings.minimumPrefix}` : `/${settings.recommendedPrefix}`;
    return refuse(
      'NO_FREE_SPACE',
      allowed.length === 1
        ? `No free address block of ${sizes} is left in ${listNames(allowed)}: its subnets take all of its address space; add an address prefix to it or free a subnet.`
        : `No free address block of ${sizes} is left in ${listNames(allowed)}: their subnets take all of their address space; add an address prefix to one of them or free a subnet.`,
    );
  }
  const { vnet, prefix, prefixLength } = found;
  const name = uniqueName(
    nameFromPattern(settings.namePattern, instance.name, nameFromPattern(DEFAULT_SUBNET_NAME_PATTERN, instance.name, 'snet-apim-outbound')),
    vnet.subnets.map((s) => s.name),
  );
  return {
    proposal: {
      vnetId: vnet.id,
      vnetName: vnet.name,
      name,
      subnetId: `${vnet.id}/subnets/${name}`,
      addressPrefix: prefix,
      prefixLength,
      belowRecommended: prefixLength > settings.recommendedPrefix,
      nsg: proposedNsg(settings, input, vnet, prefix),
      delegation: SERVER_FARMS_DELEGATION,
    },
    reason: null,
  };
}

/** A predicate for `mayChange` from the requester's role grants: subnets/write at the VNet or above. */
export function requesterMayChange(requester: PrincipalAccess): (vnet: ProposalVnet) => boolean {
  return (vnet) => hasAction(requester, SUBNET_WRITE_ACTION, vnet.id);
}

export type ProposalCheck =
  | { ok: true }
  | { ok: false; code: 'VNET_GONE' | 'PREFIX_OUTSIDE_SPACE' | 'PREFIX_TAKEN' | 'NAME_TAKEN'; message: string };

/**
 * Re-checks a proposal against a fresh read of its VNet just before creating it: the VNet still exists,
 * the prefix is still inside its address space and overlaps no subnet, and the name is still free.
 */
export function proposalStillFits(proposal: Pick<SubnetProposal, 'vnetId' | 'vnetName' | 'name' | 'addressPrefix'>, vnets: readonly ProposalVnet[]): ProposalCheck {
  const vnet = vnets.find((v) => sameResourceId(v.id, proposal.vnetId));
  if (!vnet) return { ok: false, code: 'VNET_GONE', message: `Virtual network '${proposal.vnetName}' no longer exists.` };
  const block = parseCidr(proposal.addressPrefix);
  if (!block || block.family !== 4) {
    return { ok: false, code: 'PREFIX_OUTSIDE_SPACE', message: `'${proposal.addressPrefix}' is not an IPv4 prefix.` };
  }
  const taken = vnet.subnets.find((s) => s.name.toLowerCase() === proposal.name.toLowerCase());
  if (taken) return { ok: false, code: 'NAME_TAKEN', message: `A subnet named '${taken.name}' now exists in '${vnet.name}'.` };
  if (!ipv4Cidrs(vnet.addressPrefixes).some((space) => cidrContains(space, block))) {
    return { ok: false, code: 'PREFIX_OUTSIDE_SPACE', message: `${proposal.addressPrefix} is no longer inside the address space of '${vnet.name}'.` };
  }
  const overlapping = vnet.subnets.find((s) => ipv4Cidrs(s.addressPrefixes).some((other) => cidrsOverlap(other, block)));
  if (overlapping) {
    return {
      ok: false,
      code: 'PREFIX_TAKEN',
      message: `${proposal.addressPrefix} in '${vnet.name}' overlaps subnet '${overlapping.name}', created since it was proposed.`,
    };
  }
  return { ok: true };
}

// ---- helpers ----

function refuse(code: ProposalRefusal, message: string): ProposalOutcome {
  return { proposal: null, reason: { code, message } };
}

function mayChangePredicate(mayChange: MayChange): (vnet: ProposalVnet) => boolean {
  if (typeof mayChange === 'function') return mayChange;
  const keys = new Set([...mayChange].map(resourceIdKey));
  return (vnet) => keys.has(resourceIdKey(vnet.id));
}

function listNames(vnets: readonly ProposalVnet[]): string {
  const names = vnets.slice(0, 5).map((v) => `'${v.name}'`);
  const more = vnets.length > 5 ? ` and ${vnets.length - 5} more` : '';
  return (vnets.length === 1 ? 'virtual network ' : 'virtual networks ') + names.join(', ') + more;
}

/**
 * The first VNet (in order) with a free block of the recommended size; else the largest free block no smaller
 * than the minimum across them (the first VNet on a tie).
 */
function pick(
  spaces: readonly { vnet: ProposalVnet; space: FreeSpace }[],
  settings: ProposalSettings,
): { vnet: ProposalVnet; prefix: string; prefixLength: number } | null {
  const smallest = Math.max(settings.minimumPrefix, settings.recommendedPrefix);
  for (let length = settings.recommendedPrefix; length <= smallest; length++) {
    for (const { vnet, space } of spaces) {
      const block = space.first(length);
      if (block) return { vnet, prefix: block.text, prefixLength: length };
    }
  }
  return null;
}

function proposedNsg(settings: ProposalSettings, input: ProposalInput, vnet: ProposalVnet, prefix: string): ProposedNsg {
  if ('existingNsgId' in settings.nsg) return { id: settings.nsg.existingNsgId };
  const resourceGroupId = resourceGroupIdOf(vnet.id, input.instance.subscriptionId);
  return newApimNsg({
    instance: input.instance,
    vnet,
    namePattern: settings.nsg.create.name,
    takenNames: nsgNamesInGroup(input.existingNsgIds ?? [], resourceGroupId),
    tags: settings.dependencyTags,
    tagForm: settings.tagForm,
    source: settings.ruleSource === 'subnet' ? prefix : 'VirtualNetwork',
  });
}
