/**
 * A vitest fixture for tests that run the bot and the sandbox as processes: one Connector stand-in for the file;
 * the processes, stores and temp dirs a test records are killed, closed and removed after it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Stores } from '../../src/requests/store/index.js';
import { FakeConnector } from './fake-connector.js';
import type { ChildServer } from './processes.js';

export interface BotProcesses {
  /** The Connector stand-in every bot of the file talks to. */
  readonly connector: FakeConnector;
  /** The processes the test started. */
  readonly children: ChildServer[];
  /** Stores the test opened on a bot's DATA_DIR. */
  stores: Stores | null;
  /** A new temp directory named from `prefix`. */
  tempDir(prefix: string): Promise<string>;
}

export function useBotProcesses(): BotProcesses {
  let connector: FakeConnector | undefined;
  const dirs: string[] = [];
  const processes: BotProcesses = {
    get connector() {
      if (!connector) throw new Error('the Connector stand-in is used before it has started');
      return connector;
    },
    children: [],
    stores: null,
    async tempDir(prefix) {
      const dir = await mkdtemp(join(tmpdir(), prefix));
      dirs.push(dir);
      return dir;
    },
  };
  beforeAll(async () => {
    connector = await FakeConnector.start();
  });
  afterAll(async () => {
    await connector?.close();
  });
  afterEach(async () => {
    await Promise.all(processes.children.splice(0).map((c) => c.kill('SIGKILL')));
    await processes.stores?.close();
    processes.stores = null;
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return processes;
}
