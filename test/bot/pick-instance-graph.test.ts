/**
 * An instance name used in two subscriptions, over /api/messages: the pick card comes from one Azure Resource Graph
 * query, and from the per-subscription listing when Resource Graph refuses the bot; picking carries on either way.
 */
import { describe, expect, it } from 'vitest';
import { actionsOf, alice, apimDocument, cardOf, choicesOf, estate, groupChat, instanceId, invokeCard, OTHER_SUB, TENANT, textOf, useBot } from '../support/index.js';

const OTHER_PAYMENTS = `/subscriptions/${OTHER_SUB}/resourceGroups/rg-apim/providers/Microsoft.ApiManagement/service/payments-apim`;

/** The test estate plus a payments-apim in a second subscription. */
function twoSubscriptions() {
  const seed = estate();
  seed.resources.push(apimDocument(OTHER_SUB, 'rg-apim', 'payments-apim') as never);
  seed.subscriptions.push({ subscriptionId: OTHER_SUB, displayName: 'contoso-other', tenantId: TENANT });
  return seed;
}

const isGraphQuery = (r: { method: string; path: string }) => r.method === 'POST' && r.path.toLowerCase().startsWith('/providers/microsoft.resourcegraph/resources');
const isApimList = (r: { path: string }) => /\/providers\/Microsoft\.ApiManagement\/service\?/.test(r.path);

describe('the pick card for a name in several subscriptions', () => {
  const bots = useBot();

  it.each([
    ['through Resource Graph', 'available', 1, 0],
    ['through the per-subscription listing when Resource Graph refuses the bot', 'denied', 1, 2],
  ] as const)('%s', async (_, resourceGraph, graphQueries, apimLists) => {
    const h = await bots.start({ seed: twoSubscriptions(), tenantId: TENANT, sandbox: { resourceGraph } });
    const chat = groupChat(`pick-${resourceGraph}`);
    const asked = await h.say(alice, chat, 'check payments-apim');
    const card = cardOf(asked.reply?.activity);
    expect(choicesOf(card, 'instanceId').map((c) => c.value).sort()).toEqual([instanceId('payments-apim'), instanceId('payments-apim', 'rg-apim-eu'), OTHER_PAYMENTS].sort());
    const requests = await h.armRequests();
    expect(requests.filter(isGraphQuery)).toHaveLength(graphQueries);
    expect(requests.filter(isApimList)).toHaveLength(apimLists);

    const pick = actionsOf(card).find((a) => a.verb === 'pickInstance')!;
    const picked = await h.click(alice, chat, 'pickInstance', { ...pick.data, instanceId: instanceId('payments-apim') }, asked.reply!.activityId);
    expect(textOf(invokeCard(picked))).toContain('Outbound VNet integration for payments-apim');
  });
});
