import { createLogger, loadConfigOrExit } from '@chairbook/platform';
import { Global, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { ConfigModule } from './config/config.module';
import { CoreApiConfig, loadCoreApiConfig } from './config/core-api.config';
import { DatabaseModule } from './database/database.module';
import { migrateCoreDatabase } from './database/migrate';
import { DomainEvents } from './events/domain-events';
import { AppointmentsModule } from './modules/appointments/appointments.module';
import { BranchesModule } from './modules/branches/branches.module';
import { BusinessModule } from './modules/business/business.module';
import { CreateBusinessUseCase } from './modules/business/use-cases/create-business/create-business.use-case';
import { SeedDemoUseCase } from './seed/seed-demo';
import { DataSource } from 'typeorm';
import { hashPassword } from './modules/auth/password';
import { newId } from './shared/ids';

const USAGE = `usage: node cli.js <command>
  migrate                      create the database if needed and apply pending migrations
  seed-demo                    seed the demo salon Foundation Hair once (never when NODE_ENV=production)
  create-service-credential --email E --password P
                               create or update the booking site's credential (role SERVICE)
  create-business --name N --owner-email E --owner-password P --branch-name B --slug S
                  [--time-zone Europe/Dublin] [--country IE] [--currency EUR]
Output of seed-demo and create-business is one JSON line on stdout.`;

/** Events from one-off commands wait in the outbox; the running service relays them. */
@Global()
@Module({ providers: [DomainEvents], exports: [DomainEvents] })
class OutboxOnlyEventsModule {}

/** The parts of core-api a one-off command needs: the database and the use-cases. */
@Module({
  imports: [DatabaseModule, OutboxOnlyEventsModule, BusinessModule, BranchesModule, AppointmentsModule],
  providers: [SeedDemoUseCase],
})
class CliModule {}

async function withContext<T>(config: CoreApiConfig, fn: (get: <C>(type: new (...args: never[]) => C) => C) => Promise<T>): Promise<T> {
  const logger = createLogger('core-api-cli', config.logLevel);
  const app = await NestFactory.createApplicationContext(
    { module: CliModule, imports: [ConfigModule.register(config, logger)], global: false },
    { logger: false, abortOnError: false },
  );
  try {
    return await fn((type) => app.get(type));
  } finally {
    await app.close();
  }
}

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  const config = loadConfigOrExit(() => loadCoreApiConfig());
  const logger = createLogger('core-api-cli', config.logLevel);
  switch (command) {
    case 'migrate':
      await migrateCoreDatabase(config, logger);
      return;
    case 'seed-demo': {
      if (config.env === 'production') {
        process.stderr.write('seed-demo: refusing to seed demo data with NODE_ENV=production\n');
        process.exit(2);
      }
      const result = await withContext(config, (get) => get(SeedDemoUseCase).execute(config.demoPassword));
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return;
    }
    case 'create-service-credential': {
      const { values } = parseArgs({ args: rest, options: { email: { type: 'string' }, password: { type: 'string' } } });
      if (!values.email || !values.password || values.password.length < 12) {
        process.stderr.write('create-service-credential: --email and --password (12+ characters) are required\n');
        process.exit(2);
      }
      await withContext(config, async (get) => {
        const ds = get(DataSource);
        const hash = await hashPassword(values.password!);
        await ds.query(
          `INSERT INTO api_user (id, business_id, email, password_hash, role, first_name, created_at, updated_at)
           VALUES (?, NULL, ?, ?, 'SERVICE', 'Booking site', NOW(3), NOW(3))
           ON DUPLICATE KEY UPDATE password_hash = IF(role = 'SERVICE', VALUES(password_hash), password_hash), version = version + 1, updated_at = NOW(3)`,
          [newId(), values.email!.toLowerCase(), hash],
        );
        const [row]: { role: string }[] = await ds.query('SELECT role FROM api_user WHERE email = ?', [values.email!.toLowerCase()]);
        if (row.role !== 'SERVICE') throw new Error(`${values.email} belongs to a salon user, not a service`);
      });
      process.stdout.write(`${JSON.stringify({ email: values.email, role: 'SERVICE' })}\n`);
      return;
    }
    case 'create-business': {
      const { values } = parseArgs({
        args: rest,
        options: {
          name: { type: 'string' },
          'owner-email': { type: 'string' },
          'owner-password': { type: 'string' },
          'branch-name': { type: 'string' },
          slug: { type: 'string' },
          'time-zone': { type: 'string', default: 'Europe/Dublin' },
          country: { type: 'string', default: 'IE' },
          currency: { type: 'string', default: 'EUR' },
        },
      });
      const result = await withContext(config, (get) =>
        get(CreateBusinessUseCase).execute({
          name: values.name ?? '',
          owner: { email: values['owner-email'] ?? '', password: values['owner-password'] ?? '' },
          branch: {
            name: values['branch-name'] ?? values.name ?? '',
            slug: values.slug ?? '',
            timeZone: values['time-zone'] ?? '',
            country: values.country ?? '',
            currency: values.currency ?? '',
          },
        }),
      );
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return;
    }
    default:
      process.stderr.write(`${USAGE}\n`);
      process.exit(command ? 2 : 0);
  }
}

main().catch((err) => {
  const response = (err as { getResponse?: () => unknown }).getResponse?.();
  process.stderr.write(`error: ${response ? JSON.stringify(response) : err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
