/** ARM's JSON as it travels (properties not flattened), for the reads that bypass the SDK's model mapping. */

export interface WireRef {
  id?: string;
}

export interface WireLink {
  properties?: { linkedResourceType?: string; link?: string };
}

export interface WireSubnet {
  id?: string;
  name?: string;
  properties?: {
    addressPrefix?: string;
    addressPrefixes?: string[];
    delegations?: { properties?: { serviceName?: string } }[];
    networkSecurityGroup?: WireRef;
    ipConfigurations?: WireRef[];
    privateEndpoints?: WireRef[];
    serviceAssociationLinks?: WireLink[];
    resourceNavigationLinks?: WireLink[];
    routeTable?: WireRef;
    natGateway?: WireRef;
  };
}

export interface WireVirtualNetwork {
  id?: string;
  name?: string;
  location?: string;
  properties?: { addressSpace?: { addressPrefixes?: string[] }; subnets?: WireSubnet[] };
}

export interface WireSecurityRule {
  name?: string;
  properties?: {
    priority?: number;
    direction?: string;
    access?: string;
    protocol?: string;
    sourceAddressPrefix?: string;
    sourceAddressPrefixes?: string[];
    sourceApplicationSecurityGroups?: WireRef[];
    destinationAddressPrefix?: string;
    destinationAddressPrefixes?: string[];
    destinationApplicationSecurityGroups?: WireRef[];
    destinationPortRange?: string;
    destinationPortRanges?: string[];
  };
}

export interface WireNetworkSecurityGroup {
  id?: string;
  name?: string;
  location?: string;
  properties?: { securityRules?: WireSecurityRule[]; defaultSecurityRules?: WireSecurityRule[] };
}

export interface WireRoute {
  name?: string;
  properties?: { addressPrefix?: string; nextHopType?: string; nextHopIpAddress?: string };
}

export interface WireRouteTable {
  id?: string;
  name?: string;
  location?: string;
  properties?: { routes?: WireRoute[] };
}
