#!/usr/bin/env bash
# Frees the disk older image builds hold (each build leaves ~1 GB of build-stage layers):
# removes every localhost/chairbook/<app> tag except :latest and the build :latest points to,
# then the untagged images of Chairbook builds (build stages and the layer cache). The base
# image stays. The next `npm run images` reinstalls dependencies (about a minute longer).
#
#   bash scripts/images/prune.sh
set -euo pipefail
# shellcheck source=scripts/images/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

before="$(du -sh /var/lib/containers/storage 2>/dev/null | cut -f1 || true)"
for app in "${APPS[@]}"; do
  keep="$("${PODMAN[@]}" image inspect --format '{{.Id}}' "$IMAGE_PREFIX/$app:latest" 2>/dev/null || true)"
  while read -r ref id; do
    [ -n "$ref" ] || continue
    case "$ref" in *:latest) continue ;; esac
    [ "${id#sha256:}" = "${keep#sha256:}" ] && continue
    "${PODMAN[@]}" untag "$id" "$ref" >/dev/null && log "untagged $ref"
  done < <("${PODMAN[@]}" images --no-trunc --format '{{.Repository}}:{{.Tag}} {{.ID}}' "$IMAGE_PREFIX/$app")
done

# Untagged images built from our base (labels carried over from it) or from our Dockerfile.
removed=0
for _ in 1 2 3; do # a layer is removable once the images built on it are gone
  while read -r id; do
    title="$("${PODMAN[@]}" image inspect --format '{{index .Labels "org.opencontainers.image.title"}}' "$id" 2>/dev/null || true)"
    case "$title" in
      chairbook-*) "${PODMAN[@]}" rmi "$id" >/dev/null 2>&1 && removed=$((removed + 1)) ;;
    esac
  done < <("${PODMAN[@]}" images --all --no-trunc --filter dangling=true --format '{{.ID}}')
done
log "removed $removed untagged build images; container storage ${before:-?} → $(du -sh /var/lib/containers/storage 2>/dev/null | cut -f1)"
