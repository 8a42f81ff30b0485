/** The benchmark framework's types and small statistics, shared by run.ts and the benchmark modules. */

export interface BenchOptions {
  runs: number;
  warmup: number;
  latencies: number[];
  vnets: number;
  subnetsPerVnet: number;
  strict: boolean;
  keepTemp: boolean;
}

export interface BenchContext {
  root: string;
  /** dist/src/cli.js */
  cli: string;
  /** file: URL of dist/bench/rusage-preload.js, for `node --import`. */
  preloadUrl: string;
  /** A private temporary directory, removed at the end unless --keep-temp. */
  tmp: string;
  options: BenchOptions;
  log(message: string): void;
}

export type Cell = string | number | null;

export interface Column {
  key: string;
  title: string;
  format?: (value: Cell, row: Record<string, Cell>) => string;
}

export interface Target {
  name: string;
  actual: number | null;
  limit: number;
  unit: string;
  /** true = met, false = missed, null = could not be measured. */
  pass: boolean | null;
}

export interface BenchmarkResult {
  /** Lines printed above the table (what was measured, on what). */
  notes: string[];
  columns: Column[];
  rows: Record<string, Cell>[];
  targets: Target[];
  /** Everything else worth keeping in bench/out/<name>.json. */
  details: unknown;
}

export interface Benchmark {
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<BenchmarkResult>;
}

export function target(name: string, actual: number | null, limit: number, unit: string): Target {
  return { name, actual, limit, unit, pass: actual === null || Number.isNaN(actual) ? null : actual <= limit };
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? null) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** The value below which `p` (0..1) of the values fall (nearest rank). */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? null;
}
