/** /readyz: ready when the store answers and an ARM token can be had; /healthz stays liveness (200 either way). */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { startApp } from '../../src/main.js';
import { ROOT } from '../infra/template.js';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function app(env: Record<string, string>) {
  const dataDir = await mkdtemp(join(tmpdir(), 'apim-bot-ready-'));
  dirs.push(dataDir);
  return startApp(loadConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env }), { logger: createLogger('silent') });
}

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('/readyz', () => {
  it('is ready on a working store and ARM (the embedded sandbox)', async () => {
    const running = await app({ SANDBOX_SEED: join(ROOT, 'seeds', 'demo.json') });
    try {
      const res = await fetch(`${running.url}/readyz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ready', checks: { store: 'ok', arm: 'ok' } });
    } finally {
      await running.close();
    }
  });

  it('is not ready (503, with the reason) when no ARM token can be had, while /healthz still says alive', async () => {
    const running = await app({ ARM_ENDPOINT: `http://127.0.0.1:${await closedPort()}` });
    try {
      const res = await fetch(`${running.url}/readyz`);
      expect(res.status).toBe(503);
      const body = (await res.json()) as { status: string; checks: Record<string, string> };
      expect(body.status).toBe('not ready');
      expect(body.checks.store).toBe('ok');
      expect(body.checks.arm).not.toBe('ok');
      expect(body.checks.arm!.length).toBeGreaterThan(0);
      expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
    } finally {
      await running.close();
    }
  });
});
