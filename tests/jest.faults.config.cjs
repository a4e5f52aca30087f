// The fault suite (`npm run test:faults`, `nx run e2e:test-faults`): the BUILT services as real
// processes with faults injected (database cut or slowed through a TCP proxy, SIGKILL mid-burst,
// poison messages). Slow by nature (~2-3 min), so not part of `npm test`; CI runs it on main.
const { readFileSync } = require('node:fs');
const swc = JSON.parse(readFileSync(`${__dirname}/.spec.swcrc`, 'utf-8'));
swc.swcrc = false;
module.exports = {
  displayName: 'e2e (faults)',
  preset: '../jest.preset.js',
  testEnvironment: 'node',
  transform: { '^.+\\.[tj]s$': ['@swc/jest', swc] },
  moduleFileExtensions: ['ts', 'js'],
  roots: ['<rootDir>/faults'],
  testMatch: ['**/*.fault-spec.ts'],
  testTimeout: 180_000,
};
