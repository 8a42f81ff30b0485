/** The names of the settings, and the fixed values some of them take. */
import type { LogLevel } from '../log.js';

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];
export type MicrosoftAppType = 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';

const APP_TYPES: readonly MicrosoftAppType[] = ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'];

/**
 * Every setting the program reads from the environment: the reader below takes only these names, so this list is
 * complete by construction. The deployment template's tests check its app settings against it.
 */
export const SETTING_NAMES = [
  'PORT',
  'HOST',
  'MicrosoftAppId',
  'MicrosoftAppPassword',
  'MicrosoftAppType',
  'MicrosoftAppTenantId',
  'ALLOWED_TENANT_IDS',
  'APPROVER_IDS',
  'ALLOW_SELF_APPROVAL',
  'APPROVAL_POLICY',
  'REQUESTER_RBAC',
  'REQUEST_TTL_HOURS',
  'CHECK_TTL_HOURS',
  'APPLY_DEADLINE_MINUTES',
  'LEASE_SECONDS',
  'STORE',
  'DATA_DIR',
  'DATA_DIR_LEASE_SECONDS',
  'BLOB_CONNECTION_STRING',
  'BLOB_ACCOUNT_URL',
  'BLOB_CONTAINER',
  'AZURE_CLIENT_ID',
  'AZURE_CLIENT_SECRET',
  'AZURE_CLIENT_CERTIFICATE_PATH',
  'AZURE_FEDERATED_TOKEN_FILE',
  'APPLICATIONINSIGHTS_CONNECTION_STRING',
  'SANDBOX_SEED',
  'SANDBOX_PORT',
  'SANDBOX_LRO_SECONDS',
  'ARM_ENDPOINT',
  'GRAPH_ENDPOINT',
  'GROUP_CACHE_SECONDS',
  'INSTANCE_LOOKUP_CONCURRENCY',
  'INSTANCE_NAME_CACHE_SECONDS',
  'BOT_PRINCIPAL_ID',
  'ARM_TIMEOUT_MS',
  'ARM_MAX_RETRIES',
  'ARM_TURN_WAIT_SECONDS',
  'ARM_POLL_INTERVAL_MS',
  'PLAYGROUND_PORT',
  'PLAYGROUND_USER',
  'MIN_SUBNET_PREFIX',
  'RECOMMENDED_SUBNET_PREFIX',
  'NEW_SUBNET_NAME_PATTERN',
  'NEW_NSG_NAME_PATTERN',
  'NEW_SUBNET_NSG_ID',
  'OUTBOUND_DEPENDENCIES',
  'OPTIONAL_OUTBOUND_DEPENDENCIES',
  'DEPENDENCY_TAG_FORM',
  'STORAGE_RULE_TAG',
  'LOG_LEVEL',
] as const;

export type SettingName = (typeof SETTING_NAMES)[number];

/** The settings that take one of a fixed set of values (compared case-insensitively), with those values. */
export const SETTING_VALUES = {
  MicrosoftAppType: APP_TYPES,
  STORE: ['file', 'blob'],
  REQUESTER_RBAC: ['enforce', 'advisory'],
  DEPENDENCY_TAG_FORM: ['global', 'regional'],
  LOG_LEVEL: LOG_LEVELS,
} as const satisfies Partial<Record<SettingName, readonly string[]>>;

export type EnumSetting = keyof typeof SETTING_VALUES;
