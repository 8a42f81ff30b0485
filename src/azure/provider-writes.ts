/** Registers the resource provider the integration needs (Microsoft.Web) in a subscription. */
import type { ArmClients } from './arm-clients.js';
import { ArmWriteError, sleep, type WriteOptions } from './long-running.js';

export const WEB_NAMESPACE = 'Microsoft.Web';

/** Registers Microsoft.Web in the subscription unless it is registered, and waits until it is. */
export async function registerWebProvider(arm: ArmClients, subscriptionId: string, options: WriteOptions): Promise<'already' | 'registered'> {
  const providers = arm.resources(subscriptionId).providers;
  const before = await providers.get(WEB_NAMESPACE);
  if (before.registrationState?.toLowerCase() === 'registered') return 'already';
  options.signal?.throwIfAborted();
  if (before.registrationState?.toLowerCase() !== 'registering') await providers.register(WEB_NAMESPACE);
  const deadline = Date.now() + (options.timeoutMs ?? 15 * 60_000);
  for (;;) {
    const state = (await providers.get(WEB_NAMESPACE)).registrationState ?? 'NotRegistered';
    if (state.toLowerCase() === 'registered') return 'registered';
    if (!['registering', 'notregistered'].includes(state.toLowerCase())) {
      throw new ArmWriteError('ProviderRegistrationFailed', `Microsoft.Web registration ended in state ${state}.`);
    }
    if (Date.now() > deadline) throw new ArmWriteError('ProviderRegistrationTimeout', `Microsoft.Web is still ${state} after waiting.`);
    await sleep(options.pollIntervalMs, options.signal);
  }
}
