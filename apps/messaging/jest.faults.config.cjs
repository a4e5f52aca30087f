// Slow suites (over ~30 s): fault injection and throughput, run by `nx run messaging:test-faults`.
const base = require('./jest.config.cjs');
module.exports = {
  ...base,
  displayName: `${base.displayName} (faults and throughput)`,
  testMatch: ['**/?(*.)+(fault-spec|perf-spec).ts'],
  testTimeout: 600_000,
};
