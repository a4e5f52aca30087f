// Every scenario the bench runs, in order. A scenario names the `service` it loads and the
// `baseline` it is compared with (both started once per run by run.mjs), and provides
// `requests(fixture, seed)` -> [{ path, expect }] and `check(body, expect)` -> problem | null.
// Issue 9's scenarios (day view, availability, booking, messaging pipeline, campaign) join
// this list with their own baselines (see BASELINES).
import { coreApiReadScenarios } from './core-api-reads.mjs';

export const SCENARIOS = [...coreApiReadScenarios];

/** Baseline servers, by name: a script started pinned like the service it stands beside. */
export const BASELINES = {
  'raw-read': {
    script: 'tests/perf/baselines/raw-read-server.mjs',
    description: 'bare Node http + raw mysql2 (same pool size and driver options), running the same SQL as core-api in the same order',
  },
};
