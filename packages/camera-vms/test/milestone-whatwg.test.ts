/**
 * The Milestone adapter with a WHATWG WebSocket instead of the `ws` package: Node.js's built-in one
 * (global in Node.js ≥ 22, behind `--experimental-websocket` on Node.js 20), in a child process.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const src = path.resolve(import.meta.dirname, '../src');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'milestone-whatwg-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const script = `
import { MILESTONE_EVENT_TYPES, MilestoneClient } from ${JSON.stringify(path.join(src, 'index.ts'))};
import { startMilestoneSimulator } from ${JSON.stringify(path.join(src, 'testing/index.ts'))};

const login = { username: 'vms-operator', password: 'Mật-khẩu-2026' };
const sim = await startMilestoneSimulator(login);
const out = { builtIn: typeof globalThis.WebSocket, runs: [] };
const motion = (camera, type = MILESTONE_EVENT_TYPES.motionStarted) => ({ type, source: 'cameras/' + camera, time: '2026-12-01T01:00:00Z' });
for (const authentication of ['header', 'command']) {
  const client = new MilestoneClient({ url: sim.url, ...login, WebSocket: globalThis.WebSocket, authentication });
  const stream = client.events({ reconnectDelayMs: 10, jitter: () => 0, onSession: (s) => { if (!s.resumed) sim.publish(motion('cam-1')); } });
  const seen = [];
  for await (const e of stream) {
    seen.push([e.source.cameraId, e.state]);
    if (seen.length === 1) {
      sim.dropConnections();
      sim.publish(motion('cam-2', MILESTONE_EVENT_TYPES.motionStopped));
    }
    if (seen.length === 2) break;
  }
  out.runs.push({ authentication, seen, connections: stream.connections, resumes: stream.resumes });
}
out.commands = sim.commands.map((c) => c.command);
await sim.close();
console.log(JSON.stringify(out));
`;

describe('Milestone adapter with a WHATWG WebSocket (Node.js built-in)', () => {
  it('authenticates by header or by command, receives events and resumes after a drop', async () => {
    const file = path.join(tmp, 'whatwg.mts');
    fs.writeFileSync(file, script);
    const { stdout } = await run(
      process.execPath,
      ['--experimental-websocket', '--no-warnings', '--import', 'tsx', file],
      {
        cwd: path.resolve(src, '../../..'),
        timeout: 30_000,
      },
    );
    const result = JSON.parse(stdout) as {
      builtIn: string;
      runs: { authentication: string; seen: string[][]; connections: number; resumes: number }[];
      commands: string[];
    };
    expect(result.builtIn).toBe('function');
    expect(result.runs).toEqual([
      {
        authentication: 'header',
        seen: [
          ['cam-1', 'start'],
          ['cam-2', 'end'],
        ],
        connections: 2,
        resumes: 1,
      },
      {
        authentication: 'command',
        seen: [
          ['cam-1', 'start'],
          ['cam-2', 'end'],
        ],
        connections: 2,
        resumes: 1,
      },
    ]);
    expect(result.commands).toEqual([
      'startSession',
      'addSubscription',
      'startSession',
      'authenticate',
      'startSession',
      'addSubscription',
      'authenticate',
      'startSession',
    ]);
  }, 40_000);
});
