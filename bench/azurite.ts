/**
 * Azurite (the local Azure Storage emulator, blob service only) as a child process on a free loopback port,
 * in memory, for the blob-store tests and benchmarks. Stopped by its process id.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** Azurite's documented development account (a public, well-known key: not a secret). */
const ACCOUNT = 'devstoreaccount1';
const KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface RunningAzurite {
  url: string;
  pid: number;
  connectionString: string;
  stop(): Promise<void>;
}

function azuriteMain(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'node_modules', 'azurite', 'dist', 'src', 'blob', 'main.js');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('azurite is not installed (node_modules/azurite).');
    dir = parent;
  }
}

export async function startAzurite(timeoutMs = 20_000): Promise<RunningAzurite> {
  const args = [azuriteMain(), '--silent', '--inMemoryPersistence', '--disableTelemetry', '--skipApiVersionCheck', '--blobHost', '127.0.0.1', '--blobPort', '0'];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Azurite did not start within ${timeoutMs} ms\n${output}`));
    }, timeoutMs);
    lines.on('line', (line) => {
      output = (output + line + '\n').slice(-4000);
      const match = /successfully listens on (http:\/\/\S+)/.exec(line);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`Azurite exited (${String(code ?? signal)}) before it was ready\n${output}`));
    });
  });
  const pid = child.pid ?? 0;
  // Never outlive the process that started it, even when that one ends without stopping it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  return {
    url,
    pid,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${KEY};BlobEndpoint=${url}/${ACCOUNT};`,
    stop: () => stopChild(child),
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}
