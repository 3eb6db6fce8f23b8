/**
 * Every package README's ```ts blocks are runnable examples. Each one runs in its own Node.js process
 * (with `@dttm/*` imports pointed at the sources); when the block is followed by `Output:` and a
 * ```text block, what it prints must be exactly that.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { listWorkspaces } from './workspaces.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-examples-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

export interface ReadmeExample {
  readonly code: string;
  /** Expected standard output, when the README states it. */
  readonly output: string | undefined;
}

/** The ```ts blocks of a README, each with the ```text block that follows it after `Output:`. */
export function readmeExamples(markdown: string): ReadmeExample[] {
  return [...markdown.matchAll(/```ts\n([\s\S]*?)```(?:\s*\nOutput:\s*\n\s*```text\n([\s\S]*?)```)?/g)].map(
    (m) => ({
      code: m[1] as string,
      output: m[2],
    }),
  );
}

/** Points `@dttm/<name>` and `@dttm/<name>/<sub>` imports at the workspace sources. */
export function toSources(code: string): string {
  return code.replace(
    /(['"])@dttm\/([a-z0-9-]+)(?:\/([a-z0-9-]+))?\1/g,
    (_m, q: string, name: string, sub?: string) => {
      const file = sub === undefined ? 'index.ts' : `${sub}/index.ts`;
      return `${q}${path.join(root, 'packages', name, 'src', file)}${q}`;
    },
  );
}

const packages = listWorkspaces(root).filter((w) => !w.private);
const cases = packages.flatMap((w) => {
  const examples = readmeExamples(fs.readFileSync(path.join(root, w.dir, 'README.md'), 'utf8'));
  return examples.map((e, i) => [w.name, i + 1, examples.length, e] as const);
});

describe('README examples', () => {
  it('every package README has at least one ```ts example', () => {
    const withExamples = new Set(cases.map(([name]) => name));
    expect(packages.map((w) => w.name).filter((n) => !withExamples.has(n))).toEqual([]);
  });

  it.each(cases)(
    '%s example %i of %i runs as written',
    async (name, i, _n, example) => {
      const file = path.join(tmp, `${name.replace('/', '_')}-${i}.mts`);
      fs.writeFileSync(file, toSources(example.code));
      const { stdout } = await run(process.execPath, ['--import', 'tsx', file], {
        cwd: root,
        timeout: 60_000,
      });
      if (example.output !== undefined) expect(stdout).toBe(example.output);
    },
    60_000,
  );
});

describe('readmeExamples', () => {
  it('pairs code with its stated output', () => {
    const md = '```ts\nconsole.log(1)\n```\n\nOutput:\n\n```text\n1\n```\n\n```ts\nconsole.log(2)\n```\n';
    expect(readmeExamples(md)).toEqual([
      { code: 'console.log(1)\n', output: '1\n' },
      { code: 'console.log(2)\n', output: undefined },
    ]);
  });

  it('rewrites package imports to sources, sub-paths included', () => {
    expect(toSources("import { a } from '@dttm/lgsp-client/testing';")).toBe(
      `import { a } from '${path.join(root, 'packages/lgsp-client/src/testing/index.ts')}';`,
    );
    expect(toSources('import x from "@dttm/core";')).toBe(
      `import x from "${path.join(root, 'packages/core/src/index.ts')}";`,
    );
  });
});
