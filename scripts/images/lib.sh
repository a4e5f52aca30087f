# shellcheck shell=bash disable=SC2034
# Shared by build-base.sh, build.sh and acceptance.sh (sourced, not run).
# Images are built with buildah and run with podman, no Docker engine: see docs/operations.md,
# "Building and checking images locally".

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BASE_IMAGE="${CHAIRBOOK_BASE_IMAGE:-localhost/chairbook-node:20}"
IMAGE_PREFIX="${CHAIRBOOK_IMAGE_PREFIX:-localhost/chairbook}"
APPS=(core-api booking messaging)
declare -A APP_PORT=([core-api]=3000 [booking]=3001 [messaging]=3002)
# Machine's CA bundle (it may hold a proxy's CA): given to the build stages only, never baked in.
CA_BUNDLE="${CHAIRBOOK_CA_BUNDLE:-${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}}"

# The flags that work here: no systemd, no bridge networks (always the host's network).
PODMAN=(podman --runtime runc --cgroup-manager=cgroupfs --events-backend=file)

log() { printf '\033[1m[images]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31m[images] %s\033[0m\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root for: $* (run as root or install sudo)"; fi
}

# Debian's container tools, installed once (idempotent), plus overlay storage.
ensure_tools() {
  local missing=() tool
  declare -A pkg=([buildah]=buildah [podman]=podman [debootstrap]=debootstrap [runc]=runc
    [fuse-overlayfs]=fuse-overlayfs [slirp4netns]=slirp4netns)
  for tool in buildah podman debootstrap runc fuse-overlayfs slirp4netns; do
    command -v "$tool" >/dev/null || missing+=("${pkg[$tool]}")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]} (apt-get)"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null ||
      { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; } ||
      die "could not install ${missing[*]}"
  fi
  ensure_storage
}

# Overlay storage: native overlay when the kernel allows it (root), else fuse-overlayfs.
ensure_storage() {
  local driver
  driver="$(buildah info --format '{{.store.GraphDriverName}}' 2>/dev/null || true)"
  [ "$driver" = overlay ] && return 0
  local conf=/etc/containers/storage.conf
  [ "$(id -u)" = 0 ] || conf="${XDG_CONFIG_HOME:-$HOME/.config}/containers/storage.conf"
  if [ -e "$conf" ]; then
    log "warning: storage driver is '${driver:-unknown}', not overlay; $conf exists, leaving it as it is"
    return 0
  fi
  log "configuring overlay storage (fuse-overlayfs) in $conf"
  mkdir -p "$(dirname "$conf")"
  cat >"$conf" <<CONF
[storage]
driver = "overlay"
[storage.options.overlay]
mount_program = "/usr/bin/fuse-overlayfs"
CONF
}

image_exists() { buildah inspect --type image "$1" >/dev/null 2>&1; }

# Seconds since $1 (from `date +%s`), as "1m23s".
elapsed() { local s=$(($(date +%s) - $1)); printf '%dm%02ds' $((s / 60)) $((s % 60)); }

# Size of an image as podman reports it (uncompressed).
image_size() { "${PODMAN[@]}" image inspect --format '{{.Size}}' "$1" | awk '{ printf "%.0f MB", $1 / 1000000 }'; }

# Without systemd, podman logs an error for each HEALTHCHECK timer it cannot create or remove;
# the checks themselves work (acceptance.sh runs them with `podman healthcheck run`).
podman_quiet() { "${PODMAN[@]}" "$@" 2> >(grep -v 'unable to get systemd connection' >&2); }
