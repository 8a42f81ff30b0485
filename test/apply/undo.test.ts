import { describe, expect, it } from 'vitest';
import type { PlannedFix } from '../../src/eligibility/report.js';
import { dependencyAllowRule } from '../../src/eligibility/dependency-allow-rules.js';
import { leftBehind } from '../../src/apply/leftovers.js';
import type { ApplyProgress, ApplyStep, IntegrationRequest } from '../../src/requests/request.js';
import { undoPlanFor, undoSteps } from '../../src/apply/undo.js';
import { request } from '../requests/fixtures.js';

const NET = '/subscriptions/s/resourceGroups/rg-net/providers/Microsoft.Network';
const SUBNET = `${NET}/virtualNetworks/hub/subnets/apim`;
const OTHER_SUBNET = `${NET}/virtualNetworks/hub/subnets/other`;
const NEW_NSG = `${NET}/networkSecurityGroups/nsg-apim-contoso-apim-outbound`;
const OPEN_NSG = `${NET}/networkSecurityGroups/nsg-open`;
const RULE = dependencyAllowRule('AzureKeyVault', { priority: 110 });
const STORAGE = dependencyAllowRule('Storage', { priority: 111 });

const createNsg: PlannedFix = { kind: 'createNsg', nsgId: NEW_NSG, name: 'nsg-apim-contoso-apim-outbound', location: 'westeurope', rules: [dependencyAllowRule('AzureKeyVault')] };
const attachNsg: PlannedFix = { kind: 'attachNsg', subnetId: SUBNET, nsgId: NEW_NSG };
const addRules: PlannedFix = { kind: 'addDependencyRules', nsgId: OPEN_NSG, rules: [RULE, STORAGE] };
const addDelegation: PlannedFix = { kind: 'addDelegation', subnetId: SUBNET, serviceName: 'Microsoft.Web/serverFarms' };

/**
 * A request that ran `plan`; `changed` lists the steps that changed something in Azure (a rule of addDependencyRules by
 * `addDependencyRules:<rule name>`, each rule being a step of its own).
 */
function applied(plan: PlannedFix[], changed: string[], overrides: Partial<IntegrationRequest> = {}): IntegrationRequest {
  const steps = [...plan, null].flatMap((f): { step: ApplyStep; item?: string }[] =>
    f === null ? [{ step: 'updateInstance' }] : f.kind === 'addDependencyRules' ? f.rules.map((r) => ({ step: f.kind, item: r.name })) : [{ step: f.kind }],
  );
  const apply: ApplyProgress = {
    step: 'done',
    done: steps.map(({ step, item }) => ({ step, ...(item ? { item } : {}), at: 'x', note: 'ok', changed: changed.includes(item ? `${step}:${item}` : step) })),
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
      dependencyRuleIds: [],
    });
  });

  it('the dependency rules the bot added to an existing NSG, by their ids: only those it added', () => {
    const both = applied([addRules], ['addDependencyRules:AllowApimAzureKeyVaultOutbound', 'addDependencyRules:AllowApimStorageOutbound', 'updateInstance']);
    expect(undoPlanFor([both], SUBNET)).toMatchObject({
      dependencyRuleIds: [`${OPEN_NSG}/securityRules/AllowApimAzureKeyVaultOutbound`, `${OPEN_NSG}/securityRules/AllowApimStorageOutbound`],
      nsgId: null,
      nsgAttachment: null,
    });
    const one = applied([addRules], ['addDependencyRules:AllowApimStorageOutbound', 'updateInstance']);
    expect(undoPlanFor([one], SUBNET)?.dependencyRuleIds).toEqual([`${OPEN_NSG}/securityRules/AllowApimStorageOutbound`]);
    expect(undoSteps(undoPlanFor([both], SUBNET)!).map((s) => [s.step, s.item])).toEqual([
      ['removeDependencyRule', `${OPEN_NSG}/securityRules/AllowApimAzureKeyVaultOutbound`],
      ['removeDependencyRule', `${OPEN_NSG}/securityRules/AllowApimStorageOutbound`],
    ]);
  });

  it('nothing the bot found already done (changed: false)', () => {
    expect(undoPlanFor([applied([attachNsg, addRules], ['updateInstance'])], SUBNET)).toBeNull();
  });

  it('nothing for another subnet than the one the instance is on, nor without a current subnet', () => {
    const r = applied([createNsg, attachNsg], ['createNsg', 'attachNsg', 'updateInstance']);
    expect(undoPlanFor([r], OTHER_SUBNET)).toBeNull();
    expect(undoPlanFor([r], null)).toBeNull();
  });

  it('only succeeded requests count, and the latest one that put the instance there', () => {
    const failed = applied([addRules], ['addDependencyRules:AllowApimAzureKeyVaultOutbound'], { state: 'failed' });
    expect(undoPlanFor([failed], SUBNET)).toBeNull();
    const older = applied([createNsg, attachNsg], ['createNsg', 'attachNsg', 'updateInstance'], { id: 'R-OLDER', createdAt: '2024-01-01T00:00:00.000Z' });
    const newer = applied([addRules], ['addDependencyRules:AllowApimAzureKeyVaultOutbound', 'updateInstance'], { id: 'R-NEWER', createdAt: '2024-06-01T00:00:00.000Z' });
    expect(undoPlanFor([older, newer], SUBNET)?.fromRequestId).toBe('R-NEWER');
  });

  it('compares subnet ids the way ARM does (case)', () => {
    const r = applied([attachNsg], ['attachNsg', 'updateInstance']);
    expect(undoPlanFor([r], SUBNET.toUpperCase())?.nsgAttachment).toEqual({ subnetId: SUBNET, nsgId: NEW_NSG });
  });
});

describe('what a failed apply leaves behind, for the NSG fixes', () => {
  it('names the association, the rule and the created NSG, each with the command that undoes it', () => {
    const r = applied([createNsg, attachNsg, addRules], ['createNsg', 'attachNsg', 'addDependencyRules:AllowApimAzureKeyVaultOutbound']);
    expect(leftBehind(r)).toEqual([
      expect.stringMatching(
        /^Subnet hub\/apim keeps network security group nsg-apim-contoso-apim-outbound .* az network vnet subnet update --subscription s -g rg-net --vnet-name hub -n apim --remove networkSecurityGroup$/,
      ),
      expect.stringMatching(/^Network security group nsg-open keeps rule AllowApimAzureKeyVaultOutbound .* az network nsg rule delete --subscription s -g rg-net --nsg-name nsg-open -n AllowApimAzureKeyVaultOutbound$/),
      expect.stringMatching(/^Network security group nsg-apim-contoso-apim-outbound stays \(created by this request\)\. .* az network nsg delete --subscription s -g rg-net -n nsg-apim-contoso-apim-outbound$/),
    ]);
  });
});
