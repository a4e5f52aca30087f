import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    // Slow test suites (run by test-faults) are tests too: they may use the test helpers.
    files: ['**/*.fault-spec.ts', '**/*.perf-spec.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
];
