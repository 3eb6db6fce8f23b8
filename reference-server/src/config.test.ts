import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has embedded defaults', () => {
    expect(loadConfig({}, '/srv/ioc')).toEqual({
      port: 8080,
      host: '127.0.0.1',
      dataDir: path.resolve('/srv/ioc', 'data'),
      shutdownTimeoutMs: 10_000,
      logLevel: 'info',
      auth: { issuer: 'urn:dttm:ioc:demo', audience: 'ioc-reference-server', jwks: { kind: 'demo' } },
      demo: true,
      demoIntervalMs: 60_000,
      kpiAlertIntervalMs: 600_000,
      reportsIntervalMs: 60_000,
      readingsRawRetentionDays: 30,
      sqliteIngestThread: true,
      apiRateLimit: { burst: 1000, perMinute: 12_000 },
      retentionIntervalMs: 3_600_000,
      reportRateLimit: { burst: 5, perMinute: 2 },
      documents: {
        pollIntervalMs: 30_000,
        maxAttachmentBytes: 5_242_880,
        retryBaseDelayMs: 2000,
        storeRetentionDays: 90,
      },
      cameras: {
        healthIntervalMs: 30_000,
        reconnectMaxMs: 30_000,
        dedupWindowMs: 300_000,
        leaseTtlMs: 30_000,
        leaseRenewMs: 10_000,
      },
      health: { mllpHost: '127.0.0.1', outboxBaseDelayMs: 500, outboxMaxDelayMs: 30_000, kpiDelayMs: 2000 },
    });
    expect(
      loadConfig(
        { REPORTS_INTERVAL_MS: '0', REPORTS_RATE_BURST: '20', REPORTS_RATE_PER_MINUTE: '0' },
        '/srv',
      ),
    ).toMatchObject({ reportsIntervalMs: 0, reportRateLimit: { burst: 20, perMinute: 0 } });
    expect(() => loadConfig({ REPORTS_RATE_BURST: '0' }, '/srv')).toThrow(ConfigError);
    expect(loadConfig({}, '/srv')).toMatchObject({
      readingsRawRetentionDays: 30,
      retentionIntervalMs: 3_600_000,
    });
    expect(
      loadConfig({ READINGS_RAW_RETENTION_DAYS: '0', RETENTION_INTERVAL_MS: '60000' }, '/srv'),
    ).toMatchObject({ readingsRawRetentionDays: 0, retentionIntervalMs: 60_000 });
    expect(() => loadConfig({ READINGS_RAW_RETENTION_DAYS: '-1' }, '/srv')).toThrow(ConfigError);
    expect(loadConfig({ API_RATE_BURST: '5', API_RATE_PER_MINUTE: '0' }, '/srv').apiRateLimit).toEqual({
      burst: 5,
      perMinute: 0,
    });
    expect(() => loadConfig({ API_RATE_BURST: '0' }, '/srv')).toThrow(ConfigError);
    expect(() => loadConfig({ READINGS_RAW_RETENTION_DAYS: 'a week' }, '/srv')).toThrow(ConfigError);
    expect(loadConfig({ TRUST_PROXY: ' loopback ' }, '/srv').trustProxy).toBe('loopback');
    expect(loadConfig({ TRUST_PROXY: '' }, '/srv').trustProxy).toBeUndefined();
    expect(loadConfig({}, '/srv', ['--no-demo']).demo).toBe(false);
    expect(loadConfig({ DEMO: 'false' }, '/srv').demo).toBe(false);
    expect(loadConfig({ DEMO: 'false' }, '/srv', ['--demo']).demo).toBe(true);
    expect(loadConfig({}, '/srv').sqliteIngestThread).toBe(true);
    expect(loadConfig({ SQLITE_INGEST_THREAD: 'false' }, '/srv').sqliteIngestThread).toBe(false);
    expect(() => loadConfig({ SQLITE_INGEST_THREAD: 'sometimes' }, '/srv')).toThrow(ConfigError);
  });

  it('reads every variable', () => {
    expect(
      loadConfig(
        {
          PORT: '9090',
          HOST: '0.0.0.0',
          DATA_DIR: '/var/lib/ioc',
          SHUTDOWN_TIMEOUT_MS: '500',
          LOG_LEVEL: 'WARN',
        },
        '/srv',
      ),
    ).toMatchObject({
      port: 9090,
      host: '0.0.0.0',
      dataDir: '/var/lib/ioc',
      shutdownTimeoutMs: 500,
      logLevel: 'warn',
    });
  });

  it('reads the LGSP document settings', () => {
    const lgsp = {
      LGSP_URL: 'https://lgsp.bacgiang.gov.vn:8243',
      LGSP_SYSTEM_ID: 'ioc',
      LGSP_SECRET_KEY: 's3cret',
      LGSP_AGENCY_CODE: '000.01.08.H10',
      DOCUMENT_SIGNING_KEY: 'pki/ioc.key',
      DOCUMENT_SIGNING_CERT: 'pki/ioc.crt',
    };
    const c = loadConfig(
      {
        ...lgsp,
        LGSP_AXIS_PATH: '/edoc/1.0',
        LGSP_AGENCY_NAME: 'Trung tâm điều hành'.normalize('NFD'),
        LGSP_POLL_INTERVAL_MS: '0',
        LGSP_RETRY_BASE_DELAY_MS: '100',
        DOCUMENT_TRUST_ANCHORS: 'pki/anchors',
        DOCUMENT_MAX_ATTACHMENT_BYTES: '1000',
        LGSP_STORE_RETENTION_DAYS: '30',
      },
      '/srv',
    );
    expect(c.lgsp).toEqual({
      url: 'https://lgsp.bacgiang.gov.vn:8243',
      axisPath: '/edoc/1.0',
      systemId: 'ioc',
      secretKey: 's3cret',
      agencyCode: '000.01.08.H10',
      agencyName: 'Trung tâm điều hành',
    });
    expect(c.documents).toEqual({
      pollIntervalMs: 0,
      retryBaseDelayMs: 100,
      maxAttachmentBytes: 1000,
      storeRetentionDays: 30,
      signingKeyFile: '/srv/pki/ioc.key',
      signingCertFile: '/srv/pki/ioc.crt',
      trustAnchorsDir: '/srv/pki/anchors',
    });
    expect(loadConfig({}, '/srv').lgsp).toBeUndefined();
    const oauth = {
      LGSP_TOKEN_URL: 'https://lgsp.bacgiang.gov.vn:8243/token',
      LGSP_CLIENT_ID: 'key',
      LGSP_CLIENT_SECRET: 'secret',
    };
    expect(loadConfig({ ...lgsp, ...oauth }, '/srv').lgsp?.oauth2).toEqual({
      tokenUrl: 'https://lgsp.bacgiang.gov.vn:8243/token',
      clientId: 'key',
      clientSecret: 'secret',
    });
    const bad: Array<[Record<string, string>, string]> = [
      [{ ...lgsp, LGSP_URL: 'ftp://x' }, 'LGSP_URL'],
      [{ ...lgsp, LGSP_SYSTEM_ID: '' }, 'LGSP_SYSTEM_ID'],
      [{ ...lgsp, LGSP_SECRET_KEY: ' ' }, 'LGSP_SECRET_KEY'],
      [{ ...lgsp, LGSP_AGENCY_CODE: 'H10' }, 'LGSP_AGENCY_CODE'],
      [{ ...lgsp, LGSP_AXIS_PATH: 'edoc' }, 'LGSP_AXIS_PATH'],
      [{ ...lgsp, DOCUMENT_SIGNING_CERT: '' }, 'DOCUMENT_SIGNING_CERT'],
      [{ ...lgsp, DOCUMENT_SIGNING_KEY: '', DOCUMENT_SIGNING_CERT: '' }, 'DOCUMENT_SIGNING_KEY'],
      [{ LGSP_POLL_INTERVAL_MS: '-1' }, 'LGSP_POLL_INTERVAL_MS'],
      [{ DOCUMENT_MAX_ATTACHMENT_BYTES: '0' }, 'DOCUMENT_MAX_ATTACHMENT_BYTES'],
      [{ LGSP_STORE_RETENTION_DAYS: '0' }, 'LGSP_STORE_RETENTION_DAYS'],
      [{ ...lgsp, ...oauth, LGSP_CLIENT_SECRET: '' }, 'LGSP_CLIENT_SECRET'],
      [{ ...lgsp, LGSP_CLIENT_ID: 'key' }, 'LGSP_TOKEN_URL'],
      [{ ...lgsp, ...oauth, LGSP_TOKEN_URL: 'token' }, 'LGSP_TOKEN_URL'],
    ];
    for (const [env, variable] of bad) {
      expect(() => loadConfig(env, '/srv'), variable).toThrow(ConfigError);
      try {
        loadConfig(env, '/srv');
      } catch (err) {
        expect((err as ConfigError).variable).toBe(variable);
      }
    }
  });

  it('reads the camera settings', () => {
    const key = 'ab'.repeat(32);
    const c = loadConfig(
      {
        CAMERA_HEALTH_INTERVAL_MS: '5000',
        CAMERA_RECONNECT_MAX_MS: '2000',
        INCIDENT_DEDUP_WINDOW_MS: '0',
        CAMERA_SECRET_KEY: key,
        CAMERA_LEASE_TTL_MS: '6000',
        CAMERA_LEASE_RENEW_MS: '1500',
      },
      '/srv',
    ).cameras;
    expect(c).toEqual({
      healthIntervalMs: 5000,
      reconnectMaxMs: 2000,
      dedupWindowMs: 0,
      leaseTtlMs: 6000,
      leaseRenewMs: 1500,
      secretKey: Buffer.from(key, 'hex'),
    });
    expect(() => loadConfig({ CAMERA_LEASE_TTL_MS: '5000', CAMERA_LEASE_RENEW_MS: '5000' }, '/srv')).toThrow(
      'CAMERA_LEASE_RENEW_MS: must be below CAMERA_LEASE_TTL_MS (5000), got 5000',
    );
    expect(() => loadConfig({ CAMERA_LEASE_TTL_MS: '500' }, '/srv')).toThrow(
      'CAMERA_LEASE_TTL_MS: must be between 1000 and 3600000, got 500',
    );
    expect(() => loadConfig({ CAMERA_LEASE_RENEW_MS: 'soon' }, '/srv')).toThrow(
      'CAMERA_LEASE_RENEW_MS: expected an integer, got "soon"',
    );
    const b64 = Buffer.alloc(32, 7).toString('base64');
    expect(loadConfig({ CAMERA_SECRET_KEY: b64 }, '/srv').cameras.secretKey).toEqual(Buffer.alloc(32, 7));
    expect(() => loadConfig({ CAMERA_SECRET_KEY: 'short' }, '/srv')).toThrow(
      'CAMERA_SECRET_KEY: expected 32 bytes as 64 hex digits or base64',
    );
    expect(() => loadConfig({ CAMERA_HEALTH_INTERVAL_MS: '10' }, '/srv')).toThrow(
      'CAMERA_HEALTH_INTERVAL_MS: must be between 100 and 86400000, got 10',
    );
  });

  it('reads the HL7 listener and FHIR server settings', () => {
    expect(
      loadConfig(
        {
          HL7_MLLP_PORT: '2575',
          HL7_MLLP_HOST: '0.0.0.0',
          HL7_FACILITIES_FILE: 'facilities.json',
          FHIR_BASE_URL: 'https://fhir.syt.example.vn/fhir/',
          FHIR_TOKEN: ' t0k ',
          HL7_OUTBOX_BASE_DELAY_MS: '100',
          HL7_OUTBOX_MAX_DELAY_MS: '5000',
          HL7_KPI_DELAY_MS: '0',
          DEMO: 'false',
        },
        '/srv',
      ).health,
    ).toEqual({
      mllpPort: 2575,
      mllpHost: '0.0.0.0',
      facilitiesFile: path.resolve('/srv', 'facilities.json'),
      fhirBaseUrl: 'https://fhir.syt.example.vn/fhir',
      fhirToken: 't0k',
      outboxBaseDelayMs: 100,
      outboxMaxDelayMs: 5000,
      kpiDelayMs: 0,
    });
    // The demo brings its own FHIR test server.
    expect(loadConfig({ HL7_MLLP_PORT: '0' }, '/srv').health.mllpPort).toBe(0);
    expect(() => loadConfig({ HL7_MLLP_PORT: '2575', DEMO: 'false' }, '/srv')).toThrow(
      'FHIR_BASE_URL: required with HL7_MLLP_PORT',
    );
    expect(() => loadConfig({ FHIR_BASE_URL: 'mllp://his' }, '/srv')).toThrow(
      'FHIR_BASE_URL: expected an http(s) URL',
    );
    expect(() => loadConfig({ HL7_MLLP_PORT: '99999' }, '/srv')).toThrow(
      'HL7_MLLP_PORT: must be between 0 and 65535, got 99999',
    );
    expect(() =>
      loadConfig({ HL7_OUTBOX_BASE_DELAY_MS: '1000', HL7_OUTBOX_MAX_DELAY_MS: '10' }, '/srv'),
    ).toThrow('HL7_OUTBOX_MAX_DELAY_MS: must not be less than HL7_OUTBOX_BASE_DELAY_MS');
    expect(
      loadConfig(
        {
          HL7_MLLP_TLS_CERT: 'tls/mllp.crt',
          HL7_MLLP_TLS_KEY: 'tls/mllp.key',
          HL7_MLLP_TLS_CA: 'tls/ca.pem',
        },
        '/srv',
      ).health.tls,
    ).toEqual({
      certFile: path.resolve('/srv', 'tls/mllp.crt'),
      keyFile: path.resolve('/srv', 'tls/mllp.key'),
      caFile: path.resolve('/srv', 'tls/ca.pem'),
    });
    expect(() => loadConfig({ HL7_MLLP_TLS_CERT: 'tls/mllp.crt' }, '/srv')).toThrow(
      'HL7_MLLP_TLS_KEY: set HL7_MLLP_TLS_CERT and HL7_MLLP_TLS_KEY together',
    );
    expect(() => loadConfig({ HL7_MLLP_TLS_CA: 'tls/ca.pem' }, '/srv')).toThrow(
      'HL7_MLLP_TLS_CA: client certificates need TLS',
    );
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT: expected an integer, got "eighty"'],
    [{ PORT: '70000' }, 'PORT: must be between 0 and 65535, got 70000'],
    [{ PORT: '-1' }, 'PORT: expected an integer, got "-1"'],
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL: expected one of debug, info, warn, error, silent, got "verbose"'],
    [{ HOST: '  ' }, 'HOST: must not be empty'],
    [{ DATABASE_URL: 'mysql://db/ioc' }, 'DATABASE_URL: expected a postgres:// or postgresql:// URL'],
    [
      { AUTH_JWKS_FILE: 'a.json', AUTH_JWKS_URL: 'https://x/jwks' },
      'AUTH_JWKS_URL: set AUTH_JWKS_FILE or AUTH_JWKS_URL, not both',
    ],
    [{ AUTH_JWKS_URL: 'ftp://x/jwks' }, 'AUTH_JWKS_URL: expected an http(s) URL'],
    [{ DEMO: 'maybe' }, 'DEMO: expected true or false, got "maybe"'],
    [{ MQTT_URL: 'http://broker' }, 'MQTT_URL: expected mqtt://host:port'],
  ])('rejects %o with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
