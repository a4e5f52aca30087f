import { z } from 'zod';

/**
 * Configuration comes only from environment variables, validated once at start into a typed
 * object. A missing or malformed variable stops the service with a message naming it, instead
 * of failing later in some request.
 */
export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly problems: string[],
  ) {
    super(`${service}: invalid configuration\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);
export const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
export const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Variables every service reads. */
export const commonEnv = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** How long shutdown waits for in-flight requests and message handlers. */
  SHUTDOWN_TIMEOUT_MS: positiveInt(10_000),
  /** How long a request may take, from its arrival (guards included), before it is answered 503 TIMEOUT. */
  REQUEST_TIMEOUT_MS: positiveInt(15_000),
};

export const databaseEnv = {
  DB_HOST: z.string().min(1).default('127.0.0.1'),
  DB_PORT: port(3306),
  DB_USER: z.string().min(1).default('root'),
  DB_PASSWORD: z.string().default(''),
  DB_POOL_SIZE: positiveInt(10),
  /** Bounds every wait on the database so a slow or dead server never hangs a request. */
  DB_CONNECT_TIMEOUT_MS: positiveInt(3_000),
};

export const rabbitEnv = {
  RABBITMQ_URL: z
    .string()
    .regex(/^amqps?:\/\/.+/, 'must be an amqp:// or amqps:// URL')
    .default('amqp://guest:guest@127.0.0.1:5672'),
  /** Publisher confirms allowed in flight before publishing waits. */
  RABBITMQ_PUBLISH_WINDOW: positiveInt(200),
  RABBITMQ_PREFETCH: positiveInt(50),
};

const SECRET_NAME = /PASSWORD|TOKEN|SECRET|_SID$/;

/** Parses `env` against `shape`; throws ConfigError naming every bad variable at once. */
export function loadEnv<Shape extends z.ZodRawShape>(
  service: string,
  shape: Shape,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<z.ZodObject<Shape>> {
  // Empty strings count as unset, as a shell `FOO= cmd` or a compose `FOO:` would mean.
  const cleaned: Record<string, string> = {};
  for (const key of Object.keys(shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') cleaned[key] = value;
  }
  const result = z.object(shape).safeParse(cleaned);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '(env)');
      const raw = cleaned[name];
      const shown = raw === undefined ? 'unset' : SECRET_NAME.test(name) ? '(hidden)' : JSON.stringify(raw);
      return `${name}: ${issue.message} (got ${shown})`;
    });
    throw new ConfigError(service, problems);
  }
  return result.data;
}

/** A copy of the config with secret-looking values masked, for the start-up log line. */
export function redactSecrets<T>(value: T): T {
  return JSON.parse(
    JSON.stringify(value, (key, v) => (/password|token|secret/i.test(key) && typeof v === 'string' && v ? '***' : v)),
  ) as T;
}
