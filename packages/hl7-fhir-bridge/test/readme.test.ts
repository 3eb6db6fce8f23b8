import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, expect, it, vi } from 'vitest';

const pkg = path.resolve(import.meta.dirname, '..');
const outDir = path.join(pkg, '../../node_modules/.cache/hl7-fhir-bridge-readme');
afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

it('the README example prints what the README says', async () => {
  const readme = fs.readFileSync(path.join(pkg, 'README.md'), 'utf8');
  const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  expect(code).toContain("from '@dttm/hl7-fhir-bridge'");
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, 'example.ts');
  fs.writeFileSync(file, code);
  const printed: unknown[][] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    printed.push(args);
  });
  try {
    await import(pathToFileURL(file).href);
  } finally {
    spy.mockRestore();
  }
  expect(printed).toEqual([
    ['ADT_A01', '001203004567', 'Nguyễn'],
    ['Số 12 & 14 Lê Lợi'],
    ['2024-03-05T14:30:12+07:00', '1987-04-12'],
    [true],
  ]);
});

it('the README MLLP example prints what the README says', async () => {
  const readme = fs.readFileSync(path.join(pkg, 'README.md'), 'utf8');
  const code = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)][1]?.[1] ?? '';
  expect(code).toContain('MllpServer.listen');
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, 'example-mllp.ts');
  fs.writeFileSync(file, code);
  const printed: unknown[][] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    printed.push(args);
  });
  try {
    await import(pathToFileURL(file).href);
  } finally {
    spy.mockRestore();
  }
  expect(printed).toEqual([['AA', 'M1', 1]]);
});
