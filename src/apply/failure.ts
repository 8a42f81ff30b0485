/** Why an apply failed, as the request stores it: ARM's code and message, or the finding that stopped it, in plain words. */
import { armFailureOf, type ArmFailure } from '../azure/arm-errors.js';
import { ArmWriteError } from '../azure/long-running.js';
import type { Finding } from '../eligibility/report.js';
import { CodedError } from '../errors.js';
import type { ApplyFailure } from '../requests/request.js';
import { explainArmCode } from './explain-failure.js';
import { ApplyRefused, RecheckRefused } from './recheck.js';

/** ARM's code and message, or the finding that stopped the re-check, with a plain explanation. */
export function failureOf(error: unknown): ApplyFailure {
  if (error instanceof ApplyRefused) return { code: error.code, message: error.message, explanation: error.explanation };
  if (error instanceof RecheckRefused) {
    const f: Finding = error.finding;
    return { code: f.code, message: f.message, explanation: f.fix ?? 'The request no longer passes the checks. Check again and make a new request.' };
  }
  if (error instanceof ArmWriteError) return { code: error.code, message: error.message, explanation: explainArmCode(error.code) };
  if (error instanceof CodedError) {
    const arm = error.details.arm as ArmFailure | undefined;
    if (arm) return { code: arm.code, message: arm.message, explanation: explainArmCode(arm.code) };
    return { code: error.code, message: error.message, explanation: 'Check again and make a new request.' };
  }
  const arm = armFailureOf(error);
  return { code: arm.code, message: arm.message, explanation: explainArmCode(arm.code) };
}
