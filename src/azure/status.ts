/** Live state of an instance for `status`: read from ARM on every call, never from the bot's records. */
import type { InstanceFacts } from '../eligibility/facts.js';
import type { ArmClients } from './arm-clients.js';
import { asArmUnavailable } from './arm-errors.js';
import { findInstance } from './find-instance.js';

export interface LiveStatus {
  instance: InstanceFacts;
  /** The subnet the instance is integrated with (External + subnet), else null. */
  integratedSubnetId: string | null;
  /** An operation is running (provisioning state other than Succeeded/Failed/Canceled). */
  busy: boolean;
  readAt: string;
}

export function liveStatusOf(instance: InstanceFacts, readAt = new Date()): LiveStatus {
  const type = instance.virtualNetworkType.toLowerCase();
  return {
    instance,
    integratedSubnetId: type === 'external' ? instance.subnetResourceId : null,
    busy: !['succeeded', 'failed', 'canceled', 'cancelled'].includes(instance.provisioningState.toLowerCase()),
    readAt: readAt.toISOString(),
  };
}

/** Finds the instance by name or resource id and reads its network mode, subnet and provisioning state. */
export async function readLiveStatus(arm: ArmClients, nameOrId: string): Promise<LiveStatus> {
  try {
    return liveStatusOf(await findInstance(arm, nameOrId));
  } catch (error) {
    throw asArmUnavailable(error, `read the state of ${nameOrId}`);
  }
}
