import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterEach, describe, expect, it } from 'vitest';
import {
  GENERATED_HEADER,
  addFormats,
  generate,
  runPipeline,
  schemaConstName,
  staleFiles,
  type CodegenTarget,
} from './specs.js';

const repo = path.resolve(import.meta.dirname, '..');
const roots: string[] = [];

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'specs-'));
  roots.push(root);
  for (const [p, content] of Object.entries(files)) {
    fs.mkdirSync(path.join(root, path.dirname(p)), { recursive: true });
    fs.writeFileSync(path.join(root, p), content);
  }
  return root;
}

afterEach(() => {
  for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
});

const VALID_OPENAPI = `openapi: 3.1.0
info: { title: t, version: 1.0.0 }
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Thing' }
components:
  schemas:
    Thing:
      type: object
      required: [id]
      properties:
        id: { type: string }
        size: { type: integer, minimum: 0 }
`;

const VALID_ASYNCAPI = `asyncapi: 3.0.0
info: { title: events, version: 1.0.0 }
channels:
  thing.created:
    address: thing.created
    messages:
      created:
        payload: { type: object, properties: { id: { type: string } } }
operations:
  publishCreated:
    action: send
    channel: { $ref: '#/channels/thing.created' }
`;

const TARGET: CodegenTarget[] = [
  { spec: 'specs/openapi/api.yaml', types: 'app/src/generated/api.ts', bundle: 'app/src/generated/api.json' },
];

describe('specs pipeline', () => {
  it('accepts valid OpenAPI, AsyncAPI and JSON Schema documents and generates typed files', async () => {
    const root = tree({
      'specs/openapi/api.yaml': VALID_OPENAPI,
      'specs/asyncapi/events.yaml': VALID_ASYNCAPI,
      'specs/schemas/thing.schema.json': JSON.stringify({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        $id: 'https://dttm.vn/schemas/thing.schema.json',
        type: 'object',
        properties: { id: { type: 'string' } },
      }),
    });
    const r = await runPipeline(root, TARGET);
    expect(r.errors).toEqual([]);
    expect(r.checked).toEqual([
      'specs/openapi/api.yaml',
      'specs/asyncapi/events.yaml',
      'specs/schemas/thing.schema.json',
    ]);
    const types = r.outputs.get('app/src/generated/api.ts') ?? '';
    expect(types.startsWith(GENERATED_HEADER('specs/openapi/api.yaml'))).toBe(true);
    expect(types).toContain('getThing');
    expect(types).toMatch(/Thing: \{\s+id: string;\s+size\?: number;/);
    expect(JSON.parse(r.outputs.get('app/src/generated/api.json') ?? '{}')).toMatchObject({
      openapi: '3.1.0',
    });
  });

  it.each([
    ['a missing info object', VALID_OPENAPI.replace('info: { title: t, version: 1.0.0 }\n', ''), /info/],
    [
      'a dangling $ref',
      VALID_OPENAPI.replace("'#/components/schemas/Thing'", "'#/components/schemas/Nope'"),
      /Nope|resolve|\$ref/i,
    ],
    ['a misspelt schema type', VALID_OPENAPI.replace('type: integer', 'type: integr'), /size|type|integr/],
    ['an OpenAPI 3.0 document', VALID_OPENAPI.replace('3.1.0', '3.0.3'), /expected "openapi: 3\.1\.x"/],
    ['a path parameter not in the path', VALID_OPENAPI.replace('/things/{id}', '/things'), /path/i],
  ])('rejects an OpenAPI document with %s', async (_what, doc, pattern) => {
    const root = tree({ 'specs/openapi/api.yaml': doc });
    const r = await runPipeline(root, TARGET);
    expect(r.errors.length).toBeGreaterThan(0);
    expect(r.errors[0]?.file).toBe('specs/openapi/api.yaml');
    expect(r.errors.map((e) => e.message).join('\n')).toMatch(pattern);
    expect(r.outputs.size).toBe(0);
  });

  it('rejects an AsyncAPI document whose operation points at a missing channel', async () => {
    const root = tree({
      'specs/asyncapi/events.yaml': VALID_ASYNCAPI.replace(
        "'#/channels/thing.created'",
        "'#/channels/nothing'",
      ),
    });
    const r = await runPipeline(root, TARGET);
    expect(r.errors.map((e) => e.file)).toContain('specs/asyncapi/events.yaml');
  });

  it('rejects JSON Schemas that are not 2020-12, lack an $id, or use unknown keywords', async () => {
    const base = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'https://dttm.vn/schemas/a.json',
    };
    const root = tree({
      'specs/schemas/a.schema.json': JSON.stringify({ ...base, type: 'object', requird: ['x'] }),
      'specs/schemas/b.schema.json': JSON.stringify({
        $schema: 'http://json-schema.org/draft-07/schema#',
        $id: 'b',
      }),
      'specs/schemas/c.schema.json': JSON.stringify({ $schema: base.$schema, type: 'string' }),
      'specs/schemas/d.schema.json': '{ not json',
    });
    const r = await runPipeline(root, TARGET);
    expect(r.errors.map((e) => e.file).sort()).toEqual([
      'specs/schemas/a.schema.json',
      'specs/schemas/b.schema.json',
      'specs/schemas/c.schema.json',
      'specs/schemas/d.schema.json',
    ]);
    expect(r.errors.find((e) => e.file.endsWith('a.schema.json'))?.message).toContain('requird');
  });

  it('reports missing, stale and orphaned generated files', async () => {
    const root = tree({
      'specs/openapi/api.yaml': VALID_OPENAPI,
      'app/src/generated/old.ts': 'export {};\n',
    });
    const outputs = await generate(root, TARGET);
    expect(staleFiles(root, outputs).map((f) => [f.file, f.message.split(':')[0]])).toEqual([
      ['app/src/generated/api.ts', 'missing'],
      ['app/src/generated/api.json', 'missing'],
    ]);
    for (const [file, content] of outputs) fs.writeFileSync(path.join(root, file), content);
    fs.appendFileSync(path.join(root, 'app/src/generated/api.ts'), '// hand edit\n');
    // `app/src` is not one of the repository's generated parents, so only stale files are reported here.
    expect(staleFiles(root, outputs)).toEqual([
      { file: 'app/src/generated/api.ts', message: 'stale: run `npm run specs`' },
    ]);
  });

  it('the CLI check exits 1 on an invalid document and names it', () => {
    const root = tree({ 'specs/openapi/broken.yaml': 'openapi: 3.1.0\npaths: {}\n' });
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join(repo, 'scripts/specs.ts'), 'check', '--root', root],
      {
        cwd: repo,
        encoding: 'utf8',
      },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('✗ specs/openapi/broken.yaml');
  });

  it('the CLI check flags hand-edited and orphaned generated files of the repository layout', () => {
    const root = tree({ 'specs/openapi/reference-server.yaml': VALID_OPENAPI });
    const cli = (cmd: string) =>
      spawnSync(
        process.execPath,
        ['--import', 'tsx', path.join(repo, 'scripts/specs.ts'), cmd, '--root', root],
        {
          cwd: repo,
          encoding: 'utf8',
        },
      );
    expect(cli('generate').status).toBe(0);
    expect(cli('check').status).toBe(0);
    fs.appendFileSync(path.join(root, 'reference-server/src/generated/reference-server.ts'), '\n');
    const r = cli('check');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('reference-server/src/generated/reference-server.ts: stale');
    fs.mkdirSync(path.join(root, 'packages/x/src/generated'), { recursive: true });
    fs.writeFileSync(path.join(root, 'packages/x/src/generated/extra.ts'), 'export {};\n');
    const orphan = cli('check');
    expect(orphan.status).toBe(1);
    expect(orphan.stderr).toContain('packages/x/src/generated/extra.ts: not produced by any spec');
    // Four CLI runs, each starting tsx: allow for a loaded machine.
  }, 90_000);
});

describe('schema modules', () => {
  it('copy JSON Schemas into a package as named constants, and go stale when a schema changes', async () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'https://example.test/thing-count.schema.json',
      title: 'Thing count',
      type: 'integer',
    };
    const root = tree({ 'specs/schemas/thing-count.schema.json': JSON.stringify(schema) });
    const target = {
      schemas: ['specs/schemas/thing-count.schema.json'],
      module: 'pkg/src/generated/schemas.ts',
    };
    expect(schemaConstName('specs/schemas/kpi-observation.schema.json')).toBe('kpiObservationSchema');
    const out = await generate(root, [], [target]);
    const text = out.get('pkg/src/generated/schemas.ts') ?? '';
    expect(text.startsWith('/**\n * DO NOT EDIT: generated from specs/schemas/thing-count.schema.json')).toBe(
      true,
    );
    expect(text).toContain(
      `/** Thing count (specs/schemas/thing-count.schema.json). */\nexport const thingCountSchema: JsonSchemaDocument = ${JSON.stringify(schema, null, 2)};`,
    );
    fs.mkdirSync(path.join(root, 'pkg/src/generated'), { recursive: true });
    fs.writeFileSync(path.join(root, 'pkg/src/generated/schemas.ts'), text);
    expect(staleFiles(root, out)).toEqual([]);
    fs.writeFileSync(
      path.join(root, 'specs/schemas/thing-count.schema.json'),
      JSON.stringify({ ...schema, minimum: 0 }),
    );
    expect(staleFiles(root, await generate(root, [], [target]))).toEqual([
      { file: 'pkg/src/generated/schemas.ts', message: 'stale: run `npm run specs`' },
    ]);
  });
});

describe('the repository’s own specs', () => {
  it('are valid and the generated files are current', async () => {
    const r = await runPipeline(repo);
    expect(r.errors).toEqual([]);
    expect(staleFiles(repo, r.outputs)).toEqual([]);
  });
});

describe('the KPI event payload schemas', () => {
  it('accept a province observation and an alert, and reject malformed ones', () => {
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    addFormats(ajv);
    const load = (f: string) =>
      JSON.parse(fs.readFileSync(path.join(repo, 'specs/schemas', f), 'utf8')) as object;
    const observation = ajv.compile(load('kpi-observation.schema.json'));
    const alert = ajv.compile(load('kpi-alert.schema.json'));
    const obs = {
      indicator: 'L2.N1.PN1.02',
      value: 52.5,
      period: { year: 2025 },
      scope: { level: 'province', adminUnitCode: '24' },
      numerator: 525,
      denominator: 1000,
      source: 'dvc.bacgiang.gov.vn',
      method: 'automatic',
      recordedAt: '2026-01-05T08:00:00+07:00',
    };
    expect(observation(obs)).toBe(true);
    expect(observation({ ...obs, period: { year: 2025, quarter: 5 } })).toBe(false);
    expect(observation({ ...obs, value: 'high' })).toBe(false);
    expect(
      alert({
        id: 'a1',
        dedupKey: 'target-not-met:L2.N1.PN1.02:24:2025',
        kind: 'target-not-met',
        indicator: 'L2.N1.PN1.02',
        severity: 'warning',
        state: 'open',
        raisedAt: '2026-01-05T08:00:00+07:00',
        message: { vi: 'Chỉ tiêu chưa đạt', en: 'Target not met' },
      }),
    ).toBe(true);
    expect(alert({ id: 'a1', kind: 'late' })).toBe(false);
  });
});
