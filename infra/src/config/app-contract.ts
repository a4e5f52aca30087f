/**
 * What the infrastructure knows about the three services: ports, images, health and the
 * names of their environment variables. The variable names are a contract shared with the
 * services, docker/compose.yml and the tests (BRIEF.md, "Configuration names"): rename one
 * here only together with the services that read it.
 */

export const APP_NAMES = ['core-api', 'booking', 'messaging'] as const;
export type AppName = (typeof APP_NAMES)[number];

export interface AppSpec {
  readonly name: AppName;
  /** Port the container listens on, and the variable that tells the service so. */
  readonly port: number;
  readonly portVariable: string;
  /** ECR repository holding the image (tag = commit SHA). */
  readonly repositoryName: string;
  /** The service owns a schema and ships `node cli.js migrate`. */
  readonly database?: { readonly nameVariable: string; readonly name: string };
}

export const APPS: Readonly<Record<AppName, AppSpec>> = {
  'core-api': {
    name: 'core-api',
    port: 3000,
    portVariable: 'CORE_API_PORT',
    repositoryName: 'chairbook/core-api',
    database: { nameVariable: 'CORE_API_DB_NAME', name: 'chairbook_core' },
  },
  booking: {
    name: 'booking',
    port: 3001,
    portVariable: 'BOOKING_PORT',
    repositoryName: 'chairbook/booking',
  },
  messaging: {
    name: 'messaging',
    port: 3002,
    portVariable: 'MESSAGING_PORT',
    repositoryName: 'chairbook/messaging',
    database: { nameVariable: 'MESSAGING_DB_NAME', name: 'chairbook_messaging' },
  },
};

export const HEALTH_PATH = '/health';
export const METRICS_PATH = '/metrics';
/** Dead-letter queue of the messaging service's consumer of core-api's domain events. */
export const DLQ_NAME = 'messaging.core-events.dlq';
export const BROKER_VHOST = '/';

/** The command a migration task runs (WORKDIR /app in every image). */
export const MIGRATE_COMMAND = ['node', 'cli.js', 'migrate'];

/**
 * The images have no curl or wget: Node 20+ has fetch, so the container health check is a
 * one-line Node script that exits 0 only on a 2xx from /health.
 */
export function containerHealthCommand(port: number): string[] {
  return [
    'CMD',
    'node',
    '-e',
    `fetch('http://127.0.0.1:${port}${HEALTH_PATH}').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))`,
  ];
}

/** Variables that must only ever reach a container through ECS `secrets`. */
export const SECRET_VARIABLES = [
  'DB_USER',
  'DB_PASSWORD',
  'RABBITMQ_URL',
  'SMS_ACCOUNT_SID',
  'SMS_AUTH_TOKEN',
  'SMTP_USER',
  'SMTP_PASSWORD',
  'BOOKING_API_USER',
  'BOOKING_API_PASSWORD',
  'LINK_SIGNING_SECRET',
] as const;
export type SecretVariable = (typeof SECRET_VARIABLES)[number];

/**
 * Which secrets each service receives (least privilege: a service's execution role can read
 * only the secrets listed for it).
 * - core-api verifies the booking service's credential, so it gets BOOKING_API_* too.
 * - booking verifies signed manage links; messaging signs them when it sends a confirmation.
 */
export const SECRETS_BY_APP: Readonly<Record<AppName, readonly SecretVariable[]>> = {
  'core-api': ['DB_USER', 'DB_PASSWORD', 'RABBITMQ_URL', 'BOOKING_API_USER', 'BOOKING_API_PASSWORD'],
  booking: ['BOOKING_API_USER', 'BOOKING_API_PASSWORD', 'LINK_SIGNING_SECRET'],
  messaging: [
    'DB_USER',
    'DB_PASSWORD',
    'RABBITMQ_URL',
    'SMS_ACCOUNT_SID',
    'SMS_AUTH_TOKEN',
    'SMTP_USER',
    'SMTP_PASSWORD',
    'LINK_SIGNING_SECRET',
  ],
};
