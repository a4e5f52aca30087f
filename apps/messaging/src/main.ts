import { createLogger, installShutdownDeadline, loadConfigOrExit } from '@chairbook/platform';
import { loadMessagingConfig } from './config/messaging.config';
import { createMessagingApp } from './http-app';

async function main() {
  const config = loadConfigOrExit(() => loadMessagingConfig());
  const logger = createLogger('messaging', config.logLevel);
  const app = await createMessagingApp(config, logger);
  installShutdownDeadline(app, logger, config.shutdownTimeoutMs);
  await app.listen({ port: config.http.port, host: '0.0.0.0' });
  logger.info({ port: config.http.port }, 'messaging listening');
}

main().catch((err) => {
  process.stderr.write(`messaging failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
