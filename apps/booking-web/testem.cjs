'use strict';

// Debian's Chromium (scripts/ensure-chromium.sh installs it), headless, with no background
// networking: the machine has no network beyond the package registries.
module.exports = {
  test_page: 'tests/index.html?hidepassed',
  cwd: 'dist-tests',
  disable_watching: true,
  launch_in_ci: ['Chromium'],
  launch_in_dev: ['Chromium'],
  // CHROMIUM_PATH points at another Chromium-family browser where Debian's is not available
  // (e.g. Google Chrome on GitHub's runners).
  ...(process.env.CHROMIUM_PATH ? { browser_paths: { Chromium: process.env.CHROMIUM_PATH } } : {}),
  browser_start_timeout: 120,
  browser_disconnect_timeout: 60,
  browser_args: {
    Chromium: {
      ci: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--mute-audio',
        '--remote-debugging-port=0',
        '--window-size=1280,900',
      ],
    },
  },
};
