import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const children: ChildProcessWithoutNullStreams[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** Starts `src/main.ts` the way `npm start` starts `dist/main.js`, and waits for the printed URL. */
function startMain(env: Record<string, string>, args: string[] = []) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioc-main-'));
  dirs.push(dataDir);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: serverDir,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, ...env },
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const m = /Dashboard:\s+(http:\/\/\S+)/.exec(stdout);
      if (m?.[1]) resolve(m[1]);
    });
    void exited.then((code) => reject(new Error(`exited with ${code}: ${stderr}`)));
  });
  return { child, url, exited, output: () => ({ stdout, stderr }) };
}

describe('main (the npm start entry point)', () => {
  it('prints the dashboard URL, serves, and shuts down cleanly on SIGTERM with a keep-alive connection open', async () => {
    const run = startMain({ SHUTDOWN_TIMEOUT_MS: '5000' });
    const url = await run.url;
    const health = await fetch(new URL('/health', url));
    expect(health.status).toBe(200);

    // Demo mode (the default): the printed URL signs the dashboard in, and the stations are seeded.
    const token = /#token=(.+)$/.exec(url)?.[1];
    expect(token).toBeDefined();
    const stations = await fetch(new URL('/api/v1/environment/stations', url), {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(((await stations.json()) as { items: { id: string }[] }).items.map((s) => s.id)).toEqual([
      'BG-KK-01',
      'BG-KK-02',
    ]);

    // Hold an HTTP/1.1 keep-alive connection open, then stop the server: it must still exit.
    const agent = new http.Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) => {
      http
        .get(new URL('/ready', url), { agent }, (res) => {
          res.resume();
          res.on('end', resolve);
        })
        .on('error', reject);
    });
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    agent.destroy();
    const logs = run
      .output()
      .stdout.split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg: string; level: string });
    const msgs = logs.map((l) => l.msg);
    // Start-up of the demo and its integrations, then listening; the shutdown comes last, in order.
    expect(msgs.indexOf('demo data seeded')).toBeGreaterThanOrEqual(0);
    expect(msgs.indexOf('demo data seeded')).toBeLessThan(msgs.indexOf('listening'));
    expect(msgs.slice(-2)).toEqual(['shutting down', 'shutdown complete']);
    expect(new Set(msgs)).toEqual(
      new Set([
        'HL7 MLLP listener started',
        'demo: document sent',
        'demo hospitals sending HL7 v2',
        'camera demo running',
        'demo data seeded',
        'listening',
        ...(msgs.includes('camera health') ? ['camera health'] : []),
        'shutting down',
        'shutdown complete',
      ]),
    );
    // Nothing went wrong on the way.
    expect(logs.filter((l) => l.level !== 'info')).toEqual([]);
  });

  it('--no-demo starts a clean installation', async () => {
    const run = startMain({}, ['--no-demo']);
    const url = await run.url;
    expect(url).not.toContain('#token=');
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.output().stdout).not.toContain('demo data seeded');
  });

  it('exits with code 2 and names the variable on bad configuration', async () => {
    const run = startMain({ PORT: 'http' });
    await expect(run.url).rejects.toThrow('Configuration error — PORT: expected an integer, got "http"');
    expect(await run.exited).toBe(2);
  });
});
