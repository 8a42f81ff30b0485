import { parseArgs } from 'node:util';
import { ArmClients } from '../azure/arm-clients.js';
import { loadConfig } from '../config.js';
import { CodedError, ErrorCode } from '../errors.js';
import { isGuid } from '../eligibility/resource-id.js';
import { createLogger } from '../log.js';
import { writeReportJson } from '../check/report-json.js';
import { reportText } from '../check/report-text.js';
import { hasUsableSubnet, runCheck } from '../check/run-check.js';
import { subnetProposalFor } from '../check/subnet-proposal.js';
import { CHECK_USAGE } from './check-usage.js';


/** `apim-vnet-bot check …`: returns the exit code. */
export async function checkCommand(args: string[], env: Record<string, string | undefined>): Promise<number> {
  const { values, positionals } = parseCheckArgs(args);
  const instance = positionals[0];
  if (!instance || positionals.length > 1) throw new CodedError(ErrorCode.INVALID_INPUT, `Name exactly one instance.\n${CHECK_USAGE}`);
  if (values.as !== undefined && !isGuid(values.as)) {
    throw new CodedError(ErrorCode.INVALID_INPUT, `--as takes the requester's Entra object id (a GUID), not "${values.as}".`);
  }

  const sandbox = values.seed ? await startSeededSandbox(values.seed) : null;
  try {
    const config = loadConfig(sandbox ? { ...env, ARM_ENDPOINT: sandbox.url, SANDBOX_SEED: undefined } : env);
    const arm = new ArmClients({
      endpoint: config.armEndpoint,
      timeoutMs: config.armTimeoutMs,
      maxRetries: config.armMaxRetries,
      principalId: config.botPrincipalId,
      instanceLookup: config.instanceLookup,
      logger: createLogger(config.logLevel),
    });
    const outcome = await runCheck(arm, { instance, subnetId: values.subnet ?? null, requesterId: values.as ?? null }, config.eligibility);
    const proposal = subnetProposalFor(outcome, config.eligibility, values['new-subnet']);
    if (values.json) await writeReportJson(outcome.report, proposal, process.stdout);
    else process.stdout.write(reportText(outcome.report, proposal));
    return hasUsableSubnet(outcome.report) ? 0 : 1;
  } finally {
    await sandbox?.close();
  }
}

function parseCheckArgs(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      options: {
        subnet: { type: 'string' },
        as: { type: 'string' },
        seed: { type: 'string' },
        json: { type: 'boolean', default: false },
        'new-subnet': { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new CodedError(ErrorCode.INVALID_INPUT, `${(error as Error).message}\n${CHECK_USAGE}`);
  }
}

async function startSeededSandbox(seedFile: string) {
  const { loadSeedFile, startSandbox } = await import('../sandbox/index.js');
  let seed;
  try {
    seed = await loadSeedFile(seedFile);
  } catch (error) {
    throw new CodedError(ErrorCode.INVALID_INPUT, `Cannot load seed ${seedFile}: ${(error as Error).message}`);
  }
  return startSandbox({ seed, port: 0, lroSeconds: 2 });
}
