import { createLogger, installShutdownDeadline, loadConfigOrExit, redactSecrets } from '@chairbook/platform';
import { loadCoreApiConfig } from './config/core-api.config';
import { createCoreApiApp } from './http-app';

async function main() {
  const config = loadConfigOrExit(() => loadCoreApiConfig());
  const logger = createLogger('core-api', config.logLevel);
  const app = await createCoreApiApp(config, logger);
  installShutdownDeadline(app, logger, config.shutdownTimeoutMs);
  await app.listen({ port: config.http.port, host: '0.0.0.0' });
  logger.info({ port: config.http.port, config: redactSecrets({ db: config.db, rabbit: config.rabbit }) }, 'core-api listening');
}

main().catch((err) => {
  process.stderr.write(`core-api failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
