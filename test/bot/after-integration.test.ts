import { describe, expect, it } from 'vitest';
import { afterIntegrationAdvice } from '../../src/bot/cards/after-integration-advice.js';
import { requestCard } from '../../src/bot/cards/request-card.js';
import { textOf } from '../support/index.js';
import { request } from '../requests/fixtures.js';
import type { IntegrationRequest, RequestState } from '../../src/requests/request.js';

const OPTIONS = { allowSelfApproval: false };
const done = (overrides: Partial<IntegrationRequest> = {}) =>
  request({ state: 'succeeded', apply: { step: 'done', done: [], pollerState: null, pollerStep: null, failure: null }, ...overrides });

describe('advice after a successful integration', () => {
  it('is four short lines: private DNS, peerings, the whole range, the public address', () => {
    const lines = afterIntegrationAdvice(done());
    expect(lines).toEqual([
      "Backends behind private endpoints: link their privatelink.* private DNS zones to VNet 'hub' (or to the VNet that holds your DNS servers).",
      'Backends in peered VNets: the peering must be connected, and their routes and NSGs must allow the range of hub/apim.',
      "Allow-list the whole range of hub/apim, not single addresses: the instance's addresses change.",
      'Calls to public backends still leave from a public address.',
    ]);
    for (const line of lines) expect(line.length).toBeLessThan(150);
  });

  it('names the subnet the bot created for a new-subnet request', () => {
    const proposal = { subnetId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/spoke/subnets/snet-new' };
    const lines = afterIntegrationAdvice(done({ kind: 'newSubnet', apply: { step: 'done', done: [], pollerState: null, pollerStep: null, failure: null, proposal: proposal as never } }));
    expect(lines[0]).toContain("VNet 'spoke'");
    expect(lines[2]).toContain('spoke/snet-new');
  });

  it('is not given for a disconnect, nor before or without success', () => {
    expect(afterIntegrationAdvice(done({ kind: 'disconnect' }))).toEqual([]);
    for (const state of ['pending', 'approved', 'applying', 'failed', 'rejected', 'cancelled', 'expired'] as RequestState[]) {
      expect(afterIntegrationAdvice(request({ state })), state).toEqual([]);
    }
  });

  it('shows on the final card of the requester and of the approver, and nowhere else', () => {
    for (const role of ['requester', 'approval'] as const) {
      const text = textOf(requestCard(done(), role, OPTIONS));
      expect(text).toContain('Next steps');
      expect(text).toContain('• Backends behind private endpoints');
      expect(text).toContain('• Calls to public backends still leave from a public address.');
    }
    expect(textOf(requestCard(request(), 'approval', OPTIONS))).not.toContain('Next steps');
    expect(textOf(requestCard(done({ kind: 'disconnect' }), 'requester', OPTIONS))).not.toContain('Next steps');
  });
});
