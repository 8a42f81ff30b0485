#!/usr/bin/env node
import { CHECK_USAGE } from './cli/check-usage.js';
import { CodedError, ErrorCode, messageOf } from './errors.js';

const USAGE = `apim-vnet-bot: self-service outbound VNet integration for Azure API Management v2

Commands:
  check <instance> [--subnet <id>] [--as <object id>] [--seed <file>] [--json]
                     judge an instance and its subnets against every integration rule
  serve              run the Teams bot server (settings from the environment; see .env.sample)
  start              the demo (what npm start runs): the bot on the demo seed with its embedded sandbox,
                     and the Microsoft 365 Agents Playground pointed at it
  sandbox [--seed <file>] [--port <n>] [--latency-ms <n>] [--lro-seconds <n>] [--page-size <n>]
          [--throttle-rate <0..1>] [--error-rate <0..1>] [--fail-lro]
                     run the embedded ARM-compatible sandbox (demo seed by default)
  audit [--since <ISO 8601 date>] [--request <id>] [--format jsonl|csv]
                     export the request audit log as JSON lines (store from the environment)

${CHECK_USAGE}`;

/** Exit codes: 0 ok, 1 no usable subnet, 2 bad input, 3 ARM unreadable, 4 unexpected failure, 5 DATA_DIR taken over. */
function exitCodeOf(error: unknown): number {
  if (error instanceof CodedError) {
    if (error.code === ErrorCode.ARM_UNAVAILABLE || error.code === ErrorCode.ARM_THROTTLED) return 3;
    if (error.code === ErrorCode.STORE_LEASE_LOST) return 5;
    return 2;
  }
  return 4;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    // Each command loads what it needs: `serve` starts the telemetry before the Azure SDK is loaded.
    case 'check': {
      const { checkCommand } = await import('./cli/check.js');
      return checkCommand(rest, process.env);
    }
    case 'serve': {
      const { serveCommand } = await import('./cli/serve.js');
      return serveCommand(process.env);
    }
    case 'start': {
      const { demoCommand } = await import('./cli/start.js');
      return demoCommand(process.env);
    }
    case 'audit': {
      const { auditCommand } = await import('./cli/audit.js');
      return auditCommand(rest, process.env);
    }
    case 'sandbox': {
      const { sandboxCommand } = await import('./cli/sandbox.js');
      await sandboxCommand(rest);
      return 0;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE + '\n');
      return command === undefined ? 2 : 0;
    default:
      throw new CodedError(ErrorCode.INVALID_INPUT, `Unknown command "${command}".\n\n${USAGE}`);
  }
}

/**
 * Exits once what was written has been flushed: a command is over when it has answered, even if reads it no
 * longer needs (retries of a check that already failed) are still pending.
 */
function exitWhenFlushed(code: number): void {
  process.exitCode = code;
  let streams = 2;
  const done = () => {
    if (--streams === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

main(process.argv.slice(2)).then(exitWhenFlushed, (error: unknown) => {
  const message = messageOf(error);
  process.stderr.write(`apim-vnet-bot: ${message}\n`);
  if (!(error instanceof CodedError) && error instanceof Error && error.stack) process.stderr.write(error.stack + '\n');
  exitWhenFlushed(exitCodeOf(error));
});
