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
      reportRateLimit: { burst: 5, perMinute: 2 },
    });
    expect(
      loadConfig(
        { REPORTS_INTERVAL_MS: '0', REPORTS_RATE_BURST: '20', REPORTS_RATE_PER_MINUTE: '0' },
        '/srv',
      ),
    ).toMatchObject({ reportsIntervalMs: 0, reportRateLimit: { burst: 20, perMinute: 0 } });
    expect(() => loadConfig({ REPORTS_RATE_BURST: '0' }, '/srv')).toThrow(ConfigError);
    expect(loadConfig({ TRUST_PROXY: ' loopback ' }, '/srv').trustProxy).toBe('loopback');
    expect(loadConfig({ TRUST_PROXY: '' }, '/srv').trustProxy).toBeUndefined();
    expect(loadConfig({}, '/srv', ['--no-demo']).demo).toBe(false);
    expect(loadConfig({ DEMO: 'false' }, '/srv').demo).toBe(false);
    expect(loadConfig({ DEMO: 'false' }, '/srv', ['--demo']).demo).toBe(true);
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
