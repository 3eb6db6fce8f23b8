/**
 * Runs `bench/*.bench.ts` and prints one ratio line per comparison:
 *
 *   <name>: ours/<peer> = <ratio>x (higher is better)
 *
 * Results (with machine information) go to `bench/results/latest.json`.
 *
 *   npm run bench                       every bench file
 *   npm run bench -- ioc-kpi            only files whose name contains "ioc-kpi"
 *   npm run bench -- --time=500 --rounds=3
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatRate, formatRatio, measure, type BenchDefinition, type ComparisonResult } from './harness.js';

const benchDir = path.dirname(fileURLToPath(import.meta.url));

function option(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  if (arg === undefined) return fallback;
  const value = Number(arg.split('=')[1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

export function machineInfo() {
  const cpus = os.cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.platform()} ${os.release()}`,
    arch: os.arch(),
    cpuModel: cpus[0]?.model ?? 'unknown',
    cpuCount: cpus.length,
    totalMemoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAverage: os.loadavg(),
  };
}

async function main(): Promise<number> {
  const filters = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const timeMs = option('time', 2000);
  const rounds = option('rounds', 5);
  const files = fs
    .readdirSync(benchDir)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
    .sort();
  if (files.length === 0) {
    console.error(`no bench file matches ${filters.join(', ')}`);
    return 1;
  }
  const results: ComparisonResult[] = [];
  let failed = 0;
  for (const file of files) {
    const mod = (await import(pathToFileURL(path.join(benchDir, file)).href)) as {
      default?: BenchDefinition;
    };
    const def = mod.default;
    if (def === undefined || !Array.isArray(def.comparisons)) {
      console.error(`${file}: default export must be defineBench({...})`);
      failed++;
      continue;
    }
    console.log(`# ${def.name} (${file})`);
    try {
      await def.setup?.();
      for (const c of def.comparisons) {
        try {
          const r = await measure(def.name, c, { timeMs, rounds });
          results.push(r);
          console.log(formatRatio(r));
          console.log(formatRate(r));
        } catch (err) {
          failed++;
          console.error(`${c.name}: failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    } finally {
      await def.teardown?.();
    }
  }
  const out = path.join(benchDir, 'results', 'latest.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(
    out,
    JSON.stringify(
      { date: new Date().toISOString(), machine: machineInfo(), options: { timeMs, rounds }, results },
      null,
      2,
    ) + '\n',
  );
  console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
