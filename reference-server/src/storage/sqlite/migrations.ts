import type { Migration } from '../types.js';

/** Versioned schema of the embedded database. Append only: never edit an applied migration. */
export const sqliteMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'server-metadata',
    sql: `CREATE TABLE server_meta (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;`,
  },
  {
    version: 2,
    name: 'audit-log',
    sql: `CREATE TABLE audit_log (
      seq INTEGER PRIMARY KEY,
      at TEXT NOT NULL,
      actor TEXT NOT NULL,
      action TEXT NOT NULL,
      subject TEXT NOT NULL,
      data TEXT NOT NULL,
      prev_hash TEXT NOT NULL,
      hash TEXT NOT NULL UNIQUE
    ) STRICT;
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;`,
  },
  {
    version: 3,
    name: 'environment',
    sql: `CREATE TABLE env_station (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('air', 'water')),
      lat REAL NOT NULL,
      lon REAL NOT NULL,
      area TEXT,
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE env_reading (
      station_id TEXT NOT NULL REFERENCES env_station (id),
      at_utc TEXT NOT NULL,
      at TEXT NOT NULL,
      period_minutes INTEGER NOT NULL,
      values_json TEXT NOT NULL,
      received_at TEXT NOT NULL,
      PRIMARY KEY (station_id, at_utc, period_minutes)
    ) STRICT, WITHOUT ROWID;`,
  },
  {
    version: 4,
    name: 'kpi',
    sql: `CREATE TABLE kpi_observation (
      key TEXT PRIMARY KEY,
      indicator TEXT NOT NULL,
      period_label TEXT NOT NULL,
      period_start TEXT NOT NULL,
      period_end TEXT NOT NULL,
      scope_level TEXT NOT NULL,
      admin_unit TEXT,
      department TEXT,
      recorded_at TEXT NOT NULL,
      received_at TEXT NOT NULL,
      body TEXT NOT NULL
    ) STRICT;
    CREATE INDEX kpi_observation_by_indicator ON kpi_observation (indicator, period_start);
    CREATE INDEX kpi_observation_by_period ON kpi_observation (period_start, period_end);
    CREATE TABLE kpi_alert (
      id TEXT PRIMARY KEY,
      dedup_key TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('open', 'acknowledged', 'resolved')),
      kind TEXT NOT NULL,
      indicator TEXT NOT NULL,
      admin_unit TEXT,
      raised_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      body TEXT NOT NULL
    ) STRICT;
    CREATE UNIQUE INDEX kpi_alert_one_active ON kpi_alert (dedup_key) WHERE state IN ('open', 'acknowledged');
    CREATE INDEX kpi_alert_by_state ON kpi_alert (state, updated_at);`,
  },
  {
    version: 5,
    name: 'field-reports',
    sql: `CREATE TABLE report_photo (
      sha256 TEXT PRIMARY KEY,
      media_type TEXT NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png')),
      bytes INTEGER NOT NULL,
      data BLOB NOT NULL
    ) STRICT;
    CREATE TABLE field_report (
      id TEXT PRIMARY KEY,
      code TEXT NOT NULL UNIQUE,
      state TEXT NOT NULL CHECK (state IN ('received', 'assigned', 'in-progress', 'resolved', 'rejected', 'escalated')),
      category TEXT NOT NULL,
      department TEXT NOT NULL,
      district TEXT,
      submitted_at TEXT NOT NULL,
      deadline TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      contact TEXT,
      photo_sha256 TEXT REFERENCES report_photo (sha256),
      body TEXT NOT NULL
    ) STRICT;
    CREATE INDEX field_report_by_department ON field_report (department, submitted_at);
    CREATE INDEX field_report_by_district ON field_report (district, submitted_at);
    CREATE INDEX field_report_by_state ON field_report (state, deadline);
    CREATE INDEX field_report_by_submission ON field_report (submitted_at);`,
  },
  {
    version: 6,
    name: 'documents',
    sql: `CREATE TABLE official_document (
      id TEXT PRIMARY KEY,
      direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
      document_id TEXT NOT NULL,
      state TEXT NOT NULL,
      flagged INTEGER NOT NULL CHECK (flagged IN (0, 1)),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      body TEXT NOT NULL
    ) STRICT;
    CREATE UNIQUE INDEX official_document_by_document_id ON official_document (direction, document_id);
    CREATE INDEX official_document_by_creation ON official_document (created_at);
    CREATE INDEX official_document_by_state ON official_document (state, created_at);
    CREATE TABLE official_document_content (
      id TEXT PRIMARY KEY REFERENCES official_document (id),
      edxml TEXT NOT NULL,
      reports TEXT NOT NULL
    ) STRICT;
    CREATE TABLE document_exchange (
      namespace TEXT NOT NULL,
      key TEXT NOT NULL,
      value TEXT NOT NULL,
      PRIMARY KEY (namespace, key)
    ) STRICT;`,
  },
  {
    version: 8,
    name: 'cameras',
    sql: `CREATE TABLE camera (
      id TEXT PRIMARY KEY,
      area TEXT NOT NULL,
      unit TEXT NOT NULL,
      secret TEXT,
      body TEXT NOT NULL
    ) STRICT;
    CREATE INDEX camera_by_area ON camera (area);
    CREATE INDEX camera_by_unit ON camera (unit);
    CREATE TABLE camera_incident (
      id TEXT PRIMARY KEY,
      camera_id TEXT NOT NULL,
      unit TEXT NOT NULL,
      area TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('open', 'acknowledged', 'dispatched', 'in-progress', 'resolved', 'closed')),
      dedup_key TEXT NOT NULL,
      opened_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      body TEXT NOT NULL
    ) STRICT;
    CREATE INDEX camera_incident_by_opening ON camera_incident (opened_at);
    CREATE INDEX camera_incident_by_key ON camera_incident (dedup_key, state);
    CREATE INDEX camera_incident_by_unit ON camera_incident (unit, opened_at);
    CREATE INDEX camera_incident_by_area ON camera_incident (area, opened_at);
    CREATE INDEX camera_incident_by_camera ON camera_incident (camera_id, opened_at);
    CREATE TABLE plate_watch (
      plate TEXT PRIMARY KEY,
      body TEXT NOT NULL
    ) STRICT;`,
  },
  {
    version: 7,
    name: 'health',
    sql: `CREATE TABLE health_facility (
      id TEXT PRIMARY KEY,
      area TEXT,
      updated_at TEXT NOT NULL,
      body TEXT NOT NULL
    ) STRICT;
    CREATE TABLE hl7_message (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE,
      key TEXT NOT NULL UNIQUE,
      facility TEXT NOT NULL,
      message_type TEXT NOT NULL,
      message_code TEXT NOT NULL,
      received_at TEXT NOT NULL,
      delivery TEXT NOT NULL CHECK (delivery IN ('queued', 'delivered', 'failed')),
      body TEXT NOT NULL,
      er7 TEXT NOT NULL
    ) STRICT;
    CREATE INDEX hl7_message_by_received ON hl7_message (received_at, seq);
    CREATE INDEX hl7_message_by_facility ON hl7_message (facility, received_at);
    CREATE INDEX hl7_message_by_code ON hl7_message (message_code, received_at);
    CREATE TABLE hl7_outbox (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      item_id TEXT NOT NULL,
      op TEXT NOT NULL CHECK (op IN ('enqueue', 'delivered', 'dead')),
      body TEXT NOT NULL
    ) STRICT;
    CREATE INDEX hl7_outbox_by_item ON hl7_outbox (item_id, op);`,
  },
  {
    version: 9,
    name: 'camera-leases',
    sql: `CREATE TABLE camera_lease (
      camera_id TEXT PRIMARY KEY,
      owner TEXT NOT NULL,
      expires_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX camera_lease_by_owner ON camera_lease (owner);`,
  },
];
