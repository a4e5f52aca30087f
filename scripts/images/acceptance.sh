#!/usr/bin/env bash
# `npm run images:acceptance`: starts the three images built by `npm run images` with podman
# (no Docker engine), on the host's network, against this machine's MariaDB and RabbitMQ, each run
# in its own databases and RabbitMQ vhost on free ports, and checks that they work:
#   1. the images: non-root user, HEALTHCHECK, no sources, .env files, dev dependencies or CA
#      bundle override inside, the booking site inside the booking image;
#   2. `node cli.js migrate` (core-api, messaging), `seed-demo`, `create-service-credential`
#      as one-off containers of the same images;
#   3. the services as production runs them (NODE_ENV=production, secrets from the environment,
#      read-only root filesystem):
#      /health 200 on all three and the image's HEALTHCHECK reporting healthy;
#   4. acceptance-check.mjs: /metrics, then availability → booking → read back → cancel through
#      the core API as the demo owner, and the booking site's API (booking → core-api);
#   5. SIGTERM: each container stops cleanly within its shutdown timeout.
# Containers, databases and the vhost are removed at the end, also on failure or Ctrl-C
# (KEEP=1 leaves them running for a look, skipping 5). Container logs stay in
# $CHAIRBOOK_IMAGES_WORK/logs (/var/tmp/chairbook-images/logs).
#
#   npm run images:acceptance                    # the :latest images
#   IMAGE_TAG=<tag> npm run images:acceptance    # a given build
#
# Environment: DB_HOST/DB_PORT/DB_USER/DB_PASSWORD (127.0.0.1, 3306, root, empty), RABBITMQ_HOST
# (127.0.0.1), RABBITMQ_PORT (5672), RABBITMQ_USER/RABBITMQ_PASSWORD (guest/guest).
set -euo pipefail
# shellcheck source=scripts/images/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TAG="${IMAGE_TAG:-latest}"
DB_HOST="${DB_HOST:-127.0.0.1}" DB_PORT="${DB_PORT:-3306}" DB_USER="${DB_USER:-root}" DB_PASSWORD="${DB_PASSWORD:-}"
RABBITMQ_HOST="${RABBITMQ_HOST:-127.0.0.1}" RABBITMQ_PORT="${RABBITMQ_PORT:-5672}"
RABBITMQ_USER="${RABBITMQ_USER:-guest}" RABBITMQ_PASSWORD="${RABBITMQ_PASSWORD:-guest}"
WORK="${CHAIRBOOK_IMAGES_WORK:-/var/tmp/chairbook-images}"
RUN_FLAGS=(--network host --ulimit nofile=4096:4096 --ulimit nproc=4096:4096)
# As ECS runs the tasks (infra: readonlyRootFilesystem), with no writable /tmp either.
READ_ONLY=(--read-only --read-only-tmpfs=false)

started_all=$(date +%s)
ensure_tools
for app in "${APPS[@]}"; do
  image_exists "$IMAGE_PREFIX/$app:$TAG" || die "$IMAGE_PREFIX/$app:$TAG not built: run \`npm run images\` first"
done

sql() { MYSQL_PWD="$DB_PASSWORD" mariadb --protocol=tcp -h "$DB_HOST" -P "$DB_PORT" -u "$DB_USER" -N -e "$1"; }
sql 'SELECT 1' >/dev/null 2>&1 || die "MariaDB/MySQL not reachable at $DB_HOST:$DB_PORT as $DB_USER (start it, e.g. ../shared/services-up)"
(exec 3<>"/dev/tcp/$RABBITMQ_HOST/$RABBITMQ_PORT") 2>/dev/null || die "RabbitMQ not reachable at $RABBITMQ_HOST:$RABBITMQ_PORT"
command -v rabbitmqctl >/dev/null || die "rabbitmqctl is needed to create the run's vhost"

# Free ports on the host's network, as the services will listen there.
read -r CORE_PORT BOOKING_PORT MESSAGING_PORT < <(node -e '
  const net = require("net"), servers = [0, 1, 2].map(() => net.createServer());
  Promise.all(servers.map((s) => new Promise((r) => s.listen(0, "127.0.0.1", () => r(s.address().port)))))
    .then((ports) => { console.log(ports.join(" ")); servers.forEach((s) => s.close()); });')

RUN_ID="acc$(date +%s)$((RANDOM % 1000))"
CORE_DB="chairbook_${RUN_ID}_core"
MESSAGING_DB="chairbook_${RUN_ID}_messaging"
VHOST="chairbook-$RUN_ID"
NAME="chairbook-$RUN_ID"
STATE="$(mktemp -d "${TMPDIR:-/tmp}/chairbook-acceptance.XXXXXX")"
mkdir -p "$WORK/logs"
containers=()

cleanup() {
  local code=$?
  trap - EXIT INT TERM
  if [ "${KEEP:-0}" = 1 ]; then
    log "KEEP=1: left running: containers ${containers[*]:-none}; databases $CORE_DB $MESSAGING_DB; vhost $VHOST; env in $STATE/env"
    log "remove them with: ${PODMAN[*]} rm -f ${containers[*]:-}; mariadb -e 'DROP DATABASE $CORE_DB; DROP DATABASE $MESSAGING_DB'; rabbitmqctl delete_vhost $VHOST; rm -r $STATE"
    exit "$code"
  fi
  for c in "${containers[@]}"; do
    "${PODMAN[@]}" logs "$c" >"$WORK/logs/acceptance-${c#"$NAME-"}.log" 2>&1 || true
    if [ "$code" != 0 ]; then
      printf '\n--- last lines of %s ---\n' "$c" >&2
      tail -25 "$WORK/logs/acceptance-${c#"$NAME-"}.log" >&2 || true
    fi
    podman_quiet rm -f -t 5 "$c" >/dev/null 2>&1 || true
  done
  sql "DROP DATABASE IF EXISTS \`$CORE_DB\`; DROP DATABASE IF EXISTS \`$MESSAGING_DB\`" >/dev/null 2>&1 || true
  rabbitmqctl -q delete_vhost "$VHOST" >/dev/null 2>&1 || true
  rm -rf "$STATE"
  log "cleaned up (containers, databases $CORE_DB $MESSAGING_DB, vhost $VHOST)"
  if [ "$code" = 0 ]; then log "acceptance passed in $(elapsed "$started_all")"; else log "acceptance FAILED (exit $code); container logs in $WORK/logs/acceptance-*.log"; fi
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "run $RUN_ID: core-api :$CORE_PORT, booking :$BOOKING_PORT, messaging :$MESSAGING_PORT; databases $CORE_DB, $MESSAGING_DB; vhost $VHOST; images :$TAG"

# 1. What is inside the images.
# This machine's own CAs (e.g. a proxy's), to prove none reached an image.
i=0
for crt in /usr/local/share/ca-certificates/*.crt; do
  [ -f "$crt" ] && cp "$crt" "$STATE/local-ca-$i.crt" && i=$((i + 1))
done
for app in "${APPS[@]}"; do
  image="$IMAGE_PREFIX/$app:$TAG"
  user="$("${PODMAN[@]}" image inspect --format '{{.Config.User}}' "$image")"
  health="$("${PODMAN[@]}" image inspect --format '{{json .Config.Healthcheck}}' "$image")"
  env="$("${PODMAN[@]}" image inspect --format '{{json .Config.Env}}' "$image")"
  case "${user:-root}" in root | 0 | 0:*) die "$image runs as root" ;; esac
  [[ "$health" == *healthcheck.cjs* ]] || die "$image has no HEALTHCHECK ($health)"
  [[ "$env" != *NODE_EXTRA_CA_CERTS* ]] || die "$image sets NODE_EXTRA_CA_CERTS"
  # shellcheck disable=SC2016
  "${PODMAN[@]}" run --rm --no-healthcheck "${RUN_FLAGS[@]}" --user root -v "$STATE:/host-state:ro" --entrypoint sh "$image" -c '
    set -e
    bad() { echo "  $*" >&2; exit 1; }
    cd /app
    [ ! -e /src ] || bad "/src (build sources) is in the image"
    found="$(find / -xdev \( -name ".env" -o -name ".env.*" \) -not -path "/proc/*" 2>/dev/null | head -3)"
    [ -z "$found" ] || bad ".env files: $found"
    found="$(find /app -path /app/node_modules -prune -o -type f \( -name "*.ts" -o -name "*.tsx" \) -print | head -3)"
    [ -z "$found" ] || bad "TypeScript sources: $found"
    ! grep -l sourcesContent /app/*.map 2>/dev/null | grep -q . || bad "source maps carry the sources"
    for dev in nx typescript jest webpack @nestjs/testing ts-node eslint @swc/core ember-source; do
      [ ! -e "node_modules/$dev" ] || bad "dev dependency node_modules/$dev"
    done
    [ ! -e /run/secrets/ca_bundle ] || bad "the build secret is in the image"
    for crt in /host-state/local-ca-*.crt; do
      [ -f "$crt" ] || continue
      pem="$(grep -v -- "-----" "$crt" | tr -d "\n" | cut -c1-200)"
      ! tr -d "\n" </etc/ssl/certs/ca-certificates.crt | grep -qF "$pem" || bad "this machine'\''s CA $(basename "$crt") is in the image"
    done
    owner="$(stat -c %U /app/main.js)"; [ "$owner" = root ] || bad "/app/main.js owned by $owner (the app could rewrite itself)"
  ' || die "$image: contents check failed"
  extra=""
  if [ "$app" = booking ]; then
    # docker/build-app.sh fails a booking build whose sources have apps/booking-web but no site.
    if "${PODMAN[@]}" run --rm --no-healthcheck "${RUN_FLAGS[@]}" --entrypoint test "$image" -f /app/web/index.html; then
      extra=", booking site in /app/web"
    else
      extra=", no booking site (built from sources without apps/booking-web)"
    fi
  fi
  log "image $image: $(image_size "$image"), user $user, HEALTHCHECK set, no sources/.env/dev deps/CA override$extra"
done

# 2. Databases, vhost, configuration.
rabbitmqctl -q add_vhost "$VHOST" >/dev/null
rabbitmqctl -q set_permissions -p "$VHOST" "$RABBITMQ_USER" '.*' '.*' '.*' >/dev/null
random() { node -e 'process.stdout.write(require("crypto").randomBytes(24).toString("base64url"))'; }
DEMO_PASSWORD="$(random)"
cat >"$STATE/env" <<ENV
NODE_ENV=production
LOG_LEVEL=info
CORE_API_PORT=$CORE_PORT
BOOKING_PORT=$BOOKING_PORT
MESSAGING_PORT=$MESSAGING_PORT
CORE_API_URL=http://127.0.0.1:$CORE_PORT
BOOKING_PUBLIC_URL=http://localhost:$BOOKING_PORT
MESSAGING_PUBLIC_URL=http://localhost:$MESSAGING_PORT
DB_HOST=$DB_HOST
DB_PORT=$DB_PORT
DB_USER=$DB_USER
DB_PASSWORD=$DB_PASSWORD
CORE_API_DB_NAME=$CORE_DB
MESSAGING_DB_NAME=$MESSAGING_DB
RABBITMQ_URL=amqp://$RABBITMQ_USER:$RABBITMQ_PASSWORD@$RABBITMQ_HOST:$RABBITMQ_PORT/$VHOST
SMS_PROVIDER=log
EMAIL_PROVIDER=log
DEMO_PASSWORD=$DEMO_PASSWORD
BOOKING_API_USER=booking-site@chairbook.internal
BOOKING_API_PASSWORD=$(random)
LINK_SIGNING_SECRET=$(random)
ENV
chmod 600 "$STATE/env"

one_off() { # one_off <app> <what> <args…>: a one-off container of the image, output kept
  local app="$1" what="$2"; shift 2
  local t; t=$(date +%s)
  if ! "${PODMAN[@]}" run --rm --no-healthcheck "${RUN_FLAGS[@]}" "${READ_ONLY[@]}" --env-file "$STATE/env" "$IMAGE_PREFIX/$app:$TAG" "$@" >"$STATE/out" 2>&1; then
    tail -30 "$STATE/out" >&2
    die "$app: $what failed"
  fi
  log "$app: $what ($(elapsed "$t"))"
}
one_off core-api "node cli.js migrate" node cli.js migrate
one_off messaging "node cli.js migrate" node cli.js migrate
# The demo is never seeded in production; this one-off runs the seed as development does.
one_off core-api "node cli.js seed-demo" env NODE_ENV=development node cli.js seed-demo
SEED="$(grep '^{' "$STATE/out" | tail -1)"
DEMO_USER="global/$(node -pe 'JSON.parse(process.argv[1]).ownerEmail' "$SEED")"
# shellcheck disable=SC2016
log "demo salon: $(node -pe 'const s = JSON.parse(process.argv[1]); `business ${s.businessId}, branch ${s.branchId}, /book/${s.slug}`' "$SEED")"
BOOKING_API_USER="$(grep ^BOOKING_API_USER= "$STATE/env" | cut -d= -f2-)"
BOOKING_API_PASSWORD="$(grep ^BOOKING_API_PASSWORD= "$STATE/env" | cut -d= -f2-)"
one_off core-api "node cli.js create-service-credential (booking's)" node cli.js create-service-credential "--email=$BOOKING_API_USER" "--password=$BOOKING_API_PASSWORD"

# 3. The services, as production runs them.
declare -A PORT_OF=([core-api]=$CORE_PORT [booking]=$BOOKING_PORT [messaging]=$MESSAGING_PORT)
for app in core-api messaging booking; do
  # No systemd here to time the HEALTHCHECK: it runs below with `podman healthcheck run`.
  podman_quiet run -d --name "$NAME-$app" --health-interval=disable "${RUN_FLAGS[@]}" "${READ_ONLY[@]}" --env-file "$STATE/env" "$IMAGE_PREFIX/$app:$TAG" >/dev/null
  containers+=("$NAME-$app")
done
t=$(date +%s)
for app in core-api messaging booking; do
  url="http://127.0.0.1:${PORT_OF[$app]}/health"
  for _ in $(seq 1 120); do
    code="$(curl -s -o "$STATE/health-$app" -w '%{http_code}' --max-time 3 "$url" || true)"
    [ "$code" = 200 ] && break
    [ "$("${PODMAN[@]}" inspect --format '{{.State.Running}}' "$NAME-$app")" = true ] || die "$app exited before answering /health"
    sleep 1
  done
  [ "$code" = 200 ] || die "$app: $url answered ${code:-nothing} after 120 s: $(cat "$STATE/health-$app" 2>/dev/null)"
done
log "all three answer /health 200 ($(elapsed "$t") after start)"
for app in core-api messaging booking; do
  c="$NAME-$app"
  "${PODMAN[@]}" healthcheck run "$c" >/dev/null || die "$app: the image's HEALTHCHECK fails"
  status="$("${PODMAN[@]}" inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Healthcheck.Status}}{{end}}' "$c")"
  [ "$status" = healthy ] || die "$app: health status '$status' after a passing check"
  uid="$("${PODMAN[@]}" exec "$c" id -u)"
  pid1="$("${PODMAN[@]}" exec "$c" sh -c 'tr "\0" " " </proc/1/cmdline' | sed 's/ $//')"
  [ "$uid" != 0 ] || die "$app runs as root"
  log "$app: HEALTHCHECK $status, uid $uid ($("${PODMAN[@]}" exec "$c" id -un)), PID 1: $pid1"
done

# 4. Metrics, a booking, the booking site.
CORE_API_URL="http://127.0.0.1:$CORE_PORT" BOOKING_URL="http://127.0.0.1:$BOOKING_PORT" \
  MESSAGING_URL="http://127.0.0.1:$MESSAGING_PORT" DEMO_USER="$DEMO_USER" DEMO_PASSWORD="$DEMO_PASSWORD" \
  node "$ROOT/scripts/images/acceptance-check.mjs" | tee "$STATE/check" | sed 's/^/  /'
[ "${PIPESTATUS[0]}" = 0 ] || die "acceptance checks failed"

# 5. Graceful stop: SIGTERM to PID 1 (node), which must exit by itself (not killed after 20 s).
[ "${KEEP:-0}" = 1 ] && log "KEEP=1: not stopping them (SIGTERM check skipped)"
for app in booking messaging core-api; do
  [ "${KEEP:-0}" = 1 ] && break
  c="$NAME-$app"
  t=$(date +%s%N)
  podman_quiet stop -t 20 "$c" >/dev/null
  code="$("${PODMAN[@]}" inspect --format '{{.State.ExitCode}}' "$c")"
  ms=$((($(date +%s%N) - t) / 1000000))
  [ "$code" = 0 ] || [ "$code" = 143 ] || die "$app: exit code $code on SIGTERM"
  [ "$ms" -lt 20000 ] || die "$app: did not stop on SIGTERM (killed after ${ms} ms)"
  log "$app: stopped on SIGTERM in ${ms} ms, exit code $code"
done

printf '\nSUMMARY (run %s, images :%s)\n' "$RUN_ID" "$TAG"
for app in "${APPS[@]}"; do
  printf '  %-10s %-8s /health %s\n' "$app" "$(image_size "$IMAGE_PREFIX/$app:$TAG")" "$(head -c 160 "$STATE/health-$app")"
done
grep '^RESULT' "$STATE/check" | sed 's/^/  /'
