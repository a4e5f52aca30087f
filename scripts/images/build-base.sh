#!/usr/bin/env bash
# Builds the base image the services' Dockerfile starts from when no registry is reachable:
# localhost/chairbook-node:20 = Debian bookworm (debootstrap --variant=minbase, security updates
# applied, Debian's CA certificates) + Node 20 + npm + a non-root user `node` (uid 1000), like
# the official node:20-bookworm-slim the Dockerfile uses on machines with a registry.
#
# Node comes from NODE_TARBALL (an official node-v20.*-linux-x64.tar.xz/.gz) when set, else from
# this machine's own node/npm (must be Node 20). Only Debian's mirror is contacted.
#
#   bash scripts/images/build-base.sh            # build if missing
#   bash scripts/images/build-base.sh --force    # rebuild (e.g. for new Debian security updates)
#
# Environment: DEBIAN_MIRROR (http://deb.debian.org/debian), NODE_TARBALL, CHAIRBOOK_BASE_IMAGE,
# CHAIRBOOK_IMAGES_WORK (/var/tmp/chairbook-images: rootfs and the .deb cache).
set -euo pipefail
# shellcheck source=scripts/images/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

force=false
for arg in "$@"; do
  case "$arg" in
    --force) force=true ;;
    -h | --help) sed -n '2,15p' "$0"; exit 0 ;;
    *) die "unknown argument: $arg" ;;
  esac
done

ensure_tools
if image_exists "$BASE_IMAGE" && ! $force; then
  log "$BASE_IMAGE exists ($(image_size "$BASE_IMAGE")); --force rebuilds it"
  exit 0
fi

[ "$(id -u)" = 0 ] || die "debootstrap needs root"
started=$(date +%s)
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
WORK="${CHAIRBOOK_IMAGES_WORK:-/var/tmp/chairbook-images}"
ROOTFS="$WORK/rootfs"
CACHE="$WORK/debs"
mkdir -p "$WORK" "$CACHE"
ctr=""
cleanup() {
  if [ -n "$ctr" ]; then buildah rm "$ctr" >/dev/null 2>&1 || true; fi
  rm -rf "$ROOTFS"
}
trap cleanup EXIT

# 1. Debian, minimal: dpkg, apt, bash, coreutils, ca-certificates (Debian's, not this machine's).
log "debootstrap bookworm (minbase) from $MIRROR"
rm -rf "$ROOTFS"
debootstrap --variant=minbase --include=ca-certificates --cache-dir="$CACHE" \
  bookworm "$ROOTFS" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 ||
  { tail -20 "$WORK/debootstrap.log" >&2; die "debootstrap failed (log: $WORK/debootstrap.log)"; }
cat >"$ROOTFS/etc/apt/sources.list" <<SOURCES
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb ${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security} bookworm-security main
SOURCES
# Future `apt-get install`s in derived images skip documentation, as in Docker's Debian images.
cat >"$ROOTFS/etc/dpkg/dpkg.cfg.d/01-slim" <<'DPKG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
DPKG
rm -f "$ROOTFS/etc/resolv.conf" "$ROOTFS/etc/hostname"

# 2. Node 20 and npm into /usr/local (the official images' layout).
if [ -n "${NODE_TARBALL:-}" ]; then
  log "node from $NODE_TARBALL"
  tar -xf "$NODE_TARBALL" -C "$ROOTFS/usr/local" --strip-components=1 --no-same-owner \
    --exclude='*/include' --exclude='*/share' --exclude='*/CHANGELOG.md' --exclude='*/README.md' --exclude='*/LICENSE'
else
  node_bin="$(readlink -f "$(command -v node)")"
  npm_dir="$(cd "$(dirname "$(readlink -f "$(command -v npm)")")/.." && pwd)"
  log "node $(node -v) from $node_bin, npm $(npm -v) from $npm_dir (this machine's)"
  install -D -m 0755 "$node_bin" "$ROOTFS/usr/local/bin/node"
  mkdir -p "$ROOTFS/usr/local/lib/node_modules"
  cp -a "$npm_dir" "$ROOTFS/usr/local/lib/node_modules/npm"
  rm -rf "$ROOTFS/usr/local/lib/node_modules/npm/docs" "$ROOTFS/usr/local/lib/node_modules/npm/man"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$ROOTFS/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$ROOTFS/usr/local/bin/npx"
fi
node_version="$(chroot "$ROOTFS" /usr/local/bin/node -v)" || die "node does not run inside the Debian rootfs"
case "$node_version" in v20.*) ;; *) die "base image needs Node 20, got $node_version (set NODE_TARBALL)" ;; esac

# 3. Into container storage; security updates, the `node` user and clean-up run inside it.
log "importing into container storage"
ctr="$(buildah from --pull-never scratch)"
mnt="$(buildah mount "$ctr")"
cp -a "$ROOTFS/." "$mnt/"
buildah umount "$ctr" >/dev/null
buildah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$ctr"
buildah run --isolation chroot --network host "$ctr" -- sh -ec '
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get -y -qq upgrade >/dev/null
  groupadd --gid 1000 node
  useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  apt-get clean
  rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/* /tmp/* /root/.npm \
    /usr/share/man/* /usr/share/info/* /usr/share/locale/*
  find /usr/share/doc -mindepth 2 ! -name copyright -delete 2>/dev/null || true
  find /usr/share/doc -mindepth 1 -type d -empty -delete 2>/dev/null || true
  node -e "require(\"https\"); console.log(process.version)" >/dev/null
  npm -v >/dev/null
'
debian_version="$(buildah run --isolation chroot --network host "$ctr" -- cat /etc/debian_version)"
buildah config \
  --env NODE_VERSION="${node_version#v}" --env LANG=C.UTF-8 \
  --workingdir / --cmd '["node"]' \
  --label org.opencontainers.image.title=chairbook-node \
  --label org.opencontainers.image.description="Debian bookworm minbase $debian_version + Node $node_version, built locally by scripts/images/build-base.sh" \
  --label org.opencontainers.image.created="$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  "$ctr"
buildah commit --quiet --format docker --rm "$ctr" "$BASE_IMAGE" >/dev/null
ctr=""
buildah tag "$BASE_IMAGE" "${BASE_IMAGE%:*}:${node_version#v}"
log "built $BASE_IMAGE (Debian $debian_version, Node $node_version, $(image_size "$BASE_IMAGE")) in $(elapsed "$started")"
