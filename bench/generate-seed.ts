/**
 * A large, deterministic sandbox estate for benchmarks: one subscription, one StandardV2 instance
 * (`bench-apim`, westeurope) and, by default, 2,000 VNets x 10 subnets with a realistic mix of findings.
 *
 *   node dist/bench/generate-seed.js [--vnets n] [--subnets-per-vnet n] [--out file]   (prints counts)
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { mulberry32 } from '../src/sandbox/prng.js';
import {
  type ArmResource,
  BUILT_IN_ROLES,
  type DelegationDoc,
  type LinkDoc,
  type SandboxSeed,
  type SecurityRuleDoc,
  type SecurityRuleProperties,
  type SubnetDoc,
  type SubnetProperties,
  TYPES,
} from './seed-types.js';

export interface EstateOptions {
  vnets?: number;
  subnetsPerVnet?: number;
  /** Network security groups shared by the subnets (a few hundred in a large estate). */
  nsgs?: number;
  /** Network resource groups the VNets and NSGs are spread over. */
  networkResourceGroups?: number;
  /** Other API Management instances, each integrated with one of the subnets. */
  otherInstances?: number;
  /** Role assignments for unrelated principals (noise the RBAC queries must filter out). */
  noiseAssignments?: number;
  /** PRNG seed: same options and seed, same estate. */
  seed?: number;
}

export interface GeneratedEstate {
  seed: SandboxSeed;
  subscriptionId: string;
  instanceId: string;
  botPrincipalId: string;
  requesterPrincipalId: string;
  counts: EstateCounts;
}

export interface EstateCounts {
  resources: number;
  vnets: number;
  subnets: number;
  nsgs: number;
  instances: number;
  roleAssignments: number;
  vnetsByLocation: Record<string, number>;
  subnetsWithIpConfigurations: number;
  subnetsWithPrivateEndpoints: number;
  subnetsWithServiceAssociationLinks: number;
  subnetsWithoutNsg: number;
  subnetsByDelegation: Record<string, number>;
  subnetsByPrefixLength: Record<string, number>;
  dualStackSubnets: number;
}

const DEFAULTS: Required<EstateOptions> = {
  vnets: 2000,
  subnetsPerVnet: 10,
  nsgs: 300,
  networkResourceGroups: 40,
  otherInstances: 20,
  noiseAssignments: 200,
  seed: 20240501,
};

const SERVER_FARMS = 'Microsoft.Web/serverFarms';
const HOSTING_ENVIRONMENTS = 'Microsoft.Web/hostingEnvironments';
const CONTAINER_GROUPS = 'Microsoft.ContainerInstance/containerGroups';
const SQL_MANAGED_INSTANCES = 'Microsoft.Sql/managedInstances';
const SUBNET_JOIN_ROLE_NAME = 'Subnet Joiner';

/** Locations as the network resource provider spells them; "West Europe" appears too, as seen in real estates. */
const LOCATIONS: readonly { location: string; weight: number }[] = [
  { location: 'westeurope', weight: 70 },
  { location: 'West Europe', weight: 5 },
  { location: 'northeurope', weight: 15 },
  { location: 'francecentral', weight: 5 },
  { location: 'eastus', weight: 5 },
];

export function generateEstate(options: EstateOptions = {}): GeneratedEstate {
  const o: Required<EstateOptions> = { ...DEFAULTS, ...definedOnly(options) };
  if (o.vnets < 1 || o.subnetsPerVnet < 1 || o.nsgs < 1 || o.networkResourceGroups < 1) throw new RangeError('vnets, subnetsPerVnet, nsgs and networkResourceGroups must be at least 1');
  const random = mulberry32(o.seed);
  const guid = (label: string): string => stableGuid(`${o.seed}:${label}`);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const chance = (p: number): boolean => random() < p;

  const sub = guid('subscription');
  const subScope = `/subscriptions/${sub}`;
  const rg = (name: string): string => `${subScope}/resourceGroups/${name}`;
  const netRg = (i: number): string => `rg-net-${String(i % o.networkResourceGroups).padStart(3, '0')}`;
  const botPrincipalId = guid('bot');
  const requesterPrincipalId = guid('requester');
  const requesterGroupId = guid('group:network-users');
  const resources: ArmResource[] = [];

  // ---------------------------------------------------------------- the instance under test
  const instanceId = `${rg('rg-apim-bench')}/providers/${TYPES.apim}/bench-apim`;
  resources.push(apimDoc(instanceId, 'bench-apim', 'West Europe', 'StandardV2', null));

  // ---------------------------------------------------------------- NSGs, per region
  const nsgsByLocation = new Map<string, string[]>();
  const nsgDocs = new Map<string, ArmResource>();
  for (let i = 0; i < o.nsgs; i++) {
    const location = weightedLocation(random);
    const name = `nsg-${String(i).padStart(4, '0')}`;
    const id = `${rg(netRg(i))}/providers/${TYPES.nsg}/${name}`;
    const doc: ArmResource = {
      id,
      name,
      type: TYPES.nsg,
      location,
      tags: {},
      properties: { provisioningState: 'Succeeded', resourceGuid: guid(id), securityRules: nsgRules(id, location, random), subnets: [] },
    };
    nsgDocs.set(id, doc);
    const key = normalizeLocation(location);
    nsgsByLocation.set(key, [...(nsgsByLocation.get(key) ?? []), id]);
  }

  // ---------------------------------------------------------------- VNets and subnets
  const counts: EstateCounts = {
    resources: 0,
    vnets: o.vnets,
    subnets: 0,
    nsgs: o.nsgs,
    instances: 1 + o.otherInstances,
    roleAssignments: 0,
    vnetsByLocation: {},
    subnetsWithIpConfigurations: 0,
    subnetsWithPrivateEndpoints: 0,
    subnetsWithServiceAssociationLinks: 0,
    subnetsWithoutNsg: 0,
    subnetsByDelegation: {},
    subnetsByPrefixLength: {},
    dualStackSubnets: 0,
  };
  const totalSubnets = o.vnets * o.subnetsPerVnet;
  // Subnets taken by the other instances: spread evenly over the estate.
  const otherApimSlots = new Map<number, number>();
  for (let k = 0; k < o.otherInstances; k++) otherApimSlots.set(Math.floor(((k + 0.5) * totalSubnets) / o.otherInstances), k);
  const otherApimSubnets: string[] = [];

  let cursor = 0x0a000000n; // 10.0.0.0
  let subnetIndex = 0;
  for (let v = 0; v < o.vnets; v++) {
    const location = weightedLocation(random);
    counts.vnetsByLocation[location] = (counts.vnetsByLocation[location] ?? 0) + 1;
    const group = netRg(v);
    const vnetName = `vnet-${String(v).padStart(4, '0')}`;
    const vnetId = `${rg(group)}/providers/${TYPES.vnet}/${vnetName}`;

    // Sizes first, then pack largest-first so aligned blocks leave no gaps.
    const lengths = Array.from({ length: o.subnetsPerVnet }, (_, i) => (i === 0 && chance(0.15) ? pick([22, 23]) : pick([24, 24, 24, 24, 25, 26, 26, 27, 27, 28, 29])));
    const order = lengths.map((len, i) => ({ len, i })).sort((a, b) => a.len - b.len);
    const total = lengths.reduce((n, len) => n + 2n ** BigInt(32 - len), 0n);
    const blockBits = Math.max(8, bitLength(total - 1n));
    const blockSize = 1n << BigInt(blockBits);
    cursor = alignUp(cursor, blockSize);
    const vnetPrefix = `${ipv4(cursor)}/${32 - blockBits}`;
    const starts = new Map<number, bigint>();
    let at = cursor;
    for (const { len, i } of order) {
      starts.set(i, at);
      at += 2n ** BigInt(32 - len);
    }
    cursor += blockSize;

    const dualStack = chance(0.03);
    const v6Base = `fd00:${(v >> 16).toString(16)}:${(v & 0xffff).toString(16)}`;
    const subnets: SubnetDoc[] = [];
    for (let s = 0; s < o.subnetsPerVnet; s++) {
      const len = lengths[s] ?? 24;
      const name = `snet-${String(s).padStart(2, '0')}`;
      const id = `${vnetId}/subnets/${name}`;
      const props: SubnetProperties = { provisioningState: 'Succeeded', delegations: [] };
      const v4 = `${ipv4(starts.get(s) ?? 0n)}/${len}`;
      if (dualStack && s % 2 === 0) {
        props.addressPrefixes = [v4, `${v6Base}:${s.toString(16)}::/64`];
        counts.dualStackSubnets++;
      } else props.addressPrefix = v4;
      counts.subnetsByPrefixLength[`/${len}`] = (counts.subnetsByPrefixLength[`/${len}`] ?? 0) + 1;

      const otherApim = otherApimSlots.get(subnetIndex);
      const roll = random();
      let delegation: string | null = null;
      if (otherApim !== undefined) {
        delegation = SERVER_FARMS;
        const link = `${rg('rg-apim-others')}/providers/${TYPES.apim}/other-apim-${String(otherApim).padStart(2, '0')}`;
        props.serviceAssociationLinks = [salDoc(id, 'apim-integration', TYPES.apim, link)];
        otherApimSubnets[otherApim] = id;
      } else if (roll < 0.35) {
        // VMs: NIC ip configurations, sometimes with a stray delegation.
        props.ipConfigurations = Array.from({ length: 1 + Math.floor(random() * 8) }, (_, n) => ({
          id: `${rg(`rg-app-${String(v % 60).padStart(2, '0')}`)}/providers/Microsoft.Network/networkInterfaces/vm-${v}-${s}-${n}-nic/ipConfigurations/ipconfig1`,
        }));
        if (chance(0.05)) delegation = CONTAINER_GROUPS;
      } else if (roll < 0.4) {
        props.privateEndpoints = [{ id: `${rg(`rg-app-${String(v % 60).padStart(2, '0')}`)}/providers/Microsoft.Network/privateEndpoints/pe-${v}-${s}` }];
      } else if (roll < 0.45) {
        delegation = SERVER_FARMS;
        props.serviceAssociationLinks = [
          salDoc(id, 'AppServiceLink', 'Microsoft.Web/serverfarms', `${rg(`rg-app-${String(v % 60).padStart(2, '0')}`)}/providers/Microsoft.Web/serverfarms/plan-${v}-${s}`),
        ];
      } else if (roll < 0.7) {
        delegation = SERVER_FARMS; // empty and ready
      } else if (roll < 0.74) {
        delegation = HOSTING_ENVIRONMENTS;
      } else if (roll < 0.76) {
        delegation = SQL_MANAGED_INSTANCES;
      } // else: empty, no delegation (fixable when everything else is right)
      if (delegation) props.delegations = [delegationDoc(id, delegation)];
      counts.subnetsByDelegation[delegation ?? 'none'] = (counts.subnetsByDelegation[delegation ?? 'none'] ?? 0) + 1;
      if (props.ipConfigurations) counts.subnetsWithIpConfigurations++;
      if (props.privateEndpoints) counts.subnetsWithPrivateEndpoints++;
      if (props.serviceAssociationLinks) counts.subnetsWithServiceAssociationLinks++;

      const candidates = nsgsByLocation.get(normalizeLocation(location)) ?? [];
      if (candidates.length > 0 && chance(0.88)) {
        const nsgId = pick(candidates);
        props.networkSecurityGroup = { id: nsgId };
        const list = nsgDocs.get(nsgId)?.properties['subnets'];
        if (Array.isArray(list)) list.push({ id });
      } else counts.subnetsWithoutNsg++;
      props.privateEndpointNetworkPolicies = 'Disabled';
      props.privateLinkServiceNetworkPolicies = 'Enabled';
      subnets.push({ id, name, type: TYPES.subnet, properties: props });
      subnetIndex++;
    }
    resources.push({
      id: vnetId,
      name: vnetName,
      type: TYPES.vnet,
      location,
      tags: { env: pick(['prod', 'prod', 'test', 'dev']), costCenter: `cc-${1000 + (v % 50)}` },
      properties: {
        provisioningState: 'Succeeded',
        resourceGuid: guid(vnetId),
        addressSpace: { addressPrefixes: dualStack ? [vnetPrefix, `${v6Base}::/48`] : [vnetPrefix] },
        subnets,
        virtualNetworkPeerings: [],
        enableDdosProtection: false,
      },
    });
  }
  counts.subnets = subnetIndex;
  for (const doc of nsgDocs.values()) resources.push(doc);

  // ---------------------------------------------------------------- other instances (integrated)
  for (let k = 0; k < o.otherInstances; k++) {
    const name = `other-apim-${String(k).padStart(2, '0')}`;
    const subnetId = otherApimSubnets[k];
    resources.push(apimDoc(`${rg('rg-apim-others')}/providers/${TYPES.apim}/${name}`, name, 'West Europe', k % 3 === 0 ? 'PremiumV2' : 'StandardV2', subnetId ?? null));
  }

  // ---------------------------------------------------------------- RBAC
  const joinerRoleGuid = guid('role:subnet-joiner');
  resources.push({
    id: `${subScope}/providers/${TYPES.roleDefinition}/${joinerRoleGuid}`,
    name: joinerRoleGuid,
    type: TYPES.roleDefinition,
    properties: {
      roleName: SUBNET_JOIN_ROLE_NAME,
      description: 'Read VNets and subnets and join a subnet.',
      type: 'CustomRole',
      permissions: [
        {
          actions: ['Microsoft.Network/virtualNetworks/read', 'Microsoft.Network/virtualNetworks/subnets/read', 'Microsoft.Network/virtualNetworks/subnets/join/action'],
          notActions: [],
          dataActions: [],
          notDataActions: [],
        },
      ],
      assignableScopes: [subScope],
    },
  });
  let assignments = 0;
  const assign = (scope: string, roleDefinitionId: string, principalId: string, principalType: string): void => {
    const name = guid(`assignment:${assignments++}`);
    resources.push({
      id: `${scope}/providers/${TYPES.roleAssignment}/${name}`,
      name,
      type: TYPES.roleAssignment,
      properties: { roleDefinitionId, principalId, principalType, scope },
    });
  };
  const subRole = (g: string): string => `${subScope}/providers/${TYPES.roleDefinition}/${g}`;
  assign(subScope, subRole(BUILT_IN_ROLES.Reader), botPrincipalId, 'ServicePrincipal');
  assign(subScope, `/providers/${TYPES.roleDefinition}/${BUILT_IN_ROLES.NetworkContributor}`, botPrincipalId, 'ServicePrincipal');
  assign(subScope, BUILT_IN_ROLES.ApiManagementServiceContributor, botPrincipalId, 'ServicePrincipal');
  // The requester: write on the instance's group, join on most (not all) network groups through a group.
  assign(subScope, subRole(BUILT_IN_ROLES.Reader), requesterPrincipalId, 'User');
  assign(rg('rg-apim-bench'), subRole(BUILT_IN_ROLES.ApiManagementServiceContributor), requesterPrincipalId, 'User');
  for (let g = 0; g < o.networkResourceGroups; g++) {
    if (g % 4 === 3) continue;
    assign(rg(netRg(g)), subRole(joinerRoleGuid), requesterGroupId, 'Group');
  }
  // Noise: other people and apps.
  const noiseRoles = [BUILT_IN_ROLES.Reader, BUILT_IN_ROLES.Contributor, BUILT_IN_ROLES.NetworkContributor, joinerRoleGuid];
  for (let n = 0; n < o.noiseAssignments; n++) {
    const scope = chance(0.2) ? subScope : rg(chance(0.5) ? netRg(Math.floor(random() * o.networkResourceGroups)) : `rg-app-${String(n % 60).padStart(2, '0')}`);
    assign(scope, subRole(pick(noiseRoles)), guid(`noise-principal:${n % 80}`), n % 5 === 0 ? 'Group' : n % 5 === 1 ? 'ServicePrincipal' : 'User');
  }
  counts.roleAssignments = assignments;
  counts.resources = resources.length;

  const groups: Record<string, string[]> = { [requesterGroupId]: [requesterPrincipalId] };
  for (let n = 0; n < 80; n += 5) groups[guid(`noise-principal:${n}`)] = [guid(`noise-member:${n}`)];

  const seed: SandboxSeed = {
    _readme: `Generated by bench/generate-seed.ts: ${o.vnets} VNets x ${o.subnetsPerVnet} subnets, ${o.nsgs} NSGs, seed ${o.seed}. Instance under test: bench-apim.`,
    _people: { [botPrincipalId]: 'bench bot', [requesterPrincipalId]: 'bench requester', [requesterGroupId]: 'bench network users (requester is a member)' },
    botPrincipalId,
    subscriptions: [{ subscriptionId: sub, displayName: 'bench-estate' }],
    providers: { [sub]: { 'Microsoft.Web': 'Registered' } },
    groups,
    resources,
  };
  return { seed, subscriptionId: sub, instanceId, botPrincipalId, requesterPrincipalId, counts };

  function apimDoc(id: string, name: string, location: string, sku: string, subnetId: string | null): ArmResource {
    return {
      id,
      name,
      type: TYPES.apim,
      location,
      tags: {},
      sku: { name: sku, capacity: 1 },
      properties: {
        publisherEmail: 'bench@example.com',
        publisherName: 'Bench',
        provisioningState: 'Succeeded',
        targetProvisioningState: '',
        gatewayUrl: `https://${name}.azure-api.net`,
        publicNetworkAccess: 'Enabled',
        virtualNetworkType: subnetId ? 'External' : 'None',
        ...(subnetId ? { virtualNetworkConfiguration: { subnetResourceId: subnetId } } : {}),
      },
    };
  }
}

// ------------------------------------------------------------------------------------------------ NSG rules

function nsgRules(nsgId: string, location: string, random: () => number): SecurityRuleDoc[] {
  const rules: SecurityRuleDoc[] = [];
  let priority = 100;
  const add = (name: string, p: Partial<SecurityRuleProperties> & Pick<SecurityRuleProperties, 'access'>): void => {
    const properties: SecurityRuleProperties = {
      provisioningState: 'Succeeded',
      protocol: 'Tcp',
      sourcePortRange: '*',
      destinationPortRange: '443',
      sourceAddressPrefix: 'VirtualNetwork',
      destinationAddressPrefix: 'AzureKeyVault',
      priority,
      direction: 'Outbound',
      sourcePortRanges: [],
      destinationPortRanges: [],
      sourceAddressPrefixes: [],
      destinationAddressPrefixes: [],
      ...p,
    };
    if (properties.destinationAddressPrefixes?.length) delete properties.destinationAddressPrefix;
    if (properties.destinationPortRanges?.length) delete properties.destinationPortRange;
    rules.push({ id: `${nsgId}/securityRules/${name}`, name, type: 'Microsoft.Network/networkSecurityGroups/securityRules', properties });
    priority += 10;
  };
  const region = normalizeLocation(location);
  const regionalKeyVault = `AzureKeyVault.${regionTagSuffix(region)}`;
  const roll = random();
  // The rule for the required dependency (AzureKeyVault) that decides the verdict comes first (lowest priority number wins).
  if (roll < 0.08) add('DenyInternetHttpsOutbound', { access: 'Deny', destinationAddressPrefix: 'Internet' });
  else if (roll < 0.12) add('DenyRegionalKeyVaultRange', { access: 'Deny', protocol: '*', destinationAddressPrefix: regionalKeyVault, destinationPortRange: '400-500' });
  else if (roll < 0.17) add('DenyKeyVaultIpRange', { access: 'Deny', destinationAddressPrefix: '20.60.0.0/16' });
  else if (roll < 0.2) add('DenyKeyVaultEastUS', { access: 'Deny', protocol: '*', destinationAddressPrefix: 'AzureKeyVault.EastUS', destinationPortRange: '*' });
  if (random() < 0.55) add('AllowKeyVaultOutbound', { access: 'Allow', destinationAddressPrefix: random() < 0.5 ? 'AzureKeyVault' : regionalKeyVault });
  if (random() < 0.5) add('AllowHttpsInbound', { access: 'Allow', direction: 'Inbound', sourceAddressPrefix: 'Internet', destinationAddressPrefix: 'VirtualNetwork' });
  if (random() < 0.4) add('AllowSqlOutbound', { access: 'Allow', destinationAddressPrefix: 'Sql', destinationPortRange: '1433' });
  if (random() < 0.3) add('AllowBackends', { access: 'Allow', destinationAddressPrefixes: ['10.0.0.0/8', '172.16.0.0/12'], destinationPortRanges: ['443', '8443'] });
  if (random() < 0.2) add('DenyAllOutboundToInternet', { access: 'Deny', protocol: '*', destinationAddressPrefix: 'Internet', destinationPortRange: '*', priority: 4000 });
  return rules;
}

function regionTagSuffix(normalized: string): string {
  const known: Record<string, string> = { westeurope: 'WestEurope', northeurope: 'NorthEurope', francecentral: 'FranceCentral', eastus: 'EastUS' };
  return known[normalized] ?? normalized;
}

// ------------------------------------------------------------------------------------------------ documents

function delegationDoc(subnetId: string, serviceName: string): DelegationDoc {
  return {
    name: 'delegation',
    id: `${subnetId}/delegations/delegation`,
    type: 'Microsoft.Network/virtualNetworks/subnets/delegations',
    properties: { provisioningState: 'Succeeded', serviceName, actions: ['Microsoft.Network/virtualNetworks/subnets/action'] },
  };
}

function salDoc(subnetId: string, name: string, linkedResourceType: string, link: string): LinkDoc {
  return {
    name,
    id: `${subnetId}/serviceAssociationLinks/${name}`,
    type: 'Microsoft.Network/virtualNetworks/subnets/serviceAssociationLinks',
    properties: { provisioningState: 'Succeeded', linkedResourceType, link, allowDelete: false },
  };
}

// ------------------------------------------------------------------------------------------------ helpers

function weightedLocation(random: () => number): string {
  const total = LOCATIONS.reduce((n, l) => n + l.weight, 0);
  let r = random() * total;
  for (const l of LOCATIONS) {
    r -= l.weight;
    if (r < 0) return l.location;
  }
  return LOCATIONS[0]?.location ?? 'westeurope';
}

function normalizeLocation(location: string): string {
  return location.replace(/\s+/g, '').toLowerCase();
}

/** A GUID-shaped id derived from a label (version 4 / variant bits set so validators accept it). */
function stableGuid(label: string): string {
  const h = createHash('sha1').update(label).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function ipv4(value: bigint): string {
  if (value > 0xffffffffn) throw new RangeError('the estate does not fit in IPv4 space; use fewer or smaller VNets');
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
}

function alignUp(value: bigint, size: bigint): bigint {
  return ((value + size - 1n) / size) * size;
}

function bitLength(value: bigint): number {
  let bits = 0;
  for (let v = value; v > 0n; v >>= 1n) bits++;
  return bits;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

// ------------------------------------------------------------------------------------------------ CLI

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      vnets: { type: 'string' },
      'subnets-per-vnet': { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));
  const estate = generateEstate({ vnets: num(values.vnets), subnetsPerVnet: num(values['subnets-per-vnet']), seed: num(values.seed) });
  if (values.out) writeFileSync(values.out, JSON.stringify(estate.seed));
  process.stdout.write(
    JSON.stringify({ instanceId: estate.instanceId, botPrincipalId: estate.botPrincipalId, requesterPrincipalId: estate.requesterPrincipalId, counts: estate.counts }, null, 2) + '\n',
  );
}
