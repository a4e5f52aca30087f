const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { existsSync } = require('fs');
const { join } = require('path');
const { StripWorkspaceDepsPlugin } = require('./strip-workspace-deps');

/**
 * The webpack config every service shares: one bundle (main.js), plus cli.js where the app has
 * one-off commands (migrations), and a dist/package.json listing exactly the third-party
 * runtime dependencies the bundle needs (what the image installs).
 */
function serviceWebpackConfig(appDir, extraPlugins = []) {
  const hasCli = existsSync(join(appDir, 'src/cli.ts'));
  return {
    output: {
      path: join(appDir, 'dist'),
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
        additionalEntryPoints: hasCli ? [{ entryName: 'cli', entryPath: './src/cli.ts' }] : [],
        tsConfig: './tsconfig.app.json',
        assets: [],
        optimization: false,
        outputHashing: 'none',
        generatePackageJson: true,
        sourceMap: true,
      }),
      new StripWorkspaceDepsPlugin(),
      ...extraPlugins,
    ],
  };
}

module.exports = { serviceWebpackConfig };
