/**
 * `apim-vnet-bot sandbox --seed <file> --port <n> [--latency-ms <n>] [--lro-seconds <n>] [--page-size <n>]
 *   [--throttle-rate <0..1>] [--error-rate <0..1>] [--fail-lro]`
 * Prints one line, the base URL, when ready; runs until SIGINT/SIGTERM. Without --seed it loads
 * `<package root>/seeds/demo.json`. Bad arguments throw an Error (the CLI prints it and exits 2).
 */
import { defaultSeedPath, loadSeedFile, startSandbox, type SandboxOptions } from '../sandbox/index.js';

export const SANDBOX_USAGE =
  'usage: apim-vnet-bot sandbox [--seed <file>] [--port <n>] [--latency-ms <n>] [--lro-seconds <n>] [--page-size <n>] [--throttle-rate <0..1>] [--error-rate <0..1>] [--fail-lro]';

export interface SandboxArgs extends Omit<SandboxOptions, 'seed'> {
  seedPath: string;
}

function numberArg(flag: string, raw: string, min: number, max: number, integer: boolean): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new Error(`${flag} must be ${integer ? 'an integer' : 'a number'} between ${min} and ${max}, got '${raw}'. ${SANDBOX_USAGE}`);
  }
  return n;
}

export function parseSandboxArgs(args: string[]): SandboxArgs {
  const out: SandboxArgs = { seedPath: '' };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
    if (flag === '--fail-lro') {
      if (inline !== undefined && inline !== 'true' && inline !== 'false') throw new Error(`--fail-lro takes no value. ${SANDBOX_USAGE}`);
      out.failLro = inline !== 'false';
      continue;
    }
    const known = ['--seed', '--port', '--latency-ms', '--lro-seconds', '--page-size', '--throttle-rate', '--error-rate'];
    if (!known.includes(flag)) throw new Error(`Unknown argument '${arg}'. ${SANDBOX_USAGE}`);
    let value = inline;
    if (value === undefined) {
      value = args[i + 1];
      i++;
    }
    if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new Error(`${flag} needs a value. ${SANDBOX_USAGE}`);
    switch (flag) {
      case '--seed':
        if (value === '') throw new Error(`--seed needs a file path. ${SANDBOX_USAGE}`);
        out.seedPath = value;
        break;
      case '--port':
        out.port = numberArg(flag, value, 0, 65535, true);
        break;
      case '--latency-ms':
        out.latencyMs = numberArg(flag, value, 0, 600_000, false);
        break;
      case '--lro-seconds':
        out.lroSeconds = numberArg(flag, value, 0, 86_400, false);
        break;
      case '--page-size':
        out.pageSize = numberArg(flag, value, 1, 10_000, true);
        break;
      case '--throttle-rate':
        out.throttleRate = numberArg(flag, value, 0, 1, false);
        break;
      case '--error-rate':
        out.errorRate = numberArg(flag, value, 0, 1, false);
        break;
    }
  }
  if (out.seedPath === '') out.seedPath = defaultSeedPath();
  return out;
}

/** Test seams: where the URL line goes, and a signal that stops the sandbox like SIGINT/SIGTERM do. */
export interface SandboxCommandIo {
  writeLine?: (line: string) => void;
  signal?: AbortSignal;
}

/** Runs the sandbox until SIGINT/SIGTERM (or `io.signal` aborts). */
export async function sandboxCommand(args: string[], io: SandboxCommandIo = {}): Promise<void> {
  const { seedPath, ...options } = parseSandboxArgs(args);
  const seed = await loadSeedFile(seedPath);
  const sandbox = await startSandbox({ ...options, seed });
  (io.writeLine ?? ((line: string) => process.stdout.write(`${line}\n`)))(sandbox.url);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      io.signal?.removeEventListener('abort', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    if (io.signal?.aborted) stop();
    else io.signal?.addEventListener('abort', stop);
  });
  await sandbox.close();
}
