/** Adaptive Card templates from the repository's `cards/` folder, expanded with adaptivecards-templating. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Template } from 'adaptivecards-templating';

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  version: string;
  [key: string]: unknown;
}

export type CardTemplateName = 'options' | 'request' | 'pick-instance' | 'help' | 'instance-status' | 'requests' | 'request-list' | 'subnet-problems';

/** The `cards/` folder: found by walking up from this module (it sits at a different depth in src/ and dist/). */
function cardsFolder(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'cards');
    if (existsSync(join(candidate, 'options.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Cannot find the cards/ folder with the Adaptive Card templates.');
    dir = parent;
  }
}

const templates = new Map<CardTemplateName, Template>();
let folder: string | null = null;

export function renderCard(name: CardTemplateName, data: object): AdaptiveCard {
  let template = templates.get(name);
  if (!template) {
    folder ??= cardsFolder();
    template = new Template(JSON.parse(readFileSync(join(folder, `${name}.json`), 'utf8')));
    templates.set(name, template);
  }
  const card = template.expand({ $root: data }) as AdaptiveCard;
  delete card.$schema;
  return card;
}

/** Size of the card as Teams receives it (UTF-8 bytes of its JSON). */
export function cardBytes(card: AdaptiveCard): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}
