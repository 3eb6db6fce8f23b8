import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isDttmError } from '@dttm/core';
import { listWorkspaces } from './workspaces.js';

const root = path.resolve(import.meta.dirname, '..');
const workspaces = listWorkspaces(root);
const published = workspaces.filter((w) => !w.private);

describe('workspace layout', () => {
  it('has the architecture’s packages and the reference server', () => {
    expect(workspaces.map((w) => w.dir).sort()).toEqual([
      'packages/camera-vms',
      'packages/core',
      'packages/digital-signature',
      'packages/hl7-fhir-bridge',
      'packages/ioc-kpi',
      'packages/lgsp-client',
      'reference-server',
    ]);
    for (const w of workspaces) expect(w.name).toBe(`@dttm/${path.basename(w.dir)}`);
    expect(workspaces.find((w) => w.dir === 'reference-server')?.private).toBe(true);
  });

  it('orders workspaces dependencies first', () => {
    const index = new Map(workspaces.map((w, i) => [w.name, i]));
    for (const w of workspaces) {
      for (const d of w.internalDeps) expect(index.get(d)).toBeLessThan(index.get(w.name) as number);
    }
  });

  it('reports a dependency cycle', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-cycle-'));
    const write = (p: string, json: unknown) => {
      fs.mkdirSync(path.join(dir, path.dirname(p)), { recursive: true });
      fs.writeFileSync(path.join(dir, p), JSON.stringify(json));
    };
    write('package.json', { name: 'r', private: true, workspaces: ['packages/*'] });
    write('packages/a/package.json', { name: 'a', version: '1.0.0', dependencies: { b: '1' } });
    write('packages/b/package.json', { name: 'b', version: '1.0.0', dependencies: { a: '1' } });
    expect(() => listWorkspaces(dir)).toThrow('dependency cycle: a → b → a');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('never lets a package depend on the reference server', () => {
    for (const w of published) expect(w.internalDeps).not.toContain('@dttm/reference-server');
  });
});

describe.each(published.map((w) => [w.name, w] as const))(
  '%s follows the package conventions',
  (_name, w) => {
    const m = w.manifest;

    it('declares a dual ESM/CJS exports map with types first', () => {
      expect(m.type).toBe('module');
      expect(m.sideEffects).toBe(false);
      expect(m.engines).toEqual({ node: '>=20' });
      expect(m.files).toEqual(expect.arrayContaining(['dist']));
      expect(m.publishConfig).toEqual({ access: 'public' });
      const exportsMap = m.exports as Record<string, unknown>;
      expect(Object.keys(exportsMap)).toContain('./package.json');
      const dot = exportsMap['.'] as Record<string, unknown>;
      expect(Object.keys(dot)).toEqual(['types', 'import', 'require']);
      expect(dot.types).toEqual({ import: './dist/index.d.ts', require: './dist/index.d.cts' });
      expect(dot.import).toBe('./dist/index.js');
      expect(dot.require).toBe('./dist/index.cjs');
    });

    it('exports VERSION equal to its package.json version, and its error class with a guard', async () => {
      const entry = (await import(pathToFileURL(path.join(root, w.dir, 'src/index.ts')).href)) as Record<
        string,
        unknown
      >;
      expect(entry.VERSION).toBe(w.version);
      if (w.name === '@dttm/core') return;
      const errorClasses = Object.entries(entry).filter(
        ([k, v]) => /^[A-Z]\w*Error$/.test(k) && typeof v === 'function',
      ) as [string, new (code: string, message: string) => Error][];
      expect(errorClasses.length).toBeGreaterThanOrEqual(1);
      for (const [name, ErrorClass] of errorClasses) {
        const err = new ErrorClass('CONVENTION_CHECK', 'message');
        expect(err.name).toBe(name);
        expect(isDttmError(err)).toBe(true);
        const guard = entry[`is${name}`] as ((v: unknown) => boolean) | undefined;
        expect(typeof guard).toBe('function');
        expect(guard?.(err)).toBe(true);
        expect(guard?.(new Error('plain'))).toBe(false);
      }
    });

    it('has a tsup build and a README', () => {
      expect((m.scripts as Record<string, string>).build).toBe('tsup');
      expect(fs.existsSync(path.join(root, w.dir, 'tsup.config.ts'))).toBe(true);
      const readme = fs.readFileSync(path.join(root, w.dir, 'README.md'), 'utf8');
      expect(readme).toContain(`# ${w.name}`);
      expect(readme).toContain(`npm install ${w.name}`);
    });
  },
);
