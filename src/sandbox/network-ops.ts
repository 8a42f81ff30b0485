/** Long-running operations of the Network provider: polled under Microsoft.Network/locations/{loc}/operations. */
import { apiVersionOf, type RequestContext } from './context.js';
import { anotherOperationInProgress } from './errors.js';
import { normalizeLocation, type ParsedResourceId } from './ids.js';
import type { Operation } from './lro.js';
import type { ArmResource } from './types.js';

export function startNetworkOperation(
  ctx: RequestContext,
  parsed: ParsedResourceId,
  location: string | undefined,
  resourceId: string,
  onSucceed: () => void,
  onFail: () => void,
): Operation {
  const { ops, faults } = ctx.state;
  return ops.start(
    {
      subscriptionId: parsed.subscriptionId ?? '',
      namespace: 'Microsoft.Network',
      statusSegment: 'operations',
      location: normalizeLocation(location) || 'global',
      resourceId,
      apiVersion: apiVersionOf(ctx, '2024-05-01'),
      durationMs: faults.knobs.lroSeconds * 1000,
      willFail: faults.knobs.failLro,
      onSucceed,
      onFail,
    },
    ctx.now,
  );
}

/** True while a write or delete on the resource runs (provisioningState other than Succeeded). */
export function isBusy(doc: ArmResource): boolean {
  return String(doc.properties?.['provisioningState'] ?? 'Succeeded').toLowerCase() !== 'succeeded';
}

/** 409 AnotherOperationInProgress while a write or delete on the resource runs. */
export function requireIdle(doc: ArmResource): void {
  if (isBusy(doc)) throw anotherOperationInProgress(doc.id);
}
