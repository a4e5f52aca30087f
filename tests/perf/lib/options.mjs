// Command-line flags of `npm run bench`, each with an environment variable as fallback, so CI
// and a developer can size a run without editing files.
import { parseArgs } from 'node:util';

export const USAGE = `usage: npm run bench -- [options]        (or: node tests/perf/run.mjs [options])

  --scenario <name>     run only this scenario (repeat or comma-separate for several)
  --list                list the scenarios and exit
  --json <file>         also write the results JSON to <file>
  --compare <file>      print the change against a previous results JSON
  --from <file>         do not run: print (and --compare) an existing results JSON
  --keep                keep the databases and the RabbitMQ vhost (names are printed)
  --no-build            use the existing apps/*/dist instead of building first
  --rounds <n>          measurements per scenario and target, alternating order (BENCH_ROUNDS, 3)
  --duration <s>        seconds measured per round (BENCH_DURATION, 6)
  --warmup <s>          seconds of unmeasured load before each measurement (BENCH_WARMUP, 1)
  --first-warmup <s>    seconds of unmeasured load before a target's first measurement of a scenario
                        (BENCH_FIRST_WARMUP, 5): the JIT and caches reach their steady state first
  --connections <n>     autocannon connections (BENCH_CONNECTIONS, 100)
  --pool-size <n>       database pool of the service and of the baseline (DB_POOL_SIZE, 10)
  --profile <scenario>  CPU-profile core-api during that scenario's measurements (.cpuprofile + summary)
  --campaign            also run messaging's 100k-recipient campaign perf spec (apps/messaging,
                        jest, ~1.5-3 min; BENCH_CAMPAIGN=1); --campaign-recipients <n> to size it
  --service-node-args="<flags>"  extra node flags for the service only, e.g. --service-node-args="--max-semi-space-size=64"
                        (BENCH_SERVICE_NODE_ARGS), to try a runtime setting against the same baseline
  data set (seeded once per run):
  --businesses <n>      businesses (BENCH_BUSINESSES, 1)
  --branches <n>        branches per business (BENCH_BRANCHES, 1)
  --staff <n>           active staff per branch (BENCH_STAFF, 12)
  --services <n>        services per branch (BENCH_SERVICES, 24)
  --clients <n>         clients per business (BENCH_CLIENTS, 50000)
  --seed <n>            random seed of the data generator (BENCH_SEED, 1)
  --history-days <n>    days of past appointments per branch (BENCH_HISTORY_DAYS, 365)
  --future-days <n>     days of bookings ahead per branch (BENCH_FUTURE_DAYS, 56)
  --appointments-per-staff-day <n>  live appointments a working stylist has on a full day
                        (BENCH_APPOINTMENTS_PER_STAFF_DAY, 15: 12 staff -> ~180 a day)
  scale curves (opt-in; a database of their own, after the scenarios above):
  --scale               time day-view and availability as the appointment table grows and at
                        several branch sizes (BENCH_SCALE=1)
  --scale-sizes <list>  appointment table sizes (BENCH_SCALE_SIZES, 10000,100000,1000000)
  --scale-staff <list>  staff per branch for the staff curve (BENCH_SCALE_STAFF, 5,12,20,50)
  --scale-connections <n>  connections during the curves: low, so latency is service time,
                        not queueing (BENCH_SCALE_CONNECTIONS, 10)
  --scale-rounds <n>    rounds per point (BENCH_SCALE_ROUNDS, 2)
  --scale-duration <s>  seconds measured per round (BENCH_SCALE_DURATION, 5)
  --scale-only          run only the scale curves (skip the main scenarios)

Environment: DB_HOST, DB_PORT, DB_USER, DB_PASSWORD (MariaDB, default 127.0.0.1:3306 root);
RABBITMQ_URL (default amqp://guest:guest@127.0.0.1:5672); RABBITMQ_MANAGEMENT_URL (use the
management API instead of rabbitmqctl for the vhost).`;

const int = (name, value, fallback, min = 1) => {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer >= ${min} (got ${JSON.stringify(value)})`);
  return n;
};

const intList = (name, value, fallback) => {
  if (value === undefined || value === '') return fallback;
  const list = String(value).split(',').map((x) => x.trim()).filter(Boolean).map((x) => int(name, x.replace(/_/g, ''), undefined));
  if (!list.length) throw new Error(`${name} needs a comma-separated list of integers`);
  return list;
};

/**
 * The node flags the services run with in production (docker/Dockerfile's CMD, scripts/start.mjs):
 * given to core-api and to the raw baselines alike, so neither side gets a runtime the other lacks.
 * `--service-node-args` adds flags to the service only, to try a setting against the same baseline.
 */
export const RUNTIME_NODE_ARGS = ['--max-semi-space-size=64'];

export function parseOptions(argv = process.argv.slice(2), env = process.env) {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: false,
    options: {
      scenario: { type: 'string', multiple: true },
      list: { type: 'boolean' },
      json: { type: 'string' },
      compare: { type: 'string' },
      from: { type: 'string' },
      keep: { type: 'boolean' },
      'no-build': { type: 'boolean' },
      rounds: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      'first-warmup': { type: 'string' },
      connections: { type: 'string' },
      'pool-size': { type: 'string' },
      profile: { type: 'string' },
      'service-node-args': { type: 'string' },
      campaign: { type: 'boolean' },
      'campaign-recipients': { type: 'string' },
      businesses: { type: 'string' },
      branches: { type: 'string' },
      staff: { type: 'string' },
      services: { type: 'string' },
      clients: { type: 'string' },
      seed: { type: 'string' },
      'history-days': { type: 'string' },
      'future-days': { type: 'string' },
      'appointments-per-staff-day': { type: 'string' },
      scale: { type: 'boolean' },
      'scale-only': { type: 'boolean' },
      'scale-sizes': { type: 'string' },
      'scale-staff': { type: 'string' },
      'scale-connections': { type: 'string' },
      'scale-rounds': { type: 'string' },
      'scale-duration': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  return {
    help: !!values.help,
    list: !!values.list,
    scenarios: (values.scenario ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean),
    json: values.json,
    compare: values.compare,
    from: values.from,
    keep: !!values.keep,
    build: !values['no-build'],
    rounds: int('--rounds', values.rounds ?? env.BENCH_ROUNDS, 3),
    duration: int('--duration', values.duration ?? env.BENCH_DURATION, 6),
    warmup: int('--warmup', values.warmup ?? env.BENCH_WARMUP, 1, 0),
    firstWarmup: int('--first-warmup', values['first-warmup'] ?? env.BENCH_FIRST_WARMUP, 5, 0),
    connections: int('--connections', values.connections ?? env.BENCH_CONNECTIONS, 100),
    poolSize: int('--pool-size', values['pool-size'] ?? env.DB_POOL_SIZE, 10),
    profile: values.profile,
    campaign: !!values.campaign || env.BENCH_CAMPAIGN === '1',
    campaignRecipients: values['campaign-recipients'] ? int('--campaign-recipients', values['campaign-recipients'], undefined) : undefined,
    serviceNodeArgs: (values['service-node-args'] ?? env.BENCH_SERVICE_NODE_ARGS ?? '').split(/\s+/).filter(Boolean),
    data: {
      businesses: int('--businesses', values.businesses ?? env.BENCH_BUSINESSES, 1),
      branchesPerBusiness: int('--branches', values.branches ?? env.BENCH_BRANCHES, 1),
      staffPerBranch: int('--staff', values.staff ?? env.BENCH_STAFF, 12),
      servicesPerBranch: int('--services', values.services ?? env.BENCH_SERVICES, 24),
      clientsPerBusiness: int('--clients', values.clients ?? env.BENCH_CLIENTS, 50_000),
      seed: int('--seed', values.seed ?? env.BENCH_SEED, 1, 0),
      historyDays: int('--history-days', values['history-days'] ?? env.BENCH_HISTORY_DAYS, 365, 0),
      futureDays: int('--future-days', values['future-days'] ?? env.BENCH_FUTURE_DAYS, 56, 0),
      appointmentsPerStaffDay: int('--appointments-per-staff-day', values['appointments-per-staff-day'] ?? env.BENCH_APPOINTMENTS_PER_STAFF_DAY, 15),
    },
    scale: {
      enabled: !!values.scale || !!values['scale-only'] || env.BENCH_SCALE === '1',
      only: !!values['scale-only'],
      sizes: intList('--scale-sizes', values['scale-sizes'] ?? env.BENCH_SCALE_SIZES, [10_000, 100_000, 1_000_000]),
      staff: intList('--scale-staff', values['scale-staff'] ?? env.BENCH_SCALE_STAFF, [5, 12, 20, 50]),
      connections: int('--scale-connections', values['scale-connections'] ?? env.BENCH_SCALE_CONNECTIONS, 10),
      rounds: int('--scale-rounds', values['scale-rounds'] ?? env.BENCH_SCALE_ROUNDS, 2),
      duration: int('--scale-duration', values['scale-duration'] ?? env.BENCH_SCALE_DURATION, 5),
    },
  };
}

/** The MariaDB server every process of the run talks to (the services' own variable names). */
export function dbServer(env = process.env) {
  return {
    host: env.DB_HOST || '127.0.0.1',
    port: Number(env.DB_PORT || 3306),
    user: env.DB_USER || 'root',
    password: env.DB_PASSWORD || '',
  };
}
