import { describe, expect, it } from 'vitest';
import type { PlannedFix } from '../../src/eligibility/report.js';
import { dependencyAllowRule } from '../../src/eligibility/dependency-allow-rules.js';
import { leftBehind } from '../../src/apply/leftovers.js';
import type { ApplyProgress, ApplyStep, IntegrationRequest } from '../../src/requests/request.js';
import { keptParts, undoPlanFor, undoSteps } from '../../src/apply/undo.js';
import { BOT_REQUIRED_ACTIONS, NSG_DELETE_ACTION, NSG_RULE_DELETE_ACTION, SUBNET_DELETE_ACTION, SUBNET_WRITE_ACTION } from '../../src/eligibility/permissions.js';
import { request } from '../requests/fixtures.js';
import { access, grant } from '../eligibility/facts-builder.js';

const NET = '/subscriptions/s/resourceGroups/rg-net/providers/Microsoft.Network';
/** The bot's access: everything (an Owner on the subscription). */
const OWNER = access('bot', grant('/subscriptions/s', ['*'], [], 'Owner'));
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
    expect(undoPlanFor([r], SUBNET, OWNER)).toEqual({
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
    expect(undoPlanFor([both], SUBNET, OWNER)).toMatchObject({
      dependencyRuleIds: [`${OPEN_NSG}/securityRules/AllowApimAzureKeyVaultOutbound`, `${OPEN_NSG}/securityRules/AllowApimStorageOutbound`],
      nsgId: null,
      nsgAttachment: null,
    });
    const one = applied([addRules], ['addDependencyRules:AllowApimStorageOutbound', 'updateInstance']);
    expect(undoPlanFor([one], SUBNET, OWNER)?.dependencyRuleIds).toEqual([`${OPEN_NSG}/securityRules/AllowApimStorageOutbound`]);
    expect(undoSteps(undoPlanFor([both], SUBNET, OWNER)!).map((s) => [s.step, s.item])).toEqual([
      ['removeDependencyRule', `${OPEN_NSG}/securityRules/AllowApimAzureKeyVaultOutbound`],
      ['removeDependencyRule', `${OPEN_NSG}/securityRules/AllowApimStorageOutbound`],
    ]);
  });

  it('nothing the bot found already done (changed: false)', () => {
    expect(undoPlanFor([applied([attachNsg, addRules], ['updateInstance'])], SUBNET, OWNER)).toBeNull();
  });

  it('nothing for another subnet than the one the instance is on, nor without a current subnet', () => {
    const r = applied([createNsg, attachNsg], ['createNsg', 'attachNsg', 'updateInstance']);
    expect(undoPlanFor([r], OTHER_SUBNET, OWNER)).toBeNull();
    expect(undoPlanFor([r], null, OWNER)).toBeNull();
  });

  it('only succeeded requests count, and the latest one that put the instance there', () => {
    const failed = applied([addRules], ['addDependencyRules:AllowApimAzureKeyVaultOutbound'], { state: 'failed' });
    expect(undoPlanFor([failed], SUBNET, OWNER)).toBeNull();
    const older = applied([createNsg, attachNsg], ['createNsg', 'attachNsg', 'updateInstance'], { id: 'R-OLDER', createdAt: '2024-01-01T00:00:00.000Z' });
    const newer = applied([addRules], ['addDependencyRules:AllowApimAzureKeyVaultOutbound', 'updateInstance'], { id: 'R-NEWER', createdAt: '2024-06-01T00:00:00.000Z' });
    expect(undoPlanFor([older, newer], SUBNET, OWNER)?.fromRequestId).toBe('R-NEWER');
  });

  it('compares subnet ids the way ARM does (case)', () => {
    const r = applied([attachNsg], ['attachNsg', 'updateInstance']);
    expect(undoPlanFor([r], SUBNET.toUpperCase(), OWNER)?.nsgAttachment).toEqual({ subnetId: SUBNET, nsgId: NEW_NSG });
  });
});

/** A succeeded newSubnet request that created NEW_NSG and the subnet SUBNET with it. */
function createdSubnet(): IntegrationRequest {
  const apply: ApplyProgress = {
    step: 'done',
    done: [{ step: 'recheck', at: 'x', note: 'ok', changed: false }, { step: 'createNsg', at: 'x', note: 'ok', changed: true }, { step: 'createSubnet', at: 'x', note: 'ok', changed: true }, { step: 'updateInstance', at: 'x', note: 'ok', changed: true }],
    pollerState: null,
    pollerStep: null,
    failure: null,
    plan: [],
    created: [{ type: 'networkSecurityGroup', id: NEW_NSG, at: 'x' }, { type: 'subnet', id: SUBNET, at: 'x' }],
  };
  return request({ id: 'R-NEW', kind: 'newSubnet', state: 'succeeded', subnetId: SUBNET, fixes: [], apply });
}

/** The bot as the deployment grants it on rg-net (the template's network role), without `without`. */
const deployed = (...without: string[]) =>
  access('bot', grant('/subscriptions/s', ['*/read'], [], 'Reader'), grant('/subscriptions/s/resourceGroups/rg-net', BOT_REQUIRED_ACTIONS.network.filter((a) => !without.includes(a)), [], 'network'));

describe('what a disconnect keeps because the bot may not remove it', () => {
  it('with the deployed network role, nothing: the undo removes all the bot made', () => {
    const plan = undoPlanFor([createdSubnet()], SUBNET, deployed())!;
    expect(plan.kept).toBeUndefined();
    expect(undoSteps(plan).map((s) => s.step)).toEqual(['deleteSubnet', 'deleteNsg']);
    const rules = applied([createNsg, attachNsg, addDelegation, addRules], ['createNsg', 'attachNsg', 'addDelegation', 'addDependencyRules:AllowApimAzureKeyVaultOutbound', 'updateInstance']);
    expect(undoPlanFor([rules], SUBNET, deployed())!.kept).toBeUndefined();
  });

  it('without subnets/delete: the subnet it created, and its NSG with it (ARM will not delete an NSG in use), each with why', () => {
    const plan = undoPlanFor([createdSubnet()], SUBNET, deployed(SUBNET_DELETE_ACTION))!;
    expect(plan.kept).toEqual([
      { step: 'deleteSubnet', id: SUBNET, lacks: SUBNET_DELETE_ACTION },
      { step: 'deleteNsg', id: NEW_NSG, lacks: null, associatedWith: SUBNET },
    ]);
    expect(undoSteps(plan)).toEqual([]);
    expect(keptParts(plan).map((p) => p.plan)).toEqual([
      `Leave subnet hub/apim (created by the bot for R-NEW) in place: the bot's identity lacks ${SUBNET_DELETE_ACTION}.`,
      'Leave network security group nsg-apim-contoso-apim-outbound (created by the bot for R-NEW) in place: it stays associated with subnet hub/apim, which is left in place.',
    ]);
  });

  it('without networkSecurityGroups/delete: the subnet goes, the NSG stays', () => {
    const plan = undoPlanFor([createdSubnet()], SUBNET, deployed(NSG_DELETE_ACTION))!;
    expect(undoSteps(plan).map((s) => s.step)).toEqual(['deleteSubnet']);
    expect(keptParts(plan).map((p) => [p.step, p.lacks])).toEqual([['deleteNsg', NSG_DELETE_ACTION]]);
  });

  it('without securityRules/delete: the dependency rules it added stay, the rest is undone', () => {
    const r = applied([createNsg, attachNsg, addDelegation, addRules], ['createNsg', 'attachNsg', 'addDelegation', 'addDependencyRules:AllowApimAzureKeyVaultOutbound', 'updateInstance']);
    const plan = undoPlanFor([r], SUBNET, deployed(NSG_RULE_DELETE_ACTION))!;
    expect(undoSteps(plan).map((s) => s.step)).toEqual(['removeDelegation', 'detachNsg', 'deleteNsg']);
    expect(keptParts(plan).map((p) => p.plan)).toEqual([
      `Leave rule AllowApimAzureKeyVaultOutbound of network security group nsg-open (added by the bot for R-FIXED) in place: the bot's identity lacks ${NSG_RULE_DELETE_ACTION}.`,
    ]);
  });

  it('a right granted on the resource itself counts, as Azure judges it; one on another NSG does not', () => {
    const r = applied([addRules], ['addDependencyRules:AllowApimAzureKeyVaultOutbound', 'updateInstance']);
    const onRule = access('bot', grant(`${OPEN_NSG}/securityRules/AllowApimAzureKeyVaultOutbound`, [NSG_RULE_DELETE_ACTION]));
    expect(undoPlanFor([r], SUBNET, onRule)!.kept).toBeUndefined();
    const elsewhere = access('bot', grant(NEW_NSG, [NSG_RULE_DELETE_ACTION]));
    expect(undoPlanFor([r], SUBNET, elsewhere)!.kept?.map((k) => k.step)).toEqual(['removeDependencyRule']);
  });

  it('without subnets/write on an existing subnet: the delegation and the association stay, and the NSG associated there', () => {
    const r = applied([createNsg, attachNsg, addDelegation], ['createNsg', 'attachNsg', 'addDelegation', 'updateInstance']);
    const plan = undoPlanFor([r], SUBNET, deployed(SUBNET_WRITE_ACTION))!;
    expect(plan.kept).toEqual([
      { step: 'removeDelegation', id: SUBNET, lacks: SUBNET_WRITE_ACTION },
      { step: 'detachNsg', id: SUBNET, lacks: SUBNET_WRITE_ACTION },
      { step: 'deleteNsg', id: NEW_NSG, lacks: null, associatedWith: SUBNET },
    ]);
    expect(undoSteps(plan)).toEqual([]);
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
