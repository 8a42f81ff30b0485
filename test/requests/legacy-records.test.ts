import { describe, expect, it } from 'vitest';
import { FindingCode } from '../../src/eligibility/codes.js';
import { isLegacyRequest, upgradeRequest } from '../../src/requests/legacy-records.js';
import type { IntegrationRequest } from '../../src/requests/request.js';
import { undoPlanFor, undoSteps } from '../../src/apply/undo.js';
import { request } from './fixtures.js';
import { LEGACY_STORAGE_RULE } from '../support/index.js';

const NSG = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/nsg-open';
const legacyFix = { kind: 'addStorageRule', nsgId: NSG, rule: LEGACY_STORAGE_RULE };

/** A request as the bot stored it before the dependency list (2026-11): one Storage rule, its own steps and codes. */
function legacy(overrides: Record<string, unknown> = {}): IntegrationRequest {
  return request({
    fixes: [legacyFix],
    findings: [{ code: 'NSG_STORAGE_NOT_EXPLICIT', severity: 'warning', message: 'Storage only by default.', fix: 'Add the rule.' }],
    ...overrides,
  } as unknown as Partial<IntegrationRequest>);
}

describe('requests stored before the dependency list', () => {
  it('read as one rule in a list, the general code with the tag in its details', () => {
    const upgraded = upgradeRequest(legacy());
    expect(upgraded.fixes).toEqual([{ kind: 'addDependencyRules', nsgId: NSG, rules: [LEGACY_STORAGE_RULE] }]);
    expect(upgraded.findings).toEqual([
      { code: FindingCode.NSG_DEPENDENCY_NOT_EXPLICIT, severity: 'warning', message: 'Storage only by default.', fix: 'Add the rule.', details: { tag: 'Storage' } },
    ]);
    expect(upgradeRequest(legacy({ findings: [{ code: 'NSG_BLOCKS_STORAGE', severity: 'blocking', message: 'm', fix: null }] })).findings[0]).toMatchObject({
      code: FindingCode.NSG_BLOCKS_DEPENDENCY,
      details: { tag: 'Storage' },
    });
  });

  it('an apply in the middle of the Storage rule resumes that rule: its step, its poller, by the rule name', () => {
    const apply = {
      step: 'addStorageRule',
      done: [{ step: 'recheck', at: 't', note: 'n', changed: false }],
      pollerState: '{"state":"x"}',
      pollerStep: 'addStorageRule',
      failure: null,
      plan: [legacyFix],
    };
    const upgraded = upgradeRequest(legacy({ state: 'applying', apply }));
    expect(upgraded.apply).toMatchObject({
      step: 'addDependencyRules',
      stepItem: 'AllowApimStorageOutbound',
      pollerStep: 'addDependencyRules',
      pollerState: '{"state":"x"}',
      done: [{ step: 'recheck', at: 't', note: 'n', changed: false }],
      plan: [{ kind: 'addDependencyRules', nsgId: NSG, rules: [LEGACY_STORAGE_RULE] }],
    });
  });

  it('a succeeded request that added the Storage rule is undone by removing that rule, and only it', () => {
    const done = [
      { step: 'recheck', at: 't', note: 'n', changed: false },
      { step: 'addStorageRule', at: 't', note: 'Added it.', changed: true },
      { step: 'updateInstance', at: 't', note: 'n', changed: true },
    ];
    const succeeded = upgradeRequest(legacy({ state: 'succeeded', apply: { step: 'done', done, pollerState: null, pollerStep: null, failure: null, plan: [legacyFix] } }));
    expect(succeeded.apply?.done[1]).toEqual({ step: 'addDependencyRules', item: 'AllowApimStorageOutbound', at: 't', note: 'Added it.', changed: true });
    const undo = undoPlanFor([succeeded], succeeded.subnetId, { principalId: 'bot', grants: [{ scope: '/', roleName: 'Owner', actions: ['*'], notActions: [] }] });
    expect(undo?.dependencyRuleIds).toEqual([`${NSG}/securityRules/AllowApimStorageOutbound`]);
    expect(undoSteps(undo!).map((s) => [s.step, s.item])).toEqual([['removeDependencyRule', `${NSG}/securityRules/AllowApimStorageOutbound`]]);
  });

  it('a disconnect planned with storageRuleId, half done, keeps what it did', () => {
    const ruleId = `${NSG}/securityRules/AllowApimStorageOutbound`;
    const disconnect = legacy({
      kind: 'disconnect',
      subnetId: null,
      fixes: [],
      findings: [],
      undo: { fromRequestId: 'R-AAAAA', subnetId: null, nsgId: null, delegatedSubnetId: null, nsgAttachment: null, storageRuleId: ruleId },
      state: 'succeeded',
      apply: {
        step: 'done',
        done: [{ step: 'removeStorageRule', at: 't', note: 'Removed it.', changed: true }],
        pollerState: null,
        pollerStep: null,
        failure: null,
      },
    });
    const upgraded = upgradeRequest(disconnect);
    expect(upgraded.undo).toEqual({ fromRequestId: 'R-AAAAA', subnetId: null, nsgId: null, delegatedSubnetId: null, nsgAttachment: null, dependencyRuleIds: [ruleId] });
    expect(upgraded.apply?.done).toEqual([{ step: 'removeDependencyRule', item: ruleId, at: 't', note: 'Removed it.', changed: true }]);
  });

  it('a request in today\'s shape is returned as it is (the same object)', () => {
    const today = request({ fixes: [{ kind: 'addDependencyRules', nsgId: NSG, rules: [] }] });
    expect(isLegacyRequest(today)).toBe(false);
    expect(upgradeRequest(today)).toBe(today);
    const upgradedOnce = upgradeRequest(legacy());
    expect(isLegacyRequest(upgradedOnce)).toBe(false);
    expect(upgradeRequest(upgradedOnce)).toBe(upgradedOnce);
  });
});
