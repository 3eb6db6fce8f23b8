import type { EventBus } from '../../events/types.js';
import type { EnvironmentRepository, IngestOutcome, ReadingInput, Station } from '../../storage/types.js';

export class StationNotFoundError extends Error {
  override readonly name = 'StationNotFoundError';
  constructor(readonly stationId: string) {
    super(`no station "${stationId}" is registered`);
  }
}

export interface EnvironmentDeps {
  readonly repo: EnvironmentRepository;
  readonly bus: EventBus;
  /** Told after readings of a station are stored (threshold alerts). */
  readonly onReadings?: (stationId: string) => void;
}

/**
 * Stores a batch of readings (idempotently), records the write in the audit log and publishes one
 * `environment.reading.received` event per newly stored reading. Used by HTTP and MQTT ingestion alike.
 */
export async function ingestReadings(
  deps: EnvironmentDeps,
  stationId: string,
  readings: readonly ReadingInput[],
  actor: string,
): Promise<IngestOutcome> {
  const station = await deps.repo.getStation(stationId);
  if (station === undefined) throw new StationNotFoundError(stationId);
  // The audit record is written in the same transaction as the readings.
  const outcome = await deps.repo.insertReadings(stationId, readings, {
    actor,
    action: 'environment.readings.ingest',
    subject: `station:${stationId}`,
  });
  if (outcome.accepted > 0) deps.onReadings?.(stationId);
  // Published in order, acknowledged together (one round trip on NATS, not one per reading).
  await deps.bus.publishAll(
    'environment.reading.received',
    outcome.stored.map((r) => ({
      data: { stationId: r.stationId, at: r.at, periodMinutes: r.periodMinutes, values: { ...r.values } },
      subject: `station:${stationId}`,
    })),
  );
  return outcome;
}

export async function registerStation(
  deps: EnvironmentDeps,
  station: Station,
  actor: string,
): Promise<'created' | 'exists'> {
  return deps.repo.createStation(station, {
    actor,
    action: 'environment.station.create',
    subject: `station:${station.id}`,
    data: { ...station, location: { ...station.location } },
  });
}
