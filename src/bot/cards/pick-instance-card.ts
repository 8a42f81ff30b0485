/** When several instances share the typed name: pick one. Pure. */
import type { InstanceFacts } from '../../eligibility/facts.js';
import { renderCard, type AdaptiveCard } from './template.js';
import { skuText, truncate } from './wording.js';

export function pickInstanceCard(checkId: string, typed: string, instances: InstanceFacts[], actionTitle: string): AdaptiveCard {
  return renderCard('pick-instance', {
    title: `${instances.length} instances are named ${typed}`,
    text: 'Which one do you mean?',
    checkId,
    actionTitle,
    choices: instances.map((i) => ({
      title: truncate(`${i.name} · ${i.resourceGroup} · subscription ${i.subscriptionId} · ${skuText(i.skuName)} · ${i.location}`, 200),
      value: i.id,
    })),
  });
}
