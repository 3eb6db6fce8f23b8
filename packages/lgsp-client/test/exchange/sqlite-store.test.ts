import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { DocumentOutbox, SqliteStore, isLgspError } from '../../src/index.js';
import { startLgspSimulator } from '../../src/testing/index.js';
import { STTTT, VPCP, axisFor, sampleDocument } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'lgsp-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SqliteStore (better-sqlite3)', () => {
  it('keeps sets and deletes across a reopen, entries in insertion order', async () => {
    const path = join(dir, 'a.sqlite');
    const a = SqliteStore.open(new Database(path));
    await a.set('outbox:entry:2', { state: 'pending' });
    await a.set('outbox:entry:1', { state: 'pending' });
    await a.set('outbox:entry:2', { state: 'sent', docId: 'x' });
    await a.set('outbox_other', 1);
    await a.set('inbox:doc:1', [true, null]);
    await a.delete('inbox:doc:1');
    await a.close();
    const b = SqliteStore.open(new Database(path));
    expect(await b.entries('outbox:')).toEqual([
      ['outbox:entry:2', { state: 'sent', docId: 'x' }],
      ['outbox:entry:1', { state: 'pending' }],
    ]);
    expect(await b.get('outbox_other')).toBe(1);
    expect(await b.get('inbox:doc:1')).toBeUndefined();
    await b.close();
    const err = await b.get('x').catch((e: unknown) => e);
    expect(isLgspError(err) && err.code).toBe('CLOSED');
  });

  it('refuses an unsafe table name', () => {
    const db = new Database(':memory:');
    let caught: unknown;
    try {
      SqliteStore.open(db, { table: 'x; DROP TABLE y' });
    } catch (error) {
      caught = error;
    }
    expect(isLgspError(caught) && caught.code).toBe('CONFIG_INVALID');
    db.close();
  });

  it('backs an outbox that survives a restart', async () => {
    const sim = await startLgspSimulator();
    const path = join(dir, 'outbox.sqlite');
    const { axis, client } = axisFor(sim, STTTT);
    try {
      const first = await DocumentOutbox.open({
        axis,
        store: SqliteStore.open(new Database(path)),
        autoStart: false,
      });
      await first.enqueue(sampleDocument(1));
      await first.close();
      const second = await DocumentOutbox.open({
        axis,
        store: SqliteStore.open(new Database(path)),
        autoStart: false,
      });
      expect(await second.flush()).toEqual({ pending: 0, sent: 1, dead: 0 });
      await second.close();
      expect(sim.mailbox(VPCP.organId).map((m) => m.docId)).toEqual(['sim-1']);
    } finally {
      client.close();
      await sim.close();
    }
  });
});
