import { APP_NAMES, type AppName } from './app-contract';

/**
 * Typed configuration of each environment. Everything that differs between staging and
 * production lives here; the stacks only read it. Account, region, domain and contacts come
 * from CDK context (`-c stagingAccount=...`) or environment variables, never from AWS lookups,
 * so `cdk synth` works offline and without credentials.
 */

export type EnvironmentName = 'staging' | 'production';
export const ENVIRONMENT_NAMES: readonly EnvironmentName[] = ['staging', 'production'];

export interface ServiceSizing {
  /** Fargate task size (CPU units, MiB), Service Connect's proxy included. */
  readonly cpu: number;
  readonly memoryMiB: number;
  readonly desiredCount: number;
  readonly minCount: number;
  readonly maxCount: number;
}

export type DatabaseConfig =
  | {
      readonly kind: 'serverless-v2';
      /** Aurora capacity units (0.5 steps). */
      readonly minCapacity: number;
      readonly maxCapacity: number;
      readonly readers: number;
      readonly backupRetentionDays: number;
    }
  | {
      readonly kind: 'provisioned';
      /** e.g. `r7g.large` (without the `db.` prefix). */
      readonly instanceType: string;
      readonly readers: number;
      readonly backupRetentionDays: number;
    };

export interface BrokerConfig {
  /** e.g. `mq.m7g.medium`. */
  readonly instanceType: string;
  readonly deployment: 'single-instance' | 'cluster-multi-az';
}

export interface DomainConfig {
  /** Public host name, e.g. `app.chairbook.example`. */
  readonly name: string;
  /** Route 53 zone that holds it (imported by id: no lookup). */
  readonly hostedZoneId: string;
  readonly hostedZoneName: string;
}

export interface EnvironmentConfig {
  readonly name: EnvironmentName;
  /** Prefix of stack ids and names, e.g. `Chairbook-Staging`. */
  readonly stackPrefix: string;
  /** Prefix of physical names (cluster, broker, alarms, log groups), e.g. `chairbook-staging`. */
  readonly resourcePrefix: string;
  readonly account: string;
  readonly region: string;
  /**
   * How many availability zones to spread over. The zones themselves are the region's first N
   * (Fn::GetAZs at deploy time): no AZ lookup at synth, no hard-coded zone names.
   */
  readonly azCount: number;
  readonly network: {
    readonly cidr: string;
    /**
     * At least one: the messaging service calls the SMS provider and the SMTP relay on the
     * internet. One per AZ removes the NAT as a single-AZ point of failure.
     */
    readonly natGateways: number;
    /** Interface endpoints for ECR, logs, Secrets Manager (and the S3 gateway) keep AWS API traffic off the NAT. */
    readonly vpcEndpoints: boolean;
  };
  readonly database: DatabaseConfig;
  readonly broker: BrokerConfig;
  readonly services: Readonly<Record<AppName, ServiceSizing>>;
  readonly scaling: {
    readonly cpuTargetPercent: number;
    /** ALB requests per task per minute before scaling out. */
    readonly requestsPerTarget: number;
  };
  readonly alerts: {
    readonly emails: readonly string[];
    /** E.164 numbers that get an SMS for every alarm (the seed's red button, automated). */
    readonly smsNumbers: readonly string[];
    readonly p99LatencySeconds: number;
    readonly fiveXxRatePercent: number;
  };
  readonly domain?: DomainConfig;
  readonly logRetentionDays: number;
  readonly waf: {
    /** Requests per IP per 5 minutes to /book paths before WAF answers 429. */
    readonly bookingRequestsPer5MinPerIp: number;
  };
  readonly canary: { readonly everyMinutes: number };
  /** Non-secret service settings (secrets live in Secrets Manager). */
  readonly app: {
    readonly logLevel: string;
    readonly smsApiBaseUrl: string;
    readonly smsFrom: string;
    readonly smtpHost: string;
    readonly smtpPort: number;
    readonly smtpFrom: string;
  };
}

/** Where images live and who may push them and deploy (GitHub OIDC, no long-lived keys). */
export interface DeliveryConfig {
  readonly account: string;
  readonly region: string;
  /** `owner/name` of the GitHub repository whose workflows may assume the roles. */
  readonly githubRepository: string;
  /** False when the account already has the token.actions.githubusercontent.com provider. */
  readonly createOidcProvider: boolean;
}

export interface ChairbookConfig {
  readonly delivery: DeliveryConfig;
  readonly environments: Readonly<Record<EnvironmentName, EnvironmentConfig>>;
}

/** Reads a setting from CDK context or the process environment. */
export interface SettingSource {
  context(key: string): unknown;
  env(key: string): string | undefined;
}

const PLACEHOLDER_ACCOUNTS: Readonly<Record<EnvironmentName, string>> = {
  staging: '111111111111',
  production: '222222222222',
};

function setting(source: SettingSource, contextKey: string, envKey: string): string | undefined {
  const fromContext = source.context(contextKey);
  if (typeof fromContext === 'string' && fromContext.trim() !== '') return fromContext.trim();
  if (typeof fromContext === 'number') return String(fromContext);
  const fromEnv = source.env(envKey);
  return fromEnv && fromEnv.trim() !== '' ? fromEnv.trim() : undefined;
}

function list(value: string | undefined): string[] {
  return value
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '')
    : [];
}

function capitalise(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function environment(source: SettingSource, name: EnvironmentName): EnvironmentConfig {
  const key = (suffix: string) => `${name}${suffix}`;
  const envKey = (suffix: string) => `CHAIRBOOK_${name.toUpperCase()}_${suffix}`;
  const account = setting(source, key('Account'), envKey('ACCOUNT')) ?? PLACEHOLDER_ACCOUNTS[name];
  const region = setting(source, key('Region'), envKey('REGION')) ?? 'eu-west-1';
  const domainName = setting(source, key('Domain'), envKey('DOMAIN'));
  const hostedZoneId = setting(source, key('HostedZoneId'), envKey('HOSTED_ZONE_ID'));
  const hostedZoneName = setting(source, key('HostedZoneName'), envKey('HOSTED_ZONE_NAME'));
  const emails = list(setting(source, key('AlertEmails'), envKey('ALERT_EMAILS')));
  const smsNumbers = list(setting(source, key('AlertPhones'), envKey('ALERT_PHONES')));
  const production = name === 'production';

  const sizing = (desired: number, min: number, max: number, cpu = 512, memoryMiB = 1024): ServiceSizing => ({
    cpu,
    memoryMiB,
    desiredCount: desired,
    minCount: min,
    maxCount: max,
  });

  return {
    name,
    stackPrefix: `Chairbook-${capitalise(name)}`,
    resourcePrefix: `chairbook-${name}`,
    account,
    region,
    azCount: production ? 3 : 2,
    network: production
      ? { cidr: '10.20.0.0/16', natGateways: 3, vpcEndpoints: true }
      : { cidr: '10.10.0.0/16', natGateways: 1, vpcEndpoints: false },
    database: production
      ? { kind: 'serverless-v2', minCapacity: 2, maxCapacity: 32, readers: 1, backupRetentionDays: 14 }
      : { kind: 'serverless-v2', minCapacity: 0.5, maxCapacity: 4, readers: 0, backupRetentionDays: 3 },
    broker: production
      ? { instanceType: 'mq.m7g.large', deployment: 'cluster-multi-az' }
      : { instanceType: 'mq.m7g.medium', deployment: 'single-instance' },
    services: production
      ? {
          'core-api': sizing(3, 3, 12, 1024, 2048),
          booking: sizing(2, 2, 6),
          messaging: sizing(2, 2, 6),
        }
      : {
          'core-api': sizing(1, 1, 3),
          booking: sizing(1, 1, 2),
          messaging: sizing(1, 1, 2),
        },
    scaling: { cpuTargetPercent: 60, requestsPerTarget: production ? 3000 : 1000 },
    alerts: {
      emails: emails.length > 0 ? emails : [`oncall+${name}@chairbook.example`],
      smsNumbers,
      p99LatencySeconds: production ? 1 : 2,
      fiveXxRatePercent: production ? 1 : 5,
    },
    domain: domainName
      ? {
          name: domainName,
          hostedZoneId: hostedZoneId ?? '',
          hostedZoneName: hostedZoneName ?? domainName.split('.').slice(1).join('.'),
        }
      : undefined,
    logRetentionDays: production ? 90 : 14,
    waf: { bookingRequestsPer5MinPerIp: production ? 600 : 300 },
    canary: { everyMinutes: 5 },
    app: {
      logLevel: production ? 'info' : 'debug',
      smsApiBaseUrl: setting(source, key('SmsApiBaseUrl'), envKey('SMS_API_BASE_URL')) ?? 'https://api.twilio.com',
      smsFrom: setting(source, key('SmsFrom'), envKey('SMS_FROM')) ?? 'Chairbook',
      smtpHost: setting(source, key('SmtpHost'), envKey('SMTP_HOST')) ?? `email-smtp.${region}.amazonaws.com`,
      smtpPort: Number(setting(source, key('SmtpPort'), envKey('SMTP_PORT')) ?? 587),
      smtpFrom: setting(source, key('SmtpFrom'), envKey('SMTP_FROM')) ?? 'Chairbook <bookings@chairbook.example>',
    },
  };
}

export function resolveConfig(source: SettingSource): ChairbookConfig {
  const environments = {
    staging: environment(source, 'staging'),
    production: environment(source, 'production'),
  };
  const delivery: DeliveryConfig = {
    account: setting(source, 'deliveryAccount', 'CHAIRBOOK_DELIVERY_ACCOUNT') ?? environments.staging.account,
    region: setting(source, 'deliveryRegion', 'CHAIRBOOK_DELIVERY_REGION') ?? environments.staging.region,
    githubRepository: setting(source, 'githubRepository', 'GITHUB_REPOSITORY') ?? 'chairbook/chairbook',
    createOidcProvider: setting(source, 'createOidcProvider', 'CHAIRBOOK_CREATE_OIDC_PROVIDER') !== 'false',
  };
  const config = { delivery, environments };
  const problems = validateConfig(config);
  if (problems.length > 0) {
    throw new Error(`Invalid Chairbook infrastructure configuration:\n- ${problems.join('\n- ')}`);
  }
  return config;
}

/** Every problem at once, each naming the setting, so one synth run shows everything to fix. */
export function validateConfig(config: ChairbookConfig): string[] {
  const problems: string[] = [];
  const accountPattern = /^\d{12}$/;
  if (!accountPattern.test(config.delivery.account)) {
    problems.push(`delivery account "${config.delivery.account}" is not a 12-digit AWS account id`);
  }
  if (!/^[\w.-]+\/[\w.-]+$/.test(config.delivery.githubRepository)) {
    problems.push(`githubRepository "${config.delivery.githubRepository}" must look like owner/name`);
  }
  for (const name of ENVIRONMENT_NAMES) {
    const env = config.environments[name];
    const at = (what: string) => `${name}: ${what}`;
    if (!accountPattern.test(env.account)) problems.push(at(`account "${env.account}" is not a 12-digit AWS account id`));
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(env.region)) problems.push(at(`region "${env.region}" is not an AWS region name`));
    if (!Number.isInteger(env.azCount) || env.azCount < 2 || env.azCount > 3) {
      problems.push(at(`azCount ${env.azCount} must be 2 or 3 (every region has at least three zones)`));
    }
    if (env.network.natGateways < 1) {
      problems.push(at('natGateways must be at least 1: messaging reaches the SMS provider and SMTP relay on the internet'));
    }
    if (env.network.natGateways > env.azCount) {
      problems.push(at('natGateways cannot exceed the number of availability zones'));
    }
    const db = env.database;
    if (db.kind === 'serverless-v2') {
      if (db.minCapacity < 0 || db.maxCapacity > 256 || db.minCapacity > db.maxCapacity) {
        problems.push(at(`database capacity ${db.minCapacity}-${db.maxCapacity} ACU is not a valid range (0-256, min <= max)`));
      }
      if ((db.minCapacity * 2) % 1 !== 0 || (db.maxCapacity * 2) % 1 !== 0) {
        problems.push(at('database capacity must be in steps of 0.5 ACU'));
      }
    }
    if (db.backupRetentionDays < 1 || db.backupRetentionDays > 35) {
      problems.push(at('database backupRetentionDays must be 1-35'));
    }
    for (const app of APP_NAMES) {
      const s = env.services[app];
      if (!(s.minCount <= s.desiredCount && s.desiredCount <= s.maxCount)) {
        problems.push(at(`${app} desiredCount ${s.desiredCount} must lie within ${s.minCount}-${s.maxCount}`));
      }
      if (s.minCount < 1) problems.push(at(`${app} minCount must be at least 1`));
    }
    if (env.alerts.emails.length === 0 && env.alerts.smsNumbers.length === 0) {
      problems.push(at('alerts need at least one email or phone number'));
    }
    for (const phone of env.alerts.smsNumbers) {
      if (!/^\+[1-9]\d{6,14}$/.test(phone)) problems.push(at(`alert phone "${phone}" is not in E.164 form (+353...)`));
    }
    if (env.domain && env.domain.hostedZoneId === '') {
      problems.push(at(`domain ${env.domain.name} needs ${name}HostedZoneId (context) or CHAIRBOOK_${name.toUpperCase()}_HOSTED_ZONE_ID`));
    }
    if (name === 'production') {
      if (env.broker.deployment !== 'cluster-multi-az') problems.push(at('the broker must be a multi-AZ cluster'));
      if (env.database.readers < 1) problems.push(at('the database needs a reader in another AZ to fail over to'));
      for (const app of APP_NAMES) {
        if (env.services[app].minCount < 2) problems.push(at(`${app} needs at least two tasks (one AZ may fail)`));
      }
    }
  }
  return problems;
}

/** Reads CDK context and `process.env`. */
export function settingsFrom(node: { tryGetContext(key: string): unknown }, env: NodeJS.ProcessEnv = process.env): SettingSource {
  return { context: (key) => node.tryGetContext(key), env: (key) => env[key] };
}
