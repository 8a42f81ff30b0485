/**
 * Where the subnet's outbound traffic goes: a route table that sends the default route through a firewall or a
 * VPN/ExpressRoute gateway (forced tunnelling), and a NAT gateway that changes the public source address.
 * Neither blocks integration; both change what the network owner must allow. Pure.
 */
import { FindingCode } from './codes.js';
import type { RouteFacts, RouteTableFacts, SubnetFacts } from './facts.js';
import { describeSubnet, finding, listOf } from './messages.js';
import type { Finding } from './report.js';
import { nameFromId, resourceIdKey } from './resource-id.js';
import { DEPENDENCY_PORT } from './security-rules.js';

/** Only the default route tunnels everything; a more specific route is the owner's business (backends). */
const DEFAULT_ROUTE = '0.0.0.0/0';
/** Next hops that carry traffic somewhere it can be filtered. `Internet`, `VnetLocal` and `None` do not tunnel. */
const TUNNELLING_HOPS = new Set(['virtualappliance', 'virtualnetworkgateway']);

/** Shared by every subnet without a route table or NAT gateway (nearly all of a large subscription). */
const NO_FINDINGS: readonly Finding[] = Object.freeze([]);

/** ROUTE_FORCED_TUNNELING, ROUTE_TABLE_NOT_READ and NAT_GATEWAY_ATTACHED for one subnet. */
export function routeFindings(
  subnet: SubnetFacts,
  routeTables: ReadonlyMap<string, RouteTableFacts>,
  dependencyTags: readonly string[],
): readonly Finding[] {
  if (subnet.routeTableId === null && subnet.natGatewayId === null) return NO_FINDINGS;
  const findings: Finding[] = [];
  if (subnet.routeTableId !== null) {
    const table = routeTables.get(resourceIdKey(subnet.routeTableId));
    const tunnel = table ? tunnellingRoute(table) : null;
    if (!table) findings.push(unreadTableFinding(subnet, subnet.routeTableId, dependencyTags));
    else if (tunnel) findings.push(forcedTunnelFinding(subnet, table, tunnel, dependencyTags));
  }
  if (subnet.natGatewayId !== null) findings.push(natGatewayFinding(subnet, subnet.natGatewayId));
  return findings;
}

/** The table's route for exactly 0.0.0.0/0 when it goes to a virtual appliance or a VNet gateway, else null. */
export function tunnellingRoute(table: RouteTableFacts): RouteFacts | null {
  const route = table.routes.find((r) => r.addressPrefix.trim() === DEFAULT_ROUTE);
  return route && TUNNELLING_HOPS.has(route.nextHopType.trim().toLowerCase()) ? route : null;
}

function hopText(route: RouteFacts): string {
  if (route.nextHopType.trim().toLowerCase() === 'virtualnetworkgateway') {
    return 'the virtual network gateway (to the on-premises network)';
  }
  const ip = route.nextHopIpAddress?.trim();
  return ip ? `the virtual appliance at ${ip}` : 'a virtual appliance';
}

/** "outbound TCP 443 to the AzureKeyVault service tag" */
function dependencyText(tags: readonly string[]): string {
  if (tags.length === 0) return `the gateway's outbound TCP ${DEPENDENCY_PORT} to its dependencies`;
  return `outbound TCP ${DEPENDENCY_PORT} to the ${listOf(tags)} service ${tags.length === 1 ? 'tag' : 'tags'}`;
}

function fromText(subnet: SubnetFacts): string {
  return subnet.addressPrefixes.length > 0 ? ` from ${listOf(subnet.addressPrefixes)}` : '';
}

function forcedTunnelFinding(subnet: SubnetFacts, table: RouteTableFacts, route: RouteFacts, tags: readonly string[]): Finding {
  const firewall = route.nextHopType.trim().toLowerCase() === 'virtualnetworkgateway' ? 'the on-premises firewall' : 'the firewall';
  return finding(
    FindingCode.ROUTE_FORCED_TUNNELING,
    'warning',
    `route table '${table.name}' of ${describeSubnet(subnet)} sends all outbound traffic (route '${route.name}', ${DEFAULT_ROUTE}) to ${hopText(route)}: forced tunnelling, so the gateway's calls to its dependencies go through it.`,
    `Make sure ${firewall} lets ${dependencyText(tags)}${fromText(subnet)} through, or the instance cannot reach its dependencies.`,
  );
}

function unreadTableFinding(subnet: SubnetFacts, routeTableId: string, tags: readonly string[]): Finding {
  const name = nameFromId(routeTableId);
  return finding(
    FindingCode.ROUTE_TABLE_NOT_READ,
    'warning',
    `route table '${name}' of ${describeSubnet(subnet)} could not be read, so whether it sends the gateway's traffic through a firewall (forced tunnelling) was not checked.`,
    `Grant the bot's identity Reader on route table '${name}' and check again; if its default route goes to a firewall, the firewall must let ${dependencyText(tags)} through.`,
  );
}

function natGatewayFinding(subnet: SubnetFacts, natGatewayId: string): Finding {
  return finding(
    FindingCode.NAT_GATEWAY_ATTACHED,
    'info',
    `${describeSubnet(subnet)} has NAT gateway '${nameFromId(natGatewayId)}' attached: calls to public backends leave from the NAT gateway's public addresses, which is what those backends must allow-list.`,
    null,
  );
}
