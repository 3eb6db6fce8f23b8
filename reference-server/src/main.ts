import { ensureDemoIssuer, mintToken } from './auth/demo.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env, process.cwd(), process.argv.slice(2));
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Configuration error — ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  const server = await startServer(config, logger);
  logger.info('listening', {
    url: server.url,
    storage: server.storage.kind,
    ...(server.storage.kind === 'sqlite' ? { dataDir: config.dataDir } : { databaseUrl: config.databaseUrl }),
  });
  // Handlers first: a signal that arrives right after the URL is printed must still shut down cleanly.
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    server.close().then(
      () => {
        logger.info('shutdown complete');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error('shutdown failed', { error: err instanceof Error ? err.message : String(err) });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  let dashboard = server.url;
  let operator = '';
  if (config.demo && config.auth.jwks.kind === 'demo') {
    // Demo sign-in: a province-leadership token in the URL fragment (never sent to the server).
    const token = mintToken(ensureDemoIssuer(config.dataDir), {
      issuer: config.auth.issuer,
      audience: config.auth.audience,
      subject: 'demo-lanh-dao',
      roles: ['leadership'],
      ttlSec: 86_400,
    });
    dashboard = `${server.url}#token=${token}`;
    // An operator (acknowledges and resolves alerts) as well.
    const opToken = mintToken(ensureDemoIssuer(config.dataDir), {
      issuer: config.auth.issuer,
      audience: config.auth.audience,
      subject: 'demo-dieu-hanh',
      roles: ['operator'],
      ttlSec: 86_400,
    });
    operator = `  Operator:   ${server.url}#token=${opToken}\n`;
  }
  console.log(
    `\n  IOC Bắc Giang — reference server${config.demo ? ' (demo data)' : ''}\n  Dashboard:  ${dashboard}\n${operator}  API docs:   ${server.url}docs\n`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
