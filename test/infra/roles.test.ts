/**
 * The roles infra/azure.json gives the bot are what its own permission checks require, computed from the code:
 * the custom roles hold exactly BOT_REQUIRED_ACTIONS (src/eligibility/permissions.ts), the built-in ones hold the
 * rest, each on the scopes its parameter names. Then, judged by the bot's own checks (the eligibility rules, and the
 * undo a disconnect plans for what the bot made): with those grants the bot does what an Owner's identity would, and
 * without any one custom action it does less (nothing is granted for nothing).
 */
import { describe, expect, it } from 'vitest';
import { undoPlanFor } from '../../src/apply/undo.js';
import { evaluateEligibility } from '../../src/eligibility/evaluate.js';
import { DEFAULT_SETTINGS, type PrincipalAccess, type RoleGrant } from '../../src/eligibility/facts.js';
import { BOT_REQUIRED_ACTIONS, grantAllows } from '../../src/eligibility/permissions.js';
import { BUILT_IN_ROLE_IDS, BUILT_IN_ROLES } from '../../src/sandbox/builtin-roles.js';
import { access, allAccess, defaultRules, facts, grant, nsg, RG_APIM, RG_NET, SUB, subnet } from '../eligibility/facts-builder.js';
import { request } from '../requests/fixtures.js';
import { nestedByName, template, type Resource } from './template.js';

const t = template();

/** The custom role a nested deployment defines: its actions and notActions. */
function customRole(name: string): { actions: string[]; notActions: string[]; assignableScopes: unknown } {
  const definition = nestedByName(t, name).properties!.template!.resources.find((r) => r.type === 'Microsoft.Authorization/roleDefinitions')!;
  const props = definition.properties as { type: string; permissions: { actions: string[]; notActions: string[] }[]; assignableScopes: unknown };
  expect(props.type).toBe('CustomRole');
  expect(props.permissions).toHaveLength(1);
  return { ...props.permissions[0]!, assignableScopes: nestedByName(t, name).properties!.parameters!.assignableScopes!.value };
}

/** A loop of role assignments: what it loops over, the role it assigns, at which scope, under which condition. */
function assignments(name: string): { over: string; role: unknown; scope: 'subscription' | 'resourceGroup'; condition?: string } {
  const loop = t.resources.find((r: Resource) => r.type === 'Microsoft.Resources/deployments' && r.copy?.name === name)!;
  expect(loop, name).toBeDefined();
  const inner = loop.properties!.template!;
  expect(inner.resources.map((r) => r.type)).toEqual(['Microsoft.Authorization/roleAssignments']);
  expect((inner.resources[0]!.properties as { principalType: string }).principalType).toBe('ServicePrincipal');
  return {
    over: loop.copy!.count,
    role: loop.properties!.parameters!.roleDefinitionGuid!.value,
    scope: loop.resourceGroup ? 'resourceGroup' : 'subscription',
    ...(loop.condition ? { condition: loop.condition } : {}),
  };
}

const builtIn = (guid: string) => BUILT_IN_ROLES.find((r) => r.guid === guid)!;

describe('the roles of infra/azure.json', () => {
  it('the custom network role holds exactly the network actions the bot checks, nothing more, assignable on the network resource groups', () => {
    const role = customRole('network-role');
    expect([...role.actions].sort()).toEqual([...BOT_REQUIRED_ACTIONS.network].sort());
    expect(role.notActions).toEqual([]);
    expect(role.assignableScopes).toBe("[parameters('networkResourceGroupIds')]");
    expect(assignments('networkAssignments')).toEqual({ over: "[length(parameters('networkResourceGroupIds'))]", role: "[variables('networkRoleGuid')]", scope: 'resourceGroup' });
  });

  it('the optional registration role holds exactly Microsoft.Web/register/action, on the searched subscriptions', () => {
    const role = customRole('register-role');
    expect(role.actions).toEqual([...BOT_REQUIRED_ACTIONS.subscription]);
    expect(nestedByName(t, 'register-role').condition).toBe("[parameters('allowProviderRegistration')]");
    expect(assignments('registerAssignments')).toEqual({
      over: "[length(parameters('searchSubscriptionIds'))]",
      role: "[variables('registerRoleGuid')]",
      scope: 'subscription',
      condition: "[parameters('allowProviderRegistration')]",
    });
  });

  it('Reader on each searched subscription, API Management Service Contributor on each instance resource group, by their built-in ids', () => {
    expect(t.variables!.readerRoleGuid).toBe(BUILT_IN_ROLE_IDS.reader);
    expect(t.variables!.apimContributorRoleGuid).toBe(BUILT_IN_ROLE_IDS.apimContributor);
    expect(assignments('readerAssignments')).toEqual({ over: "[length(parameters('searchSubscriptionIds'))]", role: "[variables('readerRoleGuid')]", scope: 'subscription' });
    expect(assignments('apimAssignments')).toEqual({ over: "[length(parameters('apimResourceGroupIds'))]", role: "[variables('apimContributorRoleGuid')]", scope: 'resourceGroup' });
    const apim = builtIn(BUILT_IN_ROLE_IDS.apimContributor).permissions[0]!;
    for (const action of BOT_REQUIRED_ACTIONS.instance) expect(grantAllows({ scope: RG_APIM, roleName: 'APIM', actions: apim.actions, notActions: apim.notActions }, action), action).toBe(true);
  });
});

describe('judged by the bot own rules', () => {
  /** The bot's grants as the template makes them, for one subscription, one APIM and one network resource group. */
  function deployedBot(without: string[] = [], reader = true): PrincipalAccess {
    const drop = (actions: readonly string[]) => actions.filter((a) => !without.includes(a));
    const role = (guid: string, scope: string): RoleGrant => {
      const d = builtIn(guid);
      return grant(scope, d.permissions[0]!.actions, d.permissions[0]!.notActions, d.roleName);
    };
    return access(
      'bot',
      ...(reader ? [role(BUILT_IN_ROLE_IDS.reader, `/subscriptions/${SUB}`)] : []),
      role(BUILT_IN_ROLE_IDS.apimContributor, RG_APIM),
      grant(RG_NET, drop(customRole('network-role').actions), [], 'apim-vnet-bot network'),
      grant(`/subscriptions/${SUB}`, drop(customRole('register-role').actions), [], 'apim-vnet-bot registration'),
    );
  }

  /** An estate where every fix the bot makes is wanted: Microsoft.Web unregistered, a bare subnet, an NSG with only ARM's default rules. */
  const estate = (bot: PrincipalAccess) =>
    facts({
      webProviderState: 'NotRegistered',
      subnets: [subnet('bare', { delegations: [], networkSecurityGroupId: null }), subnet('default-rules', { addressPrefixes: ['10.0.2.0/24'] })],
      nsgs: [{ ...nsg([]), rules: defaultRules() }],
      bot,
    });
  /**
   * Requests after which a disconnect has everything to undo: a new subnet with its NSG; on an existing subnet a
   * delegation, a created NSG and its association; dependency rules added to an existing NSG.
   */
  const net = `${RG_NET}/providers/Microsoft.Network`;
  const made = (id: string, subnetId: string, done: [string, string?][], apply: object) =>
    request({
      id,
      state: 'succeeded',
      subnetId,
      ...apply,
      apply: {
        step: 'done',
        done: done.map(([step, item]) => ({ step: step as never, ...(item ? { item } : {}), at: 'x', note: 'ok', changed: true })),
        pollerState: null,
        pollerStep: null,
        failure: null,
        ...(apply as { apply?: object }).apply,
      },
    });
  const undoable = [
    made('R-NEW', `${net}/virtualNetworks/vnet/subnets/new`, [['createNsg'], ['createSubnet'], ['updateInstance']], {
      kind: 'newSubnet',
      apply: { plan: [], created: [{ type: 'networkSecurityGroup', id: `${net}/networkSecurityGroups/nsg-new`, at: 'x' }, { type: 'subnet', id: `${net}/virtualNetworks/vnet/subnets/new`, at: 'x' }] },
    }),
    made('R-FIX', `${net}/virtualNetworks/vnet/subnets/bare`, [['createNsg'], ['attachNsg'], ['addDelegation'], ['addDependencyRules', 'AllowApimAzureKeyVaultOutbound'], ['updateInstance']], {
      apply: {
        plan: [
          { kind: 'createNsg', nsgId: `${net}/networkSecurityGroups/nsg-bare`, name: 'nsg-bare', location: 'westeurope', rules: [] },
          { kind: 'attachNsg', subnetId: `${net}/virtualNetworks/vnet/subnets/bare`, nsgId: `${net}/networkSecurityGroups/nsg-bare` },
          { kind: 'addDelegation', subnetId: `${net}/virtualNetworks/vnet/subnets/bare`, serviceName: 'Microsoft.Web/serverFarms' },
          { kind: 'addDependencyRules', nsgId: `${net}/networkSecurityGroups/nsg-open`, rules: [{ name: 'AllowApimAzureKeyVaultOutbound' }] },
        ],
        created: [{ type: 'networkSecurityGroup', id: `${net}/networkSecurityGroups/nsg-bare`, at: 'x' }],
      },
    }),
  ];
  /** What the bot's checks conclude: the eligibility report, and what a disconnect of each request above would remove. */
  const report = (bot: PrincipalAccess) =>
    JSON.stringify({
      eligibility: evaluateEligibility(estate(bot), DEFAULT_SETTINGS),
      undo: undoable.map((r) => undoPlanFor([r], r.subnetId, bot)),
    });

  it('with the deployed roles the bot may do everything an Owner may: the same report, every fix offered, everything it made undone', () => {
    const owner = report(allAccess('bot'));
    expect(owner).toMatch(/"fixable"/);
    expect(owner).not.toMatch(/"kept"/);
    expect(report(deployedBot())).toBe(owner);
  });

  it('without any one action of the custom roles the report is worse: each action is needed by some check', () => {
    // Without Reader: the network role carries its own reads, so that it is enough where Reader is scoped elsewhere.
    const full = report(deployedBot([], false));
    expect(full).toBe(report(allAccess('bot')));
    for (const action of [...BOT_REQUIRED_ACTIONS.network, ...BOT_REQUIRED_ACTIONS.subscription]) {
      expect(report(deployedBot([action], false)), `${action} changes nothing: the role grants it for no check`).not.toBe(full);
    }
  });
});
