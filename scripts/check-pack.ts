/**
 * Packaging check: packs every published workspace, installs the tarballs into an empty
 * folder outside the monorepo, and proves each package imports from ESM and CJS, type-checks
 * for a TypeScript consumer (node16/nodenext resolution, both module kinds), passes publint and
 * are-the-types-wrong, and imports nothing at runtime that it does not declare.
 *
 *   tsx scripts/check-pack.ts            (needs `npm run build` first)
 *   tsx scripts/check-pack.ts --keep     keep the temporary folder for inspection
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { importedSpecifiers } from './check-pack-lib.js';
import { listWorkspaces, type Workspace } from './workspaces.js';

const root = process.cwd();
const keep = process.argv.includes('--keep');
const failures: string[] = [];
const fail = (pkg: string, message: string) => {
  failures.push(`${pkg}: ${message}`);
  console.error(`✗ ${pkg}: ${message}`);
};

function run(cmd: string, args: string[], cwd: string): { ok: boolean; out: string } {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false' },
  });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:'))
    return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

const builtins = new Set(builtinModules);

function checkRuntimeImports(ws: Workspace): void {
  const m = ws.manifest as {
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
  };
  const allowed = new Set([...Object.keys(m.dependencies ?? {}), ...Object.keys(m.peerDependencies ?? {})]);
  const distDir = path.join(root, ws.dir, 'dist');
  for (const file of fs.readdirSync(distDir)) {
    if (!/\.(c|m)?js$/.test(file)) continue;
    for (const spec of importedSpecifiers(fs.readFileSync(path.join(distDir, file), 'utf8'))) {
      const pkg = packageOf(spec);
      if (pkg === undefined || builtins.has(pkg)) continue;
      if (!allowed.has(pkg))
        fail(ws.name, `dist/${file} imports "${spec}" but "${pkg}" is not a dependency or peer dependency`);
    }
  }
}

async function main(): Promise<number> {
  const published = listWorkspaces(root).filter((w) => !w.private);
  for (const ws of published) {
    if (!fs.existsSync(path.join(root, ws.dir, 'dist'))) {
      console.error(`${ws.name} has no dist/: run \`npm run build\` first`);
      return 1;
    }
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dttm-pack-'));
  const tarballs = path.join(tmp, 'tarballs');
  const consumer = path.join(tmp, 'consumer');
  fs.mkdirSync(tarballs);
  fs.mkdirSync(consumer);
  console.log(`packing ${published.length} packages into ${tmp}`);

  const tgz = new Map<string, string>();
  for (const ws of published) {
    const out = execFileSync('npm', ['pack', '--json', '--pack-destination', tarballs], {
      cwd: path.join(root, ws.dir),
      encoding: 'utf8',
    });
    const info = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
    const first = info[0];
    if (!first) throw new Error(`npm pack printed nothing for ${ws.name}`);
    tgz.set(ws.name, path.join(tarballs, first.filename));
    const files = first.files.map((f) => f.path);
    for (const f of files) {
      if (/(^|\/)(src|test)\//.test(f) || f.endsWith('.test.js') || f.includes('tsconfig')) {
        fail(ws.name, `the tarball ships a development file: ${f}`);
      }
    }
    checkRuntimeImports(ws);
  }

  // The consumer knows nothing of the monorepo: it depends on the tarballs only.
  const deps = Object.fromEntries(
    [...tgz].map(([name, file]) => [name, `file:${path.relative(consumer, file)}`]),
  );
  const typesNode = (
    JSON.parse(fs.readFileSync(path.join(root, 'node_modules/@types/node/package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  fs.writeFileSync(
    path.join(consumer, 'package.json'),
    JSON.stringify(
      {
        name: 'dttm-consumer',
        private: true,
        dependencies: deps,
        devDependencies: { '@types/node': typesNode },
      },
      null,
      2,
    ),
  );
  console.log('installing the tarballs into an empty project');
  const install = run(
    'npm',
    ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'],
    consumer,
  );
  if (!install.ok) {
    console.error(install.out);
    fail('consumer', 'npm install of the tarballs failed');
    return finish(tmp);
  }

  const names = published.map((w) => w.name);
  // Sub-path entry points (e.g. `@dttm/lgsp-client/testing`) are checked like main entries.
  const subpaths = published.flatMap((w) =>
    Object.keys((w.manifest.exports ?? {}) as Record<string, unknown>)
      .filter((k) => k !== '.' && k !== './package.json')
      .map((k) => `${w.name}/${k.slice(2)}`),
  );
  fs.writeFileSync(
    path.join(consumer, 'subpaths.mjs'),
    `const out = {};\nfor (const s of ${JSON.stringify(subpaths)}) out[s] = Object.keys(await import(s)).filter((k) => k !== 'default').sort();\nconsole.log(JSON.stringify(out));\n`,
  );
  fs.writeFileSync(
    path.join(consumer, 'subpaths.cjs'),
    `const out = {};\nfor (const s of ${JSON.stringify(subpaths)}) out[s] = Object.keys(require(s)).filter((k) => k !== 'default' && k !== '__esModule').sort();\nconsole.log(JSON.stringify(out));\n`,
  );
  fs.writeFileSync(
    path.join(consumer, 'check.mjs'),
    `import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\nconst out = {};\nfor (const name of ${JSON.stringify(names)}) {\n  const m = await import(name);\n  const pkg = require(name + '/package.json');\n  out[name] = { keys: Object.keys(m).filter((k) => k !== 'default').sort(), version: m.VERSION, expected: pkg.version };\n}\nconsole.log(JSON.stringify(out));\n`,
  );
  fs.writeFileSync(
    path.join(consumer, 'check.cjs'),
    `const out = {};\nfor (const name of ${JSON.stringify(names)}) {\n  const m = require(name);\n  const pkg = require(name + '/package.json');\n  out[name] = { keys: Object.keys(m).filter((k) => k !== 'default' && k !== '__esModule').sort(), version: m.VERSION, expected: pkg.version };\n}\nconsole.log(JSON.stringify(out));\n`,
  );
  type Loaded = Record<string, { keys: string[]; version: unknown; expected: string }>;
  const load = (file: string): Loaded | undefined => {
    const r = run(process.execPath, [file], consumer);
    if (!r.ok) {
      fail('consumer', `node ${file} failed:\n${r.out}`);
      return undefined;
    }
    return JSON.parse(r.out) as Loaded;
  };
  const esm = load('check.mjs');
  const cjs = load('check.cjs');

  const subEsm = run(process.execPath, ['subpaths.mjs'], consumer);
  const subCjs = run(process.execPath, ['subpaths.cjs'], consumer);
  if (!subEsm.ok || !subCjs.ok)
    fail('consumer', `sub-path entry points failed to load:\n${subEsm.out}${subCjs.out}`);
  else {
    const e = JSON.parse(subEsm.out) as Record<string, string[]>;
    const c = JSON.parse(subCjs.out) as Record<string, string[]>;
    for (const sp of subpaths) {
      if (!e[sp]?.length) fail(sp, 'the ESM entry exports nothing');
      else if (e[sp].join() !== c[sp]?.join())
        fail(sp, `ESM and CJS export different names: [${e[sp].join()}] vs [${c[sp]?.join()}]`);
      else console.log(`✓ ${sp}: ESM ✓ CJS ✓ (${e[sp].length} exports)`);
    }
  }

  // Types: a consumer in both module kinds, resolved the way Node resolves them.
  const uses = [
    ...published.map(
      (w, i) => `import * as p${i} from '${w.name}';\nexport const v${i}: string = p${i}.VERSION;`,
    ),
    ...subpaths.map(
      (sp, i) => `import type * as s${i} from '${sp}';\nexport type S${i} = keyof typeof s${i};`,
    ),
  ].join('\n');
  fs.writeFileSync(path.join(consumer, 'consumer.mts'), uses + '\n');
  fs.writeFileSync(
    path.join(consumer, 'consumer.cts'),
    published
      .map((w, i) => `import p${i} = require('${w.name}');\nexport const v${i}: string = p${i}.VERSION;`)
      .join('\n') + '\n',
  );
  fs.writeFileSync(
    path.join(consumer, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2022',
        strict: true,
        exactOptionalPropertyTypes: true,
        noEmit: true,
        skipLibCheck: false,
        types: ['node'],
      },
      files: ['consumer.mts', 'consumer.cts'],
    }),
  );
  const tsc = run(
    process.execPath,
    [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'],
    consumer,
  );
  if (!tsc.ok) fail('consumer', `type-check of the installed declarations failed:\n${tsc.out}`);

  for (const ws of published) {
    const e = esm?.[ws.name];
    const c = cjs?.[ws.name];
    const problems: string[] = [];
    if (!e || e.version !== e.expected)
      problems.push(`ESM VERSION is ${JSON.stringify(e?.version)}, expected ${e?.expected}`);
    if (!c || c.version !== c.expected)
      problems.push(`CJS VERSION is ${JSON.stringify(c?.version)}, expected ${c?.expected}`);
    if (e && c && e.keys.join() !== c.keys.join())
      problems.push(`ESM and CJS export different names: [${e.keys.join()}] vs [${c.keys.join()}]`);
    const tarball = tgz.get(ws.name) as string;
    // Lint the installed copy: exactly the files the tarball delivered.
    const lint = await publint({
      pkgDir: path.join(consumer, 'node_modules', ws.name),
      level: 'suggestion',
      strict: true,
      pack: false,
    });
    for (const m of lint.messages) problems.push(`publint: ${formatMessage(m, lint.pkg) ?? m.code}`);
    const attw = run(path.join(root, 'node_modules/.bin/attw'), [tarball, '--format', 'ascii'], root);
    if (!attw.ok) problems.push(`are-the-types-wrong:\n${attw.out}`);
    for (const p of problems) fail(ws.name, p);
    if (problems.length === 0) {
      console.log(
        `✓ ${ws.name}@${ws.version}: ESM ✓ CJS ✓ types ✓ publint ✓ attw ✓ (${e?.keys.length ?? 0} exports)`,
      );
    }
  }
  return finish(tmp);
}

function finish(tmp: string): number {
  if (keep) console.log(`kept ${tmp}`);
  else fs.rmSync(tmp, { recursive: true, force: true });
  if (failures.length > 0) {
    console.error(`packaging check failed: ${failures.length} problem(s)`);
    return 1;
  }
  console.log('packaging check passed');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
