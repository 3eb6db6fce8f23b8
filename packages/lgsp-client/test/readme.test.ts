import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const src = fileURLToPath(new URL('../src/', import.meta.url));
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'lgsp-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Each ```ts block followed by its ```text "Output:" block. */
const examples = [...readme.matchAll(/```ts\n([\s\S]*?)```\s*\nOutput:\s*\n\s*```text\n([\s\S]*?)```/g)].map(
  (m) => ({
    code: m[1] as string,
    output: m[2] as string,
  }),
);

describe('README examples', () => {
  it('has two examples', () => {
    expect(examples).toHaveLength(2);
  });

  it.each(examples.map((e, i) => [i + 1, e] as const))(
    'example %i runs and prints what the README says',
    async (i, example) => {
      const code = example.code
        .replaceAll("'@dttm/lgsp-client/testing'", `'${src}testing/index.ts'`)
        .replaceAll("'@dttm/lgsp-client'", `'${src}index.ts'`);
      const file = join(dir, `example-${i}.mts`);
      writeFileSync(file, code);
      const { stdout } = await run(process.execPath, ['--import', 'tsx', file], {
        cwd: root,
        timeout: 30_000,
      });
      expect(stdout).toBe(example.output);
    },
    30_000,
  );
});
