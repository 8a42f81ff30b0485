/** Vitest fixtures for bots started in a test file: each one is closed when its test (or the file) ends. */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { BotHarness, type HarnessOptions } from './bot-harness.js';

/** Bots started by `start` in a test are closed after that test. */
export function useBot() {
  const started: BotHarness[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((h) => h.close()));
  });
  return {
    async start(options: HarnessOptions): Promise<BotHarness> {
      const h = await BotHarness.start(options);
      started.push(h);
      return h;
    },
  };
}

/** One bot for the whole file, started before its first test and closed after its last; usable once started. */
export function useSharedBot(options: () => HarnessOptions): BotHarness {
  let current: BotHarness | undefined;
  beforeAll(async () => {
    current = await BotHarness.start(options());
  });
  afterAll(async () => {
    await current?.close();
  });
  return new Proxy({} as BotHarness, {
    get(_target, property) {
      if (!current) throw new Error('the shared bot is used before it has started');
      const value = Reflect.get(current, property, current);
      return typeof value === 'function' ? value.bind(current) : value;
    },
  });
}
