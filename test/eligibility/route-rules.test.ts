import { describe, expect, it } from 'vitest';
import { FindingCode } from '../../src/eligibility/codes.js';
import { evaluateEligibility } from '../../src/eligibility/evaluate.js';
import { DEFAULT_DEPENDENCIES, DEFAULT_SETTINGS, type RouteTableFacts, type SubnetFacts } from '../../src/eligibility/facts.js';
import { resourceIdKey } from '../../src/eligibility/resource-id.js';
import { routeFindings, tunnellingRoute } from '../../src/eligibility/route-rules.js';
import { facts, findingOf, natGatewayId, route, routeTable, routeTableId, subnet, subnetReport, summary } from './facts-builder.js';

function tables(...list: RouteTableFacts[]): Map<string, RouteTableFacts> {
  return new Map(list.map((t) => [resourceIdKey(t.id), t]));
}

/** With the default required dependencies (AzureKeyVault). */
const judged = (s: SubnetFacts, t: ReadonlyMap<string, RouteTableFacts>) => routeFindings(s, t, DEFAULT_DEPENDENCIES.required);

const onTable = (overrides: Partial<SubnetFacts> = {}) => subnet('apim-out', { routeTableId: routeTableId(), ...overrides });

describe('routeFindings', () => {
  it('a subnet without route table or NAT gateway gets nothing, and the same shared empty list every time', () => {
    const first = judged(subnet('a'), tables(routeTable()));
    expect(first).toEqual([]);
    expect(judged(subnet('b'), tables())).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('0.0.0.0/0 to a virtual appliance warns, naming the table, the route, the appliance and the dependency tag', () => {
    const [f, ...rest] = judged(onTable(), tables(routeTable()));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ code: FindingCode.ROUTE_FORCED_TUNNELING, severity: 'warning' });
    expect(f?.message).toContain("Route table 'rt-hub'");
    expect(f?.message).toContain("subnet 'apim-out' in VNet 'hub-vnet'");
    expect(f?.message).toContain("route 'default', 0.0.0.0/0");
    expect(f?.message).toContain('the virtual appliance at 10.0.0.4');
    expect(f?.message).toMatch(/forced tunnelling/);
    expect(f?.fix).toBe('Make sure the firewall lets outbound TCP 443 to the AzureKeyVault service tag from 10.0.1.0/24 through, or the instance cannot reach its dependencies.');
  });

  it('0.0.0.0/0 to the VNet gateway warns about the on-premises firewall, without an IP', () => {
    const table = routeTable([route({ name: 'to-onprem', nextHopType: 'VirtualNetworkGateway', nextHopIpAddress: null })]);
    const f = findingOf(judged(onTable(), tables(table)), FindingCode.ROUTE_FORCED_TUNNELING);
    expect(f.message).toContain("route 'to-onprem', 0.0.0.0/0");
    expect(f.message).toContain('the virtual network gateway (to the on-premises network)');
    expect(f.fix).toMatch(/^Make sure the on-premises firewall lets outbound TCP 443 to the AzureKeyVault service tag/);
  });

  it('an appliance route without an IP still warns', () => {
    const table = routeTable([route({ nextHopIpAddress: null })]);
    expect(findingOf(judged(onTable(), tables(table)), FindingCode.ROUTE_FORCED_TUNNELING).message).toContain('to a virtual appliance:');
    const blank = routeTable([route({ nextHopIpAddress: '  ' })]);
    expect(findingOf(judged(onTable(), tables(blank)), FindingCode.ROUTE_FORCED_TUNNELING).message).toContain('to a virtual appliance:');
  });

  it.each(['VirtualAppliance', 'virtualappliance', ' VIRTUALAPPLIANCE ', 'VirtualNetworkGateway', 'virtualNetworkGateway'])('next hop %j tunnels', (nextHopType) => {
    expect(summary(judged(onTable(), tables(routeTable([route({ nextHopType })]))))).toEqual(['ROUTE_FORCED_TUNNELING:warning']);
  });

  it.each(['Internet', 'VnetLocal', 'None', ''])('next hop %j does not tunnel', (nextHopType) => {
    expect(judged(onTable(), tables(routeTable([route({ nextHopType, nextHopIpAddress: null })])))).toEqual([]);
  });

  it.each(['0.0.0.0/1', '128.0.0.0/1', '10.0.0.0/8', 'AzureKeyVault', '::/0', '0.0.0.0/00'])('only exactly 0.0.0.0/0 counts, not %j', (addressPrefix) => {
    expect(judged(onTable(), tables(routeTable([route({ addressPrefix })])))).toEqual([]);
  });

  it('tolerates spaces around the default route', () => {
    expect(summary(judged(onTable(), tables(routeTable([route({ addressPrefix: ' 0.0.0.0/0 ' })]))))).toEqual(['ROUTE_FORCED_TUNNELING:warning']);
  });

  it('finds the default route among others', () => {
    const table = routeTable([
      route({ name: 'spoke', addressPrefix: '10.20.0.0/16', nextHopType: 'VirtualAppliance' }),
      route({ name: 'internet', addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.0.68' }),
    ]);
    expect(tunnellingRoute(table)?.name).toBe('internet');
    expect(findingOf(judged(onTable(), tables(table)), FindingCode.ROUTE_FORCED_TUNNELING).message).toContain('10.0.0.68');
  });

  it('a table without routes, or with a default route to the internet, is fine', () => {
    expect(judged(onTable(), tables(routeTable([])))).toEqual([]);
    expect(tunnellingRoute(routeTable([route({ nextHopType: 'Internet', nextHopIpAddress: null })]))).toBeNull();
  });

  it('finds the table whatever the casing of the reference', () => {
    const s = onTable({ routeTableId: routeTableId().toUpperCase() });
    expect(summary(judged(s, tables(routeTable())))).toEqual(['ROUTE_FORCED_TUNNELING:warning']);
  });

  it('a table that could not be read is a warning that it was not checked', () => {
    const [f, ...rest] = judged(onTable({ routeTableId: routeTableId('rt-secret') }), tables(routeTable()));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ code: FindingCode.ROUTE_TABLE_NOT_READ, severity: 'warning' });
    expect(f?.message).toContain("Route table 'rt-secret' of subnet 'apim-out' in VNet 'hub-vnet'");
    expect(f?.message).toMatch(/could not be read/);
    expect(f?.message).toMatch(/not checked/);
    expect(f?.fix).toContain('Reader');
    expect(f?.fix).toContain('AzureKeyVault');
  });

  it('names the dependency tags it is given', () => {
    const two = routeFindings(onTable(), tables(routeTable()), ['AzureKeyVault', 'Storage']);
    expect(findingOf(two, FindingCode.ROUTE_FORCED_TUNNELING).fix).toContain('to the AzureKeyVault and Storage service tags');
    const none = routeFindings(onTable(), tables(routeTable()), []);
    expect(findingOf(none, FindingCode.ROUTE_FORCED_TUNNELING).fix).toContain("lets the gateway's outbound TCP 443 to its dependencies");
    const unread = routeFindings(onTable(), tables(), ['Storage']);
    expect(findingOf(unread, FindingCode.ROUTE_TABLE_NOT_READ).fix).toContain('the Storage service tag');
  });

  it('says no range when the subnet has no prefix', () => {
    const f = findingOf(judged(onTable({ addressPrefixes: [] }), tables(routeTable())), FindingCode.ROUTE_FORCED_TUNNELING);
    expect(f.fix).toContain('AzureKeyVault service tag through');
  });

  it('a NAT gateway is information: public backends see its address', () => {
    const [f, ...rest] = judged(subnet('apim-out', { natGatewayId: natGatewayId() }), tables());
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ code: FindingCode.NAT_GATEWAY_ATTACHED, severity: 'info', fix: null });
    expect(f?.message).toContain("NAT gateway 'nat-hub'");
    expect(f?.message).toMatch(/public backends leave from the NAT gateway's public addresses/);
  });

  it('a forced tunnel and a NAT gateway together give both findings', () => {
    const s = onTable({ natGatewayId: natGatewayId() });
    expect(summary(judged(s, tables(routeTable())))).toEqual(['ROUTE_FORCED_TUNNELING:warning', 'NAT_GATEWAY_ATTACHED:info']);
  });
});

describe('routes in a whole check', () => {
  it('warn without changing the verdict, after the subnet\'s own findings', () => {
    const report = evaluateEligibility(
      facts({
        subnets: [onTable({ natGatewayId: natGatewayId(), addressPrefixes: ['10.0.1.0/26'] }), subnet('plain')],
        routeTables: [routeTable()],
      }),
    );
    const tunnelled = subnetReport(report, 'apim-out');
    expect(tunnelled.verdict).toBe('eligible');
    expect(summary(tunnelled.findings)).toEqual(['SUBNET_BELOW_RECOMMENDED:warning', 'ROUTE_FORCED_TUNNELING:warning', 'NAT_GATEWAY_ATTACHED:info']);
    expect(subnetReport(report, 'plain').findings).toEqual([]);
  });

  it('an unreadable table is a warning on an otherwise eligible subnet', () => {
    const s = subnetReport(evaluateEligibility(facts({ subnets: [onTable()] })));
    expect(s.verdict).toBe('eligible');
    expect(summary(s.findings)).toEqual(['ROUTE_TABLE_NOT_READ:warning']);
  });

  it('names the required dependencies of the settings, not a list of its own', () => {
    const settings = { ...DEFAULT_SETTINGS, dependencies: { required: ['AzureMonitor'], optional: ['Storage'] } };
    const s = subnetReport(evaluateEligibility(facts({ subnets: [onTable()], routeTables: [routeTable()] }), settings));
    const fix = findingOf(s.findings, FindingCode.ROUTE_FORCED_TUNNELING).fix;
    expect(fix).toContain('TCP 443 to the AzureMonitor service tag');
    expect(fix).not.toContain('AzureKeyVault');
  });
});
