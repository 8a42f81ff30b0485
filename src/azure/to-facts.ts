import type { ApiManagementServiceResource } from '@azure/arm-apimanagement';
import type { InstanceFacts, LinkFacts, NsgFacts, RouteTableFacts, SecurityRuleFacts, SubnetFacts } from '../eligibility/facts.js';
import { parseResourceId } from '../eligibility/resource-id.js';
import type { ProposalVnet } from '../proposal/index.js';
import type { WireLink, WireNetworkSecurityGroup, WireRouteTable, WireSecurityRule, WireSubnet, WireVirtualNetwork } from './arm-wire.js';

/** SDK models and ARM's wire JSON -> the plain facts the rules read. */

export function instanceFacts(resource: ApiManagementServiceResource): InstanceFacts {
  const id = resource.id ?? '';
  const parsed = parseResourceId(id);
  return {
    id,
    name: resource.name ?? parsed?.names[0] ?? '',
    subscriptionId: parsed?.subscriptionId ?? '',
    resourceGroup: parsed?.resourceGroup ?? '',
    location: resource.location ?? '',
    skuName: resource.sku?.name ?? '',
    virtualNetworkType: resource.virtualNetworkType ?? 'None',
    subnetResourceId: resource.virtualNetworkConfiguration?.subnetResourceId ?? null,
    provisioningState: resource.provisioningState ?? 'Succeeded',
    ...(resource.tags && Object.keys(resource.tags).length > 0 ? { tags: { ...resource.tags } } : {}),
  };
}

export function subnetFactsOf(vnet: WireVirtualNetwork): SubnetFacts[] {
  return (vnet.properties?.subnets ?? []).map((subnet) => subnetFacts(vnet, subnet));
}

/** What a subnet proposal needs of a VNet: its address space and the prefixes and names already taken. */
export function proposalVnetOf(vnet: WireVirtualNetwork): ProposalVnet {
  return {
    id: vnet.id ?? '',
    name: vnet.name ?? '',
    location: vnet.location ?? '',
    addressPrefixes: vnet.properties?.addressSpace?.addressPrefixes ?? [],
    subnets: (vnet.properties?.subnets ?? []).map((s) => ({
      name: s.name ?? '',
      addressPrefixes: unique([s.properties?.addressPrefix, ...(s.properties?.addressPrefixes ?? [])]),
    })),
  };
}

export function subnetFacts(vnet: WireVirtualNetwork, subnet: WireSubnet): SubnetFacts {
  const vnetId = vnet.id ?? '';
  const p = subnet.properties ?? {};
  return {
    id: subnet.id ?? `${vnetId}/subnets/${subnet.name ?? ''}`,
    name: subnet.name ?? '',
    vnetId,
    vnetName: vnet.name ?? '',
    vnetLocation: vnet.location ?? '',
    subscriptionId: parseResourceId(vnetId)?.subscriptionId ?? '',
    addressPrefixes: unique([p.addressPrefix, ...(p.addressPrefixes ?? [])]),
    delegations: unique((p.delegations ?? []).map((d) => d.properties?.serviceName)),
    networkSecurityGroupId: p.networkSecurityGroup?.id ?? null,
    ipConfigurationIds: ids(p.ipConfigurations),
    privateEndpointIds: ids(p.privateEndpoints),
    serviceAssociationLinks: links(p.serviceAssociationLinks),
    resourceNavigationLinks: links(p.resourceNavigationLinks),
    routeTableId: p.routeTable?.id ?? null,
    natGatewayId: p.natGateway?.id ?? null,
  };
}

export function routeTableFacts(table: WireRouteTable): RouteTableFacts {
  return {
    id: table.id ?? '',
    name: table.name ?? '',
    routes: (table.properties?.routes ?? []).map((r) => ({
      name: r.name ?? '',
      addressPrefix: r.properties?.addressPrefix ?? '',
      nextHopType: r.properties?.nextHopType ?? '',
      nextHopIpAddress: r.properties?.nextHopIpAddress ?? null,
    })),
  };
}

export function nsgFacts(nsg: WireNetworkSecurityGroup): NsgFacts {
  return {
    id: nsg.id ?? '',
    name: nsg.name ?? '',
    location: nsg.location ?? '',
    rules: [
      ...(nsg.properties?.securityRules ?? []).map((r) => ruleFacts(r, false)),
      ...(nsg.properties?.defaultSecurityRules ?? []).map((r) => ruleFacts(r, true)),
    ],
  };
}

function ruleFacts(rule: WireSecurityRule, isDefault: boolean): SecurityRuleFacts {
  const p = rule.properties ?? {};
  return {
    name: rule.name ?? '',
    priority: p.priority ?? 65500,
    direction: p.direction === 'Inbound' ? 'Inbound' : 'Outbound',
    access: p.access === 'Allow' ? 'Allow' : 'Deny',
    protocol: p.protocol ?? '*',
    sourceAddressPrefixes: unique([p.sourceAddressPrefix, ...(p.sourceAddressPrefixes ?? [])]),
    sourceApplicationSecurityGroupIds: ids(p.sourceApplicationSecurityGroups),
    destinationAddressPrefixes: unique([p.destinationAddressPrefix, ...(p.destinationAddressPrefixes ?? [])]),
    destinationApplicationSecurityGroupIds: ids(p.destinationApplicationSecurityGroups),
    destinationPortRanges: unique([p.destinationPortRange, ...(p.destinationPortRanges ?? [])]),
    isDefault,
  };
}

function links(items: WireLink[] | undefined): LinkFacts[] {
  return (items ?? []).map((l) => ({ linkedResourceType: l.properties?.linkedResourceType ?? '', link: l.properties?.link ?? null }));
}

function ids(items: { id?: string }[] | undefined): string[] {
  return unique((items ?? []).map((i) => i.id));
}

function unique(values: (string | undefined | null)[]): string[] {
  const out: string[] = [];
  for (const v of values) if (typeof v === 'string' && v.length > 0 && !out.includes(v)) out.push(v);
  return out;
}
