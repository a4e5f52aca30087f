import { defineConfig } from 'vite';
import { extensions, classicEmberSupport, ember } from '@embroider/vite';
import { babel } from '@rollup/plugin-babel';

// The pages live under /book on the booking service (apps/booking serves dist/); the test
// build is served by testem from its own root.
export default defineConfig(({ mode }) => ({
  base: mode === 'production' ? '/book/' : '/',
  plugins: [
    classicEmberSupport(),
    ember(),
    babel({
      babelHelpers: 'runtime',
      extensions,
    }),
  ],
  // `npm start` here: live-reloading pages at http://localhost:4200/book/<slug>, talking to
  // the booking service's API (BOOKING_URL, default the one `npm start` at the root runs).
  server: {
    port: 4200,
    proxy: { '/book/api': process.env.BOOKING_URL ?? 'http://127.0.0.1:3001' },
  },
  build: {
    // Everything hashed lands in assets/ (long-cached by the booking service).
    assetsDir: 'assets',
    sourcemap: false,
    reportCompressedSize: false,
  },
}));
