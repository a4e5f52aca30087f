const { readFileSync } = require('node:fs');
const swc = JSON.parse(readFileSync(`${__dirname}/.spec.swcrc`, 'utf-8'));
swc.swcrc = false;
module.exports = {
  displayName: require('./package.json').name,
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: { '^.+\\.[tj]s$': ['@swc/jest', swc] },
  moduleFileExtensions: ['ts', 'js'],
};
