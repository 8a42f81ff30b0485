/**
 * The API Management instances the identity can read, all or those of one name: through one Azure Resource Graph
 * query when it answers, otherwise (graph-fallback.ts says when) by listing the subscriptions and then the
 * instances of each, at most INSTANCE_LOOKUP_CONCURRENCY subscriptions at once. Which way was taken, and why, is
 * logged once per way (and reason) for the process's ARM clients.
 */
import type { ApiManagementServiceResource } from '@azure/arm-apimanagement';
import { CodedError } from '../errors.js';
import type { InstanceFacts } from '../eligibility/facts.js';
import { mapLimit } from '../common/map-limit.js';
import type { ArmClients } from './arm-clients.js';
import { armFailureOf, isSignInFailure } from './arm-errors.js';
import { graphFallbackOf } from './graph-fallback.js';
import { apimResourceOfRow } from './graph-rows.js';
import { instancesQuery } from './instance-query.js';
import { queryResourceGraph } from './resource-graph.js';
import { instanceFacts } from './to-facts.js';

export type LookupPath = 'resourceGraph' | 'subscriptions';

export interface InstanceListing {
  path: LookupPath;
  /** The instances asked for: every one, or those named `name` (case-insensitively). */
  matches: InstanceFacts[];
  /** Every instance the identity can read, when the way taken had to read them all anyway (the fallback); else null. */
  all: InstanceFacts[] | null;
}

const logged = new WeakMap<ArmClients, Set<string>>();

export async function listInstancesNamed(arm: ArmClients, name: string | null): Promise<InstanceListing> {
  let rows: unknown[];
  try {
    rows = await queryResourceGraph(arm, instancesQuery(name));
  } catch (error) {
    const fallback = error instanceof CodedError || isSignInFailure(error) ? null : graphFallbackOf(armFailureOf(error));
    if (!fallback) throw error;
    const { concurrency } = arm.instanceLookup;
    logOnce(arm, `subscriptions:${fallback.kind}`, 'warn', 'instance lookup: listing instances subscription by subscription', {
      reason: fallback.reason,
      concurrency,
      fix: fallback.kind === 'refused' ? 'give the identity Reader on the subscriptions (Resource Graph needs only read access)' : undefined,
    });
    const all = await listBySubscription(arm, concurrency);
    return { path: 'subscriptions', matches: name === null ? all : all.filter((i) => sameName(i.name, name)), all };
  }
  logOnce(arm, 'resourceGraph', 'info', 'instance lookup: through Azure Resource Graph, one query across every readable subscription', {});
  const instances = rows.map(apimResourceOfRow).filter((r): r is ApiManagementServiceResource => r !== null).map(instanceFacts);
  return { path: 'resourceGraph', matches: name === null ? instances : instances.filter((i) => sameName(i.name, name)), all: name === null ? instances : null };
}

/** Today's way without Resource Graph: the subscriptions, then each one's instances, a bounded number at once. */
async function listBySubscription(arm: ArmClients, concurrency: number): Promise<InstanceFacts[]> {
  const subscriptionIds: string[] = [];
  for await (const subscription of arm.subscriptions().subscriptions.list()) {
    if (subscription.subscriptionId) subscriptionIds.push(subscription.subscriptionId);
  }
  const perSubscription = await mapLimit(subscriptionIds, concurrency, async (subscriptionId) => {
    const found: InstanceFacts[] = [];
    for await (const service of arm.apiManagement(subscriptionId).apiManagementService.list()) found.push(instanceFacts(service));
    return found;
  });
  return perSubscription.flat();
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function logOnce(arm: ArmClients, key: string, level: 'info' | 'warn', message: string, fields: Record<string, unknown>): void {
  let keys = logged.get(arm);
  if (!keys) logged.set(arm, (keys = new Set()));
  if (keys.has(key)) return;
  keys.add(key);
  arm.logger[level](message, fields);
}
