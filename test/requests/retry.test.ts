import { describe, expect, it } from 'vitest';
import type { PlannedFix } from '../../src/eligibility/report.js';
import type { ApprovalPlan, IntegrationRequest } from '../../src/requests/request.js';
import { changesOfFix, keptApproval, retryRefusal, type RetryDraft } from '../../src/requests/retry.js';
import { alice, bob, request } from './fixtures.js';

const SUBNET = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub/subnets/apim';
const NSG = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/apim-nsg';
const rule = (name: string) => ({ name, access: 'Allow', direction: 'Outbound', priority: 100, protocol: 'Tcp', destinationAddressPrefix: 'Storage', destinationPortRange: '443' }) as never;
const FIXES: PlannedFix[] = [
  { kind: 'registerProvider', namespace: 'Microsoft.Web', subscriptionId: 's' },
  { kind: 'createNsg', nsgId: NSG, name: 'apim-nsg', location: 'westeurope', rules: [rule('allow-storage')] },
  { kind: 'attachNsg', subnetId: SUBNET, nsgId: NSG },
  { kind: 'addDelegation', subnetId: SUBNET, serviceName: 'Microsoft.Web/serverFarms' },
];

const plan = (overrides: Partial<ApprovalPlan> = {}): ApprovalPlan => ({
  rule: 'default',
  stages: [{ name: 'approvers', approvers: [bob.aadObjectId!], quorum: 1 }],
  allowSelfApproval: false,
  approvals: [],
  ...overrides,
});

const APPROVED_AT = '2024-05-01T10:30:00.000Z';
function failed(overrides: Partial<IntegrationRequest> = {}): IntegrationRequest {
  return request({
    state: 'failed',
    fixes: FIXES,
    approval: plan({ approvals: [{ by: bob, at: APPROVED_AT, stage: 0 }] }),
    history: [
      { at: '2024-05-01T10:00:00.000Z', from: null, to: 'pending', by: alice, why: null },
      { at: APPROVED_AT, from: 'pending', to: 'approved', by: bob, why: null },
      { at: APPROVED_AT, from: 'approved', to: 'applying', by: null, why: null },
      { at: '2024-05-01T10:31:00.000Z', from: 'applying', to: 'failed', by: null, why: 'LinkedAuthorizationFailed' },
    ],
    ...overrides,
  });
}

const draft = (overrides: Partial<RetryDraft> = {}): RetryDraft => ({ kind: 'integrate', instanceId: request().instance.id, subnetId: SUBNET, fixes: FIXES.slice(2), ...overrides });
const fresh = plan({ retryApprovedWithinHours: 2 });
const at = (iso: string) => new Date(iso);

describe('retryRefusal', () => {
  it('lets the requester retry a failed request that was not retried', () => {
    expect(retryRefusal(failed(), alice, null)).toBeNull();
  });
  it('refuses anyone else, any other state, and a second retry', () => {
    expect(retryRefusal(failed(), bob, null)).toBe('Only Alice, who made request R-7K3QM, can retry it. Nothing changed.');
    for (const state of ['pending', 'approved', 'applying', 'succeeded', 'rejected', 'cancelled', 'expired'] as const) {
      expect(retryRefusal(failed({ state }), alice, null)).toMatch(/only a failed request can be retried/);
    }
    expect(retryRefusal(failed(), alice, request({ id: 'R-22222', state: 'failed' }))).toBe('Request R-7K3QM was already retried as R-22222 (failed). Say status R-22222 or retry R-22222.');
    expect(retryRefusal(failed(), alice, request({ id: 'R-22222' }))).toBe('Request R-7K3QM was already retried as R-22222 (waiting for approval). Say status R-22222.');
  });
});

describe('keptApproval', () => {
  it('keeps the approvals for the same change, or less of it, within the hours', () => {
    const kept = keptApproval(failed(), draft(), fresh, at('2024-05-01T12:29:00.000Z'));
    expect(kept?.approvals).toEqual([{ by: bob, at: APPROVED_AT, stage: 0 }]);
    expect(kept?.retryApprovedWithinHours).toBe(2);
    expect(keptApproval(failed(), draft({ fixes: FIXES }), fresh, at('2024-05-01T11:00:00.000Z'))).not.toBeNull();
    expect(keptApproval(failed(), draft({ fixes: [] }), fresh, at('2024-05-01T11:00:00.000Z'))).not.toBeNull();
  });

  it('approves again: no setting, too late, another rule, kind, instance or subnet, or a change the approvers did not see', () => {
    const soon = at('2024-05-01T11:00:00.000Z');
    expect(keptApproval(failed(), draft(), plan(), soon)).toBeNull();
    expect(keptApproval(failed(), draft(), fresh, at('2024-05-01T12:31:00.000Z'))).toBeNull();
    expect(keptApproval(failed(), draft(), plan({ rule: 'payments', retryApprovedWithinHours: 2 }), soon)).toBeNull();
    expect(keptApproval(failed(), draft({ kind: 'newSubnet' }), fresh, soon)).toBeNull();
    expect(keptApproval(failed(), draft({ instanceId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/other' }), fresh, soon)).toBeNull();
    expect(keptApproval(failed(), draft({ subnetId: `${SUBNET}2` }), fresh, soon)).toBeNull();
    const moreRules: PlannedFix = { kind: 'addDependencyRules', nsgId: NSG, rules: [rule('allow-sql')] };
    expect(keptApproval(failed(), draft({ fixes: [moreRules] }), fresh, soon)).toBeNull();
    expect(keptApproval(failed(), draft({ fixes: [{ kind: 'attachNsg', subnetId: SUBNET, nsgId: `${NSG}2` }] }), fresh, soon)).toBeNull();
    expect(keptApproval(failed({ approval: null }), draft(), fresh, soon)).toBeNull();
  });

  it('a disconnect keeps it only for the same undo or less of it', () => {
    const undo = { fromRequestId: 'R-11111', subnetId: SUBNET, nsgId: NSG, delegatedSubnetId: null, dependencyRuleIds: [`${NSG}/securityRules/a`] };
    const leaving = failed({ kind: 'disconnect', subnetId: null, fixes: [], undo });
    const soon = at('2024-05-01T11:00:00.000Z');
    const base = { kind: 'disconnect' as const, subnetId: null, fixes: [] };
    expect(keptApproval(leaving, draft({ ...base, undo }), fresh, soon)).not.toBeNull();
    expect(keptApproval(leaving, draft({ ...base, undo: { ...undo, nsgId: null } }), fresh, soon)).not.toBeNull();
    expect(keptApproval(leaving, draft({ ...base, undo: { ...undo, dependencyRuleIds: [`${NSG}/securityRules/b`] } }), fresh, soon)).toBeNull();
  });
});

describe('changesOfFix', () => {
  it('names each change, one per dependency rule, case-insensitively', () => {
    expect(changesOfFix({ kind: 'addDependencyRules', nsgId: NSG, rules: [rule('A'), rule('b')] })).toEqual([`rule:${NSG}:a`.toLowerCase(), `rule:${NSG}:b`.toLowerCase()]);
    expect(changesOfFix({ kind: 'attachNsg', subnetId: SUBNET.toUpperCase(), nsgId: NSG })).toEqual(changesOfFix({ kind: 'attachNsg', subnetId: SUBNET, nsgId: NSG }));
  });
});
