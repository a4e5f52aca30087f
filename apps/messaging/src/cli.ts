import { createLogger, loadConfigOrExit } from '@chairbook/platform';
import { loadMessagingConfig } from './config/messaging.config';
import { migrateMessagingDatabase } from './database/migrate';

const USAGE = `usage: node cli.js <command>
  migrate    create the database if needed and apply pending migrations`;

async function main() {
  const [command] = process.argv.slice(2);
  const config = loadConfigOrExit(() => loadMessagingConfig());
  const logger = createLogger('messaging-cli', config.logLevel);
  if (command === 'migrate') {
    await migrateMessagingDatabase(config, logger);
    return;
  }
  process.stderr.write(`${USAGE}\n`);
  process.exit(command ? 2 : 0);
}

main().catch((err) => {
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
