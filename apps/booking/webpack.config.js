const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('path');
const { StripWorkspaceDepsPlugin } = require('../../tools/strip-workspace-deps');

const hasCli = require('fs').existsSync(join(__dirname, 'src/cli.ts'));

/** The booking pages (apps/booking-web's Vite build) ship inside the bundle as dist/web. */
class CopyBookingWebPlugin {
  apply(compiler) {
    compiler.hooks.afterEmit.tap('CopyBookingWebPlugin', () => {
      const fs = require('fs');
      const from = join(__dirname, '../booking-web/dist');
      const to = join(__dirname, 'dist/web');
      fs.rmSync(to, { recursive: true, force: true });
      if (fs.existsSync(join(from, 'index.html'))) fs.cpSync(from, to, { recursive: true });
    });
  }
}

module.exports = {
  output: {
    path: join(__dirname, 'dist'),
    clean: true,
    ...(process.env.NODE_ENV !== 'production' && {
      devtoolModuleFilenameTemplate: '[absolute-resource-path]',
    }),
  },
  plugins: [
    new NxAppWebpackPlugin({
      target: 'node',
      compiler: 'tsc',
      main: './src/main.ts',
      // cli.js: migrations and one-off commands, from the same code as the service.
      additionalEntryPoints: hasCli ? [{ entryName: 'cli', entryPath: './src/cli.ts' }] : [],
      tsConfig: './tsconfig.app.json',
      assets: [],
      optimization: false,
      outputHashing: 'none',
      // dist/package.json lists exactly the runtime dependencies the bundle needs (for images).
      generatePackageJson: true,
      sourceMap: true,
    }),
    new StripWorkspaceDepsPlugin(),
    new CopyBookingWebPlugin(),
  ],
};
