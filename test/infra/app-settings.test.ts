/**
 * The web app of infra/azure.json is configured the way the bot reads its settings: every setting it writes is one
 * src/config.ts reads (SETTING_NAMES), enum values are allowed ones (SETTING_VALUES), every setting production needs
 * is there, and the settings, evaluated with sample outputs, load with loadConfig into the production shape.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, SETTING_NAMES, SETTING_VALUES } from '../../src/config.js';
import { refuseUnauthenticatedExposure } from '../../src/main.js';
import { appSettings, isExpression, only, ROOT, template } from './template.js';

/** App Service's own settings (not the bot's): the deployment ships a built tree, so the platform must not build. */
const PLATFORM_SETTINGS = new Map([['SCM_DO_BUILD_DURING_DEPLOYMENT', 'false']]);

/** What a production bot must be told: its identity (app and Azure), where it listens, who approves, where it keeps records. */
const PRODUCTION_SETTINGS = ['HOST', 'MicrosoftAppType', 'MicrosoftAppId', 'MicrosoftAppTenantId', 'AZURE_CLIENT_ID', 'APPROVER_IDS', 'STORE', 'BLOB_ACCOUNT_URL', 'BLOB_CONTAINER', 'APPLICATIONINSIGHTS_CONNECTION_STRING'];

const IDENTITY = { clientId: '6a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b', tenantId: '7b2e1d3f-4c5a-4b6c-9d0e-1f2a3b4c5d6e', principalId: '8c3f2e4a-5d6b-4c7d-8e9f-2a3b4c5d6e7f' };
const APPROVER = '9d4a3f5b-6e7c-4d8e-9fa0-3b4c5d6e7f80';

/** Sample values for the few expressions the settings use; an expression not listed fails the test. */
function evaluate(expression: string, defaults: Record<string, unknown>): string {
  const identity = /^\[reference\(variables\('identityId'\), '[\d-]+'\)\.(clientId|tenantId|principalId)\]$/.exec(expression)?.[1] as keyof typeof IDENTITY | undefined;
  if (identity) return IDENTITY[identity];
  if (expression === "[parameters('approverIds')]") return APPROVER;
  const parameter = /^\[parameters\('([^']+)'\)\]$/.exec(expression)?.[1];
  if (parameter && typeof defaults[parameter] === 'string') return defaults[parameter] as string;
  if (/\.primaryEndpoints\.blob\]$/.test(expression)) return 'https://apimvnetst1234.blob.core.windows.net/';
  if (/Microsoft\.Insights\/components.*\.ConnectionString\]$/.test(expression)) return 'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/';
  throw new Error(`no sample value for ${expression}: add one to this test`);
}

describe('the app settings of infra/azure.json', () => {
  const t = template();
  const settings = appSettings(t);
  const defaults = Object.fromEntries(Object.entries(t.parameters ?? {}).map(([name, p]) => [name, p.defaultValue]));

  it('are settings the bot reads (or App Service own ones), each once', () => {
    const names = (only(t, 'Microsoft.Web/sites').properties!.siteConfig as { appSettings: { name: string }[] }).appSettings.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect([...SETTING_NAMES, ...PLATFORM_SETTINGS.keys()], name).toContain(name);
    for (const [name, value] of PLATFORM_SETTINGS) expect(settings.get(name)).toBe(value);
  });

  it('set everything a production bot needs, with allowed values', () => {
    for (const name of PRODUCTION_SETTINGS) expect(settings.has(name), name).toBe(true);
    for (const [name, allowed] of Object.entries(SETTING_VALUES)) {
      const value = settings.get(name);
      if (value !== undefined && !isExpression(value)) expect(allowed.map((a) => a.toLowerCase()), name).toContain(value.toLowerCase());
    }
    expect(settings.get('MicrosoftAppType')).toBe('UserAssignedMSI');
    expect(settings.get('STORE')).toBe('blob');
    expect(settings.get('HOST')).toBe('0.0.0.0');
    // The bot's app identity and its Azure identity are the one managed identity.
    expect(settings.get('AZURE_CLIENT_ID')).toBe(settings.get('MicrosoftAppId'));
    // No key, no secret: the blob store by URL, no password for a managed identity.
    for (const name of ['BLOB_CONNECTION_STRING', 'MicrosoftAppPassword', 'AZURE_CLIENT_SECRET', 'SANDBOX_SEED', 'ARM_ENDPOINT']) expect(settings.has(name), name).toBe(false);
  });

  it('load with the bot own loadConfig into a production configuration (samples for the deployment outputs)', () => {
    const env = Object.fromEntries([...settings].filter(([name]) => !PLATFORM_SETTINGS.has(name)).map(([name, value]) => [name, isExpression(value) ? evaluate(value, defaults) : value]));
    const config = loadConfig({ ...env, PORT: '8080' });
    expect(config.bot).toMatchObject({ appId: IDENTITY.clientId, appType: 'UserAssignedMSI', appTenantId: IDENTITY.tenantId, allowedTenantIds: [IDENTITY.tenantId], approverIds: [APPROVER], host: '0.0.0.0' });
    expect(config.azureIdentity).toEqual({ kind: 'managedIdentity', clientId: IDENTITY.clientId });
    expect(config.requests.store).toEqual({ kind: 'blob', accountUrl: 'https://apimvnetst1234.blob.core.windows.net', identity: config.azureIdentity, container: defaults.blobContainerName });
    expect(config.botPrincipalId).toBe(IDENTITY.principalId);
    expect(config.armEndpoint).toBeNull();
    expect(config.sandbox).toBeNull();
    expect(() => refuseUnauthenticatedExposure(config)).not.toThrow();
  });

  it('run the bot the way this repository builds it: Node 20 on Linux, serve from dist/, the health probe on /healthz, https only', () => {
    const site = only(t, 'Microsoft.Web/sites');
    const config = site.properties!.siteConfig as Record<string, unknown>;
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; engines: { node: string } };
    expect(config.appCommandLine).toBe(`node ${pkg.bin['apim-vnet-bot']} serve`);
    expect(config.linuxFxVersion).toBe(`NODE|${/\d+/.exec(pkg.engines.node)![0]}-lts`);
    expect(readFileSync(join(ROOT, 'src', 'server.ts'), 'utf8')).toContain(`server.get('${String(config.healthCheckPath)}'`);
    expect(site.properties!.httpsOnly).toBe(true);
    expect(site.kind).toBe('app,linux');
    expect(only(t, 'Microsoft.Web/serverfarms').properties!.reserved).toBe(true);
  });

  it('the Azure Bot uses that identity (UserAssignedMSI), the Teams channel, and the web app /api/messages', () => {
    const bot = only(t, 'Microsoft.BotService/botServices');
    const props = bot.properties as Record<string, string>;
    expect(props.msaAppType).toBe('UserAssignedMSI');
    expect(props.msaAppId).toBe(settings.get('MicrosoftAppId'));
    expect(props.msaAppTenantId).toBe(settings.get('MicrosoftAppTenantId'));
    expect(props.msaAppMSIResourceId).toBe("[variables('identityId')]");
    expect(props.endpoint).toMatch(/^\[concat\('https:\/\/', reference\(resourceId\('Microsoft\.Web\/sites', variables\('siteName'\)\), '[\d-]+'\)\.defaultHostName, '\/api\/messages'\)\]$/);
    expect(only(t, 'Microsoft.BotService/botServices/channels').properties).toEqual({ channelName: 'MsTeamsChannel', properties: { isEnabled: true } });
    const identity = only(t, 'Microsoft.Web/sites').identity as { type: string; userAssignedIdentities: Record<string, unknown> };
    expect(identity.type).toBe('UserAssigned');
    expect(Object.keys(identity.userAssignedIdentities)).toEqual(["[variables('identityId')]"]);
  });

  it('the storage account takes no shared key, and the identity gets Storage Blob Data Contributor on the container only', () => {
    const account = only(t, 'Microsoft.Storage/storageAccounts');
    expect(account.properties).toMatchObject({ allowSharedKeyAccess: false, allowBlobPublicAccess: false, minimumTlsVersion: 'TLS1_2', supportsHttpsTrafficOnly: true });
    const container = only(t, 'Microsoft.Storage/storageAccounts/blobServices/containers');
    expect(container.name).toContain("parameters('blobContainerName')");
    const assignment = only(t, 'Microsoft.Authorization/roleAssignments');
    expect(assignment.scope).toBe("[concat('Microsoft.Storage/storageAccounts/', variables('storageName'), '/blobServices/default/containers/', parameters('blobContainerName'))]");
    // Storage Blob Data Contributor, Azure's built-in role (its id is the same in every tenant).
    expect(t.variables!.blobDataContributorRoleGuid).toBe('ba92f5b4-2d11-453d-a403-e96b0029c9fe');
    expect((assignment.properties as { roleDefinitionId: string }).roleDefinitionId).toContain("variables('blobDataContributorRoleGuid')");
  });

  it('Application Insights is workspace-based', () => {
    const insights = only(t, 'Microsoft.Insights/components');
    expect((insights.properties as { WorkspaceResourceId: string }).WorkspaceResourceId).toContain('Microsoft.OperationalInsights/workspaces');
    expect(settings.get('APPLICATIONINSIGHTS_CONNECTION_STRING')).toContain("resourceId('Microsoft.Insights/components'");
  });
});
