/** ARM's six default security rules, which every network security group carries. */
import type { JsonObject } from './types.js';

const DEFAULTS: readonly [string, string, 'Inbound' | 'Outbound', 'Allow' | 'Deny', number, string, string][] = [
  ['AllowVnetInBound', 'Allow inbound traffic from all VMs in VNET', 'Inbound', 'Allow', 65000, 'VirtualNetwork', 'VirtualNetwork'],
  ['AllowAzureLoadBalancerInBound', 'Allow inbound traffic from azure load balancer', 'Inbound', 'Allow', 65001, 'AzureLoadBalancer', '*'],
  ['DenyAllInBound', 'Deny all inbound traffic', 'Inbound', 'Deny', 65500, '*', '*'],
  ['AllowVnetOutBound', 'Allow outbound traffic from all VMs to all VMs in VNET', 'Outbound', 'Allow', 65000, 'VirtualNetwork', 'VirtualNetwork'],
  ['AllowInternetOutBound', 'Allow outbound traffic from all VMs to Internet', 'Outbound', 'Allow', 65001, '*', 'Internet'],
  ['DenyAllOutBound', 'Deny all outbound traffic', 'Outbound', 'Deny', 65500, '*', '*'],
];

/** Adds any of the six default rules missing from `properties.defaultSecurityRules` (matched by name). */
export function withDefaultSecurityRules(nsgId: string, existing: unknown): JsonObject[] {
  const rules: JsonObject[] = Array.isArray(existing) ? (existing.filter((r) => typeof r === 'object' && r !== null) as JsonObject[]) : [];
  const have = new Set(rules.map((r) => String(r['name'] ?? '').toLowerCase()));
  for (const [name, description, direction, access, priority, source, destination] of DEFAULTS) {
    if (have.has(name.toLowerCase())) continue;
    rules.push({
      name,
      id: `${nsgId}/defaultSecurityRules/${name}`,
      type: 'Microsoft.Network/networkSecurityGroups/defaultSecurityRules',
      properties: {
        provisioningState: 'Succeeded',
        description,
        protocol: '*',
        sourcePortRange: '*',
        destinationPortRange: '*',
        sourceAddressPrefix: source,
        destinationAddressPrefix: destination,
        access,
        priority,
        direction,
        sourcePortRanges: [],
        destinationPortRanges: [],
        sourceAddressPrefixes: [],
        destinationAddressPrefixes: [],
      },
    });
  }
  return rules;
}
