import { describe, expect, it } from 'vitest';
import {
  actionMatches,
  allowedActions,
  applicableGrants,
  hasAction,
  missingActions,
  SUBNET_JOIN_ACTIONS,
} from '../../src/eligibility/permissions.js';
import { access, grant, RG_APIM, RG_NET, SUB, subnetId, vnetId } from './facts-builder.js';

const SUBNET = subnetId('apim-out');
const JOIN = 'Microsoft.Network/virtualNetworks/subnets/join/action';
const WRITE = 'Microsoft.Network/virtualNetworks/subnets/write';
const VNET_READ = 'Microsoft.Network/virtualNetworks/read';

describe('actionMatches', () => {
  it.each([
    ['*', JOIN, true],
    ['Microsoft.Network/*', JOIN, true],
    ['microsoft.network/*', JOIN, true],
    ['Microsoft.Network/virtualNetworks/subnets/join/action', 'MICROSOFT.NETWORK/VIRTUALNETWORKS/SUBNETS/JOIN/ACTION', true],
    ['*/read', VNET_READ, true],
    ['*/read', JOIN, false],
    ['Microsoft.Network/virtualNetworks/*/read', 'Microsoft.Network/virtualNetworks/subnets/read', true],
    ['Microsoft.Network/virtualNetworks/*/read', VNET_READ, false],
    ['Microsoft.Network/virtualNetworks/subnets/*', JOIN, true],
    ['Microsoft.Network/virtualNetworks/subnets/*', VNET_READ, false],
    ['Microsoft.Compute/*', JOIN, false],
    ['Microsoft.Network/virtualNetworks/read', 'Microsoft.Network/virtualNetworks/readX', false],
    ['Microsoft.Network/virtualNetworks.read', VNET_READ, false],
    ['Microsoft.Web/register/action', 'Microsoft.Web/register/action', true],
  ])('%s covers %s: %s', (pattern, action, expected) => expect(actionMatches(pattern, action)).toBe(expected));

  it('treats regex characters in patterns literally', () => {
    expect(actionMatches('a.b/(x)+', 'a.b/(x)+')).toBe(true);
    expect(actionMatches('a.b/(x)+', 'aXb/(x)+')).toBe(false);
  });
});

describe('hasAction', () => {
  it('applies a grant on the resource itself', () => {
    expect(hasAction(access('p', grant(SUBNET, [JOIN])), JOIN, SUBNET)).toBe(true);
  });
  it.each([
    ['VNet', vnetId()],
    ['resource group', RG_NET],
    ['subscription', `/subscriptions/${SUB}`],
    ['subscription, other casing and trailing slash', `/SUBSCRIPTIONS/${SUB}/`],
    ['root', '/'],
    ['management group', '/providers/Microsoft.Management/managementGroups/contoso'],
  ])('applies a grant at a higher scope: %s', (_label, scope) => {
    expect(hasAction(access('p', grant(scope, ['Microsoft.Network/*'])), JOIN, SUBNET)).toBe(true);
  });
  it.each([
    ['sibling resource group', RG_APIM],
    ['sibling subnet', subnetId('other')],
    ['other VNet', vnetId('spoke-vnet')],
    ['resource group with a name prefix', `${RG_NET}2`],
    ['a child of the resource', `${SUBNET}/child/x`],
  ])('ignores a grant at a scope that is not an ancestor: %s', (_label, scope) => {
    expect(hasAction(access('p', grant(scope, ['*'])), JOIN, SUBNET)).toBe(false);
  });
  it('subtracts notActions of the same role', () => {
    const p = access('p', grant(RG_NET, ['Microsoft.Network/*'], ['Microsoft.Network/virtualNetworks/subnets/join/action']));
    expect(hasAction(p, JOIN, SUBNET)).toBe(false);
    expect(hasAction(p, WRITE, SUBNET)).toBe(true);
  });
  it('subtracts wildcard notActions', () => {
    const p = access('p', grant(RG_NET, ['*'], ['Microsoft.Network/*/write']));
    expect(hasAction(p, WRITE, SUBNET)).toBe(false);
    expect(hasAction(p, JOIN, SUBNET)).toBe(true);
  });
  it('lets another role grant back what one role excludes (notActions is not a deny)', () => {
    const p = access('p', grant(RG_NET, ['*'], [JOIN], 'Almost'), grant(vnetId(), [JOIN], [], 'Joiner'));
    expect(hasAction(p, JOIN, SUBNET)).toBe(true);
  });
  it('does not let notActions of one role subtract from another', () => {
    const p = access('p', grant(RG_NET, ['*/read'], ['*']), grant(RG_NET, [VNET_READ]));
    expect(hasAction(p, VNET_READ, SUBNET)).toBe(true);
  });
  it('is false without grants', () => expect(hasAction(access('p'), JOIN, SUBNET)).toBe(false));
});

describe('allowedActions / missingActions', () => {
  const reader = access('p', grant(RG_NET, ['*/read']));
  it('splits the actions, keeping order', () => {
    expect(allowedActions(reader, SUBNET_JOIN_ACTIONS, SUBNET)).toEqual([
      'Microsoft.Network/virtualNetworks/read',
      'Microsoft.Network/virtualNetworks/subnets/read',
    ]);
    expect(missingActions(reader, SUBNET_JOIN_ACTIONS, SUBNET)).toEqual([JOIN]);
  });
  it('unions across grants', () => {
    const p = access('p', grant(RG_NET, ['*/read']), grant(SUBNET, [JOIN]));
    expect(missingActions(p, SUBNET_JOIN_ACTIONS, SUBNET)).toEqual([]);
  });
  it('applicableGrants filters by scope', () => {
    const p = access('p', grant(RG_NET, ['*']), grant(RG_APIM, ['*']));
    expect(applicableGrants(p, SUBNET).map((g) => g.scope)).toEqual([RG_NET]);
  });
});
