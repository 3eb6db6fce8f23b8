import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, expect, it, vi } from 'vitest';

const pkg = path.resolve(import.meta.dirname, '..');
const outDir = path.join(pkg, '../../node_modules/.cache/camera-vms-readme');
afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

it('the README example prints what its comments promise', async () => {
  const readme = fs.readFileSync(path.join(pkg, 'README.md'), 'utf8');
  const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  expect(code).toContain("from '@dttm/camera-vms'");
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
    ['DTTM Simulator', 'rtsp://127.0.0.1:554/Streaming/Channels/101'],
    ['intrusion', 'start', 'Hàng rào ảo'],
  ]);
});
