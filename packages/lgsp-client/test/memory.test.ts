import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'lgsp-memory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let script: string | undefined;

/** Bundles the measurement script once, so the child runs on plain `node` without a TypeScript loader in memory. */
async function bundled(): Promise<string> {
  if (script !== undefined) return script;
  const out = join(dir, 'large-attachment.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./memory/large-attachment.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: out,
    alias: { '@dttm/core': fileURLToPath(new URL('../../core/src/index.ts', import.meta.url)) },
    logLevel: 'warning',
  });
  script = out;
  return out;
}

async function measure(mode: 'memory' | 'sink') {
  const { stdout } = await run(process.execPath, [await bundled(), '50', dir, mode], { timeout: 60_000 });
  return JSON.parse(stdout) as { size: number; peakRss: number; sameBytes: boolean; fileBytes: number };
}

describe('large attachments (measured in a plain node child process, whole-process peak RSS)', () => {
  it('builds and parses a 50 MB attachment kept in memory with peak RSS under 4x its size', async () => {
    const result = await measure('memory');
    expect(result.sameBytes).toBe(true);
    expect(result.size).toBe(50 * 1024 * 1024);
    expect(result.fileBytes).toBeGreaterThan((result.size * 4) / 3);
    expect(result.peakRss).toBeLessThan(4 * result.size);
  }, 60_000);

  it('stays under 2x when the attachment is streamed to a file through attachmentSink', async () => {
    const result = await measure('sink');
    expect(result.sameBytes).toBe(true);
    expect(result.peakRss).toBeLessThan(2 * result.size);
  }, 60_000);
});
