/**
 * Builds every workspace that has a `build` script, dependencies first.
 *
 *   tsx scripts/build.ts              build everything
 *   tsx scripts/build.ts --if-stale   skip workspaces whose build is newer than their inputs
 *                                     (and whose dependencies were not rebuilt)
 *   tsx scripts/build.ts --only <name> build <name> and the workspaces it depends on
 *                                     (`npm start` uses `--if-stale --only @dttm/reference-server`)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { listWorkspaces } from './workspaces.js';

const STAMP = path.join('dist', '.build-stamp');
const INPUTS = ['src', 'web', 'package.json', 'tsup.config.ts', 'tsconfig.json', 'tsconfig.build.json'];
const SHARED_INPUTS = ['tsconfig.base.json', 'tsup.config.base.ts', 'package-lock.json'];

function newestMtime(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const e of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, e)));
  return newest;
}

export function isStale(root: string, dir: string): boolean {
  const stamp = path.join(root, dir, STAMP);
  if (!fs.existsSync(stamp)) return true;
  const built = fs.statSync(stamp).mtimeMs;
  const inputs = [
    ...INPUTS.map((i) => path.join(root, dir, i)),
    ...SHARED_INPUTS.map((i) => path.join(root, i)),
  ];
  return inputs.some((i) => newestMtime(i) > built);
}

function main(): number {
  const root = process.cwd();
  const ifStale = process.argv.includes('--if-stale');
  const onlyIdx = process.argv.indexOf('--only');
  const only = onlyIdx >= 0 ? process.argv[onlyIdx + 1] : undefined;
  const all = listWorkspaces(root);
  let selected = all;
  if (only !== undefined) {
    const byName = new Map(all.map((w) => [w.name, w]));
    if (!byName.has(only)) {
      console.error(`no workspace named ${only}`);
      return 2;
    }
    const wanted = new Set<string>();
    const add = (name: string) => {
      if (wanted.has(name)) return;
      wanted.add(name);
      for (const d of byName.get(name)?.internalDeps ?? []) add(d);
    };
    add(only);
    selected = all.filter((w) => wanted.has(w.name));
  }
  const rebuilt = new Set<string>();
  for (const ws of selected) {
    const scripts = (ws.manifest.scripts ?? {}) as Record<string, string>;
    if (!scripts.build) continue;
    const needed = !ifStale || isStale(root, ws.dir) || ws.internalDeps.some((d) => rebuilt.has(d));
    if (!needed) {
      console.log(`· ${ws.name} is up to date`);
      continue;
    }
    console.log(`▸ building ${ws.name}`);
    const started = Date.now();
    const r = spawnSync('npm', ['run', 'build', '--silent'], {
      cwd: path.join(root, ws.dir),
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
    });
    if (r.status !== 0) {
      process.stdout.write(r.stdout ?? '');
      console.error(`✗ ${ws.name}: build failed`);
      return r.status ?? 1;
    }
    fs.writeFileSync(path.join(root, ws.dir, STAMP), new Date().toISOString() + '\n');
    rebuilt.add(ws.name);
    console.log(`  ${ws.name} built in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  }
  return 0;
}

process.exit(main());
