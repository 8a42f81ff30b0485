import { describe, expect, it } from 'vitest';
import type { PlannedFix } from '../../src/eligibility/report.js';
import { dependencyAllowRule } from '../../src/eligibility/dependency-allow-rules.js';
import { approvedPlan, fixTarget } from '../../src/apply/approved-plan.js';

const NET = '/subscriptions/s/resourceGroups/rg-net/providers/Microsoft.Network';
const SUBNET = `${NET}/virtualNetworks/hub/subnets/apim`;
const NSG_A = `${NET}/networkSecurityGroups/nsg-a`;
const NSG_B = `${NET}/networkSecurityGroups/nsg-b`;
const register: PlannedFix = { kind: 'registerProvider', namespace: 'Microsoft.Web', subscriptionId: 's' };
const delegate: PlannedFix = { kind: 'addDelegation', subnetId: SUBNET, serviceName: 'Microsoft.Web/serverFarms' };
const create: PlannedFix = { kind: 'createNsg', nsgId: NSG_A, name: 'nsg-a', location: 'westeurope', rules: [dependencyAllowRule('AzureKeyVault')] };
const attach: PlannedFix = { kind: 'attachNsg', subnetId: SUBNET, nsgId: NSG_A };
const ruleOn = (nsgId: string, priority = 100, tag = 'AzureKeyVault'): PlannedFix => ({ kind: 'addDependencyRules', nsgId, rules: [dependencyAllowRule(tag, { priority })] });

describe('the plan applied after the re-check', () => {
  it('keeps the approved fixes still needed, in execution order', () => {
    expect(approvedPlan([register, create, attach, delegate], [delegate, attach, create], [])).toEqual({ ok: true, plan: [create, attach, delegate] });
  });

  it('drops fixes no longer needed', () => {
    expect(approvedPlan([register, delegate], [delegate], [])).toEqual({ ok: true, plan: [delegate] });
  });

  it('takes an approved optional rule again, at the priority the re-check picks', () => {
    const plan = approvedPlan([ruleOn(NSG_A, 100)], [], [ruleOn(NSG_A, 110)]);
    expect(plan).toEqual({ ok: true, plan: [ruleOn(NSG_A, 110)] });
  });

  it('never adds an optional rule the request did not choose, or one for another NSG', () => {
    expect(approvedPlan([], [], [ruleOn(NSG_A)])).toEqual({ ok: true, plan: [] });
    expect(approvedPlan([ruleOn(NSG_A)], [], [ruleOn(NSG_B)])).toEqual({ ok: true, plan: [] });
  });

  it('never writes a rule for a tag the approver did not see in place of the one approved (the dependency list moved)', () => {
    expect(approvedPlan([ruleOn(NSG_A, 100, 'Storage')], [], [ruleOn(NSG_A, 100, 'AzureKeyVault')])).toEqual({ ok: true, plan: [] });
    expect(fixTarget(ruleOn(NSG_A, 100, 'Storage'))).not.toBe(fixTarget(ruleOn(NSG_A, 100, 'AzureKeyVault')));
    expect(fixTarget(ruleOn(NSG_A, 100))).toBe(fixTarget(ruleOn(NSG_A.toUpperCase(), 120)));
  });

  it('refuses a required fix the approver did not see, and names it', () => {
    const refused = approvedPlan([delegate], [create, attach, delegate], []);
    expect(refused).toMatchObject({ ok: false, unapproved: create });
    expect(refused.ok || refused.text).toMatch(/^Create network security group nsg-a in resource group rg-net/);
    expect(approvedPlan([create, attach], [{ ...attach, nsgId: NSG_B }], [])).toMatchObject({ ok: false });
  });

  it('compares resources the way ARM does (case)', () => {
    expect(fixTarget({ ...attach, subnetId: SUBNET.toUpperCase() })).toBe(fixTarget(attach));
    expect(approvedPlan([delegate], [{ ...delegate, subnetId: SUBNET.toUpperCase() }], []).ok).toBe(true);
  });
});
