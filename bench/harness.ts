/**
 * A tiny, dependency-free benchmark harness. Each `bench/*.bench.ts` file default-exports
 * `defineBench({...})`. Every comparison runs our operation and a named peer in the same
 * process, interleaved in rounds so drift affects both sides equally, and reports
 * `ours/<peer> = <ratio>x (higher is better)` where the ratio is ours ÷ peer in operations
 * per second.
 */

export type Operation = () => unknown;

export interface Comparison {
  /** Short kebab-case name, e.g. `kpi-validate-evaluate`. */
  readonly name: string;
  /** Name of the peer we compare against, e.g. `ajv-recompile-per-call` or `node:http`. */
  readonly peer: string;
  /** One operation of ours (may return a promise). */
  readonly ours: Operation;
  /** The same work done by the peer. */
  readonly theirs: Operation;
  /** Items processed by one operation (e.g. 1000 observations per call); default 1. */
  readonly itemsPerOp?: number;
  /** Unit of one item, for the throughput lines, e.g. `obs`, `req`, `msg`. Default `op`. */
  readonly unit?: string;
}

export interface BenchDefinition {
  /** Name of the suite, usually the package, e.g. `ioc-kpi`. */
  readonly name: string;
  /** Runs once before measuring (start servers, build fixtures). */
  readonly setup?: () => unknown;
  /** Runs once after measuring, even when a comparison throws. */
  readonly teardown?: () => unknown;
  readonly comparisons: readonly Comparison[];
}

export function defineBench(definition: BenchDefinition): BenchDefinition {
  return definition;
}

export interface Sample {
  readonly ops: number;
  readonly seconds: number;
}

export interface ComparisonResult {
  readonly suite: string;
  readonly name: string;
  readonly peer: string;
  readonly unit: string;
  readonly oursItemsPerSecond: number;
  readonly peerItemsPerSecond: number;
  /** ours ÷ peer, in items per second: above 1 means we are faster. */
  readonly ratio: number;
  readonly rounds: number;
}

export interface MeasureOptions {
  /** Target wall time per side, in milliseconds. */
  readonly timeMs: number;
  /** Number of interleaved rounds (the median round is reported). */
  readonly rounds: number;
}

async function runFor(op: Operation, ms: number): Promise<Sample> {
  const start = performance.now();
  const deadline = start + ms;
  let ops = 0;
  let now = start;
  while (now < deadline) {
    const r = op();
    if (r !== null && typeof r === 'object' && typeof (r as { then?: unknown }).then === 'function') {
      await (r as PromiseLike<unknown>);
    }
    ops++;
    now = performance.now();
  }
  return { ops, seconds: (now - start) / 1000 };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export async function measure(
  suite: string,
  c: Comparison,
  options: MeasureOptions,
): Promise<ComparisonResult> {
  const items = c.itemsPerOp ?? 1;
  const perRound = Math.max(20, Math.floor(options.timeMs / options.rounds));
  // Warm-up both sides so the JIT has seen them before the clock starts.
  await runFor(c.ours, Math.min(200, perRound));
  await runFor(c.theirs, Math.min(200, perRound));
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < options.rounds; i++) {
    // Alternate which side goes first so neither always runs on a warmer machine.
    const first = i % 2 === 0;
    const a = await runFor(first ? c.ours : c.theirs, perRound);
    const b = await runFor(first ? c.theirs : c.ours, perRound);
    const [o, t] = first ? [a, b] : [b, a];
    ours.push((o.ops * items) / o.seconds);
    theirs.push((t.ops * items) / t.seconds);
  }
  const oursRate = median(ours);
  const peerRate = median(theirs);
  return {
    suite,
    name: c.name,
    peer: c.peer,
    unit: c.unit ?? 'op',
    oursItemsPerSecond: oursRate,
    peerItemsPerSecond: peerRate,
    ratio: oursRate / peerRate,
    rounds: options.rounds,
  };
}

/** The line CI and READMEs quote. */
export function formatRatio(r: ComparisonResult): string {
  return `${r.name}: ours/${r.peer} = ${r.ratio.toFixed(2)}x (higher is better)`;
}

export function formatRate(r: ComparisonResult): string {
  const f = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toPrecision(3));
  return `  ours ${f(r.oursItemsPerSecond)} ${r.unit}/s, ${r.peer} ${f(r.peerItemsPerSecond)} ${r.unit}/s (median of ${r.rounds} rounds)`;
}
