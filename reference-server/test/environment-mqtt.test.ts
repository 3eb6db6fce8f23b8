/** Readings over the machine's Mosquitto: acknowledged only once stored, nothing lost across a restart. */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, silentLogger, startServer, type RunningServer } from '../src/index.js';

const run = randomUUID().slice(0, 8);
const PREFIX = `ioctest/${run}`;
const env = () => ({
  PORT: '0',
  DATA_DIR: dataDir,
  LOG_LEVEL: 'silent',
  DEMO: 'false',
  MQTT_URL: 'mqtt://127.0.0.1:1883',
  MQTT_CLIENT_ID: `ioc-test-${run}`,
  MQTT_TOPIC_PREFIX: PREFIX,
  MQTT_SHARE_GROUP: '',
});
let dataDir = '';
let server: RunningServer;
let publisher: mqtt.MqttClient;

async function start() {
  server = await startServer(loadConfig(env()), silentLogger);
  await server.mqtt?.ready;
}

async function readings(stationId: string) {
  return server.storage.environment.listReadings(stationId, new Date(0), new Date('2100-01-01'), 100);
}

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
}

const publish = (topic: string, payload: string) => publisher.publishAsync(topic, payload, { qos: 1 });

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioc-mqtt-'));
  await start();
  await server.storage.environment.createStation({
    id: 'BG-KK-01',
    name: 'Trạm TP Bắc Giang',
    kind: 'air',
    location: { lat: 21.27, lon: 106.19 },
  });
  publisher = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { clientId: `ioc-test-pub-${run}` });
});
afterAll(async () => {
  await publisher.endAsync();
  await server.close();
  // Drop the broker's persistent session of the test subscriber.
  const c = await mqtt.connectAsync('mqtt://127.0.0.1:1883', {
    clientId: `ioc-test-${run}`,
    clean: true,
    protocolVersion: 5,
    properties: { sessionExpiryInterval: 0 },
  });
  await c.endAsync();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('MQTT ingestion', () => {
  it('stores valid readings and rejects bad messages without stopping', async () => {
    const topic = `${PREFIX}/env/stations/BG-KK-01/readings`;
    await publish(topic, JSON.stringify({ at: '2026-11-28T08:00:00+07:00', values: { pm25: 38.2 } }));
    await publish(topic, '{not json');
    await publish(topic, JSON.stringify({ at: '2026-11-28T09:00:00+07:00', values: { pm25: -4 } }));
    await publish(
      `${PREFIX}/env/stations/BG-XX-99/readings`,
      JSON.stringify({ at: '2026-11-28T09:00:00+07:00', values: { pm25: 4 } }),
    );
    await publish(
      `${PREFIX}/env/stations/bad id/readings`,
      JSON.stringify({ at: '2026-11-28T09:00:00+07:00', values: { pm25: 4 } }),
    );
    await publish(
      topic,
      JSON.stringify({
        at: '2026-11-28T09:00:00+07:00',
        periodMinutes: 60,
        values: { pm25: 41.5, pm10: 60 },
      }),
    );
    await publish(topic, JSON.stringify({ at: '2026-11-28T02:00:00Z', values: { pm25: 41.5, pm10: 60 } }));
    const stored = await until(
      () => readings('BG-KK-01'),
      (r) => r.length >= 2,
    );
    expect(stored.map((r) => [r.at, r.values])).toEqual([
      ['2026-11-28T08:00:00+07:00', { pm25: 38.2 }],
      ['2026-11-28T09:00:00+07:00', { pm10: 60, pm25: 41.5 }],
    ]);
    const metrics = await until(
      async () => (await fetch(new URL('/metrics', server.url))).text(),
      (t) => t.includes('ioc_mqtt_messages_total{outcome="duplicate"'),
    );
    expect(metrics).toContain('ioc_mqtt_messages_total{outcome="stored",service="ioc-reference-server"} 2');
    expect(metrics).toContain('ioc_mqtt_messages_total{outcome="rejected",service="ioc-reference-server"} 4');
    expect(metrics).toContain(
      'ioc_mqtt_messages_total{outcome="duplicate",service="ioc-reference-server"} 1',
    );
    const audit = await server.storage.audit.list({ limit: 1000 });
    expect(audit.filter((e) => e.actor === 'mqtt:BG-KK-01').length).toBe(3);
  });

  it('receives readings published while the server was down (persistent session, QoS 1)', async () => {
    await server.close();
    const topic = `${PREFIX}/env/stations/BG-KK-01/readings`;
    await publish(topic, JSON.stringify({ at: '2026-11-28T10:00:00+07:00', values: { pm25: 55 } }));
    await publish(topic, JSON.stringify({ at: '2026-11-28T11:00:00+07:00', values: { pm25: 60 } }));
    await start();
    const stored = await until(
      () => readings('BG-KK-01'),
      (r) => r.length >= 4,
    );
    expect(stored.map((r) => r.at)).toEqual([
      '2026-11-28T08:00:00+07:00',
      '2026-11-28T09:00:00+07:00',
      '2026-11-28T10:00:00+07:00',
      '2026-11-28T11:00:00+07:00',
    ]);
  });
});
