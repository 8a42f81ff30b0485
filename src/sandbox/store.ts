/**
 * The sandbox's ARM state: resources by id (case-insensitive), subnets per VNet, role definitions and
 * assignments, group membership and provider registration. Documents are returned as copies.
 * Subnets are stored once and embedded into their VNet on read, and the `properties.subnets` back-references of
 * NSGs and route tables are computed on read, so both always agree with the subnets. Security rules live in
 * their NSG's `securityRules` / `defaultSecurityRules`, routes in their route table's `routes`, and are found
 * there by id.
 */
import { BUILT_IN_ROLES, type RoleDefinitionData, type RolePermission } from './builtin-roles.js';
import { idKey, lastSegment, parseResourceId, sameId } from './ids.js';
import { withDefaultSecurityRules } from './nsg-defaults.js';
import { splitAuthorizationId } from './seed.js';
import type { ArmResource, JsonObject, ProviderRegistrationState, SandboxSeed } from './types.js';

export const TYPE = {
  apim: 'microsoft.apimanagement/service',
  vnet: 'microsoft.network/virtualnetworks',
  subnet: 'microsoft.network/virtualnetworks/subnets',
  nsg: 'microsoft.network/networksecuritygroups',
  securityRule: 'microsoft.network/networksecuritygroups/securityrules',
  defaultSecurityRule: 'microsoft.network/networksecuritygroups/defaultsecurityrules',
  nic: 'microsoft.network/networkinterfaces',
  routeTable: 'microsoft.network/routetables',
  route: 'microsoft.network/routetables/routes',
} as const;

/** The subnet property that references a resource of each type with back-references (`properties.subnets`). */
const SUBNET_REFERENCE: Record<string, string> = { [TYPE.nsg]: 'networkSecurityGroup', [TYPE.routeTable]: 'routeTable' };

/** The NSG property holding rules of a child type: `securityRules` or `defaultSecurityRules`. */
const RULE_COLLECTIONS: Record<string, string> = { securityrules: 'securityRules', defaultsecurityrules: 'defaultSecurityRules' };

export const DEFAULT_TENANT_ID = '72f988bf-0000-4000-8000-5a0dbb0c5a1d';

export interface SubscriptionInfo {
  subscriptionId: string;
  displayName: string;
  tenantId: string;
}

export interface ResourceGroupInfo {
  subscriptionId: string;
  name: string;
  location: string;
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

export function propsOf(doc: ArmResource): JsonObject {
  if (typeof doc.properties !== 'object' || doc.properties === null) doc.properties = {};
  return doc.properties;
}

/** Lower-case `namespace/type[/child…]` of a resource id. */
export function resourceTypeOf(id: string): string {
  const p = parseResourceId(id);
  return p ? [p.namespace ?? '', ...p.types].join('/').toLowerCase() : '';
}

function typeNameFromId(id: string): string {
  const p = parseResourceId(id);
  return p ? [p.namespace ?? '', ...p.types].join('/') : '';
}

export class Store {
  readonly botPrincipalId: string;
  readonly tenantId: string;
  private readonly resources = new Map<string, ArmResource>();
  private readonly subnets = new Map<string, ArmResource[]>();
  /** Subnet ids by the id they reference, per subnet property; cleared after any write that can change a reference. */
  private readonly referencing = new Map<string, Map<string, string[]>>();
  private readonly assignments: ArmResource[] = [];
  private readonly customRoles = new Map<string, ArmResource>();
  private readonly memberOf = new Map<string, Set<string>>();
  private readonly providers = new Map<string, Map<string, { namespace: string; state: ProviderRegistrationState }>>();
  private readonly subscriptions = new Map<string, SubscriptionInfo>();
  private readonly resourceGroups = new Map<string, ResourceGroupInfo>();

  constructor(seed: SandboxSeed) {
    this.botPrincipalId = seed.botPrincipalId;
    this.tenantId = seed.tenantId ?? DEFAULT_TENANT_ID;
    for (const s of seed.subscriptions ?? []) {
      this.subscriptions.set(s.subscriptionId.toLowerCase(), {
        subscriptionId: s.subscriptionId,
        displayName: s.displayName ?? `Sandbox subscription ${s.subscriptionId.slice(0, 8)}`,
        tenantId: s.tenantId ?? this.tenantId,
      });
    }
    const looseSubnets: ArmResource[] = [];
    for (const original of seed.resources) {
      const doc = clone(original);
      doc.name = typeof doc.name === 'string' ? doc.name : lastSegment(doc.id);
      const auth = splitAuthorizationId(doc.id);
      if (auth) {
        this.noteScope(auth.scope, doc.location);
        if (auth.kind.toLowerCase() === 'roleassignments') this.addAssignment(doc, auth.scope);
        else this.addCustomRole(doc, auth.scope);
        continue;
      }
      doc.type = typeof doc.type === 'string' ? doc.type : typeNameFromId(doc.id);
      this.noteScope(doc.id, doc.location);
      const kind = resourceTypeOf(doc.id);
      if (kind === TYPE.subnet) {
        looseSubnets.push(doc);
        continue;
      }
      if (kind === TYPE.vnet) {
        const props = propsOf(doc);
        const embedded = Array.isArray(props['subnets']) ? (props['subnets'] as ArmResource[]) : [];
        delete props['subnets'];
        this.subnets.set(idKey(doc.id), embedded.map((s) => this.normalizeSubnet(doc.id, s)));
      }
      if (kind === TYPE.nsg) {
        const props = propsOf(doc);
        props['defaultSecurityRules'] = withDefaultSecurityRules(doc.id, props['defaultSecurityRules']);
        props['securityRules'] = Array.isArray(props['securityRules']) ? props['securityRules'].map((r) => normalizeChild(doc.id, 'securityRules', 'Microsoft.Network/networkSecurityGroups/securityRules', r)) : [];
        delete props['subnets'];
      }
      if (kind === TYPE.routeTable) {
        const props = propsOf(doc);
        props['routes'] = Array.isArray(props['routes']) ? props['routes'].map((r) => normalizeChild(doc.id, 'routes', 'Microsoft.Network/routeTables/routes', r)) : [];
        delete props['subnets'];
      }
      if (kind === TYPE.apim || kind === TYPE.vnet || kind === TYPE.nsg || kind === TYPE.routeTable) {
        const props = propsOf(doc);
        if (typeof props['provisioningState'] !== 'string') props['provisioningState'] = 'Succeeded';
      }
      this.resources.set(idKey(doc.id), doc);
    }
    for (const s of looseSubnets) {
      const vnetId = s.id.replace(/\/subnets\/[^/]+$/i, '');
      this.subnetList(vnetId).push(this.normalizeSubnet(vnetId, s));
    }
    for (const [sub, map] of Object.entries(seed.providers ?? {})) {
      this.noteSubscription(sub);
      for (const [ns, state] of Object.entries(map)) this.setProviderState(sub, ns, state);
    }
    for (const [group, members] of Object.entries(seed.groups ?? {})) {
      for (const m of members) {
        const key = m.toLowerCase();
        const set = this.memberOf.get(key) ?? new Set<string>();
        set.add(group.toLowerCase());
        this.memberOf.set(key, set);
      }
    }
  }

  // ---- seed helpers ----

  private normalizeSubnet(vnetId: string, s: ArmResource): ArmResource {
    const doc = clone(s);
    doc.name = typeof doc.name === 'string' ? doc.name : lastSegment(doc.id);
    doc.id = typeof doc.id === 'string' ? doc.id : `${vnetId}/subnets/${doc.name}`;
    doc.type = typeof doc.type === 'string' ? doc.type : 'Microsoft.Network/virtualNetworks/subnets';
    const props = propsOf(doc);
    if (typeof props['provisioningState'] !== 'string') props['provisioningState'] = 'Succeeded';
    return doc;
  }

  private addAssignment(doc: ArmResource, scope: string): void {
    doc.type = typeof doc.type === 'string' ? doc.type : 'Microsoft.Authorization/roleAssignments';
    const props = propsOf(doc);
    if (typeof props['scope'] !== 'string') props['scope'] = scope === '' ? '/' : scope;
    if (typeof props['principalType'] !== 'string') props['principalType'] = 'User';
    this.assignments.push(doc);
  }

  private addCustomRole(doc: ArmResource, scope: string): void {
    doc.type = typeof doc.type === 'string' ? doc.type : 'Microsoft.Authorization/roleDefinitions';
    const props = propsOf(doc);
    if (typeof props['type'] !== 'string') props['type'] = 'CustomRole';
    if (!Array.isArray(props['assignableScopes'])) props['assignableScopes'] = [scope === '' ? '/' : scope];
    this.customRoles.set(doc.name.toLowerCase(), doc);
  }

  private noteSubscription(subscriptionId: string): void {
    const key = subscriptionId.toLowerCase();
    if (!this.subscriptions.has(key)) {
      this.subscriptions.set(key, {
        subscriptionId,
        displayName: `Sandbox subscription ${subscriptionId.slice(0, 8)}`,
        tenantId: this.tenantId,
      });
    }
  }

  private noteScope(id: string, location: string | undefined): void {
    const p = parseResourceId(id);
    if (!p?.subscriptionId) return;
    this.noteSubscription(p.subscriptionId);
    if (p.resourceGroup === undefined) return;
    const key = `${p.subscriptionId}/${p.resourceGroup}`.toLowerCase();
    const known = this.resourceGroups.get(key);
    if (!known) this.resourceGroups.set(key, { subscriptionId: p.subscriptionId, name: p.resourceGroup, location: location ?? '' });
    else if (known.location === '' && location) known.location = location;
  }

  private subnetList(vnetId: string): ArmResource[] {
    const key = idKey(vnetId);
    let list = this.subnets.get(key);
    if (!list) {
      list = [];
      this.subnets.set(key, list);
    }
    return list;
  }

  // ---- subscriptions and resource groups ----

  listSubscriptions(): SubscriptionInfo[] {
    return [...this.subscriptions.values()].map(clone);
  }

  subscription(subscriptionId: string): SubscriptionInfo | undefined {
    const s = this.subscriptions.get(subscriptionId.toLowerCase());
    return s ? clone(s) : undefined;
  }

  resourceGroup(subscriptionId: string, name: string): ResourceGroupInfo | undefined {
    const rg = this.resourceGroups.get(`${subscriptionId}/${name}`.toLowerCase());
    return rg ? clone(rg) : undefined;
  }

  listResourceGroups(subscriptionId: string): ResourceGroupInfo[] {
    return [...this.resourceGroups.values()].filter((rg) => rg.subscriptionId.toLowerCase() === subscriptionId.toLowerCase()).map(clone);
  }

  // ---- resources ----

  /** The stored document (mutable; subnets included) or undefined. */
  raw(id: string): ArmResource | undefined {
    const key = idKey(id);
    const top = this.resources.get(key);
    if (top) return top;
    return this.findSubnet(id)?.subnet ?? this.findSecurityRule(id)?.rule ?? this.findRoute(id);
  }

  /** A route `…/routeTables/{t}/routes/{r}`, stored in its route table. */
  findRoute(id: string): ArmResource | undefined {
    const m = /^(.*)\/routes\/([^/]+)$/.exec(idKey(id));
    if (!m || m[1] === undefined || m[2] === undefined) return undefined;
    const table = this.resources.get(m[1]);
    if (!table || resourceTypeOf(table.id) !== TYPE.routeTable) return undefined;
    const name = m[2];
    return rulesOf(table, 'routes').find((r) => String(r.name).toLowerCase() === name);
  }

  /** A rule of `…/networkSecurityGroups/{n}/securityRules/{r}` (or `defaultSecurityRules`), stored in its NSG. */
  findSecurityRule(id: string): { nsg: ArmResource; rule: ArmResource; collection: string } | undefined {
    const m = /^(.*)\/(securityrules|defaultsecurityrules)\/([^/]+)$/.exec(idKey(id));
    if (!m || m[1] === undefined || m[2] === undefined || m[3] === undefined) return undefined;
    const nsg = this.resources.get(m[1]);
    if (!nsg || resourceTypeOf(nsg.id) !== TYPE.nsg) return undefined;
    const collection = RULE_COLLECTIONS[m[2]] ?? 'securityRules';
    const name = m[3];
    const rule = rulesOf(nsg, collection).find((r) => String(r.name).toLowerCase() === name);
    return rule ? { nsg, rule, collection } : undefined;
  }

  /** A copy of the document as ARM's GET returns it. */
  get(id: string): ArmResource | undefined {
    const doc = this.raw(id);
    return doc ? this.render(doc) : undefined;
  }

  findSubnet(id: string): { vnet: ArmResource; subnet: ArmResource } | undefined {
    const key = idKey(id);
    const m = /^(.*)\/subnets\/[^/]+$/.exec(key);
    if (!m || m[1] === undefined) return undefined;
    const vnet = this.resources.get(m[1]);
    const subnet = this.subnets.get(m[1])?.find((s) => idKey(s.id) === key);
    return vnet && subnet ? { vnet, subnet } : undefined;
  }

  subnetsOf(vnetId: string): ArmResource[] {
    return this.subnets.get(idKey(vnetId)) ?? [];
  }

  allSubnets(): ArmResource[] {
    return [...this.subnets.values()].flat();
  }

  /**
   * Top-level resources of one type in a subscription (and resource group), as stored: pass the page being
   * served through `view`, so that a page costs its own size, not the collection's.
   */
  list(subscriptionId: string, resourceGroup: string | undefined, type: string): ArmResource[] {
    const scope = resourceGroup === undefined ? `/subscriptions/${subscriptionId}/` : `/subscriptions/${subscriptionId}/resourcegroups/${resourceGroup}/`;
    const prefix = scope.toLowerCase();
    const out: ArmResource[] = [];
    for (const [key, doc] of this.resources) {
      if (key.startsWith(prefix) && resourceTypeOf(doc.id) === type.toLowerCase()) out.push(doc);
    }
    return out;
  }

  /** Child resources `{parentId}/{childType}/*` (subnets of a VNet, or any seeded child resource). */
  listChildren(parentId: string, childType: string): ArmResource[] {
    const prefix = `${idKey(parentId)}/${childType.toLowerCase()}/`;
    if (resourceTypeOf(parentId) === TYPE.vnet && childType.toLowerCase() === 'subnets') return this.subnetsOf(parentId);
    const collection = RULE_COLLECTIONS[childType.toLowerCase()];
    if (resourceTypeOf(parentId) === TYPE.nsg && collection !== undefined) {
      const nsg = this.resources.get(idKey(parentId));
      return nsg ? rulesOf(nsg, collection) : [];
    }
    if (resourceTypeOf(parentId) === TYPE.routeTable && childType.toLowerCase() === 'routes') {
      const table = this.resources.get(idKey(parentId));
      return table ? rulesOf(table, 'routes') : [];
    }
    const out: ArmResource[] = [];
    for (const [key, doc] of this.resources) {
      if (key.startsWith(prefix) && !key.slice(prefix.length).includes('/')) out.push(doc);
    }
    return out;
  }

  /** Replaces a top-level resource document. */
  replace(doc: ArmResource): void {
    this.resources.set(idKey(doc.id), doc);
    this.referencing.clear();
  }

  /** Inserts or replaces a subnet of a VNet, keeping its position. */
  putSubnet(vnetId: string, doc: ArmResource): void {
    const list = this.subnetList(vnetId);
    const at = list.findIndex((s) => sameId(s.id, doc.id));
    if (at >= 0) list[at] = doc;
    else list.push(doc);
    this.referencing.clear();
  }

  /** Removes a top-level resource. */
  remove(id: string): void {
    this.resources.delete(idKey(id));
    this.referencing.clear();
  }

  /** Ids of the subnets and network interfaces associated with an NSG (what keeps it from being deleted). */
  nsgUsers(nsgId: string): string[] {
    const users = [...(this.subnetsReferencing(TYPE.nsg).get(idKey(nsgId)) ?? [])];
    for (const doc of this.resources.values()) {
      if (resourceTypeOf(doc.id) !== TYPE.nic) continue;
      const ref = (doc.properties?.['networkSecurityGroup'] as JsonObject | undefined)?.['id'];
      if (typeof ref === 'string' && sameId(ref, nsgId)) users.push(doc.id);
    }
    return users;
  }

  removeSubnet(subnetId: string): void {
    const found = this.findSubnet(subnetId);
    if (!found) return;
    const list = this.subnetList(found.vnet.id);
    const at = list.indexOf(found.subnet);
    if (at >= 0) list.splice(at, 1);
    this.referencing.clear();
  }

  /** A stored document as ARM's GET shows it: a copy, with subnets embedded and NSG back-references filled in. */
  /**
   * The same document as `render`, built without copying what it shares with the store: only for a response
   * that is serialised at once (list pages, where copying thousands of subnets dominated the time).
   */
  view(doc: ArmResource): ArmResource {
    const kind = resourceTypeOf(doc.id);
    if (kind === TYPE.vnet) return { ...doc, properties: { ...propsOf(doc), subnets: this.subnetsOf(doc.id) } };
    if (SUBNET_REFERENCE[kind] !== undefined) {
      const refs = this.subnetsReferencing(kind).get(idKey(doc.id));
      if (refs) return { ...doc, properties: { ...propsOf(doc), subnets: refs.map((id) => ({ id })) } };
    }
    return doc;
  }

  render(doc: ArmResource): ArmResource {
    const out = clone(doc);
    const kind = resourceTypeOf(doc.id);
    if (kind === TYPE.vnet) {
      propsOf(out)['subnets'] = this.subnetsOf(doc.id).map(clone);
    } else if (SUBNET_REFERENCE[kind] !== undefined) {
      const refs = this.subnetsReferencing(kind).get(idKey(doc.id));
      if (refs) propsOf(out)['subnets'] = refs.map((id) => ({ id }));
    }
    return out;
  }

  /** Subnet ids by the NSG or route table (`type`) they reference; rebuilt after any write that can change one. */
  private subnetsReferencing(type: string): Map<string, string[]> {
    const property = SUBNET_REFERENCE[type] ?? '';
    const known = this.referencing.get(property);
    if (known) return known;
    const index = new Map<string, string[]>();
    for (const subnet of this.allSubnets()) {
      const id = (subnet.properties?.[property] as JsonObject | undefined)?.['id'];
      if (typeof id !== 'string') continue;
      const key = idKey(id);
      index.set(key, [...(index.get(key) ?? []), subnet.id]);
    }
    this.referencing.set(property, index);
    return index;
  }

  // ---- authorization ----

  roleAssignments(): ArmResource[] {
    return this.assignments;
  }

  /** Resolves a role definition by subscription-level id, tenant-level id or bare GUID. */
  roleDefinition(roleDefinitionId: string): RoleDefinitionData | undefined {
    const guid = lastSegment(roleDefinitionId).toLowerCase();
    const builtIn = BUILT_IN_ROLES.find((r) => r.guid === guid);
    if (builtIn) return clone(builtIn);
    const custom = this.customRoles.get(guid);
    return custom ? customRoleData(custom) : undefined;
  }

  roleDefinitions(): RoleDefinitionData[] {
    return [...BUILT_IN_ROLES.map(clone), ...[...this.customRoles.values()].map(customRoleData)];
  }

  /** The principal itself plus every group it belongs to, directly or through nested groups (lower case). */
  principalAndGroups(principalId: string): Set<string> {
    const seen = new Set<string>([principalId.toLowerCase()]);
    const queue = [principalId.toLowerCase()];
    while (queue.length > 0) {
      const next = queue.shift() as string;
      for (const g of this.memberOf.get(next) ?? []) {
        if (!seen.has(g)) {
          seen.add(g);
          queue.push(g);
        }
      }
    }
    return seen;
  }

  // ---- resource providers ----

  providerState(subscriptionId: string, namespace: string): { namespace: string; state: ProviderRegistrationState } {
    const entry = this.providers.get(subscriptionId.toLowerCase())?.get(namespace.toLowerCase());
    return entry ? { ...entry } : { namespace: canonicalNamespace(namespace), state: 'Registered' };
  }

  setProviderState(subscriptionId: string, namespace: string, state: ProviderRegistrationState): void {
    const key = subscriptionId.toLowerCase();
    const map = this.providers.get(key) ?? new Map<string, { namespace: string; state: ProviderRegistrationState }>();
    map.set(namespace.toLowerCase(), { namespace: canonicalNamespace(namespace), state });
    this.providers.set(key, map);
  }

  /** Namespaces with an explicit state in a subscription. */
  providerNamespaces(subscriptionId: string): string[] {
    return [...(this.providers.get(subscriptionId.toLowerCase())?.values() ?? [])].map((p) => p.namespace);
  }
}

const KNOWN_NAMESPACES = ['Microsoft.Web', 'Microsoft.Network', 'Microsoft.ApiManagement', 'Microsoft.Authorization', 'Microsoft.Resources'];

function canonicalNamespace(ns: string): string {
  return KNOWN_NAMESPACES.find((k) => k.toLowerCase() === ns.toLowerCase()) ?? ns;
}

/** A child list stored in its parent (an NSG's rule collections, a route table's `routes`): stored documents, not copies. */
export function rulesOf(nsg: ArmResource, collection: string): ArmResource[] {
  const list = propsOf(nsg)[collection];
  return Array.isArray(list) ? list.filter((r): r is ArmResource => typeof r === 'object' && r !== null) : [];
}

/** A seeded child (a route, a custom rule) in ARM's shape: id, type and provisioningState filled in when missing. */
function normalizeChild(parentId: string, segment: string, type: string, raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null) return raw;
  const child = raw as ArmResource;
  if (typeof child.name !== 'string') return child;
  if (typeof child.id !== 'string') child.id = `${parentId}/${segment}/${child.name}`;
  if (typeof child.type !== 'string') child.type = type;
  const props = propsOf(child);
  if (typeof props['provisioningState'] !== 'string') props['provisioningState'] = 'Succeeded';
  return child;
}

function stringArray(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function customRoleData(doc: ArmResource): RoleDefinitionData {
  const props = doc.properties ?? {};
  const perms = Array.isArray(props['permissions']) ? (props['permissions'] as JsonObject[]) : [];
  return {
    guid: doc.name.toLowerCase(),
    roleName: String(props['roleName'] ?? doc.name),
    roleType: String(props['type'] ?? 'CustomRole'),
    description: String(props['description'] ?? ''),
    assignableScopes: stringArray(props['assignableScopes']),
    permissions: perms.map(
      (p): RolePermission => ({
        actions: stringArray(p['actions']),
        notActions: stringArray(p['notActions']),
        dataActions: stringArray(p['dataActions']),
        notDataActions: stringArray(p['notDataActions']),
      }),
    ),
  };
}

