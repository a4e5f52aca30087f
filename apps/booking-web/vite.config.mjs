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
  build: {
    // Everything hashed lands in assets/ (long-cached by the booking service).
    assetsDir: 'assets',
    sourcemap: false,
    reportCompressedSize: false,
  },
}));
