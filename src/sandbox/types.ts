/** Shapes shared by the sandbox modules. The sandbox is an independent model of ARM: nothing here is imported from the bot. */

/** A JSON object as ARM sends it. */
export type JsonObject = Record<string, unknown>;

/** An ARM resource document exactly as ARM's GET returns it. */
export interface ArmResource {
  id: string;
  name: string;
  type: string;
  location?: string;
  sku?: { name?: string; capacity?: number; [key: string]: unknown };
  properties?: JsonObject;
  [key: string]: unknown;
}

export type ProviderRegistrationState = 'Registered' | 'NotRegistered' | 'Registering' | 'Unregistering';

/** Optional description of a subscription (display name, tenant). Subscriptions are otherwise derived from the resources. */
export interface SeedSubscription {
  subscriptionId: string;
  displayName?: string;
  tenantId?: string;
}

/** The seed document: the world the sandbox starts with. */
export interface SandboxSeed {
  /** Object id the bot runs as; used when a request carries no JWT `oid`. */
  botPrincipalId: string;
  /** ARM resource documents (APIM services, VNets with embedded subnets, NSGs, role definitions and assignments, anything else). */
  resources: ArmResource[];
  /** Resource provider registration per subscription; a namespace not listed is `Registered`. */
  providers?: Record<string, Record<string, ProviderRegistrationState>>;
  /**
   * Group object id -> member object ids (members may be groups themselves): RBAC through groups, and the answers
   * of Microsoft Graph's checkMemberGroups.
   */
  groups?: Record<string, string[]>;
  /** Optional subscription metadata. */
  subscriptions?: SeedSubscription[];
  /** Optional tenant id reported for subscriptions. */
  tenantId?: string;
}

export type ResourceGraphMode = 'available' | 'denied' | 'failing';

export interface SandboxOptions {
  seed: SandboxSeed;
  /** 0 = a free port (default 0). The server binds to 127.0.0.1 only. */
  port?: number;
  /** Added latency per request in milliseconds (default 0). */
  latencyMs?: number;
  /** Long-running operation duration in seconds (default 2; fractions allowed). */
  lroSeconds?: number;
  /** List page size (default 100). */
  pageSize?: number;
  /** Share 0..1 of ARM requests answered 429 with Retry-After (default 0). */
  throttleRate?: number;
  /** Share 0..1 of ARM requests answered 500 (default 0). */
  errorRate?: number;
  /** Long-running operations end Failed (default false). */
  failLro?: boolean;
  /** Microsoft Graph calls are answered 403 Authorization_RequestDenied (default false). */
  graphDenied?: boolean;
  /**
   * Azure Resource Graph's query endpoint: `available` (default) answers; `denied` answers 403 AuthorizationFailed (an
   * identity Resource Graph refuses); `failing` answers 500 InternalServerError (an outage).
   */
  resourceGraph?: ResourceGraphMode;
  /** Seed of the fault-injection random generator (default 1), so runs are repeatable. */
  randomSeed?: number;
}

export interface RunningSandbox {
  /** Base URL, `http://127.0.0.1:<port>`. */
  url: string;
  port: number;
  close(): Promise<void>;
}
