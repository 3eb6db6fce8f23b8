import fs from 'node:fs';
import path from 'node:path';

export interface Workspace {
  /** Package name, e.g. `@dttm/ioc-kpi`. */
  readonly name: string;
  /** Folder relative to the root, e.g. `packages/ioc-kpi`. */
  readonly dir: string;
  readonly version: string;
  readonly private: boolean;
  /** Names of other workspaces it depends on (any dependency field). */
  readonly internalDeps: readonly string[];
  readonly manifest: Record<string, unknown>;
}

interface Manifest {
  name?: string;
  version?: string;
  private?: boolean;
  workspaces?: string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

function readJson(file: string): Manifest {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
}

/** Every workspace declared in the root package.json, in dependency order (dependencies first). */
export function listWorkspaces(root: string): Workspace[] {
  const rootManifest = readJson(path.join(root, 'package.json'));
  const dirs: string[] = [];
  for (const pattern of rootManifest.workspaces ?? []) {
    if (pattern.endsWith('/*')) {
      const base = pattern.slice(0, -2);
      for (const d of fs.readdirSync(path.join(root, base)).sort()) {
        if (fs.existsSync(path.join(root, base, d, 'package.json'))) dirs.push(`${base}/${d}`);
      }
    } else dirs.push(pattern);
  }
  const all = dirs.map((dir) => {
    const m = readJson(path.join(root, dir, 'package.json'));
    if (!m.name || !m.version) throw new Error(`${dir}/package.json needs a name and a version`);
    return { dir, m };
  });
  const names = new Set(all.map((w) => w.m.name));
  const byName = new Map<string, Workspace>();
  for (const { dir, m } of all) {
    const deps = new Set<string>();
    for (const field of [m.dependencies, m.devDependencies, m.peerDependencies, m.optionalDependencies]) {
      for (const d of Object.keys(field ?? {})) if (names.has(d) && d !== m.name) deps.add(d);
    }
    byName.set(m.name as string, {
      name: m.name as string,
      dir,
      version: m.version as string,
      private: m.private === true,
      internalDeps: [...deps].sort(),
      manifest: m as Record<string, unknown>,
    });
  }
  const ordered: Workspace[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, trail: string[]) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') throw new Error(`dependency cycle: ${[...trail, name].join(' → ')}`);
    state.set(name, 'visiting');
    const ws = byName.get(name) as Workspace;
    for (const d of ws.internalDeps) visit(d, [...trail, name]);
    state.set(name, 'done');
    ordered.push(ws);
  };
  for (const name of byName.keys()) visit(name, []);
  return ordered;
}
