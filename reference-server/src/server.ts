import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import type { ServerConfig } from './config.js';
import type { Logger } from './logger.js';
import { ensureDemoIssuer } from './auth/demo.js';
import { jwksFileSource, jwksUrlSource, type KeySource } from './auth/keys.js';
import { createVerifier } from './auth/verify.js';
import { openStorage } from './storage/index.js';
import type { Storage } from './storage/types.js';

export interface RunningServer {
  /** Base URL, e.g. `http://localhost:8080/`. */
  readonly url: string;
  readonly port: number;
  readonly storage: Storage;
  /** Stops accepting connections, drains in-flight requests (up to the shutdown timeout), closes storage. */
  close(): Promise<void>;
}

/** The trusted token-signing keys: the configured JWKS, or the embedded demo issuer's. */
export function keySource(config: ServerConfig): KeySource {
  const jwks = config.auth.jwks;
  if (jwks.kind === 'file') return jwksFileSource(jwks.file);
  if (jwks.kind === 'url') return jwksUrlSource(jwks.url);
  return jwksFileSource(ensureDemoIssuer(config.dataDir).jwksFile);
}

/** Opens storage, builds the app and listens. */
export async function startServer(config: ServerConfig, logger: Logger): Promise<RunningServer> {
  const storage = await openStorage({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  const verify = createVerifier({
    keys: keySource(config),
    issuer: config.auth.issuer,
    audience: config.auth.audience,
  });
  const app = createApp({ storage, logger, verify });
  const server = http.createServer(app);
  server.keepAliveTimeout = 5_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await storage.close();
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}/`;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs);
      await drained;
      clearTimeout(timer);
      await storage.close();
    })();
    return closing;
  };
  return { url, port, storage, close };
}
