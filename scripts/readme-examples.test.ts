/**
 * Every package README's first ```ts block is a runnable example: this test writes it to a file
 * inside the repository (so `@dttm/*` imports resolve to the sources) and runs it, capturing what it
 * prints. A README whose example throws fails the build.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { listWorkspaces } from './workspaces.js';

const root = path.resolve(import.meta.dirname, '..');
const outDir = path.join(root, 'node_modules', '.cache', 'readme-examples');

export function firstTsBlock(markdown: string): string | undefined {
  const m = /```ts\n([\s\S]*?)```/.exec(markdown);
  return m?.[1];
}

const packages = listWorkspaces(root).filter((w) => !w.private);

afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

describe.each(packages.map((w) => [w.name, w.dir] as const))('%s README example', (name, dir) => {
  it('runs as written', async () => {
    const readme = fs.readFileSync(path.join(root, dir, 'README.md'), 'utf8');
    const code = firstTsBlock(readme);
    expect(code, `${dir}/README.md has no \`\`\`ts example`).toBeDefined();
    fs.mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, `${path.basename(dir)}.example.ts`);
    fs.writeFileSync(file, code as string);
    const printed: unknown[][] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      printed.push(args);
    });
    try {
      await import(pathToFileURL(file).href);
    } finally {
      spy.mockRestore();
    }
    expect(printed.length, `${name}'s example prints what it shows`).toBeGreaterThan(0);
  });
});

describe('the core README example', () => {
  it('prints the values its comments promise', async () => {
    const printed: unknown[][] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      printed.push(args);
    });
    const file = path.join(outDir, 'core-check.example.ts');
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(
      file,
      firstTsBlock(fs.readFileSync(path.join(root, 'packages/core/README.md'), 'utf8')) ?? '',
    );
    try {
      await import(pathToFileURL(file).href);
    } finally {
      spy.mockRestore();
    }
    expect(printed[0]).toEqual([true]);
    expect(printed[1]).toEqual([true]);
    const json = JSON.parse(printed[2]?.[0] as string) as { details: { url: string; headers: unknown } };
    expect(json.details.url).toBe('https://user:%5BREDACTED%5D@station.example.vn/data');
    expect(json.details.headers).toEqual({ Authorization: '[REDACTED]' });
    expect(printed[3]).toEqual([{ password: '[REDACTED]', user: 'u' }]);
  });
});
