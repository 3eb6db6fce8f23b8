import mqtt, { type MqttClient } from 'mqtt';
import readingSchema from '../../../../specs/schemas/env-reading.schema.json';
import { createAjv } from '../../http/ajv.js';
import type { Logger } from '../../logger.js';
import type { ReadingInput } from '../../storage/types.js';
import { ingestReadings, StationNotFoundError, type EnvironmentDeps } from './service.js';

export interface MqttIngestOptions {
  /** `mqtt://host:1883` */
  readonly url: string;
  /** Stable per instance so the broker keeps the session (and unacknowledged messages) across restarts. */
  readonly clientId: string;
  /** Topics are `<prefix>/env/stations/<stationId>/readings`. Default `ioc`. */
  readonly topicPrefix?: string;
  /** Shared-subscription group, so several instances split the stream instead of each taking all of it. */
  readonly shareGroup?: string;
  readonly deps: EnvironmentDeps;
  readonly logger: Logger;
  /** Called for every message with its outcome (metrics). */
  readonly onOutcome?: (outcome: 'stored' | 'duplicate' | 'rejected') => void;
  /** Delay before retrying a message whose storage failed. Default 1000 ms. */
  readonly retryDelayMs?: number;
}

export interface MqttIngest {
  /** Resolves once subscribed. */
  readonly ready: Promise<void>;
  /** Stops; messages not yet stored stay unacknowledged, so the broker delivers them again later. */
  close(): Promise<void>;
}

const STATION_ID = /^[A-Z0-9][A-Z0-9-]{1,31}$/;

/**
 * Readings over MQTT (QoS 1, persistent session). A message is acknowledged only after it is stored
 * (or found to be a duplicate, or rejected as invalid), so a crash never loses an accepted reading.
 * Messages are processed one at a time, in arrival order.
 */
export function startMqttIngest(options: MqttIngestOptions): MqttIngest {
  const valid = createAjv({ strict: true }).compile<ReadingInput & { periodMinutes?: number }>(readingSchema);
  const prefix = options.topicPrefix ?? 'ioc';
  const filter = `${prefix}/env/stations/+/readings`;
  const topicRe = new RegExp(
    `^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/env/stations/([^/]+)/readings$`,
  );
  let closing = false;
  let chain: Promise<void> = Promise.resolve();

  const reject = (topic: string, why: string) => {
    options.logger.warn('mqtt reading rejected', { topic, reason: why });
    options.onOutcome?.('rejected');
  };

  const handle = async (topic: string, payload: Buffer): Promise<boolean> => {
    const stationId = topicRe.exec(topic)?.[1];
    if (stationId === undefined || !STATION_ID.test(stationId)) {
      reject(topic, 'topic does not name a station');
      return true;
    }
    let body: unknown;
    try {
      body = JSON.parse(payload.toString('utf8'));
    } catch {
      reject(topic, 'payload is not JSON');
      return true;
    }
    if (!valid(body)) {
      const e = valid.errors?.[0];
      reject(topic, `${e?.instancePath || '(payload)'} ${e?.message ?? 'is invalid'}`);
      return true;
    }
    const reading: ReadingInput = {
      at: body.at,
      periodMinutes: body.periodMinutes ?? 60,
      values: body.values,
    };
    for (;;) {
      try {
        const outcome = await ingestReadings(options.deps, stationId, [reading], `mqtt:${stationId}`);
        options.onOutcome?.(outcome.accepted === 1 ? 'stored' : 'duplicate');
        return true;
      } catch (err) {
        if (err instanceof StationNotFoundError) {
          reject(topic, err.message);
          return true;
        }
        options.logger.error('mqtt reading not stored yet; retrying', {
          topic,
          error: err instanceof Error ? err.message : String(err),
        });
        if (closing) return false;
        await new Promise((r) => setTimeout(r, options.retryDelayMs ?? 1000));
        if (closing) return false;
      }
    }
  };

  const client: MqttClient = mqtt.connect(options.url, {
    // MQTT 5: acknowledgements under our control (mqtt.js honours customHandleAcks only on v5), and a
    // session that outlives disconnects so the broker keeps what arrives while we are down.
    protocolVersion: 5,
    clientId: options.clientId,
    clean: false,
    properties: { sessionExpiryInterval: 7 * 24 * 3600 },
    reconnectPeriod: 2000,
    connectTimeout: 5000,
    customHandleAcks: (topic, message, _packet, done) => {
      chain = chain.then(async () => {
        if (await handle(topic, message)) done(0);
        // Not stored and shutting down: no PUBACK, the broker redelivers after reconnect.
      });
    },
  });
  const subscription = options.shareGroup === undefined ? filter : `$share/${options.shareGroup}/${filter}`;
  const ready = new Promise<void>((resolve, reject) => {
    client.once('error', reject);
    client.once('connect', (connack: { sessionPresent: boolean }) => {
      client.off('error', reject);
      options.logger.info('mqtt connected', { sessionPresent: connack.sessionPresent, subscription });
      // Subscribing again is harmless, and right when the prefix or share group changed.
      client.subscribe(subscription, { qos: 1 }, (err) => (err ? reject(err) : resolve()));
    });
  });
  client.on('error', (err) => options.logger.error('mqtt error', { error: err.message }));
  return {
    ready,
    async close() {
      closing = true;
      await chain;
      await client.endAsync();
    },
  };
}
