import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { flatPolicy } from '../../src/policy/approval-policy.js';
import { problemsOf } from '../support/index.js';

describe('bot settings', () => {
  it('a single-tenant or managed-identity bot serves only its own tenant unless ALLOWED_TENANT_IDS says otherwise', () => {
    const tenant = '0c0a0b0d-1111-4222-8333-944445555666';
    const app = { MicrosoftAppId: '11111111-2222-4333-8444-555555555555', MicrosoftAppTenantId: tenant };
    expect(loadConfig({ ...app, MicrosoftAppType: 'SingleTenant', MicrosoftAppPassword: 's' }).bot.allowedTenantIds).toEqual([tenant]);
    expect(loadConfig({ ...app, MicrosoftAppType: 'UserAssignedMSI' }).bot.allowedTenantIds).toEqual([tenant]);
    const other = '0c0a0b0d-9999-4999-8999-999999999999';
    expect(loadConfig({ ...app, MicrosoftAppType: 'SingleTenant', MicrosoftAppPassword: 's', ALLOWED_TENANT_IDS: other }).bot.allowedTenantIds).toEqual([other]);
    // A multi-tenant app serves every tenant (and says so at start); no app id means local testing.
    expect(loadConfig({ ...app, MicrosoftAppType: 'MultiTenant', MicrosoftAppPassword: 's' }).bot.allowedTenantIds).toEqual([]);
    expect(loadConfig({ MicrosoftAppTenantId: tenant, MicrosoftAppType: 'SingleTenant' }).bot.allowedTenantIds).toEqual([]);
  });

  it('the outbound dependencies default to the documentation of 2026-08: AzureKeyVault required, Storage optional', () => {
    expect(loadConfig({}).eligibility.dependencies).toEqual({ required: ['AzureKeyVault'], optional: ['Storage'] });
    expect(loadConfig({}).eligibility.networkFixes.tagForm).toBe('global');
    expect(loadConfig({ OUTBOUND_DEPENDENCIES: 'none', OPTIONAL_OUTBOUND_DEPENDENCIES: 'none' }).eligibility.dependencies).toEqual({ required: [], optional: [] });
    expect(problemsOf({ OUTBOUND_DEPENDENCIES: 'AzureKeyVault.WestEurope, 10.0.0.0/8' })).toEqual([
      'OUTBOUND_DEPENDENCIES has values that are not service tag names (letters and digits, no region): AzureKeyVault.WestEurope, 10.0.0.0/8.',
    ]);
    expect(problemsOf({ STORAGE_RULE_TAG: 'regional' })).toEqual([
      'STORAGE_RULE_TAG was replaced by DEPENDENCY_TAG_FORM (global or regional), which applies to every rule the bot writes.',
    ]);
  });

  it('bounds the wait on ARM throttling inside a turn (ARM_TURN_WAIT_SECONDS, default 5)', () => {
    expect(loadConfig({}).armTurnWaitMs).toBe(5_000);
    expect(loadConfig({ ARM_TURN_WAIT_SECONDS: '0' }).armTurnWaitMs).toBe(0);
    expect(problemsOf({ ARM_TURN_WAIT_SECONDS: '30' })).toEqual([expect.stringContaining('ARM_TURN_WAIT_SECONDS=30 is not a whole number from 0 to 12')]);
  });

  it('approver groups: GRAPH_ENDPOINT (default: none set, the sandbox or Graph) and GROUP_CACHE_SECONDS (default 60, 0 to 3600)', () => {
    expect(loadConfig({}).directory).toEqual({ graphEndpoint: null, groupCacheSeconds: 60 });
    expect(loadConfig({ GRAPH_ENDPOINT: 'https://graph.microsoft.us/', GROUP_CACHE_SECONDS: '0' }).directory).toEqual({ graphEndpoint: 'https://graph.microsoft.us', groupCacheSeconds: 0 });
    expect(problemsOf({ GRAPH_ENDPOINT: 'graph.microsoft.com', GROUP_CACHE_SECONDS: '1h' })).toEqual([
      'GRAPH_ENDPOINT=graph.microsoft.com is not an http(s) URL.',
      'GROUP_CACHE_SECONDS=1h is not a whole number from 0 to 3600.',
    ]);
    expect(problemsOf({ GROUP_CACHE_SECONDS: '3601' })).toEqual(['GROUP_CACHE_SECONDS=3601 is not a whole number from 0 to 3600.']);
  });

  it('instance lookup: INSTANCE_LOOKUP_CONCURRENCY (default 16, 1 to 256) and INSTANCE_NAME_CACHE_SECONDS (default 60, 0 to 3600)', () => {
    expect(loadConfig({}).instanceLookup).toEqual({ concurrency: 16, nameCacheSeconds: 60 });
    expect(loadConfig({ INSTANCE_LOOKUP_CONCURRENCY: '4', INSTANCE_NAME_CACHE_SECONDS: '0' }).instanceLookup).toEqual({ concurrency: 4, nameCacheSeconds: 0 });
    expect(problemsOf({ INSTANCE_LOOKUP_CONCURRENCY: '0', INSTANCE_NAME_CACHE_SECONDS: '1m' })).toEqual([
      'INSTANCE_LOOKUP_CONCURRENCY=0 is not a whole number from 1 to 256.',
      'INSTANCE_NAME_CACHE_SECONDS=1m is not a whole number from 0 to 3600.',
    ]);
    expect(problemsOf({ INSTANCE_LOOKUP_CONCURRENCY: '257', INSTANCE_NAME_CACHE_SECONDS: '-1' })).toEqual([
      'INSTANCE_LOOKUP_CONCURRENCY=257 is not a whole number from 1 to 256.',
      'INSTANCE_NAME_CACHE_SECONDS=-1 is not a whole number from 0 to 3600.',
    ]);
  });

  it('has safe defaults', () => {
    const config = loadConfig({});
    expect(config.bot).toEqual({
      port: 3978,
      host: '127.0.0.1',
      appId: '',
      appPassword: '',
      appType: 'MultiTenant',
      appTenantId: '',
      approverIds: [],
      allowSelfApproval: false,
      allowedTenantIds: [],
      dataDir: './data',
      requestTtlHours: 168,
      approvalPolicy: flatPolicy([], false),
      approvalPolicyFile: null,
    });
    expect(config.sandbox).toBeNull();
    expect(config.eligibility.requesterRbac).toBe('enforce');
    expect(config.armPollIntervalMs).toBe(2_000);
  });

  it('reads every setting', () => {
    const config = loadConfig({
      PORT: '4000',
      APPROVER_IDS: ' b0b00000-0000-4000-8000-000000000001 , a11ce000-0000-4000-8000-000000000001',
      ALLOW_SELF_APPROVAL: 'yes',
      ALLOWED_TENANT_IDS: '0c0a0b0d-1111-4222-8333-944445555666',
      DATA_DIR: '/tmp/bot',
      MicrosoftAppId: '11111111-2222-4333-8444-555555555555',
      MicrosoftAppPassword: 'secret',
      MicrosoftAppType: 'singletenant',
      MicrosoftAppTenantId: '0c0a0b0d-1111-4222-8333-944445555666',
      SANDBOX_SEED: 'seeds/demo.json',
      SANDBOX_PORT: '4100',
      REQUESTER_RBAC: 'Advisory',
      NEW_SUBNET_NAME_PATTERN: 'snet-<instance>-egress',
      NEW_NSG_NAME_PATTERN: 'nsg-<instance>-egress',
      NEW_SUBNET_NSG_ID: '/subscriptions/s/resourceGroups/rg-net/providers/Microsoft.Network/networkSecurityGroups/nsg-shared',
      DEPENDENCY_TAG_FORM: 'Regional',
      OUTBOUND_DEPENDENCIES: 'AzureKeyVault, AzureMonitor',
      OPTIONAL_OUTBOUND_DEPENDENCIES: 'Storage,AzureMonitor',
    });
    expect(config.bot).toMatchObject({
      port: 4000,
      approverIds: ['b0b00000-0000-4000-8000-000000000001', 'a11ce000-0000-4000-8000-000000000001'],
      allowSelfApproval: true,
      allowedTenantIds: ['0c0a0b0d-1111-4222-8333-944445555666'],
      dataDir: '/tmp/bot',
      appType: 'SingleTenant',
    });
    expect(config.sandbox).toEqual({ seedFile: 'seeds/demo.json', port: 4100, lroSeconds: 5 });
    expect(config.eligibility.requesterRbac).toBe('advisory');
    expect(config.eligibility.networkFixes).toEqual({
      subnetNamePattern: 'snet-<instance>-egress',
      nsgNamePattern: 'nsg-<instance>-egress',
      nsgId: '/subscriptions/s/resourceGroups/rg-net/providers/Microsoft.Network/networkSecurityGroups/nsg-shared',
      tagForm: 'regional',
    });
    // A tag named in both lists is required.
    expect(config.eligibility.dependencies).toEqual({ required: ['AzureKeyVault', 'AzureMonitor'], optional: ['Storage'] });
    expect(config.armPollIntervalMs).toBe(250);
  });

  it('names every bad value, one line each', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      APPROVER_IDS: 'bob@contoso.com',
      ALLOW_SELF_APPROVAL: 'maybe',
      ALLOWED_TENANT_IDS: 'contoso',
      MicrosoftAppId: 'my-bot',
      MicrosoftAppType: 'Whatever',
      SANDBOX_SEED: 'seeds/demo.json',
      ARM_ENDPOINT: 'http://127.0.0.1:4000',
      NEW_SUBNET_NSG_ID: 'nsg-shared',
      DEPENDENCY_TAG_FORM: 'eu',
    });
    expect(problems).toEqual([
      expect.stringContaining('NEW_SUBNET_NSG_ID=nsg-shared is not a network security group resource id'),
      expect.stringContaining('DEPENDENCY_TAG_FORM=eu must be one of: global, regional'),
      expect.stringContaining('PORT=eighty'),
      expect.stringContaining('MicrosoftAppType=Whatever'),
      expect.stringContaining('APPROVER_IDS has values that are not GUIDs: bob@contoso.com'),
      expect.stringContaining('ALLOW_SELF_APPROVAL=maybe'),
      expect.stringContaining('ALLOWED_TENANT_IDS has values that are not GUIDs: contoso'),
      expect.stringContaining('MicrosoftAppId=my-bot'),
      expect.stringContaining('MicrosoftAppPassword is required'),
      expect.stringContaining('SANDBOX_SEED'),
    ]);
  });

  it('asks for the tenant of a single-tenant app and refuses a lone SANDBOX_PORT', () => {
    expect(problemsOf({ MicrosoftAppId: '11111111-2222-4333-8444-555555555555', MicrosoftAppPassword: 'x', MicrosoftAppType: 'SingleTenant' })).toEqual([
      expect.stringContaining('MicrosoftAppTenantId is required'),
    ]);
    expect(problemsOf({ SANDBOX_PORT: '4000' })).toEqual([expect.stringContaining('SANDBOX_PORT is set but SANDBOX_SEED is not')]);
  });
});
