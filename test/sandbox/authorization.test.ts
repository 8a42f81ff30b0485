import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/index.js';
import { APIM_ONLY, BOT, GROUP_INNER, JOINER, NOBODY, READER, RG_APIM, ROLE, SUB_A, SUB_B, apim } from './fixtures.js';
import { arm, authorize, clientOptions, collect, errorCode, start, unusedCredential } from './helpers.js';

const names = (xs: { name?: string }[]): string[] => xs.map((x) => (x.name ?? '').slice(-2)).sort();

describe('role assignments, role definitions and permissions', () => {
  let sandbox: RunningSandbox;
  let auth: AuthorizationManagementClient;
  const as = (oid: string): AuthorizationManagementClient =>
    authorize(new AuthorizationManagementClient(unusedCredential, SUB_A, clientOptions(sandbox)), sandbox.url, oid);

  beforeAll(async () => {
    sandbox = await start({ pageSize: 2 });
    auth = as(BOT);
  });
  afterAll(() => sandbox.close());

  it('assignedTo() follows nested groups (and survives a membership cycle)', async () => {
    const atA = await collect(auth.roleAssignments.listForScope(`subscriptions/${SUB_A}`, { filter: `assignedTo('${BOT}')` }));
    expect(names(atA)).toEqual(['a1']);
    expect(atA[0]?.principalId).toBe('6a000000-0000-4000-8000-000000000002');
    const atB = await collect(auth.roleAssignments.listForScope(`subscriptions/${SUB_B}`, { filter: `assignedTo('${BOT}')` }));
    expect(names(atB)).toEqual(['a2']);
    const forGroup = await collect(auth.roleAssignments.listForScope(`subscriptions/${SUB_A}`, { filter: `assignedTo('${GROUP_INNER}')` }));
    expect(names(forGroup)).toEqual(['a1']);
  });

  it("principalId eq '…' returns direct assignments only", async () => {
    const direct = await collect(auth.roleAssignments.listForScope(`subscriptions/${SUB_A}`, { filter: `principalId eq '${BOT}'` }));
    expect(direct).toEqual([]);
    const reader = await collect(auth.roleAssignments.listForScope(`subscriptions/${SUB_A}`, { filter: `principalId eq '${READER}'` }));
    expect(names(reader)).toEqual(['a3']);
  });

  it('lists assignments at, above and below a scope; atScope() drops those below', async () => {
    const rgScope = RG_APIM.slice(1);
    const all = await collect(auth.roleAssignments.listForScope(rgScope));
    expect(names(all)).toEqual(['a1', 'a3', 'a4', 'a6']);
    const atScope = await collect(auth.roleAssignments.listForScope(rgScope, { filter: 'atScope()' }));
    expect(names(atScope)).toEqual(['a1', 'a3', 'a4']);
    const resource = await collect(auth.roleAssignments.listForScope(apim('apim-std2').slice(1), { filter: `assignedTo('${JOINER}')` }));
    expect(names(resource)).toEqual(['a6']);
  });

  it('tolerates a scope with its leading slash (double slash in the URL)', async () => {
    const all = await collect(auth.roleAssignments.listForScope(RG_APIM, { filter: 'atScope()' }));
    expect(names(all)).toEqual(['a1', 'a3', 'a4']);
  });

  it('returns assignments with the roleDefinitionId form the seed used', async () => {
    const all = await collect(auth.roleAssignments.listForScope(`subscriptions/${SUB_A}`, { filter: 'atScope()' }));
    const byName = new Map(all.map((a) => [a.name?.slice(-2), a.roleDefinitionId]));
    expect(byName.get('a1')).toBe(`/providers/Microsoft.Authorization/roleDefinitions/${ROLE.contributor}`);
    expect(byName.get('a3')).toBe(ROLE.reader);
    const one = await auth.roleAssignments.getById(all[0]?.id ?? '');
    expect(one.id).toBe(all[0]?.id);
  });

  it('rejects filters it does not understand', async () => {
    expect(await errorCode(collect(auth.roleAssignments.listForScope(`subscriptions/${SUB_A}`, { filter: "roleDefinitionId eq 'x'" })))).toEqual({
      statusCode: 400,
      code: 'UnsupportedQueryFilter',
    });
  });

  it('serves built-in role definitions at tenant and subscription level', async () => {
    const tenant = await auth.roleDefinitions.getById(`/providers/Microsoft.Authorization/roleDefinitions/${ROLE.contributor}`);
    expect(tenant.id).toBe(`/providers/Microsoft.Authorization/roleDefinitions/${ROLE.contributor}`);
    expect(tenant.roleName).toBe('Contributor');
    expect(tenant.roleType).toBe('BuiltInRole');
    expect(tenant.assignableScopes).toEqual(['/']);
    expect(tenant.permissions?.[0]?.notActions).toContain('Microsoft.Authorization/*/Write');
    const sub = await auth.roleDefinitions.get(`subscriptions/${SUB_B}`, ROLE.network);
    expect(sub.id).toBe(`/subscriptions/${SUB_B}/providers/Microsoft.Authorization/roleDefinitions/${ROLE.network}`);
    expect(sub.permissions?.[0]?.actions).toContain('Microsoft.Network/*');
    const byId = await auth.roleDefinitions.getById(`/subscriptions/${SUB_A}/providers/Microsoft.Authorization/roleDefinitions/${ROLE.apim}`);
    expect(byId.roleName).toBe('API Management Service Contributor');
  });

  it('lists role definitions with built-ins and custom roles, and filters by roleName', async () => {
    const all = await collect(auth.roleDefinitions.list(`subscriptions/${SUB_A}`));
    expect(all.map((r) => r.roleName)).toEqual(['Owner', 'Contributor', 'Reader', 'Network Contributor', 'API Management Service Contributor', 'Subnet Joiner', 'Subnet Writer', 'NSG Rule Writer']);
    const reader = await collect(auth.roleDefinitions.list(`subscriptions/${SUB_A}`, { filter: "roleName eq 'Reader'" }));
    expect(reader.map((r) => r.name)).toEqual([ROLE.reader]);
    expect(await errorCode(auth.roleDefinitions.get(`subscriptions/${SUB_A}`, '99999999-9999-4999-8999-999999999999'))).toEqual({
      statusCode: 404,
      code: 'RoleDefinitionDoesNotExist',
    });
  });

  it('computes the caller’s permissions for a resource group (three role id forms)', async () => {
    const bot = await collect(auth.permissions.listForResourceGroup('rg-apim'));
    expect(bot).toEqual([expect.objectContaining({ actions: ['*'], dataActions: [], notDataActions: [] })]);
    expect(bot[0]?.notActions).toContain('Microsoft.Authorization/*/Delete');
    const reader = await collect(as(READER).permissions.listForResourceGroup('rg-apim'));
    expect(reader).toEqual([{ actions: ['*/read'], notActions: [], dataActions: [], notDataActions: [] }]);
    const apimOnly = await collect(as(APIM_ONLY).permissions.listForResourceGroup('rg-apim'));
    expect(apimOnly[0]?.actions).toContain('Microsoft.ApiManagement/service/*');
    expect(await collect(as(APIM_ONLY).permissions.listForResourceGroup('rg-net'))).toEqual([]);
    expect(await collect(as(NOBODY).permissions.listForResourceGroup('rg-apim'))).toEqual([]);
  });

  it('computes permissions for a resource, with and without a parent path (double slash)', async () => {
    const joiner = as(JOINER);
    const onSubnet = await collect(joiner.permissions.listForResource('rg-net', 'Microsoft.Network', 'virtualNetworks/vnet-weu', 'subnets', 'snet-good2'));
    expect(onSubnet[0]?.actions).toContain('Microsoft.Network/virtualNetworks/subnets/join/action');
    const onVnet = await collect(joiner.permissions.listForResource('rg-net', 'Microsoft.Network', '', 'virtualNetworks', 'vnet-weu'));
    expect(onVnet).toEqual([]);
    const onApim = await collect(joiner.permissions.listForResource('rg-apim', 'Microsoft.ApiManagement', '', 'service', 'apim-std2'));
    expect(onApim[0]?.actions).toContain('Microsoft.ApiManagement/service/*');
    const raw = await arm(sandbox, 'GET', `/subscriptions/${SUB_A}/resourcegroups/rg-nope/providers/Microsoft.Authorization/permissions?api-version=2022-04-01`);
    expect(raw.status).toBe(404);
    expect(raw.body.error.code).toBe('ResourceGroupNotFound');
  });
});
