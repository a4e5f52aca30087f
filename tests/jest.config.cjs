const { readFileSync } = require('node:fs');
const swc = JSON.parse(readFileSync(`${__dirname}/.spec.swcrc`, 'utf-8'));
swc.swcrc = false;
module.exports = {
  displayName: 'e2e',
  preset: '../jest.preset.js',
  testEnvironment: 'node',
  transform: { '^.+\\.[tj]s$': ['@swc/jest', swc] },
  moduleFileExtensions: ['ts', 'js'],
  // e2e/: the start command; browser/: the booking pages in Debian's Chromium.
  roots: ['<rootDir>/e2e', '<rootDir>/browser'],
};
