import { createRequire } from 'node:module';
import type * as ApiManagement from '@azure/arm-apimanagement';
import type * as Authorization from '@azure/arm-authorization';
import type * as Network from '@azure/arm-network';
import type * as ResourceGraph from '@azure/arm-resourcegraph';
import type * as Resources from '@azure/arm-resources';
import type * as Subscriptions from '@azure/arm-resources-subscriptions';
import type * as RestPipeline from '@azure/core-rest-pipeline';
import type * as StorageBlob from '@azure/storage-blob';

/**
 * The Azure SDK packages, loaded through their CommonJS builds: those load in about two thirds of the time
 * of the ES module builds, and start-up counts for every `check`. Everything in the process must take the
 * SDK values from here, so that one copy of each package is loaded.
 */
const require = createRequire(import.meta.url);

export const { ApiManagementClient } = require('@azure/arm-apimanagement') as typeof ApiManagement;
export const { AuthorizationManagementClient } = require('@azure/arm-authorization') as typeof Authorization;
export const { NetworkManagementClient } = require('@azure/arm-network') as typeof Network;
export const { ResourceManagementClient } = require('@azure/arm-resources') as typeof Resources;
export const { SubscriptionClient } = require('@azure/arm-resources-subscriptions') as typeof Subscriptions;
export const { bearerTokenAuthenticationPolicyName, createPipelineRequest, isRestError, RestError } =
  require('@azure/core-rest-pipeline') as typeof RestPipeline;

let storageBlob: typeof StorageBlob | null = null;

/**
 * @azure/storage-blob (CommonJS build, sharing core-rest-pipeline with the ARM clients), loaded on first use:
 * only the blob store needs it, and `check` should not pay for loading it.
 */
export function loadStorageBlob(): typeof StorageBlob {
  storageBlob ??= require('@azure/storage-blob') as typeof StorageBlob;
  return storageBlob;
}

let resourceGraph: typeof ResourceGraph | null = null;

/** @azure/arm-resourcegraph (CommonJS build), loaded on first use: only a lookup of an instance by name needs it. */
export function loadResourceGraph(): typeof ResourceGraph {
  resourceGraph ??= require('@azure/arm-resourcegraph') as typeof ResourceGraph;
  return resourceGraph;
}
