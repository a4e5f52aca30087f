/**
 * Our own libs (@chairbook/*) are bundled into each service, but Nx still lists them in the
 * generated dist/package.json and lockfile. They are not on any registry, so drop them there:
 * the image's `npm ci --omit=dev` then installs exactly the third-party runtime dependencies.
 */
class StripWorkspaceDepsPlugin {
  apply(compiler) {
    const { Compilation, sources } = compiler.webpack;
    compiler.hooks.thisCompilation.tap('StripWorkspaceDeps', (compilation) => {
      compilation.hooks.processAssets.tap({ name: 'StripWorkspaceDeps', stage: Compilation.PROCESS_ASSETS_STAGE_REPORT }, () => {
        const edit = (name, fn) => {
          const asset = compilation.getAsset(name);
          if (!asset) return;
          const json = JSON.parse(asset.source.source().toString());
          fn(json);
          compilation.updateAsset(name, new sources.RawSource(JSON.stringify(json, null, 2)));
        };
        const strip = (deps) => {
          for (const key of Object.keys(deps || {})) if (key.startsWith('@chairbook/')) delete deps[key];
        };
        edit('package.json', (pkg) => {
          strip(pkg.dependencies);
          delete pkg.nx;
        });
        edit('package-lock.json', (lock) => {
          strip(lock.packages?.['']?.dependencies);
          for (const key of Object.keys(lock.packages || {})) if (key.includes('@chairbook/')) delete lock.packages[key];
        });
      });
    });
  }
}

module.exports = { StripWorkspaceDepsPlugin };
