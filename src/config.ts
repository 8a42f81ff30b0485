import { CodedError, ErrorCode } from './errors.js';
import type { LogLevel } from './log.js';
import { EnvReader, type Env } from './config/env-reader.js';
import type { MicrosoftAppType, SettingName } from './config/settings.js';
import { isGuid } from './eligibility/resource-id.js';
import { allApprovers, flatPolicy, type ApprovalPolicy } from './policy/approval-policy.js';
import { readApprovalPolicyFile } from './config/approval-policy-file.js';
import {
  DEFAULT_DEPENDENCIES,
  DEFAULT_NSG_NAME_PATTERN,
  DEFAULT_SUBNET_NAME_PATTERN,
  type EligibilitySettings,
  type NetworkFixSettings,
  type OutboundDependencySettings,
} from './eligibility/facts.js';

/** Everything the program reads from the environment, validated once. Nothing else reads process.env. */
export interface Config {
  /** ARM-compatible endpoint (a running sandbox); null = Azure with @azure/identity. */
  armEndpoint: string | null;
  /** Where the members of approver groups are asked about (Microsoft Graph), and how long an answer is kept. */
  directory: DirectorySettings;
  /** Object id the bot runs as; null = taken from the access token's `oid` claim. */
  botPrincipalId: string | null;
  armTimeoutMs: number;
  armMaxRetries: number;
  /** How instances named by name are found: Resource Graph, else a bounded listing; how long a name's ids are kept. */
  instanceLookup: InstanceLookupConfig;
  /** Longest wait on ARM throttling (Retry-After) inside a chat turn; longer waits are answered at once. */
  armTurnWaitMs: number;
  logLevel: LogLevel;
  eligibility: EligibilitySettings;
  /** Interval between polls of a long-running ARM operation when ARM sends no Retry-After. */
  armPollIntervalMs: number;
  bot: BotSettings;
  /** Where requests are kept and how they are carried out. */
  requests: RequestSettings;
  /** An embedded sandbox to run on instead of Azure (SANDBOX_SEED); null = none. */
  sandbox: EmbeddedSandboxSettings | null;
  /** How the program signs in to Azure: ARM (when it is Azure, not a sandbox) and a keyless blob store. */
  azureIdentity: AzureIdentitySettings;
  /**
   * Application Insights (APPLICATIONINSIGHTS_CONNECTION_STRING, set by the deployment template); null = none.
   * `serve` starts OpenTelemetry to it (telemetry/start.ts).
   */
  applicationInsightsConnectionString: string | null;
}

export interface InstanceLookupConfig {
  /** INSTANCE_LOOKUP_CONCURRENCY: subscriptions listed at once when Resource Graph cannot be used. */
  concurrency: number;
  /** INSTANCE_NAME_CACHE_SECONDS: how long the resource ids a name resolved to are kept (0 = not kept). */
  nameCacheSeconds: number;
}

export interface DirectorySettings {
  /**
   * GRAPH_ENDPOINT; null = the sandbox when ARM is one (ARM_ENDPOINT, SANDBOX_SEED), else https://graph.microsoft.com.
   */
  graphEndpoint: string | null;
  /** GROUP_CACHE_SECONDS: how long a person's membership of a set of approver groups is kept (0 = not kept). */
  groupCacheSeconds: number;
}

/**
 * managedIdentity: one user-assigned managed identity, by its client id (ManagedIdentityCredential), never a chain
 * that may pick another identity. default: DefaultAzureCredential (az login, environment, managed identity).
 */
export type AzureIdentitySettings = { kind: 'managedIdentity'; clientId: string } | { kind: 'default' };

/** file: DATA_DIR, one bot process; blob: an Azure Blob Storage container shared by any number of processes. */
export type StoreSettings = FileStoreSettings | BlobStoreSettings;

/**
 * The blob store: by connection string (Azurite, tests; it holds the account key), or by account URL, signed in
 * with the program's Azure identity (Storage Blob Data Contributor on the container), no key at all.
 */
export type BlobStoreSettings =
  | { kind: 'blob'; connectionString: string; container: string }
  | { kind: 'blob'; accountUrl: string; identity: AzureIdentitySettings; container: string };

export interface FileStoreSettings {
  kind: 'file';
  dataDir: string;
  /**
   * Seconds the DATA_DIR lease (bot.lock) may go unrenewed before another process takes the folder over
   * (DATA_DIR_LEASE_SECONDS, default 30; renewed every sixth of it). Shorter only for tests that pause a process.
   */
  dataDirLeaseSeconds?: number;
}

export interface RequestSettings {
  store: StoreSettings;
  /** An approved request that is not finished this long after its approval fails (APPLY_DEADLINE_MINUTES). */
  applyDeadlineMinutes: number;
  /** How long a process's claim on a request it applies lasts without renewal (LEASE_SECONDS). */
  leaseSeconds: number;
  /** How long the record behind a card's choices is kept; the sweep removes older ones (CHECK_TTL_HOURS). */
  checkTtlHours: number;
}


/** The Teams bot: its HTTP server, its Bot Framework identity, who may approve, where it keeps its records. */
export interface BotSettings {
  port: number;
  /** Interface the server binds to (127.0.0.1 unless HOST says otherwise). */
  host: string;
  /** Bot Framework app registration; an empty appId accepts unauthenticated requests (local testing only). */
  appId: string;
  appPassword: string;
  appType: MicrosoftAppType;
  appTenantId: string;
  /** AAD object ids of everyone who may approve or reject requests (under some rule of the policy). */
  approverIds: string[];
  allowSelfApproval: boolean;
  /** Who decides which request: APPROVAL_POLICY's file, or APPROVER_IDS and ALLOW_SELF_APPROVAL as one rule. */
  approvalPolicy: ApprovalPolicy;
  /** APPROVAL_POLICY's file; null when the flat settings are the policy. */
  approvalPolicyFile: string | null;
  /** Tenants whose activities are served; empty = any. A single-tenant or managed-identity bot defaults to its own. */
  allowedTenantIds: string[];
  /** Folder of the file-backed store. */
  dataDir: string;
  /** How long a pending request waits for a decision before it expires. */
  requestTtlHours: number;
}

export interface EmbeddedSandboxSettings {
  seedFile: string;
  /** 0 = a free port. */
  port: number;
  lroSeconds: number;
}

export { EnvReader, type Env } from './config/env-reader.js';
export { SETTING_NAMES, SETTING_VALUES, type MicrosoftAppType, type SettingName } from './config/settings.js';


export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const read = new EnvReader(env, problems);
  const azureIdentity = readAzureIdentity(read, problems);
  const config: Config = {
    armEndpoint: read.url('ARM_ENDPOINT'),
    directory: { graphEndpoint: read.url('GRAPH_ENDPOINT'), groupCacheSeconds: read.int('GROUP_CACHE_SECONDS', 60, 0, 3_600) },
    botPrincipalId: read.guid('BOT_PRINCIPAL_ID'),
    armTimeoutMs: read.int('ARM_TIMEOUT_MS', 30_000, 100, 600_000),
    armMaxRetries: read.int('ARM_MAX_RETRIES', 4, 0, 10),
    instanceLookup: {
      concurrency: read.int('INSTANCE_LOOKUP_CONCURRENCY', 16, 1, 256),
      nameCacheSeconds: read.int('INSTANCE_NAME_CACHE_SECONDS', 60, 0, 3_600),
    },
    armTurnWaitMs: read.int('ARM_TURN_WAIT_SECONDS', 5, 0, 12) * 1000,
    logLevel: read.oneOf('LOG_LEVEL', 'warn'),
    eligibility: {
      minSubnetPrefix: read.int('MIN_SUBNET_PREFIX', 27, 8, 29),
      recommendedSubnetPrefix: read.int('RECOMMENDED_SUBNET_PREFIX', 24, 8, 29),
      requesterRbac: read.oneOf('REQUESTER_RBAC', 'enforce'),
      dependencies: readDependencySettings(read, problems),
      networkFixes: readNetworkFixSettings(read, problems),
    },
    armPollIntervalMs: read.int('ARM_POLL_INTERVAL_MS', read.raw('SANDBOX_SEED') || read.raw('ARM_ENDPOINT') ? 250 : 2_000, 50, 60_000),
    bot: readBotSettings(read, problems),
    requests: readRequestSettings(read, problems, azureIdentity),
    sandbox: readSandboxSettings(read, problems),
    azureIdentity,
    applicationInsightsConnectionString: readApplicationInsights(read, problems),
  };
  if (config.eligibility.recommendedSubnetPrefix > config.eligibility.minSubnetPrefix) {
    problems.push(
      `RECOMMENDED_SUBNET_PREFIX (/${config.eligibility.recommendedSubnetPrefix}) must be the same size as or larger than MIN_SUBNET_PREFIX (/${config.eligibility.minSubnetPrefix}).`,
    );
  }
  if (problems.length > 0) {
    throw new CodedError(ErrorCode.CONFIG_INVALID, `Invalid configuration:\n- ${problems.join('\n- ')}`, { problems });
  }
  return config;
}

function readBotSettings(read: EnvReader, problems: string[]): BotSettings {
  const appId = read.raw('MicrosoftAppId') ?? '';
  const bot: BotSettings = {
    port: read.int('PORT', 3978, 0, 65_535),
    host: read.string('HOST', '127.0.0.1'),
    appId,
    appPassword: read.raw('MicrosoftAppPassword') ?? '',
    appType: read.oneOf('MicrosoftAppType', 'MultiTenant'),
    appTenantId: read.raw('MicrosoftAppTenantId') ?? '',
    approverIds: read.guidList('APPROVER_IDS'),
    allowSelfApproval: read.bool('ALLOW_SELF_APPROVAL', false),
    approvalPolicy: flatPolicy([], false),
    approvalPolicyFile: null,
    allowedTenantIds: read.guidList('ALLOWED_TENANT_IDS'),
    dataDir: read.string('DATA_DIR', './data'),
    requestTtlHours: read.int('REQUEST_TTL_HOURS', 168, 1, 24 * 365),
  };
  if (appId && !isGuid(appId)) problems.push(`MicrosoftAppId=${appId} is not an app (client) id (a GUID).`);
  if (appId && bot.appType !== 'UserAssignedMSI' && !bot.appPassword) {
    problems.push(`MicrosoftAppPassword is required when MicrosoftAppId is set and MicrosoftAppType is ${bot.appType}.`);
  }
  if (bot.appType !== 'MultiTenant' && appId && !bot.appTenantId) {
    problems.push(`MicrosoftAppTenantId is required when MicrosoftAppType is ${bot.appType}.`);
  }
  if (bot.appTenantId && !isGuid(bot.appTenantId)) problems.push(`MicrosoftAppTenantId=${bot.appTenantId} is not a tenant id (a GUID).`);
  if (appId && bot.allowedTenantIds.length === 0 && bot.appType !== 'MultiTenant' && isGuid(bot.appTenantId)) bot.allowedTenantIds = [bot.appTenantId];
  const policyFile = read.raw('APPROVAL_POLICY');
  const policy = policyFile === null ? null : readApprovalPolicyFile(policyFile, { ttlHours: bot.requestTtlHours }, problems);
  if (policy && (read.raw('APPROVER_IDS') !== null || read.raw('ALLOW_SELF_APPROVAL') !== null)) {
    problems.push('APPROVAL_POLICY names the approvers: leave APPROVER_IDS and ALLOW_SELF_APPROVAL unset (the policy says who approves and whether self-approval is allowed).');
  }
  bot.approvalPolicy = policy ?? flatPolicy(bot.approverIds, bot.allowSelfApproval, bot.requestTtlHours);
  bot.approvalPolicyFile = policy ? policyFile : null;
  if (policy) bot.approverIds = allApprovers(policy);
  return bot;
}

const NSG_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/networkSecurityGroups\/[^/]+$/i;

function readNetworkFixSettings(read: EnvReader, problems: string[]): NetworkFixSettings {
  const nsgId = read.raw('NEW_SUBNET_NSG_ID');
  if (nsgId !== null && !NSG_ID.test(nsgId)) {
    problems.push(`NEW_SUBNET_NSG_ID=${nsgId} is not a network security group resource id (/subscriptions/…/resourceGroups/…/providers/Microsoft.Network/networkSecurityGroups/…).`);
  }
  return {
    subnetNamePattern: read.string('NEW_SUBNET_NAME_PATTERN', DEFAULT_SUBNET_NAME_PATTERN),
    nsgNamePattern: read.string('NEW_NSG_NAME_PATTERN', DEFAULT_NSG_NAME_PATTERN),
    nsgId: nsgId !== null && NSG_ID.test(nsgId) ? nsgId : null,
    tagForm: read.oneOf('DEPENDENCY_TAG_FORM', 'global'),
  };
}

/** A service tag's name as NSG rules take it, without a region (`AzureKeyVault`, `Storage`, `AzureMonitor`). */
const SERVICE_TAG = /^[A-Za-z][A-Za-z0-9]{1,63}$/;

function readDependencySettings(read: EnvReader, problems: string[]): OutboundDependencySettings {
  if (read.raw('STORAGE_RULE_TAG') !== null) {
    problems.push('STORAGE_RULE_TAG was replaced by DEPENDENCY_TAG_FORM (global or regional), which applies to every rule the bot writes.');
  }
  const tags = (name: SettingName, fallback: readonly string[]): string[] => {
    const value = read.raw(name);
    if (value === null) return [...fallback];
    if (value.toLowerCase() === 'none') return [];
    const items = [...new Set(value.split(',').map((t) => t.trim()).filter(Boolean))];
    const bad = items.filter((t) => !SERVICE_TAG.test(t));
    if (bad.length > 0) problems.push(`${name} has values that are not service tag names (letters and digits, no region): ${bad.join(', ')}.`);
    return items.filter((t) => SERVICE_TAG.test(t));
  };
  const required = tags('OUTBOUND_DEPENDENCIES', DEFAULT_DEPENDENCIES.required);
  const optional = tags('OPTIONAL_OUTBOUND_DEPENDENCIES', DEFAULT_DEPENDENCIES.optional).filter(
    (tag) => !required.some((r) => r.toLowerCase() === tag.toLowerCase()),
  );
  return { required, optional };
}

const CONTAINER_NAME = /^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

function readRequestSettings(read: EnvReader, problems: string[], identity: AzureIdentitySettings): RequestSettings {
  const kind = read.oneOf('STORE', 'file');
  const settings = {
    applyDeadlineMinutes: read.int('APPLY_DEADLINE_MINUTES', 120, 1, 7 * 24 * 60),
    leaseSeconds: read.int('LEASE_SECONDS', 60, 1, 3_600),
    checkTtlHours: read.int('CHECK_TTL_HOURS', 24, 1, 24 * 365),
  };
  if (kind === 'file') {
    return { store: { kind, dataDir: read.string('DATA_DIR', './data'), dataDirLeaseSeconds: read.int('DATA_DIR_LEASE_SECONDS', 30, 5, 3_600) }, ...settings };
  }
  const accountUrl = read.raw('BLOB_ACCOUNT_URL');
  // The connection string holds the account key: problems name it, never quote it.
  const connectionString = read.raw('BLOB_CONNECTION_STRING') ?? '';
  if (accountUrl !== null) {
    if (connectionString) problems.push('Set BLOB_ACCOUNT_URL (sign in with the Azure identity) or BLOB_CONNECTION_STRING (an account key), not both.');
    const url = blobAccountUrl(accountUrl, problems);
    const container = readContainer(read, problems);
    return { store: { kind, accountUrl: url ?? accountUrl, identity, container }, ...settings };
  }
  if (!connectionString) problems.push('BLOB_ACCOUNT_URL or BLOB_CONNECTION_STRING is required when STORE=blob.');
  else if (!/(^|;)\s*(BlobEndpoint|AccountName|UseDevelopmentStorage)\s*=/i.test(connectionString)) {
    problems.push('BLOB_CONNECTION_STRING does not look like an Azure Storage connection string (no AccountName or BlobEndpoint).');
  }
  const container = readContainer(read, problems);
  return { store: { kind, connectionString, container }, ...settings };
}

function readContainer(read: EnvReader, problems: string[]): string {
  const container = read.string('BLOB_CONTAINER', 'apim-vnet-bot');
  if (!CONTAINER_NAME.test(container)) {
    problems.push(`BLOB_CONTAINER=${container} is not a container name (3-63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit).`);
  }
  return container;
}

/** The blob service URL of a storage account: https, no query (a SAS is a secret: use the identity instead). */
function blobAccountUrl(value: string, problems: string[]): string | null {
  const problem = `BLOB_ACCOUNT_URL=${value.split('?')[0]} is not a storage account's blob URL (https://<account>.blob.core.windows.net)`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(`${problem}.`);
    return null;
  }
  if (url.protocol !== 'https:' || !url.hostname) problems.push(`${problem}: it must be https.`);
  else if (url.search || url.username || url.password) problems.push(`${problem}: give the URL alone, without a query, a SAS or credentials; the bot signs in with its Azure identity.`);
  else return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  return null;
}

/**
 * A user-assigned managed identity when the bot is one (MicrosoftAppType=UserAssignedMSI: its client id is
 * AZURE_CLIENT_ID, else MicrosoftAppId), or when AZURE_CLIENT_ID names one (no service principal secret,
 * certificate or federated token beside it); otherwise DefaultAzureCredential.
 */
function readAzureIdentity(read: EnvReader, problems: string[]): AzureIdentitySettings {
  const clientId = read.raw('AZURE_CLIENT_ID');
  if (clientId !== null && !isGuid(clientId)) {
    problems.push(`AZURE_CLIENT_ID=${clientId} is not a client id (a GUID).`);
    return { kind: 'default' };
  }
  const appType = read.raw('MicrosoftAppType')?.toLowerCase();
  if (appType === 'userassignedmsi') {
    // Without either id the bot is unauthenticated local testing: MicrosoftAppId's own check names a bad one.
    const id = clientId ?? read.raw('MicrosoftAppId');
    return id && isGuid(id) ? { kind: 'managedIdentity', clientId: id } : { kind: 'default' };
  }
  const servicePrincipal = (['AZURE_CLIENT_SECRET', 'AZURE_CLIENT_CERTIFICATE_PATH', 'AZURE_FEDERATED_TOKEN_FILE'] as const).some((n) => read.raw(n) !== null);
  return clientId !== null && !servicePrincipal ? { kind: 'managedIdentity', clientId } : { kind: 'default' };
}

function readApplicationInsights(read: EnvReader, problems: string[]): string | null {
  const value = read.raw('APPLICATIONINSIGHTS_CONNECTION_STRING');
  if (value !== null && !/(^|;)\s*(InstrumentationKey|IngestionEndpoint)\s*=/i.test(value)) {
    problems.push('APPLICATIONINSIGHTS_CONNECTION_STRING does not look like an Application Insights connection string (no InstrumentationKey).');
    return null;
  }
  return value;
}

function readSandboxSettings(read: EnvReader, problems: string[]): EmbeddedSandboxSettings | null {
  const seedFile = read.raw('SANDBOX_SEED');
  const port = read.int('SANDBOX_PORT', 0, 0, 65_535);
  const lroSeconds = read.number('SANDBOX_LRO_SECONDS', 5, 0, 3_600);
  if (seedFile === null) {
    if (read.raw('SANDBOX_PORT') !== null) problems.push('SANDBOX_PORT is set but SANDBOX_SEED is not: the port is for the embedded sandbox.');
    return null;
  }
  if (read.raw('ARM_ENDPOINT') !== null) problems.push('Set SANDBOX_SEED (an embedded sandbox) or ARM_ENDPOINT (a running one), not both.');
  return { seedFile, port, lroSeconds };
}
