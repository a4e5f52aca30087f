// Every scenario the bench runs, in order. A scenario names the `service` it loads and the
// `baseline` it is compared with (both started once per run by run.mjs), and provides either
// `requests(fixture, seed)` -> [{ path, method?, body?, expect }] (reads: a list cycled through)
// or `lane(fixture, 'service' | 'baseline')` -> { module, spec } (writes: a generator that never
// repeats a request, see booking-requests.mjs), and `check(body, expect, status)` -> problem |
// null (`checkBaseline` when the baseline answers differently; `sameBody: false` when the two
// bodies are not expected to be identical). `okStatuses` (default [200]) are the answers that
// count as right (booking-contention: [201, 409]); `target` is the ratio to reach (default 0.3).
//
// Scenarios written by others (messaging pipeline, reports, ...) are picked up from their own
// files when they exist, without editing them: see ../lib/external.mjs and EXTERNAL below.
import { coreApiAppointmentScenarios } from './core-api-appointments.mjs';
import { coreApiReadScenarios } from './core-api-reads.mjs';

export const SCENARIOS = [...coreApiReadScenarios, ...coreApiAppointmentScenarios];

/** Baseline servers, by name: a script started pinned like the service it stands beside. */
export const BASELINES = {
  'raw-read': {
    script: 'tests/perf/baselines/raw-read-server.mjs',
    description: 'bare Node http + raw mysql2 (same pool size and driver options), running the same SQL as core-api in the same order (availability: the same queries, rows returned, no slot computation)',
  },
  'raw-booking': {
    script: 'tests/perf/baselines/raw-booking-server.mjs',
    description: 'bare Node http + raw mysql2: the raw booking transaction (lock the staff row FOR UPDATE, check overlap, insert booking + appointment), same pool size',
  },
};

/**
 * Scenario files owned by other issues, wired in when present (tests/perf/scenarios/<file>).
 * `--scenario <name>` selects them like any other; `optIn` ones run only when named or with
 * their flag. See lib/external.mjs for the shapes a file may export.
 */
export const EXTERNAL = [
  {
    name: 'messaging-pipeline',
    file: 'messaging-pipeline.mjs',
    issue: 9,
    description: 'events -> messaging consumer -> fake provider -> status row, vs a raw amqplib publish+consume loop with confirms',
    // Sized so the default `npm run bench` stays under 10 minutes; its own defaults are larger.
    args: ['--events', '10000', '--raw-messages', '30000', '--latency-events', '3000'],
  },
  {
    name: 'reports',
    file: 'reports.mjs',
    issue: 7,
    description: 'core-api report routes over a generated year of a 12-staff branch (issue 7; its own database and core-api)',
    // A standalone script (runs on load): started as a child process (~30 s), never imported.
    args: [],
  },
];

/** The 100k-recipient campaign lives in apps/messaging as a jest perf spec; `--campaign` runs it. */
export const CAMPAIGN_SPEC = { name: 'campaign-100k', config: 'apps/messaging/jest.faults.config.cjs', pattern: 'campaign-throughput', file: 'apps/messaging/src/flows/campaign-throughput.perf-spec.ts' };
