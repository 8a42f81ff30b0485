import type { ApiManagementClient as ApiManagementClientType } from '@azure/arm-apimanagement';
import type { AuthorizationManagementClient as AuthorizationClientType } from '@azure/arm-authorization';
import type { NetworkManagementClient as NetworkClientType } from '@azure/arm-network';
import type { ResourceGraphClient as ResourceGraphClientType } from '@azure/arm-resourcegraph';
import type { ResourceManagementClient as ResourceClientType } from '@azure/arm-resources';
import type { SubscriptionClient as SubscriptionClientType } from '@azure/arm-resources-subscriptions';
import type { TokenCredential } from '@azure/core-auth';
import type { Pipeline } from '@azure/core-rest-pipeline';
import type { AzureIdentitySettings } from '../config.js';
import type { Logger } from '../log.js';
import { LazyAzureCredential } from './credential.js';
import { requestLogPolicy, sandboxAuthPolicy, timeoutPolicy, turnRequestIdPolicy, turnThrottlePolicy } from './pipeline-policies.js';
import { SandboxCredential } from './sandbox-credential.js';
import {
  ApiManagementClient,
  AuthorizationManagementClient,
  bearerTokenAuthenticationPolicyName,
  loadResourceGraph,
  NetworkManagementClient,
  ResourceManagementClient,
  SubscriptionClient,
} from './sdk.js';

export interface ArmConnection {
  /** An ARM-compatible endpoint such as the sandbox; null = Azure public cloud. */
  endpoint: string | null;
  timeoutMs: number;
  maxRetries: number;
  /** Object id the bot runs as, when known from configuration. */
  principalId: string | null;
  logger: Logger;
  /** How to sign in to Azure when there is no endpoint (default: DefaultAzureCredential). */
  identity?: AzureIdentitySettings;
  /** How instances are looked up by name (find-instance.ts); defaults: INSTANCE_LOOKUP_CONCURRENCY, INSTANCE_NAME_CACHE_SECONDS. */
  instanceLookup?: Partial<InstanceLookupSettings>;
}

export interface InstanceLookupSettings {
  /** Subscriptions listed at once when Resource Graph cannot be used (INSTANCE_LOOKUP_CONCURRENCY). */
  concurrency: number;
  /** How long the resource ids a name resolved to are kept (INSTANCE_NAME_CACHE_SECONDS; 0 = not kept). */
  nameCacheSeconds: number;
  /** The clock of that cache (tests move it). */
  now: () => number;
}

export const DEFAULT_INSTANCE_LOOKUP: Readonly<Omit<InstanceLookupSettings, 'now'>> = { concurrency: 16, nameCacheSeconds: 60 };

/**
 * The Resource Graph api-version the bot sends: the stable one (the SDK's own default is a preview). Every field the
 * bot sends and reads (query, options.$skipToken and resultFormat; totalRecords, count, $skipToken, data) is in it.
 */
export const RESOURCE_GRAPH_API_VERSION = '2021-03-01';

/**
 * The one place that builds ARM clients. Every client gets the same retry (Retry-After on 429/503,
 * exponential back-off on 5xx and network errors), timeout and logging; one client per subscription, cached.
 */
export class ArmClients {
  readonly credential: TokenCredential;
  readonly instanceLookup: InstanceLookupSettings;
  readonly logger: Logger;
  private readonly cache = new Map<string, PipelineClient>();
  private principal: Promise<string> | null = null;

  constructor(private readonly connection: ArmConnection) {
    this.credential = connection.endpoint ? new SandboxCredential(connection.endpoint) : new LazyAzureCredential(connection.identity ?? { kind: 'default' });
    this.instanceLookup = { ...DEFAULT_INSTANCE_LOOKUP, now: Date.now, ...connection.instanceLookup };
    this.logger = connection.logger;
  }

  apiManagement(subscriptionId: string): ApiManagementClientType {
    return this.cached('apim', subscriptionId, () => new ApiManagementClient(this.credential, subscriptionId, this.options()));
  }

  network(subscriptionId: string): NetworkClientType {
    return this.cached('network', subscriptionId, () => new NetworkManagementClient(this.credential, subscriptionId, this.options()));
  }

  authorization(subscriptionId: string): AuthorizationClientType {
    return this.cached('authorization', subscriptionId, () => new AuthorizationManagementClient(this.credential, subscriptionId, this.options()));
  }

  resources(subscriptionId: string): ResourceClientType {
    return this.cached('resources', subscriptionId, () => new ResourceManagementClient(this.credential, subscriptionId, this.options()));
  }

  /** Azure Resource Graph, for finding instances across every subscription in one query (loaded on first use). */
  resourceGraph(): ResourceGraphClientType {
    return this.cached('resourcegraph', '', () => new (loadResourceGraph().ResourceGraphClient)(this.credential, { ...this.options(), apiVersion: RESOURCE_GRAPH_API_VERSION }));
  }

  subscriptions(): SubscriptionClientType {
    return this.cached('subscriptions', '', () => new SubscriptionClient(this.credential, this.options()));
  }

  /** An absolute ARM URL for a resource path (`/subscriptions/…`) on the endpoint these clients use. */
  url(path: string, apiVersion: string): string {
    const base = this.connection.endpoint ?? 'https://management.azure.com';
    return `${base}${path.startsWith('/') ? '' : '/'}${encodeURI(path)}?api-version=${apiVersion}`;
  }

  /** The object id the bot acts as: configured, or the `oid` claim of its ARM access token. */
  principalId(): Promise<string> {
    this.principal ??= this.connection.principalId
      ? Promise.resolve(this.connection.principalId)
      : this.credential.getToken('https://management.azure.com/.default').then((token) => {
          const oid = token ? oidOf(token.token) : null;
          if (!oid) throw new Error('Cannot tell which principal the bot runs as: set BOT_PRINCIPAL_ID.');
          return oid;
        });
    return this.principal;
  }

  private options() {
    const { endpoint, maxRetries } = this.connection;
    return {
      ...(endpoint ? { endpoint, allowInsecureConnection: endpoint.startsWith('http:') } : {}),
      retryOptions: { maxRetries, retryDelayInMs: 500, maxRetryDelayInMs: 30_000 },
      userAgentOptions: { userAgentPrefix: 'apim-vnet-bot' },
    };
  }

  private cached<T extends PipelineClient>(kind: string, subscriptionId: string, build: () => T): T {
    const key = `${kind}:${subscriptionId.toLowerCase()}`;
    let client = this.cache.get(key) as T | undefined;
    if (!client) {
      client = build();
      this.configure(client);
      this.cache.set(key, client);
    }
    return client;
  }

  private configure(client: PipelineClient): void {
    const { endpoint, timeoutMs, logger } = this.connection;
    if (endpoint) {
      client.pipeline.removePolicy({ name: bearerTokenAuthenticationPolicyName });
      client.pipeline.addPolicy(sandboxAuthPolicy(this.credential), { phase: 'Sign' });
    }
    client.pipeline.addPolicy(timeoutPolicy(timeoutMs));
    client.pipeline.addPolicy(turnRequestIdPolicy());
    client.pipeline.addPolicy(turnThrottlePolicy(), { afterPhase: 'Retry' });
    client.pipeline.addPolicy(requestLogPolicy(logger), { afterPhase: 'Retry' });
  }
}

interface PipelineClient {
  pipeline: Pipeline;
}

function oidOf(jwt: string): string | null {
  const payload = jwt.split('.')[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { oid?: unknown };
    return typeof claims.oid === 'string' ? claims.oid : null;
  } catch {
    return null;
  }
}
