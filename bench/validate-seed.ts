/**
 * Consistency check for sandbox seed files: ids nest properly, references resolve, addresses fit.
 * It is independent of the sandbox and the eligibility rules on purpose (a second opinion on the data).
 *
 *   node dist/bench/validate-seed.js [seed.json …]     (default: seeds/demo.json)
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BUILT_IN_ROLES, GUID_PATTERN, TYPES } from './seed-types.js';

export interface ValidationResult {
  errors: string[];
  warnings: string[];
  summary: {
    resources: number;
    byType: Record<string, number>;
    subnets: number;
    subscriptions: string[];
    resourceGroups: number;
    locations: string[];
  };
}

type Json = Record<string, unknown>;

const API_MANAGEMENT_SKUS = ['Consumption', 'Developer', 'Basic', 'Standard', 'Premium', 'Isolated', 'BasicV2', 'StandardV2', 'PremiumV2'];
const PRINCIPAL_TYPES = ['User', 'Group', 'ServicePrincipal', 'ForeignGroup', 'Device'];
const ROLE_DEF_SEGMENT = '/providers/microsoft.authorization/roledefinitions/';
const ROLE_ASSIGNMENT_SEGMENT = '/providers/Microsoft.Authorization/roleAssignments/';

export function validateSeed(input: unknown): ValidationResult {
  const errors: string[] = [];
  const warnings: string[] = [];
  const error = (where: string, message: string): void => void errors.push(`${where}: ${message}`);
  const warn = (where: string, message: string): void => void warnings.push(`${where}: ${message}`);

  const result: ValidationResult = {
    errors,
    warnings,
    summary: { resources: 0, byType: {}, subnets: 0, subscriptions: [], resourceGroups: 0, locations: [] },
  };
  if (!isRecord(input)) {
    error('seed', 'is not a JSON object');
    return result;
  }

  // ---- top level
  const botPrincipalId = input['botPrincipalId'];
  if (typeof botPrincipalId !== 'string' || !GUID_PATTERN.test(botPrincipalId)) error('botPrincipalId', 'must be a GUID');
  for (const key of Object.keys(input)) {
    if (!key.startsWith('_') && !['botPrincipalId', 'resources', 'providers', 'groups', 'subscriptions', 'tenantId'].includes(key)) warn('seed', `unknown top-level key "${key}"`);
  }
  if (input['tenantId'] !== undefined && (typeof input['tenantId'] !== 'string' || !GUID_PATTERN.test(input['tenantId']))) error('tenantId', 'must be a GUID');
  const declaredSubscriptions = new Set<string>();
  if (input['subscriptions'] !== undefined) {
    if (!Array.isArray(input['subscriptions'])) error('subscriptions', 'must be an array');
    else
      for (const [i, s] of input['subscriptions'].entries()) {
        const sid = isRecord(s) ? s['subscriptionId'] : undefined;
        if (typeof sid !== 'string' || !GUID_PATTERN.test(sid)) error(`subscriptions[${i}]`, 'needs a GUID subscriptionId');
        else declaredSubscriptions.add(sid.toLowerCase());
      }
  }
  const providers = isRecord(input['providers']) ? input['providers'] : {};
  if (!isRecord(input['providers'])) error('providers', 'must be an object keyed by subscription id');
  for (const [sub, states] of Object.entries(providers)) {
    if (!GUID_PATTERN.test(sub)) error(`providers.${sub}`, 'subscription id must be a GUID');
    if (!isRecord(states)) error(`providers.${sub}`, 'must map provider namespaces to states');
    else
      for (const [ns, state] of Object.entries(states)) {
        if (!['Registered', 'NotRegistered', 'Registering', 'Unregistering'].includes(String(state))) error(`providers.${sub}.${ns}`, `unexpected state ${String(state)}`);
      }
  }
  const groups = isRecord(input['groups']) ? input['groups'] : {};
  if (input['groups'] !== undefined && !isRecord(input['groups'])) error('groups', 'must be an object');
  const groupIds = new Set<string>();
  for (const [group, members] of Object.entries(groups)) {
    groupIds.add(group.toLowerCase());
    if (!GUID_PATTERN.test(group)) error(`groups.${group}`, 'group id must be a GUID');
    if (!Array.isArray(members)) error(`groups.${group}`, 'members must be an array');
    else for (const m of members) if (typeof m !== 'string' || !GUID_PATTERN.test(m)) error(`groups.${group}`, `member ${String(m)} is not a GUID`);
  }
  checkGroupCycles(groups, error);

  const resources = Array.isArray(input['resources']) ? input['resources'] : [];
  if (!Array.isArray(input['resources'])) error('resources', 'must be an array');
  result.summary.resources = resources.length;

  // ---- index pass
  const byId = new Map<string, Json>();
  const subnetsById = new Map<string, { subnet: Json; vnet: Json }>();
  const resourceGroups = new Set<string>();
  const subscriptions = new Set<string>(Object.keys(providers).map((s) => s.toLowerCase()));
  const locations = new Set<string>();
  for (const [i, r] of resources.entries()) {
    if (!isRecord(r) || typeof r['id'] !== 'string' || typeof r['type'] !== 'string' || typeof r['name'] !== 'string') {
      error(`resources[${i}]`, 'needs string id, name and type');
      continue;
    }
    const key = r['id'].toLowerCase();
    if (byId.has(key)) error(r['id'], 'duplicate id');
    byId.set(key, r);
    result.summary.byType[r['type']] = (result.summary.byType[r['type']] ?? 0) + 1;
    const m = /^\/subscriptions\/([^/]+)(?:\/resourceGroups\/([^/]+))?/i.exec(r['id']);
    if (m?.[1]) {
      subscriptions.add(m[1].toLowerCase());
      if (m[2]) resourceGroups.add(`/subscriptions/${m[1]}/resourcegroups/${m[2]}`.toLowerCase());
    }
    if (typeof r['location'] === 'string') locations.add(r['location']);
    if (r['type'] === TYPES.vnet) {
      const props = isRecord(r['properties']) ? r['properties'] : {};
      const subnets = Array.isArray(props['subnets']) ? props['subnets'] : [];
      for (const s of subnets) {
        if (isRecord(s) && typeof s['id'] === 'string') {
          const sk = s['id'].toLowerCase();
          if (subnetsById.has(sk)) error(s['id'], 'duplicate subnet id');
          subnetsById.set(sk, { subnet: s, vnet: r });
        }
      }
    }
  }
  result.summary.subnets = subnetsById.size;
  for (const declared of declaredSubscriptions) {
    if (!subscriptions.has(declared)) warn(`subscriptions`, `${declared} is declared but holds no resources`);
  }
  if (declaredSubscriptions.size > 0) {
    for (const sub of subscriptions) if (!declaredSubscriptions.has(sub)) warn('subscriptions', `${sub} holds resources but is not declared`);
  }
  result.summary.subscriptions = [...subscriptions];
  result.summary.resourceGroups = resourceGroups.size;
  result.summary.locations = [...locations].sort();
  for (const sub of subscriptions) {
    if (!GUID_PATTERN.test(sub)) error(`/subscriptions/${sub}`, 'subscription id must be a GUID');
    if (!Object.keys(providers).some((p) => p.toLowerCase() === sub)) warn(`/subscriptions/${sub}`, 'has no providers entry (Microsoft.Web state left to the sandbox default)');
  }
  const customRoles = new Map<string, Json>();
  for (const r of byId.values()) if (r['type'] === TYPES.roleDefinition) customRoles.set(String(r['name']).toLowerCase(), r);
  const builtIns = new Set(Object.values(BUILT_IN_ROLES).map((g) => g.toLowerCase()));
  const subnetsByNsg = subnetsReferencing(subnetsById, 'networkSecurityGroup');
  const subnetsByRouteTable = subnetsReferencing(subnetsById, 'routeTable');

  const scopeExists = (scope: string): boolean => {
    const s = scope.replace(/\/+$/, '').toLowerCase();
    if (s === '' || s === '/') return true;
    const sub = /^\/subscriptions\/([^/]+)$/.exec(s);
    if (sub?.[1]) return subscriptions.has(sub[1]);
    if (/^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+$/.test(s)) return resourceGroups.has(s);
    return byId.has(s) || subnetsById.has(s);
  };

  // ---- per resource
  for (const r of byId.values()) {
    const id = String(r['id']);
    const type = String(r['type']);
    const props = isRecord(r['properties']) ? r['properties'] : null;
    if (!props) {
      error(id, 'has no properties object');
      continue;
    }
    if (type === TYPES.roleDefinition) {
      checkRoleDefinition(r, props, scopeExists, error);
      continue;
    }
    if (type === TYPES.roleAssignment) {
      checkRoleAssignment(r, props, { scopeExists, customRoles, builtIns, groupIds }, error, warn);
      continue;
    }
    checkTrackedResourceId(r, error);
    if (typeof r['location'] !== 'string' || r['location'] === '') error(id, 'needs a location');
    if (type === TYPES.apim) checkApim(r, props, subnetsById, providers, error, warn);
    else if (type === TYPES.vnet) checkVnet(r, props, byId, error, warn);
    else if (type === TYPES.nsg) checkNsg(r, props, subnetsByNsg.get(id.toLowerCase()) ?? new Set<string>(), error);
    else if (type === TYPES.routeTable) checkRouteTable(r, props, subnetsByRouteTable.get(id.toLowerCase()) ?? new Set<string>(), error);
    else if (type === TYPES.natGateway) continue; // served as stored; subnets reference it (checked with the VNet)
    else warn(id, `type ${type} is not one the sandbox is known to serve`);
  }
  return result;
}

// ------------------------------------------------------------------------------------------------ resources

/** Subnet ids by the (lower-cased) id they name in `property` (networkSecurityGroup, routeTable). */
function subnetsReferencing(subnets: Map<string, { subnet: Json; vnet: Json }>, property: string): Map<string, Set<string>> {
  const index = new Map<string, Set<string>>();
  for (const [sid, { subnet }] of subnets) {
    const ref = isRecord(subnet['properties']) ? subnet['properties'][property] : undefined;
    if (!isRecord(ref)) continue;
    const key = String(ref['id']).toLowerCase();
    index.set(key, (index.get(key) ?? new Set<string>()).add(sid));
  }
  return index;
}

function checkTrackedResourceId(r: Json, error: (w: string, m: string) => void): void {
  const id = String(r['id']);
  const m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(id);
  if (!m) {
    error(id, 'is not /subscriptions/{s}/resourceGroups/{rg}/providers/{namespace}/{type}/{name}');
    return;
  }
  if (`${m[3]}/${m[4]}`.toLowerCase() !== String(r['type']).toLowerCase()) error(id, `type ${String(r['type'])} does not match the id`);
  if (m[5] !== r['name']) error(id, `name ${String(r['name'])} does not match the id`);
}

function checkApim(
  r: Json,
  props: Json,
  subnets: Map<string, { subnet: Json; vnet: Json }>,
  providers: Json,
  error: (w: string, m: string) => void,
  warn: (w: string, m: string) => void,
): void {
  const id = String(r['id']);
  const sku = isRecord(r['sku']) ? r['sku'] : null;
  if (!sku || typeof sku['name'] !== 'string') error(id, 'needs sku.name');
  else if (!API_MANAGEMENT_SKUS.includes(sku['name'])) warn(id, `unusual sku ${sku['name']}`);
  if (sku && typeof sku['capacity'] !== 'number') error(id, 'needs sku.capacity');
  for (const key of ['provisioningState', 'publisherEmail', 'publisherName', 'gatewayUrl']) {
    if (typeof props[key] !== 'string') error(id, `needs properties.${key}`);
  }
  const vnetType = props['virtualNetworkType'] ?? 'None';
  if (!['None', 'External', 'Internal'].includes(String(vnetType))) error(id, `virtualNetworkType ${String(vnetType)}`);
  const config = props['virtualNetworkConfiguration'];
  if (config !== undefined && config !== null) {
    const subnetId = isRecord(config) ? config['subnetResourceId'] : undefined;
    if (typeof subnetId !== 'string') error(id, 'virtualNetworkConfiguration needs subnetResourceId');
    else if (!subnets.has(subnetId.toLowerCase())) error(id, `subnet ${subnetId} does not exist`);
    if (vnetType === 'None') warn(id, 'has a virtualNetworkConfiguration but virtualNetworkType None');
  } else if (vnetType !== 'None') {
    error(id, `virtualNetworkType ${String(vnetType)} without virtualNetworkConfiguration`);
  }
  const sub = /^\/subscriptions\/([^/]+)/.exec(id)?.[1] ?? '';
  const states = Object.entries(providers).find(([s]) => s.toLowerCase() === sub.toLowerCase())?.[1];
  if (!isRecord(states) || states['Microsoft.Web'] === undefined) warn(id, 'its subscription has no Microsoft.Web provider state');
}

function checkVnet(
  r: Json,
  props: Json,
  byId: Map<string, Json>,
  error: (w: string, m: string) => void,
  warn: (w: string, m: string) => void,
): void {
  const id = String(r['id']);
  const space = isRecord(props['addressSpace']) ? props['addressSpace']['addressPrefixes'] : undefined;
  const spaces: Cidr[] = [];
  if (!Array.isArray(space) || space.length === 0) error(id, 'needs properties.addressSpace.addressPrefixes');
  else
    for (const p of space) {
      const c = parseCidr(String(p));
      if (!c) error(id, `bad address space ${String(p)}`);
      else spaces.push(c);
    }
  const subnets = Array.isArray(props['subnets']) ? props['subnets'] : null;
  if (!subnets) {
    error(id, 'needs properties.subnets (an array, possibly empty)');
    return;
  }
  const taken: { cidr: Cidr; subnet: string }[] = [];
  for (const [i, s] of subnets.entries()) {
    if (!isRecord(s) || typeof s['id'] !== 'string' || typeof s['name'] !== 'string') {
      error(id, `subnets[${i}] needs id and name`);
      continue;
    }
    const sid = s['id'];
    if (sid !== `${id}/subnets/${s['name']}`) error(sid, `is not ${id}/subnets/${s['name']}`);
    if (s['type'] !== TYPES.subnet) error(sid, `type must be ${TYPES.subnet}`);
    const sp = isRecord(s['properties']) ? s['properties'] : null;
    if (!sp) {
      error(sid, 'has no properties');
      continue;
    }
    const prefixes = [
      ...(typeof sp['addressPrefix'] === 'string' ? [sp['addressPrefix']] : []),
      ...(Array.isArray(sp['addressPrefixes']) ? sp['addressPrefixes'].map(String) : []),
    ];
    if (prefixes.length === 0) error(sid, 'needs addressPrefix or addressPrefixes');
    for (const p of prefixes) {
      const c = parseCidr(p);
      if (!c) {
        error(sid, `bad prefix ${p}`);
        continue;
      }
      if (!spaces.some((v) => contains(v, c))) error(sid, `prefix ${p} is outside the VNet address space`);
      const clash = taken.find((t) => overlaps(t.cidr, c));
      if (clash) error(sid, `prefix ${p} overlaps subnet ${clash.subnet}`);
      taken.push({ cidr: c, subnet: String(s['name']) });
    }
    const nsgRef = sp['networkSecurityGroup'];
    if (nsgRef !== undefined && nsgRef !== null) {
      const nsgId = isRecord(nsgRef) ? nsgRef['id'] : undefined;
      const nsg = typeof nsgId === 'string' ? byId.get(nsgId.toLowerCase()) : undefined;
      if (!nsg || nsg['type'] !== TYPES.nsg) error(sid, `NSG ${String(nsgId)} does not exist`);
      else if (normLocation(nsg['location']) !== normLocation(r['location'])) error(sid, `NSG ${String(nsgId)} is in ${String(nsg['location'])}, the VNet in ${String(r['location'])}`);
    }
    const tableRef = sp['routeTable'];
    if (tableRef !== undefined && tableRef !== null) {
      const tableId = isRecord(tableRef) ? tableRef['id'] : undefined;
      const table = typeof tableId === 'string' ? byId.get(tableId.toLowerCase()) : undefined;
      if (!table || table['type'] !== TYPES.routeTable) error(sid, `route table ${String(tableId)} does not exist`);
      else if (normLocation(table['location']) !== normLocation(r['location'])) error(sid, `route table ${String(tableId)} is in ${String(table['location'])}, the VNet in ${String(r['location'])}`);
    }
    const natRef = sp['natGateway'];
    if (natRef !== undefined && natRef !== null) {
      const natId = isRecord(natRef) ? natRef['id'] : undefined;
      const nat = typeof natId === 'string' ? byId.get(natId.toLowerCase()) : undefined;
      if (!nat || nat['type'] !== TYPES.natGateway) error(sid, `NAT gateway ${String(natId)} does not exist`);
    }
    if (!Array.isArray(sp['delegations'])) warn(sid, 'has no delegations array (ARM always returns one)');
    else
      for (const d of sp['delegations']) {
        if (!isRecord(d) || typeof d['id'] !== 'string' || !isRecord(d['properties']) || typeof d['properties']['serviceName'] !== 'string') {
          error(sid, 'delegation needs id and properties.serviceName');
        } else if (d['id'] !== `${sid}/delegations/${String(d['name'])}`) error(sid, `delegation id ${d['id']} is not under the subnet`);
      }
    for (const key of ['ipConfigurations', 'privateEndpoints']) {
      const list = sp[key];
      if (list !== undefined && (!Array.isArray(list) || list.some((x) => !isRecord(x) || typeof x['id'] !== 'string'))) error(sid, `${key} must be [{ id }]`);
    }
    for (const [key, segment] of [
      ['serviceAssociationLinks', 'serviceAssociationLinks'],
      ['resourceNavigationLinks', 'resourceNavigationLinks'],
    ] as const) {
      const list = sp[key];
      if (list === undefined) continue;
      if (!Array.isArray(list)) {
        error(sid, `${key} must be an array`);
        continue;
      }
      for (const l of list) {
        const lp = isRecord(l) && isRecord(l['properties']) ? l['properties'] : null;
        if (!isRecord(l) || !lp || typeof lp['linkedResourceType'] !== 'string') {
          error(sid, `${key} entries need properties.linkedResourceType`);
          continue;
        }
        if (l['id'] !== `${sid}/${segment}/${String(l['name'])}`) error(sid, `${key} id ${String(l['id'])} is not under the subnet`);
        if (String(lp['linkedResourceType']).toLowerCase() === TYPES.apim.toLowerCase()) {
          const target = typeof lp['link'] === 'string' ? byId.get(lp['link'].toLowerCase()) : undefined;
          if (!target) error(sid, `${key} points at API Management ${String(lp['link'])}, which does not exist`);
          else {
            const tp = isRecord(target['properties']) ? target['properties'] : {};
            const cfg = isRecord(tp['virtualNetworkConfiguration']) ? tp['virtualNetworkConfiguration'] : {};
            if (String(cfg['subnetResourceId'] ?? '').toLowerCase() !== sid.toLowerCase()) warn(sid, `linked instance ${target['name'] as string} is not configured with this subnet`);
          }
        }
      }
    }
  }
}

function checkNsg(r: Json, props: Json, referencedBy: ReadonlySet<string>, error: (w: string, m: string) => void): void {
  const id = String(r['id']);
  const rules = props['securityRules'];
  if (!Array.isArray(rules)) {
    error(id, 'needs properties.securityRules (an array, possibly empty)');
  } else {
    const priorities = new Set<string>();
    for (const rule of rules) {
      const rp = isRecord(rule) && isRecord(rule['properties']) ? rule['properties'] : null;
      if (!isRecord(rule) || !rp) {
        error(id, 'security rules need properties');
        continue;
      }
      const where = `${id}/securityRules/${String(rule['name'])}`;
      if (rule['id'] !== where) error(where, `id ${String(rule['id'])} is not under the NSG`);
      const priority = rp['priority'];
      if (typeof priority !== 'number' || priority < 100 || priority > 4096) error(where, `priority ${String(priority)} outside 100-4096`);
      const key = `${String(rp['direction'])}:${String(priority)}`;
      if (priorities.has(key)) error(where, `duplicate ${String(rp['direction'])} priority ${String(priority)}`);
      priorities.add(key);
      if (!['Inbound', 'Outbound'].includes(String(rp['direction']))) error(where, 'direction must be Inbound or Outbound');
      if (!['Allow', 'Deny'].includes(String(rp['access']))) error(where, 'access must be Allow or Deny');
      if (!['Tcp', 'Udp', 'Icmp', 'Esp', 'Ah', '*'].includes(String(rp['protocol']))) error(where, `protocol ${String(rp['protocol'])}`);
      if (!hasOneOf(rp, 'destinationAddressPrefix', 'destinationAddressPrefixes')) error(where, 'needs destinationAddressPrefix(es)');
      if (!hasOneOf(rp, 'destinationPortRange', 'destinationPortRanges')) error(where, 'needs destinationPortRange(s)');
      if (!hasOneOf(rp, 'sourceAddressPrefix', 'sourceAddressPrefixes')) error(where, 'needs sourceAddressPrefix(es)');
    }
  }
  // Back-references, when the NSG lists its subnets (ARM's GET does).
  const listed = props['subnets'];
  if (Array.isArray(listed)) {
    const listedIds = new Set(listed.map((s) => (isRecord(s) ? String(s['id']).toLowerCase() : '')));
    for (const sid of listedIds) if (!referencedBy.has(sid)) error(id, `lists subnet ${sid}, which does not exist or does not reference it`);
    for (const sid of referencedBy) if (!listedIds.has(sid)) error(id, `does not list subnet ${sid}, which references it`);
  }
}

const NEXT_HOP_TYPES = ['VirtualNetworkGateway', 'VnetLocal', 'Internet', 'VirtualAppliance', 'None'];

function checkRouteTable(r: Json, props: Json, referencedBy: ReadonlySet<string>, error: (w: string, m: string) => void): void {
  const id = String(r['id']);
  const routes = props['routes'];
  if (!Array.isArray(routes)) {
    error(id, 'needs properties.routes (an array, possibly empty)');
  } else {
    const prefixes = new Set<string>();
    for (const route of routes) {
      const rp = isRecord(route) && isRecord(route['properties']) ? route['properties'] : null;
      if (!isRecord(route) || !rp) {
        error(id, 'routes need properties');
        continue;
      }
      const where = `${id}/routes/${String(route['name'])}`;
      if (route['id'] !== where) error(where, `id ${String(route['id'])} is not under the route table`);
      if (typeof rp['addressPrefix'] !== 'string' || rp['addressPrefix'] === '') error(where, 'needs addressPrefix');
      else if (prefixes.has(rp['addressPrefix'])) error(where, `duplicate addressPrefix ${rp['addressPrefix']}`);
      else prefixes.add(rp['addressPrefix']);
      const hop = String(rp['nextHopType']);
      if (!NEXT_HOP_TYPES.includes(hop)) error(where, `nextHopType ${hop} is not one of ${NEXT_HOP_TYPES.join(', ')}`);
      const ip = rp['nextHopIpAddress'];
      if (hop === 'VirtualAppliance' && (typeof ip !== 'string' || !parseCidr(`${ip}/32`))) error(where, 'a VirtualAppliance next hop needs nextHopIpAddress (an IPv4 address)');
      if (hop !== 'VirtualAppliance' && ip !== undefined) error(where, 'nextHopIpAddress is allowed only for a VirtualAppliance next hop');
    }
  }
  const listed = props['subnets'];
  if (Array.isArray(listed)) {
    const listedIds = new Set(listed.map((s) => (isRecord(s) ? String(s['id']).toLowerCase() : '')));
    for (const sid of listedIds) if (!referencedBy.has(sid)) error(id, `lists subnet ${sid}, which does not exist or does not reference it`);
    for (const sid of referencedBy) if (!listedIds.has(sid)) error(id, `does not list subnet ${sid}, which references it`);
  }
}

// ------------------------------------------------------------------------------------------------ RBAC

function checkRoleDefinition(r: Json, props: Json, scopeExists: (s: string) => boolean, error: (w: string, m: string) => void): void {
  const id = String(r['id']);
  const name = String(r['name']);
  if (!GUID_PATTERN.test(name)) error(id, 'role definition name must be a GUID');
  if (!id.toLowerCase().endsWith(`${ROLE_DEF_SEGMENT}${name.toLowerCase()}`)) error(id, 'id must end with /providers/Microsoft.Authorization/roleDefinitions/{name}');
  if (typeof props['roleName'] !== 'string') error(id, 'needs properties.roleName');
  if (props['type'] !== 'CustomRole') error(id, 'seeded role definitions must be CustomRole');
  const permissions = props['permissions'];
  if (!Array.isArray(permissions) || permissions.length === 0) error(id, 'needs properties.permissions');
  else
    for (const p of permissions) {
      if (!isRecord(p) || !Array.isArray(p['actions']) || !Array.isArray(p['notActions'])) error(id, 'permissions need actions and notActions arrays');
    }
  const scopes = props['assignableScopes'];
  if (!Array.isArray(scopes) || scopes.length === 0) error(id, 'needs assignableScopes');
  else for (const s of scopes) if (!scopeExists(String(s))) error(id, `assignable scope ${String(s)} does not exist`);
}

function checkRoleAssignment(
  r: Json,
  props: Json,
  ctx: { scopeExists: (s: string) => boolean; customRoles: Map<string, Json>; builtIns: Set<string>; groupIds: Set<string> },
  error: (w: string, m: string) => void,
  warn: (w: string, m: string) => void,
): void {
  const id = String(r['id']);
  const name = String(r['name']);
  const scope = props['scope'];
  if (!GUID_PATTERN.test(name)) error(id, 'role assignment name must be a GUID');
  if (typeof scope !== 'string') {
    error(id, 'needs properties.scope');
    return;
  }
  if (id !== `${scope}${ROLE_ASSIGNMENT_SEGMENT}${name}`) error(id, `is not ${scope}${ROLE_ASSIGNMENT_SEGMENT}${name}`);
  if (!ctx.scopeExists(scope)) error(id, `scope ${scope} does not exist`);
  const roleDefinitionId = String(props['roleDefinitionId'] ?? '');
  const roleGuid = roleDefinitionId.split('/').pop()?.toLowerCase() ?? '';
  const shapes = [
    /^[0-9a-f-]{36}$/i,
    /^\/providers\/Microsoft\.Authorization\/roleDefinitions\/[0-9a-f-]{36}$/i,
    /^\/subscriptions\/[^/]+\/providers\/Microsoft\.Authorization\/roleDefinitions\/[0-9a-f-]{36}$/i,
  ];
  if (!shapes.some((s) => s.test(roleDefinitionId))) error(id, `roleDefinitionId ${roleDefinitionId} has an unexpected shape`);
  const custom = ctx.customRoles.get(roleGuid);
  if (!ctx.builtIns.has(roleGuid) && !custom) error(id, `role definition ${roleGuid} is neither built in nor seeded`);
  if (custom) {
    const cp = isRecord(custom['properties']) ? custom['properties'] : {};
    const assignable = Array.isArray(cp['assignableScopes']) ? cp['assignableScopes'].map(String) : [];
    const within = assignable.some((a) => scope.toLowerCase() === a.toLowerCase() || scope.toLowerCase().startsWith(a.toLowerCase() + '/') || a === '/');
    if (!within) error(id, `custom role ${String(cp['roleName'])} is not assignable at ${scope}`);
  }
  const defSub = /^\/subscriptions\/([^/]+)\//i.exec(roleDefinitionId)?.[1];
  const scopeSub = /^\/subscriptions\/([^/]+)/i.exec(scope)?.[1];
  if (defSub && scopeSub && defSub.toLowerCase() !== scopeSub.toLowerCase()) warn(id, 'roleDefinitionId names another subscription than the scope (ARM would not)');
  const principalId = props['principalId'];
  if (typeof principalId !== 'string' || !GUID_PATTERN.test(principalId)) error(id, 'principalId must be a GUID');
  const principalType = String(props['principalType']);
  if (!PRINCIPAL_TYPES.includes(principalType)) error(id, `principalType ${principalType}`);
  if (principalType === 'Group' && typeof principalId === 'string' && !ctx.groupIds.has(principalId.toLowerCase())) warn(id, `group ${principalId} has no members in "groups"`);
}

function checkGroupCycles(groups: Json, error: (w: string, m: string) => void): void {
  const members = new Map<string, string[]>();
  for (const [g, list] of Object.entries(groups)) members.set(g.toLowerCase(), Array.isArray(list) ? list.map((m) => String(m).toLowerCase()) : []);
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (g: string, path: string[]): void => {
    if (state.get(g) === 'done') return;
    if (state.get(g) === 'visiting') {
      error('groups', `membership cycle ${[...path, g].join(' -> ')}`);
      return;
    }
    state.set(g, 'visiting');
    for (const m of members.get(g) ?? []) if (members.has(m)) visit(m, [...path, g]);
    state.set(g, 'done');
  };
  for (const g of members.keys()) visit(g, []);
}

// ------------------------------------------------------------------------------------------------ helpers

interface Cidr {
  v6: boolean;
  network: bigint;
  bits: number;
}

function parseCidr(text: string): Cidr | null {
  const [addr, len, ...rest] = text.trim().split('/');
  if (!addr || len === undefined || rest.length > 0 || !/^\d{1,3}$/.test(len)) return null;
  const v6 = addr.includes(':');
  const width = v6 ? 128 : 32;
  const bits = Number(len);
  if (bits > width) return null;
  const value = v6 ? parseV6(addr) : parseV4(addr);
  if (value === null) return null;
  const host = (1n << BigInt(width - bits)) - 1n;
  if ((value & host) !== 0n) return null; // ARM rejects prefixes with host bits set
  return { v6, network: value, bits };
}

function parseV4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return null;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

function parseV6(text: string): bigint | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const head = groupsOf(halves[0] ?? '');
  const tail = halves.length === 2 ? groupsOf(halves[1] ?? '') : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  if (fill < 0 || (halves.length === 1 && head.length !== 8)) return null;
  const all = [...head, ...Array<string>(fill).fill('0'), ...tail];
  if (all.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return null;
  return all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function contains(outer: Cidr, inner: Cidr): boolean {
  if (outer.v6 !== inner.v6 || inner.bits < outer.bits) return false;
  const width = outer.v6 ? 128 : 32;
  return inner.network >> BigInt(width - outer.bits) === outer.network >> BigInt(width - outer.bits);
}

function overlaps(a: Cidr, b: Cidr): boolean {
  return contains(a, b) || contains(b, a);
}

function hasOneOf(p: Json, single: string, plural: string): boolean {
  return (typeof p[single] === 'string' && p[single] !== '') || (Array.isArray(p[plural]) && p[plural].length > 0);
}

function normLocation(value: unknown): string {
  return String(value ?? '').replace(/\s+/g, '').toLowerCase();
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ------------------------------------------------------------------------------------------------ CLI

function main(files: string[]): number {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const targets = files.length > 0 ? files : [resolve(root, 'seeds', 'demo.json')];
  let failed = false;
  for (const file of targets) {
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      process.stderr.write(`${file}: ${(e as Error).message}\n`);
      failed = true;
      continue;
    }
    const { errors, warnings, summary } = validateSeed(data);
    process.stdout.write(`${file}\n  ${summary.resources} resources, ${summary.subnets} subnets, ${summary.subscriptions.length} subscriptions, ${summary.resourceGroups} resource groups\n`);
    for (const [type, n] of Object.entries(summary.byType)) process.stdout.write(`    ${String(n).padStart(5)}  ${type}\n`);
    process.stdout.write(`  locations: ${summary.locations.join(', ')}\n`);
    for (const w of warnings) process.stdout.write(`  warning: ${w}\n`);
    for (const e of errors) process.stdout.write(`  ERROR: ${e}\n`);
    process.stdout.write(`  ${errors.length} errors, ${warnings.length} warnings\n`);
    if (errors.length > 0) failed = true;
  }
  return failed ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
