import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const src = fileURLToPath(new URL('../src/index.ts', import.meta.url));
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'dttm-sig-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const examples = [...readme.matchAll(/```ts\n([\s\S]*?)```\s*\nOutput:\s*\n\s*```text\n([\s\S]*?)```/g)].map(
  (m) => ({
    code: m[1] as string,
    output: m[2] as string,
  }),
);

describe('README', () => {
  it('has one example with its output', () => {
    expect(examples).toHaveLength(1);
  });

  it('the example runs and prints what the README says', async () => {
    const example = examples[0];
    if (example === undefined) throw new Error('no example');
    const file = join(dir, 'example.mts');
    writeFileSync(file, example.code.replaceAll("'@dttm/digital-signature'", `'${src}'`));
    const { stdout } = await run(process.execPath, ['--import', 'tsx', file], { cwd: root, timeout: 30_000 });
    expect(stdout).toBe(example.output);
  });
});
