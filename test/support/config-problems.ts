/** The problems loadConfig names for `env` (none when it loads); anything but a CodedError fails the test. */
import { expect } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { CodedError } from '../../src/errors.js';

export function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(CodedError);
    return (error as CodedError).details.problems as string[];
  }
}
