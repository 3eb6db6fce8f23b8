import { deriveThresholdAlert, type Threshold } from '@dttm/ioc-kpi';
import type { EventBus } from '../../events/types.js';
import type { Logger } from '../../logger.js';
import type { EnvironmentRepository, JsonValue, KpiRepository } from '../../storage/types.js';
import { stationAqi } from './aqi.js';

/**
 * VN_AQI thresholds of the hourly index (QĐ 1459/QĐ-TCMT bands): "Xấu" (151) is a warning, "Rất xấu"
 * (201) critical, "Nguy hại" (301) critical too with its own message.
 */
export const AQI_THRESHOLDS: readonly Threshold[] = [
  { severity: 'warning', op: 'gte', value: 151, name: { vi: 'Xấu', en: 'Poor' } },
  { severity: 'critical', op: 'gte', value: 201, name: { vi: 'Rất xấu', en: 'Very poor' } },
];

export interface ThresholdMonitorOptions {
  readonly environment: EnvironmentRepository;
  readonly alerts: KpiRepository;
  readonly bus: EventBus;
  readonly logger: Logger;
  readonly thresholds?: readonly Threshold[];
  /** AQI points below the lowest threshold before an alert clears. Default 10. */
  readonly hysteresis?: number;
  /** Coalesces bursts of readings per station. Default 500 ms. */
  readonly debounceMs?: number;
  readonly now?: () => Date;
}

/**
 * Threshold alerts on the stations' hourly VN_AQI: after readings of a station are stored, its hourly
 * AQI is recomputed and a `threshold` alert raised, escalated or cleared (with hysteresis) in the
 * shared alert store, published as `kpi.alert.raised` / `kpi.alert.updated`. The district of the
 * station sees it, like the station itself.
 */
export class ThresholdMonitor {
  readonly #o: ThresholdMonitorOptions;
  readonly #pending = new Map<string, ReturnType<typeof setTimeout>>();
  #running: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(options: ThresholdMonitorOptions) {
    this.#o = options;
  }

  /** Schedules a check of one station (coalesced). */
  readingsStored(stationId: string): void {
    if (this.#closed) return;
    const prev = this.#pending.get(stationId);
    if (prev !== undefined) clearTimeout(prev);
    const t = setTimeout(() => {
      this.#pending.delete(stationId);
      this.check(stationId).catch((err: unknown) =>
        this.#o.logger.warn('AQI threshold check failed', {
          station: stationId,
          error: err instanceof Error ? err.message : String(err),
        }),
      );
    }, this.#o.debounceMs ?? 500);
    t.unref();
    this.#pending.set(stationId, t);
  }

  /** Checks one station now; resolves with the change written, if any. Checks run one at a time. */
  check(stationId: string): Promise<string | undefined> {
    const run = this.#running.then(() => this.#check(stationId));
    this.#running = run.catch(() => undefined);
    return run;
  }

  async #check(stationId: string): Promise<string | undefined> {
    const station = await this.#o.environment.getStation(stationId);
    if (station === undefined || station.kind !== 'air') return undefined;
    const aqi = await stationAqi(this.#o.environment, stationId, undefined);
    const key = `aqi|station:${stationId}`;
    const [existing] = await this.#o.alerts
      .listAlerts({ states: ['open', 'acknowledged'], kind: 'threshold', indicator: 'VN_AQI', limit: 1000 })
      .then((l) => l.filter((a) => a.dedupKey === `threshold|${key}`));
    const change = deriveThresholdAlert({
      key,
      indicator: 'VN_AQI',
      value: aqi.hourly.aqi,
      at: (this.#o.now?.() ?? new Date()).toISOString(),
      thresholds: this.#o.thresholds ?? AQI_THRESHOLDS,
      hysteresis: this.#o.hysteresis ?? 10,
      ...(station.area !== undefined
        ? { scope: { level: 'district' as const, adminUnitCode: station.area } }
        : {}),
      source: `station:${stationId}`,
      message: (v, t) => ({
        vi: `Trạm ${station.name}: VN_AQI giờ ${aqi.hourly.hourEnding} là ${v} (${t.name?.vi ?? ''}), vượt ngưỡng ${t.value}.`,
        en: `Station ${station.name}: hourly VN_AQI for ${aqi.hourly.hourEnding} is ${v} (${t.name?.en ?? ''}), past ${t.value}.`,
      }),
      ...(existing !== undefined ? { existing } : {}),
    });
    if (change === undefined) return undefined;
    const written = await this.#o.alerts.saveAlerts(
      [existing === undefined ? { alert: change.alert } : { alert: change.alert, expected: existing.state }],
      {
        actor: 'system',
        action: 'environment.aqi.threshold',
        subject: `station:${stationId}`,
        data: { change: change.type, aqi: aqi.hourly.aqi, severity: change.alert.severity },
      },
    );
    if (written.length === 0) return undefined;
    await this.#o.bus.publish(
      change.type === 'raised' ? 'kpi.alert.raised' : 'kpi.alert.updated',
      change.alert as unknown as JsonValue,
      { subject: `alert:${change.alert.id}` },
    );
    return change.type;
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const t of this.#pending.values()) clearTimeout(t);
    this.#pending.clear();
    await this.#running;
  }
}
