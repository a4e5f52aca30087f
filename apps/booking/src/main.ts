import { createLogger, installShutdownDeadline, loadConfigOrExit } from '@chairbook/platform';
import { loadBookingConfig } from './config/booking.config';
import { createBookingApp } from './http-app';

async function main() {
  const config = loadConfigOrExit(() => loadBookingConfig());
  const logger = createLogger('booking', config.logLevel);
  const app = await createBookingApp(config, logger);
  installShutdownDeadline(app, logger, config.shutdownTimeoutMs);
  await app.listen(config.http.port, '0.0.0.0');
  logger.info({ port: config.http.port }, 'booking listening');
}

main().catch((err) => {
  process.stderr.write(`booking failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
