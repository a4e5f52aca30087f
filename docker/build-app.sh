#!/bin/sh
# Runs inside the Dockerfile's build stage: builds one service with Nx (its dependencies first,
# as Nx orders them) and assembles what its image ships into $2:
#   main.js (+ cli.js), package.json and package-lock.json of the runtime dependencies,
#   source maps without the sources inside them, and for booking the Ember site in web/.
#
#   sh docker/build-app.sh core-api|booking|messaging /out
set -eu
app="$1"
out="$2"
case "$app" in
  core-api | booking | messaging) ;;
  *) echo "--build-arg APP=core-api|booking|messaging is required (got '$app')" >&2; exit 1 ;;
esac

npx nx build "$app" --output-style=static
rm -rf "$out" && mkdir -p "$out"
cp -a "apps/$app/dist/." "$out/"

# The booking app serves the public booking site (apps/booking-web) from web/ next to main.js.
# When the booking build did not already put it there, build it through Nx and copy it.
if [ "$app" = booking ] && [ ! -f "$out/web/index.html" ] && [ -f apps/booking-web/package.json ]; then
  web="$(node -p "const p = require('./apps/booking-web/package.json'); (p.nx && p.nx.name) || p.name")"
  npx nx build "$web" --output-style=static
  [ -f apps/booking-web/dist/index.html ] || { echo "booking-web built no dist/index.html" >&2; exit 1; }
  rm -rf "$out/web" && cp -a apps/booking-web/dist "$out/web"
fi

# Stack traces keep file and line numbers; the image does not carry the TypeScript sources.
node -e '
  const fs = require("fs"), path = require("path"), dir = process.argv[1];
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".js.map"))) {
    const file = path.join(dir, f), map = JSON.parse(fs.readFileSync(file, "utf8"));
    delete map.sourcesContent;
    fs.writeFileSync(file, JSON.stringify(map));
  }' "$out"

test -f "$out/main.js" && test -f "$out/package.json" && test -f "$out/package-lock.json"
echo "assembled $app into $out:" && ls -la "$out"
