/**
 * An estate of many subscriptions, for the instance lookup's tests and bench: subscription i holds one StandardV2
 * instance `apim-<i>` in rg-apim, the bot reads every subscription (Reader), and `shared` names one more instance of
 * one name in several subscriptions (an ambiguous name).
 */
import { BUILT_IN_ROLE_IDS } from '../../src/sandbox/builtin-roles.js';
import { apimDocument, roleAssignmentDocument } from './arm-documents.js';

export const MANY_BOT = 'b0700000-0000-4000-8000-0000000000aa';

export const subscriptionOf = (i: number) => `7c1d0000-0000-4000-8000-${(i + 1).toString(16).padStart(12, '0')}`;

export const manyInstanceId = (i: number, name = `apim-${i}`) =>
  `/subscriptions/${subscriptionOf(i)}/resourceGroups/rg-apim/providers/Microsoft.ApiManagement/service/${name}`;

export interface ManySubscriptionsOptions {
  /** An instance of this name in each of the `in` subscriptions (by index). */
  shared?: { name: string; in: number[] };
}

export function manySubscriptionsEstate(count: number, options: ManySubscriptionsOptions = {}) {
  const resources: unknown[] = [];
  const subscriptions = [];
  for (let i = 0; i < count; i++) {
    const subscriptionId = subscriptionOf(i);
    subscriptions.push({ subscriptionId, displayName: `subscription ${i}` });
    resources.push(apimDocument(subscriptionId, 'rg-apim', `apim-${i}`));
    resources.push(roleAssignmentDocument(`/subscriptions/${subscriptionId}`, MANY_BOT, BUILT_IN_ROLE_IDS.reader, i + 1, 'ServicePrincipal'));
  }
  for (const i of options.shared?.in ?? []) resources.push(apimDocument(subscriptionOf(i), 'rg-apim', options.shared?.name ?? ''));
  return { botPrincipalId: MANY_BOT, subscriptions, resources, providers: {}, groups: {} };
}
