/**
 * Crash test of the HL7 listener: kill -9 the server while a hospital sends messages and the FHIR
 * server is down; after a restart every message the server acknowledged AA is stored and, once the FHIR
 * server is back, delivered to it.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { MllpClient } from '@dttm/hl7-fhir-bridge';
import { FhirTestServer } from '@dttm/hl7-fhir-bridge/testing';
import { adtMessage } from '../src/demo/health.js';
import { openStorage } from '../src/storage/index.js';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function launch(env: Record<string, string>): {
  child: ChildProcessWithoutNullStreams;
  ready: Promise<void>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--no-demo'], {
    cwd: serverDir,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', ...env },
  });
  let out = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (/Dashboard:\s+http:\/\/\S+/.test(out)) resolve();
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.resolve();
  });
  return { child, ready };
}

const patient = (i: number) => ({
  mrn: `BN${i}`,
  cccd: `0241230${String(i).padStart(5, '0')}`,
  family: 'Lê',
  given: 'Minh Châu',
  birthDate: '19900101',
  sex: 'F' as const,
});

describe('HL7 listener crash safety', () => {
  it('keeps every acknowledged message across kill -9 and delivers it after the restart', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioc-hl7-crash-'));
    cleanups.push(() => Promise.resolve(fs.rmSync(dataDir, { recursive: true, force: true })));
    const fhir = await FhirTestServer.listen();
    cleanups.push(() => fhir.close());
    await fhir.down();
    const storage = await openStorage({ dataDir });
    await storage.health.putFacility(
      {
        id: 'BV_CRASH',
        name: 'Bệnh viện thử',
        addresses: [],
        createdAt: new Date().toISOString(),
        updatedAt: new Date().toISOString(),
      },
      { actor: 'test', action: 'health.facility.register', subject: 'facility:BV_CRASH', data: {} },
    );
    await storage.close();
    const port = await freePort();
    const env = {
      DATA_DIR: dataDir,
      HL7_MLLP_PORT: String(port),
      FHIR_BASE_URL: fhir.baseUrl,
      HL7_OUTBOX_BASE_DELAY_MS: '20',
      HL7_OUTBOX_MAX_DELAY_MS: '100',
    };

    const first = launch(env);
    await first.ready;
    const client = await MllpClient.connect({ host: '127.0.0.1', port });
    const acked: string[] = [];
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < 60; i++) {
      const controlId = `K${i}`;
      const at = new Date();
      sends.push(
        client.send(adtMessage({ facility: 'BV_CRASH', controlId, at }, 'A04', patient(i), `LK${i}`)).then(
          (ack) => {
            if (ack.get('MSA-1') === 'AA') acked.push(controlId);
          },
          () => undefined,
        ),
      );
      if (i === 30) {
        // Kill while messages are in flight.
        while (acked.length < 10) await new Promise((r) => setTimeout(r, 5));
        first.child.kill('SIGKILL');
      }
    }
    await Promise.allSettled(sends);
    await client.close().catch(() => undefined);
    expect(acked.length).toBeGreaterThanOrEqual(10);
    expect(acked.length).toBeLessThan(60);

    const second = launch(env);
    await second.ready;
    await fhir.up();
    const deadline = Date.now() + 20_000;
    for (;;) {
      const delivered = acked.filter(
        (id) => fhir.find('Encounter', `urn:dttm:sid:BV_CRASH:visit|LK${id.slice(1)}`).length === 1,
      );
      if (delivered.length === acked.length || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));
    const after = await openStorage({ dataDir });
    const stored = new Set((await after.health.listMessages({ limit: 1000 })).map((m) => m.controlId));
    await after.close();
    // Every acknowledged message is stored and was delivered; nothing acknowledged was lost.
    expect(acked.filter((id) => !stored.has(id))).toEqual([]);
    expect(
      acked.filter(
        (id) => fhir.find('Encounter', `urn:dttm:sid:BV_CRASH:visit|LK${id.slice(1)}`).length !== 1,
      ),
    ).toEqual([]);
  }, 90_000);
});
