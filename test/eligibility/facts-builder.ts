/** Builds CheckFacts for the eligibility tests: a passing baseline that each test bends one way. */
import {
  type CheckFacts,
  type InstanceFacts,
  type NsgFacts,
  type PrincipalAccess,
  type RoleGrant,
  type RouteFacts,
  type RouteTableFacts,
  type SecurityRuleFacts,
  type SubnetFacts,
  unusedSubnet,
} from '../../src/eligibility/facts.js';
import { resourceIdKey } from '../../src/eligibility/resource-id.js';

export const SUB = '11111111-1111-1111-1111-111111111111';
export const OTHER_SUB = '22222222-2222-2222-2222-222222222222';
export const RG_APIM = `/subscriptions/${SUB}/resourceGroups/rg-apim`;
export const RG_NET = `/subscriptions/${SUB}/resourceGroups/rg-net`;
export const INSTANCE_ID = `${RG_APIM}/providers/Microsoft.ApiManagement/service/apim-prod`;
export const OTHER_INSTANCE_ID = `${RG_APIM}/providers/Microsoft.ApiManagement/service/apim-other`;

export function vnetId(vnet = 'hub-vnet', subscription = SUB): string {
  return `/subscriptions/${subscription}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/${vnet}`;
}
export function subnetId(name: string, vnet = 'hub-vnet', subscription = SUB): string {
  return `${vnetId(vnet, subscription)}/subnets/${name}`;
}
export function nsgId(name = 'nsg-apim'): string {
  return `${RG_NET}/providers/Microsoft.Network/networkSecurityGroups/${name}`;
}
export function routeTableId(name = 'rt-hub'): string {
  return `${RG_NET}/providers/Microsoft.Network/routeTables/${name}`;
}
export function natGatewayId(name = 'nat-hub'): string {
  return `${RG_NET}/providers/Microsoft.Network/natGateways/${name}`;
}

export function instance(overrides: Partial<InstanceFacts> = {}): InstanceFacts {
  return {
    id: INSTANCE_ID,
    name: 'apim-prod',
    subscriptionId: SUB,
    resourceGroup: 'rg-apim',
    location: 'westeurope',
    skuName: 'StandardV2',
    virtualNetworkType: 'None',
    subnetResourceId: null,
    provisioningState: 'Succeeded',
    ...overrides,
  };
}

/** An empty, delegated /24 with an NSG in West Europe: eligible on its own. */
export function subnet(name = 'apim-out', overrides: Partial<SubnetFacts> = {}): SubnetFacts {
  const vnetName = overrides.vnetName ?? 'hub-vnet';
  const subscription = overrides.subscriptionId || SUB;
  return {
    id: subnetId(name, vnetName, subscription),
    name,
    vnetId: vnetId(vnetName, subscription),
    vnetName,
    vnetLocation: 'westeurope',
    subscriptionId: subscription,
    addressPrefixes: ['10.0.1.0/24'],
    delegations: ['Microsoft.Web/serverFarms'],
    networkSecurityGroupId: nsgId(),
    ...unusedSubnet(),
    ...overrides,
  };
}

export function route(overrides: Partial<RouteFacts> = {}): RouteFacts {
  return { name: 'default', addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.0.4', ...overrides };
}

/** A route table; by default it sends 0.0.0.0/0 to a firewall at 10.0.0.4 (forced tunnelling). */
export function routeTable(routes: RouteFacts[] = [route()], name = 'rt-hub'): RouteTableFacts {
  return { id: routeTableId(name), name, routes };
}

/** A security rule with sensible outbound defaults. */
export function rule(overrides: Partial<SecurityRuleFacts> & Pick<SecurityRuleFacts, 'name' | 'priority'>): SecurityRuleFacts {
  return {
    direction: 'Outbound',
    access: 'Allow',
    protocol: 'Tcp',
    sourceAddressPrefixes: ['VirtualNetwork'],
    sourceApplicationSecurityGroupIds: [],
    destinationAddressPrefixes: ['AzureKeyVault'],
    destinationApplicationSecurityGroupIds: [],
    destinationPortRanges: ['443'],
    isDefault: false,
    ...overrides,
  };
}

/** ARM's six default rules, as the inventory reports them. */
export function defaultRules(): SecurityRuleFacts[] {
  const d = (name: string, priority: number, direction: 'Inbound' | 'Outbound', access: 'Allow' | 'Deny', src: string, dst: string) =>
    rule({
      name,
      priority,
      direction,
      access,
      protocol: '*',
      sourceAddressPrefixes: [src],
      destinationAddressPrefixes: [dst],
      destinationPortRanges: ['*'],
      isDefault: true,
    });
  return [
    d('AllowVnetInBound', 65000, 'Inbound', 'Allow', 'VirtualNetwork', 'VirtualNetwork'),
    d('AllowAzureLoadBalancerInBound', 65001, 'Inbound', 'Allow', 'AzureLoadBalancer', '*'),
    d('DenyAllInBound', 65500, 'Inbound', 'Deny', '*', '*'),
    d('AllowVnetOutBound', 65000, 'Outbound', 'Allow', 'VirtualNetwork', 'VirtualNetwork'),
    d('AllowInternetOutBound', 65001, 'Outbound', 'Allow', '*', 'Internet'),
    d('DenyAllOutBound', 65500, 'Outbound', 'Deny', '*', '*'),
  ];
}

/** The explicit allow the baseline NSG has for the required dependency (AzureKeyVault by default). */
export const KEYVAULT_ALLOW = rule({ name: 'allow-keyvault', priority: 200 });
/** An explicit allow for Storage: documented until 2026, optional now. */
export const STORAGE_ALLOW = rule({ name: 'allow-storage', priority: 210, destinationAddressPrefixes: ['Storage'] });

/** An NSG with the default rules plus `custom` (defaults to an explicit AzureKeyVault allow). */
export function nsg(custom: SecurityRuleFacts[] = [KEYVAULT_ALLOW], name = 'nsg-apim'): NsgFacts {
  return { id: nsgId(name), name, location: 'westeurope', rules: [...custom, ...defaultRules()] };
}

export function grant(scope: string, actions: string[], notActions: string[] = [], roleName = 'Custom'): RoleGrant {
  return { scope, roleName, actions, notActions };
}

/** Owner-like access at subscription scope: everything allowed. */
export function allAccess(principalId = 'bot'): PrincipalAccess {
  return { principalId, grants: [grant(`/subscriptions/${SUB}`, ['*'], [], 'Owner')] };
}

export function access(principalId: string, ...grants: RoleGrant[]): PrincipalAccess {
  return { principalId, grants };
}

export interface FactsOptions {
  instance?: Partial<InstanceFacts>;
  subnets?: SubnetFacts[];
  nsgs?: NsgFacts[];
  routeTables?: RouteTableFacts[];
  webProviderState?: string;
  bot?: PrincipalAccess;
  requester?: PrincipalAccess | null;
}

/** A passing baseline: one eligible subnet, Microsoft.Web registered, bot and requester allowed everything. */
export function facts(options: FactsOptions = {}): CheckFacts {
  const nsgs = options.nsgs ?? [nsg()];
  return {
    instance: instance(options.instance),
    subnets: options.subnets ?? [subnet()],
    networkSecurityGroups: new Map(nsgs.map((n) => [resourceIdKey(n.id), n])),
    webProviderState: options.webProviderState ?? 'Registered',
    routeTables: new Map((options.routeTables ?? []).map((t) => [resourceIdKey(t.id), t])),
    bot: options.bot ?? allAccess('bot'),
    requester: options.requester === undefined ? allAccess('requester') : options.requester,
  };
}

// ------------------------------------------------------------------------------------------ assertions help

import type { FindingCode } from '../../src/eligibility/codes.js';
import type { EligibilityReport, Finding, SubnetReport } from '../../src/eligibility/report.js';

/** "CODE:severity" per finding, in report order. */
export function summary(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.code}:${f.severity}`);
}

export function findingOf(findings: readonly Finding[], code: FindingCode): Finding {
  const found = findings.find((f) => f.code === code);
  if (!found) throw new Error(`no ${code} in ${JSON.stringify(summary(findings))}`);
  return found;
}

/** The report of the only (or the named) subnet. */
export function subnetReport(report: EligibilityReport, name?: string): SubnetReport {
  const found = name === undefined ? report.subnets[0] : report.subnets.find((s) => s.name === name);
  if (!found || (name === undefined && report.subnets.length !== 1)) throw new Error(`no single subnet ${name ?? ''}`);
  return found;
}
