import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DocumentInbox, FileStore, MemoryStore, type ParsedEdxml } from '../../src/index.js';
import { startLgspSimulator } from '../../src/testing/index.js';
import { VPCP, axisFor } from './fixtures.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const script = fileURLToPath(new URL('./outbox-process.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'lgsp-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sender(url: string, store: string, count: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', script, url, store, String(count)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, exit, output: () => ({ stdout, stderr }) };
}

async function until(condition: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('outbox crash recovery (a sender process killed with SIGKILL mid-send, then restarted)', () => {
  it('the receiver gets every document exactly once after de-duplication', async () => {
    const sim = await startLgspSimulator();
    try {
      const store = join(dir, 'sender.jsonl');
      // The third send reaches the axis, which delivers it and never answers: the sender dies waiting.
      sim.inject({ fault: { kind: 'hangAfterProcessing' }, pathPrefix: '/v1/sendEdoc', after: 2 });
      const first = sender(sim.url, store, 5);
      await until(() => sim.mailbox(VPCP.organId).length === 3, 30_000);
      first.child.kill('SIGKILL');
      expect((await first.exit).signal).toBe('SIGKILL');
      expect(first.output().stdout).toContain('sending edoc:000.00.08.H22,2026/11/27,3/STTTT-CNTT 1\n');
      expect(first.output().stdout).not.toContain('sent edoc:000.00.08.H22,2026/11/27,3/STTTT-CNTT');

      // What the dead process left behind: everything enqueued, two sent, the third mid-send.
      const left = await FileStore.open(store);
      const states = (await left.entries('outbox:entry:')).map(([, v]) => {
        const e = (v as { entry: { id: string; state: string; attempts: number } }).entry;
        return `${e.id.split(',')[2] ?? ''} ${e.state} ${e.attempts}`;
      });
      await left.close();
      expect(states).toEqual([
        '1/STTTT-CNTT sent 1',
        '2/STTTT-CNTT sent 1',
        '3/STTTT-CNTT pending 1',
        '4/STTTT-CNTT pending 0',
        '5/STTTT-CNTT pending 0',
      ]);

      const second = sender(sim.url, store, 5);
      const exit = await second.exit;
      expect(exit, second.output().stderr).toEqual({ code: 0, signal: null });
      expect(second.output().stdout.trim().split('\n').at(-1)).toBe('{"pending":0,"sent":5,"dead":0}');
      expect(second.output().stdout).toContain('sent edoc:000.00.08.H22,2026/11/27,3/STTTT-CNTT 2\n');
      // At-least-once: document 3 reached the axis twice.
      expect(sim.mailbox(VPCP.organId)).toHaveLength(6);

      const { axis, client } = axisFor(sim, VPCP);
      const inbox = await DocumentInbox.open({ axis, store: new MemoryStore(), messageTypes: ['edoc'] });
      const received: ParsedEdxml[] = [];
      const summary = await inbox.poll((doc) => received.push(doc));
      await inbox.close();
      client.close();
      expect(received.map((d) => (d.kind === 'edoc' ? d.messageHeader.code.codeNumber : ''))).toEqual([
        '1',
        '2',
        '3',
        '4',
        '5',
      ]);
      expect(summary).toMatchObject({ listed: 6, acknowledged: 5, duplicates: 1 });
      expect(sim.mailbox(VPCP.organId).every((m) => m.status === 'done')).toBe(true);
    } finally {
      await sim.close();
    }
  }, 60_000);
});
