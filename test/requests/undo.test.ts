import { describe, expect, it } from 'vitest';
import type { PlannedFix } from '../../src/eligibility/report.js';
import { storageAllowRule } from '../../src/proposal/storage-rule.js';
import { leftBehind } from '../../src/requests/leftovers.js';
import type { ApplyProgress, ApplyStep, IntegrationRequest } from '../../src/requests/request.js';
import { undoPlanFor } from '../../src/requests/undo.js';
import { request } from './fixtures.js';

const NET = '/subscriptions/s/resourceGroups/rg-net/providers/Microsoft.Network';
const SUBNET = `${NET}/virtualNetworks/hub/subnets/apim`;
const OTHER_SUBNET = `${NET}/virtualNetworks/hub/subnets/other`;
const NEW_NSG = `${NET}/networkSecurityGroups/nsg-apim-contoso-apim-outbound`;
const OPEN_NSG = `${NET}/networkSecurityGroups/nsg-open`;
const RULE = storageAllowRule({ priority: 110 });

const createNsg: PlannedFix = { kind: 'createNsg', nsgId: NEW_NSG, name: 'nsg-apim-contoso-apim-outbound', location: 'westeurope', rules: [storageAllowRule()] };
const attachNsg: PlannedFix = { kind: 'attachNsg', subnetId: SUBNET, nsgId: NEW_NSG };
const addStorageRule: PlannedFix = { kind: 'addStorageRule', nsgId: OPEN_NSG, rule: RULE };
const addDelegation: PlannedFix = { kind: 'addDelegation', subnetId: SUBNET, serviceName: 'Microsoft.Web/serverFarms' };

/** A request that ran `plan`; `changed` lists the steps that changed something in Azure. */
function applied(plan: PlannedFix[], changed: ApplyStep[], overrides: Partial<IntegrationRequest> = {}): IntegrationRequest {
  const apply: ApplyProgress = {
    step: 'done',
    done: [...plan.map((f) => f.kind), 'updateInstance' as const].map((step) => ({ step, at: 'x', note: 'ok', changed: changed.includes(step) })),
    pollerState: null,
    pollerStep: null,
    failure: null,
    plan,
    created: changed.includes('createNsg') ? [{ type: 'networkSecurityGroup', id: NEW_NSG, at: 'x' }] : [],
  };
  return request({ id: 'R-FIXED', state: 'succeeded', subnetId: SUBNET, fixes: plan, apply, ...overrides });
}

describe('what a disconnect can undo', () => {
  it('an NSG the bot created and associated with an existing subnet: the association, then the NSG', () => {
    const r = applied([createNsg, attachNsg, addDelegation], ['createNsg', 'attachNsg', 'addDelegation', 'updateInstance']);
    expect(undoPlanFor([r], SUBNET)).toEqual({
      fromRequestId: 'R-FIXED',
      subnetId: null,
      nsgId: NEW_NSG,
      delegatedSubnetId: SUBNET,
      nsgAttachment: { subnetId: SUBNET, nsgId: NEW_NSG },
      storageRuleId: null,
    });
  });

  it('the Storage rule the bot added to an existing NSG, by its id', () => {
    const r = applied([addStorageRule], ['addStorageRule', 'updateInstance']);
    expect(undoPlanFor([r], SUBNET)).toMatchObject({ storageRuleId: `${OPEN_NSG}/securityRules/AllowApimStorageOutbound`, nsgId: null, nsgAttachment: null });
  });

  it('nothing the bot found already done (changed: false)', () => {
    expect(undoPlanFor([applied([attachNsg, addStorageRule], ['updateInstance'])], SUBNET)).toBeNull();
  });

  it('nothing for another subnet than the one the instance is on, nor without a current subnet', () => {
    const r = applied([createNsg, attachNsg], ['createNsg', 'attachNsg', 'updateInstance']);
    expect(undoPlanFor([r], OTHER_SUBNET)).toBeNull();
    expect(undoPlanFor([r], null)).toBeNull();
  });

  it('only succeeded requests count, and the latest one that put the instance there', () => {
    const failed = applied([addStorageRule], ['addStorageRule'], { state: 'failed' });
    expect(undoPlanFor([failed], SUBNET)).toBeNull();
    const older = applied([createNsg, attachNsg], ['createNsg', 'attachNsg', 'updateInstance'], { id: 'R-OLDER', createdAt: '2024-01-01T00:00:00.000Z' });
    const newer = applied([addStorageRule], ['addStorageRule', 'updateInstance'], { id: 'R-NEWER', createdAt: '2024-06-01T00:00:00.000Z' });
    expect(undoPlanFor([older, newer], SUBNET)?.fromRequestId).toBe('R-NEWER');
  });

  it('compares subnet ids the way ARM does (case)', () => {
    const r = applied([attachNsg], ['attachNsg', 'updateInstance']);
    expect(undoPlanFor([r], SUBNET.toUpperCase())?.nsgAttachment).toEqual({ subnetId: SUBNET, nsgId: NEW_NSG });
  });
});

describe('what a failed apply leaves behind, for the NSG fixes', () => {
  it('names the association, the rule and the created NSG, each with the command that undoes it', () => {
    const r = applied([createNsg, attachNsg, addStorageRule], ['createNsg', 'attachNsg', 'addStorageRule']);
    expect(leftBehind(r)).toEqual([
      expect.stringMatching(
        /^Subnet hub\/apim keeps network security group nsg-apim-contoso-apim-outbound .* az network vnet subnet update --subscription s -g rg-net --vnet-name hub -n apim --remove networkSecurityGroup$/,
      ),
      expect.stringMatching(/^Network security group nsg-open keeps rule AllowApimStorageOutbound .* az network nsg rule delete --subscription s -g rg-net --nsg-name nsg-open -n AllowApimStorageOutbound$/),
      expect.stringMatching(/^Network security group nsg-apim-contoso-apim-outbound stays \(created by this request\)\. .* az network nsg delete --subscription s -g rg-net -n nsg-apim-contoso-apim-outbound$/),
    ]);
  });
});
