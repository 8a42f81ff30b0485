import { describe, expect, it } from 'vitest';
import { allApproverGroups, allApprovers, flatPolicy, ruleFor, type ApprovalPolicy } from '../../src/policy/approval-policy.js';
import { parseApprovalPolicy } from '../../src/policy/parse-approval-policy.js';

const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';
const C = 'cccccccc-0000-4000-8000-000000000003';
const SUB = '/subscriptions/11111111-1111-4111-8111-111111111111';
const RG = `${SUB}/resourceGroups/rg-pay`;
const INSTANCE = `${RG}/providers/Microsoft.ApiManagement/service/pay-apim`;

function parsed(doc: unknown): ApprovalPolicy {
  const result = parseApprovalPolicy(doc);
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.policy;
}

function problems(doc: unknown): string[] {
  const result = parseApprovalPolicy(doc);
  return result.ok ? [] : result.problems;
}

describe('reading a policy', () => {
  it('a default with approvers is one stage with quorum 1 and no self-approval', () => {
    expect(parsed({ default: { approvers: [A, B] } }).default).toEqual({
      name: 'default',
      scope: { kind: 'default' },
      stages: [{ name: 'approvers', approvers: [A, B], quorum: 1 }],
      allowSelfApproval: false,
      timing: { ttlHours: 168, remindAfterHours: [84], escalate: null },
    });
  });

  it('retryApprovedWithinHours is kept on the rule, and must be hours above 0', () => {
    expect(parsed({ default: { approvers: [A], retryApprovedWithinHours: 4 } }).default.retryApprovedWithinHours).toBe(4);
    expect(parsed({ default: { approvers: [A] } }).default).not.toHaveProperty('retryApprovedWithinHours');
    for (const bad of [0, -1, 'soon', null]) {
      expect(problems({ default: { approvers: [A], retryApprovedWithinHours: bad } })).toEqual(['default.retryApprovedWithinHours: must be a number of hours above 0']);
    }
  });

  it('stages keep their order, names and quorums', () => {
    const policy = parsed({
      default: { approvers: [A] },
      rules: [{ name: 'payments', match: { resourceGroup: RG }, stages: [{ name: 'network team', approvers: [A] }, { name: 'owners', approvers: [B, C], quorum: 2 }] }],
    });
    expect(policy.rules[0]?.stages).toEqual([
      { name: 'network team', approvers: [A], quorum: 1 },
      { name: 'owners', approvers: [B, C], quorum: 2 },
    ]);
  });

  it.each([
    [{ default: { approvers: [A] }, extra: 1 }, 'the policy: unknown key "extra" (known: default, rules)'],
    [{ default: { approvers: [A], quorom: 2 } }, 'default: unknown key "quorom"'],
    [{ default: { approvers: [A, B], quorum: 3 } }, 'default.quorum: 3 approvals needed but only 2 approvers are listed'],
    [{ default: { approvers: [A], quorum: 0 } }, 'default.quorum: must be a whole number of at least 1'],
    [{ default: { approvers: [] } }, 'default.approvers: required, a non-empty list of Entra object ids'],
    [{ default: { approvers: ['alice@contoso.com'] } }, 'default.approvers[0]: "alice@contoso.com" is not an Entra object id (a GUID)'],
    [{ default: { approvers: [A, A.toUpperCase()] } }, `default.approvers[1]: ${A.toUpperCase()} is listed twice`],
    [{ default: { approvers: [A], stages: [{ approvers: [B] }] } }, 'default: give either "approvers" (and "quorum") or "stages", not both'],
    [{ default: { approvers: [A], allowSelfApproval: 'yes' } }, 'default.allowSelfApproval: must be true or false'],
    [{ rules: [] }, 'default: required, an object with "approvers" (or "stages")'],
    [{ default: { approvers: [A] }, rules: [{ approvers: [B] }] }, 'rules[0].match: required, an object naming one of instance, resourceGroup, subscription, tag'],
    [{ default: { approvers: [A] }, rules: [{ match: { subscription: SUB, resourceGroup: RG }, approvers: [B] }] }, 'rules[0].match: name exactly one of instance, resourceGroup, subscription, tag (got resourceGroup, subscription)'],
    [{ default: { approvers: [A] }, rules: [{ match: { resourceGroup: 'rg-pay' }, approvers: [B] }] }, 'rules[0].match.resourceGroup: "rg-pay" is not a resource group id (/subscriptions/<GUID>/resourceGroups/<name>)'],
    [{ default: { approvers: [A] }, rules: [{ match: { tag: { name: 'team' } }, approvers: [B] }] }, 'rules[0].match.tag: must be { "name": "<tag name>", "value": "<tag value>" }'],
    [{ default: { approvers: [A] }, rules: [{ match: { instance: RG }, approvers: [B] }] }, `rules[0].match.instance: "${RG}" is not an API Management instance resource id`],
    [{ default: { approvers: [A] }, rules: [{ match: { subscription: SUB }, stages: [] }] }, 'rules[0].stages: must be a non-empty list'],
    [{ default: { approvers: [A] }, rules: [{ match: { subscription: SUB }, stages: [{ approvers: [B], who: 1 }] }] }, 'rules[0].stages[0]: unknown key "who"'],
  ])('%j: %s', (doc, problem) => {
    const found = problems(doc);
    expect(found.some((p) => p.startsWith(problem)), found.join('\n')).toBe(true);
  });

  it('two rules on the same scope overlap, whatever the case of the id', () => {
    expect(
      problems({
        default: { approvers: [A] },
        rules: [
          { name: 'one', match: { resourceGroup: RG }, approvers: [B] },
          { name: 'two', match: { resourceGroup: RG.toUpperCase() }, approvers: [C] },
        ],
      }),
    ).toEqual(['rules "one" and "two" match the same resourceGroup: keep one']);
  });

  it('every problem is reported, not only the first', () => {
    expect(problems({ default: { approvers: ['x'], quorum: -1 }, rules: [{ match: {}, approvers: [] }] })).toEqual([
      'default.approvers[0]: "x" is not an Entra object id (a GUID)',
      'default.quorum: must be a whole number of at least 1',
      'rules[0].match: name exactly one of instance, resourceGroup, subscription, tag (got none)',
      'rules[0].approvers: required, a non-empty list of Entra object ids (approvers) or of Entra group object ids (groups)',
    ]);
  });
});

describe('approver groups', () => {
  const G = '99999999-0000-4000-8000-000000000009';
  const H = '88888888-0000-4000-8000-000000000008';

  it('a stage may name groups beside or instead of approvers; a stage without groups has none', () => {
    const policy = parsed({
      default: { groups: [G] },
      rules: [{ name: 'pay', match: { resourceGroup: RG }, stages: [{ name: 'net', approvers: [A], groups: [H] }, { name: 'owners', approvers: [B] }] }],
    });
    expect(policy.default.stages).toEqual([{ name: 'approvers', approvers: [], groups: [G], quorum: 1 }]);
    expect(policy.rules[0]?.stages[0]).toEqual({ name: 'net', approvers: [A], groups: [H], quorum: 1 });
    expect(policy.rules[0]?.stages[1]).not.toHaveProperty('groups');
  });

  it('with groups, a quorum larger than the listed approvers is allowed (a group\'s size is not known at start)', () => {
    expect(parsed({ default: { approvers: [A], groups: [G], quorum: 3 } }).default.stages[0]?.quorum).toBe(3);
    expect(parsed({ default: { groups: [G], quorum: 2 } }).default.stages[0]?.quorum).toBe(2);
  });

  it('allApprovers lists object ids only, never group ids; allApproverGroups every group once', () => {
    const policy = parsed({
      default: { approvers: [A], groups: [G] },
      rules: [{ match: { subscription: SUB }, stages: [{ groups: [H, G.toUpperCase()] }, { approvers: [B] }] }],
    });
    expect(allApprovers(policy)).toEqual([A, B]);
    expect(allApproverGroups(policy)).toEqual([G.toUpperCase(), H]);
    expect(allApproverGroups(parsed({ default: { approvers: [A] } }))).toEqual([]);
  });

  it.each([
    [{ default: { groups: [] } }, 'default.groups: required, a non-empty list of Entra object ids (approvers) or of Entra group object ids (groups)'],
    [{ default: { approvers: [], groups: [] } }, 'default.approvers: required'],
    [{ default: { groups: ['grp-platform'] } }, 'default.groups[0]: "grp-platform" is not an Entra group object id (a GUID)'],
    [{ default: { groups: [G, G.toUpperCase()] } }, `default.groups[1]: ${G.toUpperCase()} is listed twice`],
    [{ default: { approvers: [A], groups: G } }, 'default.groups: must be a list of Entra group object ids'],
    [{ default: { groups: [G], approvers: 'x' } }, 'default.approvers: must be a list of Entra object ids'],
    [{ default: { groups: [G], quorum: 0 } }, 'default.quorum: must be a whole number of at least 1'],
    [{ default: { groups: [G], stages: [{ approvers: [B] }] } }, 'default: give either "approvers" (and "quorum") or "stages", not both (with stages, "groups" go in each stage)'],
    [{ default: { approvers: [A] }, rules: [{ match: { subscription: SUB }, stages: [{ name: 'x' }] }] }, 'rules[0].stages[0].approvers: required'],
    [{ default: { approvers: [A] }, rules: [{ match: { subscription: SUB }, stages: [{ groups: [G], group: [H] }] }] }, 'rules[0].stages[0]: unknown key "group" (known: name, approvers, groups, quorum)'],
  ])('%j: %s', (doc, problem) => {
    const found = problems(doc);
    expect(found.some((p) => p.startsWith(problem)), found.join('\n')).toBe(true);
  });

  it('without groups the quorum check stays', () => {
    expect(problems({ default: { approvers: [A], groups: undefined, quorum: 2 } })).toEqual(['default.quorum: 2 approvals needed but only 1 approver is listed']);
  });
});

describe('timing: expiry, reminders, escalation', () => {
  it('a rule without timing expires after REQUEST_TTL_HOURS with one reminder halfway', () => {
    const result = parseApprovalPolicy({ default: { approvers: [A] } }, { ttlHours: 48 });
    expect(result.ok && result.policy.default.timing).toEqual({ ttlHours: 48, remindAfterHours: [24], escalate: null });
  });

  it('reads its own TTL, one reminder time or a list, and an escalation to people or the approvals channel', () => {
    const policy = parsed({
      default: { approvers: [A], ttlHours: 72, remindAfterHours: 8, escalate: { afterHours: 24, to: 'approvalsChannel' } },
      rules: [{ name: 'pay', match: { subscription: SUB }, approvers: [B], remindAfterHours: [4, 12], escalate: { afterHours: 20, to: [C] } }],
    });
    expect(policy.default.timing).toEqual({ ttlHours: 72, remindAfterHours: [8], escalate: { afterHours: 24, to: { kind: 'approvalsChannel' } } });
    expect(policy.rules[0]?.timing).toEqual({ ttlHours: 168, remindAfterHours: [4, 12], escalate: { afterHours: 20, to: { kind: 'people', ids: [C] } } });
  });

  it('each bad time is one line', () => {
    expect(
      problems({
        default: { approvers: [A], ttlHours: 0, remindAfterHours: [12, 6, 'soon'] },
        rules: [
          { name: 'a', match: { subscription: SUB }, approvers: [B], ttlHours: 10, remindAfterHours: 10, escalate: { afterHours: 12, to: ['bob'] } },
          { name: 'b', match: { resourceGroup: RG }, approvers: [B], escalate: { after: 2 } },
        ],
      }),
    ).toEqual([
      'default.ttlHours: must be a number of hours above 0',
      'default.remindAfterHours[1]: list the reminder times in increasing order',
      'default.remindAfterHours[2]: must be a number of hours above 0',
      'rules[0].remindAfterHours: 10 hours is not before the request expires (10 hours)',
      'rules[0].escalate.afterHours: 12 hours is not before the request expires (10 hours)',
      'rules[0].escalate.to: "bob" is not an Entra object id (a GUID)',
      'rules[1].escalate: unknown key "after" (known: afterHours, to)',
      'rules[1].escalate.afterHours: required, a number of hours above 0',
      'rules[1].escalate.to: required, a list of Entra object ids or "approvalsChannel"',
    ]);
  });
});

describe('the rule for an instance', () => {
  const policy = parsed({
    default: { approvers: [A] },
    rules: [
      { name: 'subscription', match: { subscription: SUB }, approvers: [B] },
      { name: 'group', match: { resourceGroup: RG }, approvers: [B] },
      { name: 'tagged', match: { tag: { name: 'team', value: 'payments' } }, approvers: [C] },
      { name: 'instance', match: { instance: INSTANCE }, approvers: [C] },
    ],
  });

  it('most specific wins: instance, then tag, then resource group, then subscription, then the default', () => {
    expect(ruleFor(policy, { id: INSTANCE, tags: { team: 'payments' } }).name).toBe('instance');
    expect(ruleFor(policy, { id: `${RG}/providers/Microsoft.ApiManagement/service/other`, tags: { Team: 'payments' } }).name).toBe('tagged');
    expect(ruleFor(policy, { id: `${RG}/providers/Microsoft.ApiManagement/service/other`, tags: { team: 'Payments' } }).name).toBe('group');
    expect(ruleFor(policy, { id: `${SUB}/resourceGroups/rg-pay2/providers/Microsoft.ApiManagement/service/x` }).name).toBe('subscription');
    expect(ruleFor(policy, { id: '/subscriptions/22222222-2222-4222-8222-222222222222/resourceGroups/rg/providers/Microsoft.ApiManagement/service/x' }).name).toBe('default');
  });

  it('ids match whatever their case', () => {
    expect(ruleFor(policy, { id: INSTANCE.toUpperCase() }).name).toBe('instance');
  });

  it('allApprovers lists everyone once', () => {
    expect(allApprovers(policy).sort()).toEqual([A, B, C].sort());
  });

  it('the flat settings are a default rule of one stage', () => {
    expect(ruleFor(flatPolicy([A, B], true), { id: INSTANCE })).toMatchObject({ stages: [{ approvers: [A, B], quorum: 1 }], allowSelfApproval: true });
  });
});
