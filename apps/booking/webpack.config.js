const { join } = require('path');
const { serviceWebpackConfig } = require('../../tools/service-webpack-config');

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

module.exports = serviceWebpackConfig(__dirname, [new CopyBookingWebPlugin()]);
