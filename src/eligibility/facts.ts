/**
 * What the inventory reads from ARM, normalised for the rules. Plain data: no SDK types, no I/O.
 * Resource ids keep ARM's spelling; compare them with `sameResourceId`.
 */

export interface InstanceFacts {
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  /** ARM SKU name as returned, e.g. "StandardV2", "PremiumV2", "Developer". */
  skuName: string;
  /** "None" | "External" | "Internal" as returned (missing = "None"). */
  virtualNetworkType: string;
  subnetResourceId: string | null;
  provisioningState: string;
  /** The instance's tags, when it has any (an approval rule may match one). */
  tags?: Record<string, string>;
}

export interface LinkFacts {
  linkedResourceType: string;
  link: string | null;
}

export interface SubnetFacts {
  id: string;
  name: string;
  vnetId: string;
  vnetName: string;
  vnetLocation: string;
  subscriptionId: string;
  /** `addressPrefix` followed by `addressPrefixes`, de-duplicated, IPv4 and IPv6 as ARM returns them. */
  addressPrefixes: string[];
  /** `delegations[].serviceName`. */
  delegations: string[];
  networkSecurityGroupId: string | null;
  ipConfigurationIds: string[];
  privateEndpointIds: string[];
  serviceAssociationLinks: LinkFacts[];
  resourceNavigationLinks: LinkFacts[];
  /** `routeTable.id`, null when the subnet has none. */
  routeTableId: string | null;
  /** `natGateway.id`, null when the subnet has none. */
  natGatewayId: string | null;
}

export type SubnetUse = Pick<SubnetFacts, 'ipConfigurationIds' | 'privateEndpointIds' | 'serviceAssociationLinks' | 'resourceNavigationLinks' | 'routeTableId' | 'natGatewayId'>;

/** What a subnet nothing uses yet has attached: nothing. */
export function unusedSubnet(): SubnetUse {
  return { ipConfigurationIds: [], privateEndpointIds: [], serviceAssociationLinks: [], resourceNavigationLinks: [], routeTableId: null, natGatewayId: null };
}

export interface RouteFacts {
  name: string;
  /** A CIDR ("0.0.0.0/0") or a service tag, as written. */
  addressPrefix: string;
  /** "VirtualNetworkGateway" | "VnetLocal" | "Internet" | "VirtualAppliance" | "None" as returned. */
  nextHopType: string;
  /** The appliance's address (VirtualAppliance only), else null. */
  nextHopIpAddress: string | null;
}

export interface RouteTableFacts {
  id: string;
  name: string;
  routes: RouteFacts[];
}

export type RuleAccess = 'Allow' | 'Deny';
export type RuleDirection = 'Inbound' | 'Outbound';

export interface SecurityRuleFacts {
  name: string;
  priority: number;
  direction: RuleDirection;
  access: RuleAccess;
  /** "Tcp" | "Udp" | "Icmp" | "Esp" | "Ah" | "*" */
  protocol: string;
  /** `sourceAddressPrefix` plus `sourceAddressPrefixes`. */
  sourceAddressPrefixes: string[];
  sourceApplicationSecurityGroupIds: string[];
  /** `destinationAddressPrefix` plus `destinationAddressPrefixes`. */
  destinationAddressPrefixes: string[];
  destinationApplicationSecurityGroupIds: string[];
  /** `destinationPortRange` plus `destinationPortRanges`: "*", "443", "400-500". */
  destinationPortRanges: string[];
  /** true for ARM's built-in `defaultSecurityRules` (AllowInternetOutBound and friends). */
  isDefault: boolean;
}

export interface NsgFacts {
  id: string;
  name: string;
  location: string;
  /** Custom and default rules together, in any order. */
  rules: SecurityRuleFacts[];
}

/** One role assignment resolved to its role definition's permissions. */
export interface RoleGrant {
  /** The assignment's scope, e.g. "/subscriptions/…/resourceGroups/rg-net". */
  scope: string;
  roleName: string;
  actions: string[];
  notActions: string[];
}

export interface PrincipalAccess {
  principalId: string;
  grants: RoleGrant[];
}

export interface CheckFacts {
  instance: InstanceFacts;
  /** The candidate subnets: every subnet of every VNet in the instance's subscription, or the one asked about. */
  subnets: SubnetFacts[];
  /** NSGs the candidates reference, keyed by `resourceIdKey(id)` (resource-id.ts). A referenced id missing here could not be read. */
  networkSecurityGroups: ReadonlyMap<string, NsgFacts>;
  /** Registration state of Microsoft.Web in the instance's subscription. */
  webProviderState: string;
  /** Route tables the candidates reference, keyed by `resourceIdKey(id)`. A referenced id missing here could not be read. */
  routeTables: ReadonlyMap<string, RouteTableFacts>;
  bot: PrincipalAccess;
  /** null when no requester was named: requester checks are skipped. */
  requester: PrincipalAccess | null;
}

export interface EligibilitySettings {
  /** Smallest allowed subnet, as a prefix length (27 = /27). */
  minSubnetPrefix: number;
  /** Recommended subnet size, as a prefix length (24 = /24). */
  recommendedSubnetPrefix: number;
  /** enforce: missing requester rights block; advisory: they are warnings for the approver. */
  requesterRbac: 'enforce' | 'advisory';
  /** The service tags the gateway reaches on TCP 443 (domain rule 7): configuration, because the documentation moves. */
  dependencies: OutboundDependencySettings;
  /** What the bot builds when it creates a subnet or gives a subnet its missing NSG. */
  networkFixes: NetworkFixSettings;
}

export interface OutboundDependencySettings {
  /** Tags that must be reachable: denied = blocking, allowed only by a default rule = warning (OUTBOUND_DEPENDENCIES). */
  required: string[];
  /** Tags once documented as dependencies: a deny is worth a warning (OPTIONAL_OUTBOUND_DEPENDENCIES). */
  optional: string[];
}

/** The NSG include of the outbound-integration page, in its 2026-08 version: Key Vault only; Storage was listed until then. */
export const DEFAULT_DEPENDENCIES: OutboundDependencySettings = { required: ['AzureKeyVault'], optional: ['Storage'] };

export const DEFAULT_SUBNET_NAME_PATTERN = 'snet-apim-<instance>-outbound';
export const DEFAULT_NSG_NAME_PATTERN = 'nsg-apim-<instance>-outbound';

export interface NetworkFixSettings {
  /** Name of a subnet the bot creates; `<instance>` is replaced by the instance's name. */
  subnetNamePattern: string;
  /** Name of an NSG the bot creates; may use `<instance>` too. */
  nsgNamePattern: string;
  /** An existing NSG to associate instead of creating one (NEW_SUBNET_NSG_ID); null = the bot creates one. */
  nsgId: string | null;
  /** Destination of each allow rule the bot writes: the tag itself (`AzureKeyVault`) or its regional form (`AzureKeyVault.WestEurope`). */
  tagForm: 'global' | 'regional';
}

export const DEFAULT_NETWORK_FIX_SETTINGS: NetworkFixSettings = {
  subnetNamePattern: DEFAULT_SUBNET_NAME_PATTERN,
  nsgNamePattern: DEFAULT_NSG_NAME_PATTERN,
  nsgId: null,
  tagForm: 'global',
};

export const DEFAULT_SETTINGS: EligibilitySettings = {
  minSubnetPrefix: 27,
  recommendedSubnetPrefix: 24,
  requesterRbac: 'enforce',
  dependencies: DEFAULT_DEPENDENCIES,
  networkFixes: DEFAULT_NETWORK_FIX_SETTINGS,
};
