import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileStore, MemoryStore, isLgspError } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'lgsp-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(): string {
  const sub = join(dir, `s${++n}`);
  mkdirSync(sub);
  return join(sub, 'store.jsonl');
}

function lines(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
}

describe('FileStore', () => {
  it('keeps sets and deletes across a reopen, as JSON lines', async () => {
    const path = file();
    const a = await FileStore.open(path);
    await a.set('outbox:entry:1', { state: 'pending', attempts: 0 });
    await a.set('outbox:entry:2', { state: 'sent' });
    await a.set('outbox:entry:1', { state: 'sent', attempts: 1 });
    await a.set('other', [1, 'x', null]);
    await a.delete('outbox:entry:2');
    await a.close();
    expect(lines(path)).toEqual([
      '{"k":"outbox:entry:1","v":{"state":"pending","attempts":0}}',
      '{"k":"outbox:entry:2","v":{"state":"sent"}}',
      '{"k":"outbox:entry:1","v":{"state":"sent","attempts":1}}',
      '{"k":"other","v":[1,"x",null]}',
      '{"k":"outbox:entry:2","d":true}',
    ]);
    const b = await FileStore.open(path);
    expect(await b.entries('outbox:')).toEqual([['outbox:entry:1', { state: 'sent', attempts: 1 }]]);
    expect(await b.get('other')).toEqual([1, 'x', null]);
    expect(await b.get('outbox:entry:2')).toBeUndefined();
    await b.close();
    const err = await b.set('x', 1).catch((e: unknown) => e);
    expect(isLgspError(err) && err.code).toBe('CLOSED');
  });

  it('ignores a torn last line (a write cut by a crash), cuts it off and goes on appending', async () => {
    const path = file();
    const a = await FileStore.open(path);
    await a.set('k1', 'one');
    await a.close();
    appendFileSync(path, '{"k":"k2","v":"tw');
    const b = await FileStore.open(path);
    expect(b.tornLines).toBe(1);
    expect(await b.entries('')).toEqual([['k1', 'one']]);
    await b.set('k3', 'three');
    await b.close();
    expect(lines(path)).toEqual(['{"k":"k1","v":"one"}', '{"k":"k3","v":"three"}']);
    const c = await FileStore.open(path);
    expect(c.tornLines).toBe(0);
    expect(await c.entries('')).toEqual([
      ['k1', 'one'],
      ['k3', 'three'],
    ]);
    await c.close();
  });

  it('ignores a last line of zeros (a block the file system had not written)', async () => {
    const path = file();
    writeFileSync(path, '{"k":"a","v":1}\n\u0000\u0000\u0000\u0000\n');
    const s = await FileStore.open(path);
    expect(s.tornLines).toBe(1);
    expect(await s.get('a')).toBe(1);
    await s.close();
    expect(readFileSync(path, 'utf8')).toBe('{"k":"a","v":1}\n');
  });

  it('refuses a damaged line before the last one instead of dropping data', async () => {
    const path = file();
    writeFileSync(path, '{"k":"a","v":1}\nnot json\n{"k":"b","v":2}\n');
    const err = await FileStore.open(path).catch((e: unknown) => e);
    expect(isLgspError(err) && [err.code, err.details]).toEqual(['STORE_FAILED', { path, line: 2 }]);
    expect(readFileSync(path, 'utf8')).toBe('{"k":"a","v":1}\nnot json\n{"k":"b","v":2}\n');
  });

  it('compacts the file when most lines are superseded, keeping every live value', async () => {
    const path = file();
    const s = await FileStore.open(path, { compactAfterLines: 20 });
    for (let i = 0; i < 100; i++) await s.set(`k${i % 3}`, i);
    await s.close();
    expect(lines(path).length).toBeLessThanOrEqual(21);
    const t = await FileStore.open(path);
    expect(await t.entries('k')).toEqual(
      expect.arrayContaining([
        ['k0', 99],
        ['k1', 97],
        ['k2', 98],
      ]),
    );
    await t.close();
  });

  it('writes concurrent sets together, all durable', async () => {
    const path = file();
    const s = await FileStore.open(path);
    await Promise.all(Array.from({ length: 200 }, (_, i) => s.set(`k${i}`, { i })));
    await s.close();
    const t = await FileStore.open(path);
    const all = await t.entries('k');
    expect(all).toHaveLength(200);
    expect(all[199]).toEqual(['k199', { i: 199 }]);
    await t.close();
  });
});

describe('FileStore lock', () => {
  it('refuses a second store on the same file, and takes over a lock left by a dead process', async () => {
    const path = file();
    const a = await FileStore.open(path);
    const err = await FileStore.open(path).catch((e: unknown) => e);
    expect(isLgspError(err) && [err.code, err.details]).toEqual([
      'STORE_FAILED',
      { path, reason: 'locked', pid: process.pid },
    ]);
    await a.set('k', 1);
    await a.close();
    expect(existsSync(`${path}.lock`)).toBe(false);
    // A process that has exited left its lock behind.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    writeFileSync(`${path}.lock`, dead.stdout.toString());
    const b = await FileStore.open(path);
    expect(readFileSync(`${path}.lock`, 'utf8')).toBe(String(process.pid));
    expect(await b.get('k')).toBe(1);
    await b.close();
  });
});

describe('MemoryStore', () => {
  it('keeps copies, so callers cannot change what is stored', async () => {
    const s = new MemoryStore();
    const value = { a: [1] };
    await s.set('x', value);
    value.a.push(2);
    const read = (await s.get('x')) as { a: number[] };
    read.a.push(3);
    expect(await s.get('x')).toEqual({ a: [1] });
    expect(await s.entries('y')).toEqual([]);
  });
});
