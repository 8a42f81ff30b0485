import type { ApiManagementServiceResource } from '@azure/arm-apimanagement';
import type { NetworkSecurityGroup, SecurityRule, Subnet, VirtualNetwork } from '@azure/arm-network';
import type { InstanceFacts, LinkFacts, NsgFacts, SecurityRuleFacts, SubnetFacts } from '../eligibility/facts.js';
import { parseResourceId } from '../eligibility/resource-id.js';

/** SDK models -> the plain facts the rules read. */

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
  };
}

export function subnetFactsOf(vnet: VirtualNetwork): SubnetFacts[] {
  return (vnet.subnets ?? []).map((subnet) => subnetFacts(vnet, subnet));
}

export function subnetFacts(vnet: VirtualNetwork, subnet: Subnet): SubnetFacts {
  const vnetId = vnet.id ?? '';
  return {
    id: subnet.id ?? `${vnetId}/subnets/${subnet.name ?? ''}`,
    name: subnet.name ?? '',
    vnetId,
    vnetName: vnet.name ?? '',
    vnetLocation: vnet.location ?? '',
    subscriptionId: parseResourceId(vnetId)?.subscriptionId ?? '',
    addressPrefixes: unique([subnet.addressPrefix, ...(subnet.addressPrefixes ?? [])]),
    delegations: unique((subnet.delegations ?? []).map((d) => d.serviceName)),
    networkSecurityGroupId: subnet.networkSecurityGroup?.id ?? null,
    ipConfigurationIds: ids(subnet.ipConfigurations),
    privateEndpointIds: ids(subnet.privateEndpoints),
    serviceAssociationLinks: links(subnet.serviceAssociationLinks),
    resourceNavigationLinks: links(subnet.resourceNavigationLinks),
  };
}

export function nsgFacts(nsg: NetworkSecurityGroup): NsgFacts {
  return {
    id: nsg.id ?? '',
    name: nsg.name ?? '',
    location: nsg.location ?? '',
    rules: [
      ...(nsg.securityRules ?? []).map((r) => ruleFacts(r, false)),
      ...(nsg.defaultSecurityRules ?? []).map((r) => ruleFacts(r, true)),
    ],
  };
}

function ruleFacts(rule: SecurityRule, isDefault: boolean): SecurityRuleFacts {
  return {
    name: rule.name ?? '',
    priority: rule.priority ?? 65500,
    direction: rule.direction === 'Inbound' ? 'Inbound' : 'Outbound',
    access: rule.access === 'Allow' ? 'Allow' : 'Deny',
    protocol: rule.protocol ?? '*',
    sourceAddressPrefixes: unique([rule.sourceAddressPrefix, ...(rule.sourceAddressPrefixes ?? [])]),
    sourceApplicationSecurityGroupIds: ids(rule.sourceApplicationSecurityGroups),
    destinationAddressPrefixes: unique([rule.destinationAddressPrefix, ...(rule.destinationAddressPrefixes ?? [])]),
    destinationApplicationSecurityGroupIds: ids(rule.destinationApplicationSecurityGroups),
    destinationPortRanges: unique([rule.destinationPortRange, ...(rule.destinationPortRanges ?? [])]),
    isDefault,
  };
}

function links(items: { linkedResourceType?: string; link?: string }[] | undefined): LinkFacts[] {
  return (items ?? []).map((l) => ({ linkedResourceType: l.linkedResourceType ?? '', link: l.link ?? null }));
}

function ids(items: { id?: string }[] | undefined): string[] {
  return unique((items ?? []).map((i) => i.id));
}

function unique(values: (string | undefined | null)[]): string[] {
  return [...new Set(values.filter((v): v is string => typeof v === 'string' && v.length > 0))];
}
