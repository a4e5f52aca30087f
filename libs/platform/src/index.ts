export * from './lib/platform.js';
