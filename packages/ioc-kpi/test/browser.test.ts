import vm from 'node:vm';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));
const core = fileURLToPath(new URL('../../core/src/index.ts', import.meta.url));

describe('browser use', () => {
  it('bundles for the browser with no Node built-in and evaluates a profile in a bare JavaScript realm', async () => {
    const out = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      platform: 'browser',
      conditions: ['browser'],
      format: 'iife',
      globalName: 'DttmKpi',
      alias: { '@dttm/core': core },
      logLevel: 'silent',
    });
    const code = out.outputFiles[0]?.text ?? '';
    expect(code).not.toMatch(/require\(["']node:/);
    // PM2.5 steady at 30 µg/m³: NowCast 30, sub-index 50 + (100 − 50) / (50 − 25) × (30 − 25) = 60.
    // A realm with only what a browser page has in common with any JS engine: no process, require, Buffer or fs.
    const sandbox: Record<string, unknown> = {
      TextEncoder,
      URL,
      console: { log() {}, warn() {}, error() {} },
    };
    vm.createContext(sandbox);
    vm.runInContext(`${code}\nglobalThis.DttmKpi = DttmKpi;`, sandbox);
    const result = vm.runInContext(
      `(() => {
        const k = globalThis.DttmKpi;
        const p = k.resolveProfile(k.BAC_GIANG_2025);
        const v = new k.ObservationValidator(p);
        const o = v.assert({ indicator: 'L2.N1.PN1.02', value: 55, period: { year: 2025 }, scope: { level: 'province', adminUnitCode: '24' }, source: 'dvc', method: 'automatic', recordedAt: '2026-01-05T00:00:00+07:00' });
        const card = k.evaluateProfile(p, [o], { period: { year: 2025 } });
        return JSON.stringify({ met: card.summary.met, noData: card.summary.noData, aqi: k.hourlyAqi({ pm25: [30, 30, 30] }).aqi, process: typeof process, require: typeof require });
      })()`,
      sandbox,
    ) as string;
    expect(JSON.parse(result)).toEqual({
      met: 1,
      noData: 35,
      aqi: 60,
      process: 'undefined',
      require: 'undefined',
    });
  });
});
