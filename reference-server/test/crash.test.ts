/**
 * Crash test: kill -9 the server while machine clients ingest batches of readings and of KPI
 * observations; after a restart every batch the server acknowledged (202) is stored — on SQLite and on
 * PostgreSQL.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDemoIssuer, mintToken } from '../src/auth/demo.js';
import { loadConfig } from '../src/config.js';
import { openStorage } from '../src/storage/index.js';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

function launch(env: Record<string, string>): {
  child: ChildProcessWithoutNullStreams;
  url: Promise<string>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--no-demo'], {
    cwd: serverDir,
    // Retention would fold the test's (old) one-minute readings into hourly means after the restart.
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', READINGS_RAW_RETENTION_DAYS: '0', ...env },
  });
  let out = '';
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Dashboard:\s+(http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.resolve();
  });
  return { child, url };
}

async function crashDuringIngest(env: Record<string, string>, dataDir: string) {
  const config = loadConfig({ ...env, DATA_DIR: dataDir, DEMO: 'false' });
  const storage = await openStorage({ dataDir, databaseUrl: config.databaseUrl });
  await storage.environment.createStation({
    id: 'BG-KK-01',
    name: 'Trạm',
    kind: 'air',
    location: { lat: 21.27, lon: 106.19 },
  });
  await storage.close();
  const token = mintToken(ensureDemoIssuer(dataDir), {
    issuer: config.auth.issuer,
    audience: config.auth.audience,
    subject: 'station-client',
    roles: ['machine'],
  });

  const first = launch({ ...env, DATA_DIR: dataDir });
  const url = await first.url;
  const acknowledged: string[] = [];
  let minute = 0;
  const sender = (async () => {
    for (;;) {
      const readings = Array.from({ length: 50 }, () => {
        const at = new Date(Date.UTC(2026, 10, 1) + minute++ * 60_000).toISOString();
        return { at, periodMinutes: 1, values: { pm25: (minute % 90) + 0.5 } };
      });
      try {
        const res = await fetch(new URL('/api/v1/environment/stations/BG-KK-01/readings', url), {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ readings }),
        });
        if (res.status !== 202) throw new Error(`status ${res.status}`);
        await res.json();
        acknowledged.push(...readings.map((r) => r.at));
      } catch {
        return; // the server is gone
      }
    }
  })();
  // KPI observations at the same time: percent indicators per district and month, keyed.
  const observed: string[] = [];
  const percent = ['L2.N1.PN1.02', 'L2.N1.PN3.01', 'L2.N3.PN1.03', 'L3.N1.PN1.01'];
  const districts = ['213', '215', '216', '217', '218', '219', '220', '221', '222', '223'];
  let n = 0;
  const kpiSender = (async () => {
    for (;;) {
      const observations = Array.from({ length: 50 }, () => {
        const i = n++;
        const indicator = percent[i % percent.length] as string;
        const area = districts[Math.floor(i / percent.length) % districts.length] as string;
        const slot = Math.floor(i / (percent.length * districts.length));
        return {
          key: `crash-${i}`,
          indicator,
          value: 40,
          numerator: 4,
          denominator: 10,
          period: { year: 2000 + Math.floor(slot / 12), month: 1 + (slot % 12) },
          scope: { level: 'district', adminUnitCode: area },
          source: 'crash-client',
          method: 'automatic',
          recordedAt: '2026-11-01T00:00:00+07:00',
        };
      });
      try {
        const res = await fetch(new URL('/api/v1/kpi/observations', url), {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ observations }),
        });
        if (res.status !== 202) throw new Error(`status ${res.status}`);
        const body = (await res.json()) as { accepted: number };
        if (body.accepted !== observations.length) throw new Error(`accepted ${body.accepted}`);
        observed.push(...observations.map((o) => `crash-client:${o.key}`));
      } catch {
        return; // the server is gone
      }
    }
  })();
  // Let a few hundred batches through, then pull the plug mid-stream.
  while (acknowledged.length < 2000 || observed.length < 1000) await new Promise((r) => setTimeout(r, 20));
  first.child.kill('SIGKILL');
  await sender;
  await kpiSender;

  const second = launch({ ...env, DATA_DIR: dataDir });
  await second.url;
  const after = await openStorage({ dataDir, databaseUrl: config.databaseUrl });
  const stored = new Set(
    (await after.environment.listReadings('BG-KK-01', new Date(0), new Date('2100-01-01'), 1_000_000)).map(
      (r) => new Date(r.at).toISOString(),
    ),
  );
  const storedKeys = new Set((await after.kpi.listObservations({ limit: 1_000_000 })).map((o) => o.key));
  const verified = await after.audit.verify();
  await after.close();
  second.child.kill('SIGTERM');
  return { acknowledged, stored, observed, storedKeys, verified };
}

describe('kill -9 during batch ingest', () => {
  it('loses no acknowledged reading or observation on SQLite', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioc-crash-'));
    cleanups.push(() => Promise.resolve(fs.rmSync(dataDir, { recursive: true, force: true })));
    const { acknowledged, stored, observed, storedKeys, verified } = await crashDuringIngest({}, dataDir);
    expect(acknowledged.length).toBeGreaterThanOrEqual(2000);
    expect(acknowledged.filter((at) => !stored.has(at))).toEqual([]);
    expect(observed.length).toBeGreaterThanOrEqual(1000);
    expect(observed.filter((k) => !storedKeys.has(k))).toEqual([]);
    expect(verified.ok).toBe(true);
  });

  it('loses no acknowledged reading or observation on PostgreSQL', async () => {
    const db = `ioc_crash_${randomBytes(4).toString('hex')}`;
    const admin = async (sql: string) => {
      const c = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
      await c.connect();
      await c.query(sql);
      await c.end();
    };
    await admin(`CREATE DATABASE ${db}`);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioc-crash-pg-'));
    cleanups.push(async () => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      await admin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    });
    const { acknowledged, stored, observed, storedKeys, verified } = await crashDuringIngest(
      { DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${db}` },
      dataDir,
    );
    expect(acknowledged.length).toBeGreaterThanOrEqual(2000);
    expect(acknowledged.filter((at) => !stored.has(at))).toEqual([]);
    expect(observed.length).toBeGreaterThanOrEqual(1000);
    expect(observed.filter((k) => !storedKeys.has(k))).toEqual([]);
    expect(verified.ok).toBe(true);
  });
});
