/** Resource Graph rows shaped like the SDK's model, so that instanceFacts maps a row and a GET alike. */
import { describe, expect, it } from 'vitest';
import { apimResourceOfRow, rowsOfPage } from '../../src/azure/graph-rows.js';
import { instanceFacts } from '../../src/azure/to-facts.js';

const ID = '/subscriptions/5b6f0c55-0000-4000-8000-000000000001/resourceGroups/rg-apim/providers/Microsoft.ApiManagement/service/contoso-apim';
const SUBNET = '/subscriptions/5b6f0c55-0000-4000-8000-000000000001/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/v/subnets/s';

describe('apimResourceOfRow', () => {
  it('maps a full row to the same facts a GET gives', () => {
    const row = {
      id: ID,
      name: 'contoso-apim',
      type: 'microsoft.apimanagement/service',
      location: 'westeurope',
      resourceGroup: 'rg-apim',
      subscriptionId: '5b6f0c55-0000-4000-8000-000000000001',
      sku: { name: 'StandardV2', capacity: 1 },
      properties: { provisioningState: 'Updating', virtualNetworkType: 'External', virtualNetworkConfiguration: { subnetResourceId: SUBNET } },
      tags: { team: 'payments', bad: 7 },
    };
    expect(instanceFacts(apimResourceOfRow(row)!)).toEqual({
      id: ID,
      name: 'contoso-apim',
      subscriptionId: '5b6f0c55-0000-4000-8000-000000000001',
      resourceGroup: 'rg-apim',
      location: 'westeurope',
      skuName: 'StandardV2',
      virtualNetworkType: 'External',
      subnetResourceId: SUBNET,
      provisioningState: 'Updating',
      tags: { team: 'payments' },
    });
  });

  it('a sparse row gets the defaults instanceFacts gives a sparse resource', () => {
    expect(instanceFacts(apimResourceOfRow({ id: ID })!)).toEqual({
      id: ID,
      name: 'contoso-apim',
      subscriptionId: '5b6f0c55-0000-4000-8000-000000000001',
      resourceGroup: 'rg-apim',
      location: '',
      skuName: '',
      virtualNetworkType: 'None',
      subnetResourceId: null,
      provisioningState: 'Succeeded',
    });
  });

  it.each([null, 'x', 3, [], {}, { id: 7 }, { id: '' }])('ignores a row that is not a resource (%j)', (row) => {
    expect(apimResourceOfRow(row)).toBeNull();
  });
});

describe('rowsOfPage', () => {
  it('reads the array Resource Graph sends and the keyed object the SDK makes of it, in order', () => {
    expect(rowsOfPage([1, 2])).toEqual([1, 2]);
    expect(rowsOfPage({ 10: 'k', 2: 'c', 0: 'a', 1: 'b' })).toEqual(['a', 'b', 'c', 'k']);
    expect(rowsOfPage({})).toEqual([]);
  });

  it.each([null, undefined, 'rows', 5, { columns: [], rows: [] }, { '01': 'x' }, { '-1': 'x' }])('refuses anything else (%j)', (data) => {
    expect(rowsOfPage(data)).toBeNull();
  });
});
