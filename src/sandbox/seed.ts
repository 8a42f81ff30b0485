/** Reading and validating seed documents, with errors that say where the seed is wrong. */
import { readFile } from 'node:fs/promises';
import { BUILT_IN_ROLES } from './builtin-roles.js';
import { idKey, lastSegment, parseResourceId, segmentsOf } from './ids.js';
import type { SandboxSeed } from './types.js';

const PROVIDER_STATES = ['Registered', 'NotRegistered', 'Registering', 'Unregistering'];
const AUTH_PREFIX = '/providers/microsoft.authorization/';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Splits `{scope}/providers/Microsoft.Authorization/{kind}/{name}` into its parts, or undefined. */
export function splitAuthorizationId(id: string): { scope: string; kind: string; name?: string } | undefined {
  const norm = '/' + segmentsOf(id).join('/');
  const at = norm.toLowerCase().lastIndexOf(AUTH_PREFIX);
  if (at < 0) return undefined;
  const rest = norm.slice(at + AUTH_PREFIX.length).split('/');
  const kind = rest[0];
  if (kind === undefined || kind === '' || rest.length > 2) return undefined;
  const name = rest[1];
  return { scope: norm.slice(0, at), kind, ...(name !== undefined ? { name } : {}) };
}

/** Checks a parsed seed and returns it typed; throws one Error listing every problem. */
export function validateSeed(value: unknown, source = 'seed'): SandboxSeed {
  const problems: string[] = [];
  const fail = (where: string, what: string): void => {
    problems.push(`${where}: ${what}`);
  };
  if (!isObject(value)) throw new Error(`Invalid sandbox seed (${source}): the document must be a JSON object.`);

  if (typeof value['botPrincipalId'] !== 'string' || value['botPrincipalId'].trim() === '') {
    fail('botPrincipalId', 'must be a non-empty string (the object id the bot runs as)');
  }

  const resources = value['resources'];
  const ids = new Set<string>();
  const roleGuids = new Set(BUILT_IN_ROLES.map((r) => r.guid));
  const vnetKeys = new Set<string>();
  const assignments: { where: string; roleDefinitionId: string }[] = [];
  const looseSubnets: { where: string; id: string }[] = [];
  if (!Array.isArray(resources)) {
    fail('resources', 'must be an array of ARM resource documents');
  } else {
    resources.forEach((r: unknown, i) => {
      const where = `resources[${i}]`;
      if (!isObject(r)) return fail(where, 'must be an object');
      const id = r['id'];
      if (typeof id !== 'string' || id.trim() === '') return fail(`${where}.id`, 'must be a non-empty string');
      if (ids.has(idKey(id))) fail(`${where}.id`, `duplicate id ${id}`);
      ids.add(idKey(id));
      if (r['properties'] !== undefined && !isObject(r['properties'])) fail(`${where}.properties`, 'must be an object');
      const props = isObject(r['properties']) ? r['properties'] : {};
      const auth = splitAuthorizationId(id);
      if (auth) {
        const kind = auth.kind.toLowerCase();
        if (auth.name === undefined) return fail(`${where}.id`, `${id} names a collection, not a resource`);
        if (kind === 'roledefinitions') {
          roleGuids.add(auth.name.toLowerCase());
          if (typeof props['roleName'] !== 'string') fail(`${where}.properties.roleName`, 'must be a string');
          if (!Array.isArray(props['permissions'])) fail(`${where}.properties.permissions`, 'must be an array');
        } else if (kind === 'roleassignments') {
          if (typeof props['roleDefinitionId'] !== 'string') fail(`${where}.properties.roleDefinitionId`, 'must be a string');
          else assignments.push({ where: `${where}.properties.roleDefinitionId`, roleDefinitionId: props['roleDefinitionId'] });
          if (typeof props['principalId'] !== 'string') fail(`${where}.properties.principalId`, 'must be a string');
          if (auth.scope !== '' && !parseResourceId(auth.scope)) fail(`${where}.id`, `scope ${auth.scope} is not a subscription, resource group or resource`);
        } else {
          fail(`${where}.id`, `Microsoft.Authorization/${auth.kind} resources are not modelled (only roleDefinitions and roleAssignments)`);
        }
        return;
      }
      const parsed = parseResourceId(id);
      if (!parsed || parsed.namespace === undefined || parsed.resourceGroup === undefined || parsed.names.length !== parsed.types.length || parsed.types.length === 0) {
        return fail(`${where}.id`, `${id} is not a resource id of the form /subscriptions/{s}/resourceGroups/{rg}/providers/{namespace}/{type}/{name}`);
      }
      if (r['name'] !== undefined && typeof r['name'] !== 'string') fail(`${where}.name`, 'must be a string');
      if (r['name'] !== undefined && typeof r['name'] === 'string' && r['name'].toLowerCase() !== lastSegment(id).toLowerCase()) {
        fail(`${where}.name`, `"${r['name']}" does not match the last segment of the id`);
      }
      const typeName = [parsed.namespace, ...parsed.types].join('/').toLowerCase();
      if (typeName === 'microsoft.network/virtualnetworks') {
        vnetKeys.add(idKey(id));
        const subnets = props['subnets'];
        if (subnets !== undefined && !Array.isArray(subnets)) fail(`${where}.properties.subnets`, 'must be an array');
        if (Array.isArray(subnets)) {
          subnets.forEach((s: unknown, j) => {
            const sw = `${where}.properties.subnets[${j}]`;
            if (!isObject(s)) return fail(sw, 'must be an object');
            if (typeof s['name'] !== 'string' && typeof s['id'] !== 'string') return fail(sw, 'needs a name or an id');
            const subnetId = typeof s['id'] === 'string' ? s['id'] : `${id}/subnets/${String(s['name'])}`;
            if (typeof s['id'] === 'string' && !idKey(s['id']).startsWith(idKey(id) + '/subnets/')) fail(`${sw}.id`, `must be under ${id}/subnets/`);
            if (ids.has(idKey(subnetId))) fail(`${sw}.id`, `duplicate id ${subnetId}`);
            ids.add(idKey(subnetId));
            if (s['properties'] !== undefined && !isObject(s['properties'])) fail(`${sw}.properties`, 'must be an object');
          });
        }
      }
      if (typeName === 'microsoft.network/virtualnetworks/subnets') looseSubnets.push({ where, id });
      if (typeName === 'microsoft.network/routetables') checkRoutes(props['routes'], `${where}.properties.routes`, fail);
    });
  }
  for (const s of looseSubnets) {
    const vnet = idKey(s.id).replace(/\/subnets\/[^/]+$/, '');
    if (!vnetKeys.has(vnet)) fail(`${s.where}.id`, `subnet ${s.id} belongs to a virtual network that is not in the seed`);
  }
  for (const a of assignments) {
    if (!roleGuids.has(lastSegment(a.roleDefinitionId).toLowerCase())) {
      fail(a.where, `${a.roleDefinitionId} is neither a built-in role the sandbox knows nor a role definition in the seed`);
    }
  }

  const providers = value['providers'];
  if (providers !== undefined) {
    if (!isObject(providers)) fail('providers', 'must be an object keyed by subscription id');
    else
      for (const [sub, map] of Object.entries(providers)) {
        if (!isObject(map)) {
          fail(`providers.${sub}`, 'must be an object keyed by provider namespace');
          continue;
        }
        for (const [ns, state] of Object.entries(map)) {
          if (typeof state !== 'string' || !PROVIDER_STATES.includes(state)) fail(`providers.${sub}.${ns}`, `must be one of ${PROVIDER_STATES.join(', ')}`);
        }
      }
  }

  const groups = value['groups'];
  if (groups !== undefined) {
    if (!isObject(groups)) fail('groups', 'must be an object: group object id -> member object ids');
    else
      for (const [g, members] of Object.entries(groups)) {
        if (!Array.isArray(members) || members.some((m) => typeof m !== 'string')) fail(`groups.${g}`, 'must be an array of object ids');
      }
  }

  const subs = value['subscriptions'];
  if (subs !== undefined) {
    if (!Array.isArray(subs)) fail('subscriptions', 'must be an array');
    else
      subs.forEach((s: unknown, i) => {
        if (!isObject(s) || typeof s['subscriptionId'] !== 'string') fail(`subscriptions[${i}]`, 'must be an object with a subscriptionId');
      });
  }
  if (value['tenantId'] !== undefined && typeof value['tenantId'] !== 'string') fail('tenantId', 'must be a string');

  if (problems.length > 0) {
    throw new Error(`Invalid sandbox seed (${source}):\n  - ${problems.join('\n  - ')}`);
  }
  return value as unknown as SandboxSeed;
}

const NEXT_HOP_TYPES = ['VirtualNetworkGateway', 'VnetLocal', 'Internet', 'VirtualAppliance', 'None'];

/** A route table's `routes`: named, with an address prefix, a next hop type ARM knows, and an IP for (only) an appliance. */
function checkRoutes(routes: unknown, where: string, fail: (where: string, what: string) => void): void {
  if (routes === undefined) return;
  if (!Array.isArray(routes)) return fail(where, 'must be an array');
  routes.forEach((r: unknown, i) => {
    const rw = `${where}[${i}]`;
    if (!isObject(r) || typeof r['name'] !== 'string' || r['name'] === '') return fail(rw, 'must be an object with a name');
    const p = isObject(r['properties']) ? r['properties'] : {};
    if (typeof p['addressPrefix'] !== 'string' || p['addressPrefix'] === '') fail(`${rw}.properties.addressPrefix`, 'must be a CIDR or a service tag');
    const hop = p['nextHopType'];
    if (typeof hop !== 'string' || !NEXT_HOP_TYPES.includes(hop)) fail(`${rw}.properties.nextHopType`, `must be one of ${NEXT_HOP_TYPES.join(', ')}`);
    const ip = p['nextHopIpAddress'];
    if (hop === 'VirtualAppliance' && (typeof ip !== 'string' || ip === '')) fail(`${rw}.properties.nextHopIpAddress`, 'is required for a VirtualAppliance next hop');
    if (hop !== 'VirtualAppliance' && ip !== undefined) fail(`${rw}.properties.nextHopIpAddress`, 'is allowed only for a VirtualAppliance next hop');
  });
}

/** Reads a seed file and validates it. */
export async function loadSeedFile(path: string): Promise<SandboxSeed> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new Error(`Cannot read sandbox seed ${path}: ${(e as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(`Sandbox seed ${path} is not valid JSON: ${(e as Error).message}`);
  }
  return validateSeed(parsed, path);
}
