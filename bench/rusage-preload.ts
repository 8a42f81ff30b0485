/**
 * Loaded with `node --import <this file>` into a process the bench measures: at exit it writes the
 * process's resource usage (peak RSS included) as JSON to the file named by BENCH_RUSAGE_FILE.
 * It must stay side-effect free otherwise, and cheap: it runs inside the measured process.
 */
import { writeFileSync } from 'node:fs';

export interface RusageRecord {
  /** Peak resident set size, KiB (Linux `ru_maxrss`). */
  maxRssKiB: number;
  userCpuMs: number;
  systemCpuMs: number;
  /** Time from process start to exit, as Node counts it. */
  uptimeMs: number;
  exitCode: number;
}

const target = process.env['BENCH_RUSAGE_FILE'];
if (target) {
  process.on('exit', (code) => {
    const usage = process.resourceUsage();
    const record: RusageRecord = {
      maxRssKiB: usage.maxRSS,
      userCpuMs: usage.userCPUTime / 1000,
      systemCpuMs: usage.systemCPUTime / 1000,
      uptimeMs: process.uptime() * 1000,
      exitCode: code,
    };
    try {
      writeFileSync(target, JSON.stringify(record));
    } catch {
      // Nothing to do: the bench reports the missing record.
    }
  });
}
