#!/usr/bin/env bash
# `npm run images`: builds localhost/chairbook/<app>:<tag> (and :latest) for core-api, booking and
# messaging from docker/Dockerfile with buildah, no Docker engine and no registry: the base is
# the locally built localhost/chairbook-node:20 (scripts/images/build-base.sh, run when missing).
# One image at a time (the machine is shared); layers are cached, so the dependency install is
# done once for all three and again only when a package.json or package-lock.json changes.
#
#   npm run images                           # all three, tag = commit (+ "-dirty" with local changes)
#   npm run images -- booking                # only some
#   npm run images -- --tag rc1 --ref HEAD   # from a commit (git archive) instead of the working tree
#   npm run images -- --no-cache             # rebuild every layer
#
# Then `npm run images:acceptance` starts them against this machine's MariaDB and RabbitMQ.
set -euo pipefail
# shellcheck source=scripts/images/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

apps=() tag="" ref="" cache=(--layers)
while [ $# -gt 0 ]; do
  case "$1" in
    --tag) tag="$2"; shift 2 ;;
    --ref) ref="$2"; shift 2 ;;
    --no-cache) cache=(--layers --no-cache); shift ;;
    core-api | booking | messaging) apps+=("$1"); shift ;;
    -h | --help) sed -n '2,14p' "$0"; exit 0 ;;
    *) die "unknown argument: $1 (apps: ${APPS[*]}; options: --tag T, --ref R, --no-cache)" ;;
  esac
done
[ ${#apps[@]} -gt 0 ] || apps=("${APPS[@]}")

ensure_tools
image_exists "$BASE_IMAGE" || bash "$ROOT/scripts/images/build-base.sh"
[ -r "$CA_BUNDLE" ] || die "CA bundle $CA_BUNDLE not readable (set CHAIRBOOK_CA_BUNDLE)"

WORK="${CHAIRBOOK_IMAGES_WORK:-/var/tmp/chairbook-images}"
mkdir -p "$WORK/logs"
context="$ROOT"
cleanup() { [ "$context" = "$ROOT" ] || rm -rf "$context"; }
trap cleanup EXIT
if [ -n "$ref" ]; then
  revision="$(git -C "$ROOT" rev-parse "$ref^{commit}")"
  context="$(mktemp -d "$WORK/context.XXXXXX")"
  git -C "$ROOT" archive "$revision" | tar -x -C "$context"
  tag="${tag:-$(git -C "$ROOT" rev-parse --short=12 "$revision")}"
  log "context: $ref ($revision) from git"
else
  revision="$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)"
  if [ -z "$tag" ]; then
    tag="$(git -C "$ROOT" rev-parse --short=12 HEAD 2>/dev/null || echo dev)"
    [ -z "$(git -C "$ROOT" status --porcelain 2>/dev/null)" ] || tag="$tag-dirty"
  fi
  log "context: working tree $ROOT (tag $tag)"
fi

declare -A took
total_started=$(date +%s)
for app in "${apps[@]}"; do
  image="$IMAGE_PREFIX/$app"
  logfile="$WORK/logs/build-$app.log"
  log "building $image:$tag (log: $logfile)"
  started=$(date +%s)
  # --format docker keeps HEALTHCHECK (the OCI format has no field for it).
  if ! buildah bud --pull-never --isolation chroot --network host --format docker "${cache[@]}" \
    --file "$context/docker/Dockerfile" \
    --build-arg NODE_IMAGE="$BASE_IMAGE" --build-arg APP="$app" --build-arg PORT="${APP_PORT[$app]}" \
    --secret id=ca_bundle,src="$CA_BUNDLE" \
    --label org.opencontainers.image.title="chairbook-$app" \
    --label org.opencontainers.image.revision="$revision" \
    --label org.opencontainers.image.version="$tag" \
    --tag "$image:$tag" --tag "$image:latest" \
    "$context" >"$logfile" 2>&1 < /dev/null; then
    tail -40 "$logfile" >&2
    die "building $app failed after $(elapsed "$started"); full log: $logfile"
  fi
  took[$app]="$(elapsed "$started")"
  log "built $image:$tag in ${took[$app]} ($(image_size "$image:$tag"))"
done

printf '\n%-52s %-8s %s\n' IMAGE SIZE "BUILD TIME"
for app in "${apps[@]}"; do
  printf '%-52s %-8s %s\n' "$IMAGE_PREFIX/$app:$tag" "$(image_size "$IMAGE_PREFIX/$app:$tag")" "${took[$app]}"
done
printf '%-52s %-8s %s\n' "$BASE_IMAGE (base)" "$(image_size "$BASE_IMAGE")" ""
printf '\nall built in %s; also tagged :latest. Next: npm run images:acceptance\n' "$(elapsed "$total_started")"
printf 'container storage: %s (bash scripts/images/prune.sh drops older builds and the layer cache)\n' \
  "$(du -sh /var/lib/containers/storage 2>/dev/null | cut -f1)"
