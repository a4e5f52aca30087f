const nxPreset = require('@nx/jest/preset').default;

module.exports = {
  ...nxPreset,
  // unit (*.spec.ts), integration against real MariaDB/RabbitMQ (*.int-spec.ts), e2e (*.e2e-spec.ts)
  testMatch: ['**/?(*.)+(spec|int-spec|e2e-spec).ts'],
  testTimeout: 60_000,
  // A test that leaves a socket or timer open must not hang the run.
  forceExit: false,
};
