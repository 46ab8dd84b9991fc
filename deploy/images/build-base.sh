#!/usr/bin/env bash
# Build the local base images that stand in for registry images where no image registry can be
# reached (see README, "Running the compose stack"). Everything comes from Debian packages:
#
#   localhost/wirestream-base/debian:bookworm  debootstrap --variant=minbase, `podman import`
#   localhost/wirestream-base/python:3.11      python.Containerfile (Debian's python3.11 in a venv)
#   localhost/wirestream-base/jre:17           jre.Containerfile (openjdk-17-jre-headless)
#
# An image that already exists is kept (a second run takes seconds): the Debian image as it is, the
# other two while their Containerfile and the Debian image under them are unchanged (a label holds
# their fingerprint); --rebuild builds all three again.
# Needs root, podman and debootstrap (apt-get install podman debootstrap). Settings:
#   DEBIAN_MIRROR   the Debian archive to bootstrap from (default: debootstrap's own default)
#   PODMAN          the podman binary (default: podman)
# CA certificates in /usr/local/share/ca-certificates on the host (a TLS-intercepting proxy's)
# are added to the Debian image, so apt and pip inside the builds trust what the host trusts.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=deploy/images/podman-env.sh
source "$here/podman-env.sh"

DEBIAN_IMAGE=localhost/wirestream-base/debian:bookworm
PYTHON_IMAGE=localhost/wirestream-base/python:3.11
JRE_IMAGE=localhost/wirestream-base/jre:17
rebuild=0
[[ "${1:-}" == "--rebuild" ]] && rebuild=1

die() { echo "build-base.sh: $*" >&2; exit 1; }
have_image() { [[ $rebuild == 0 ]] && "$PODMAN" image exists "$1"; }
elapsed() { echo "build-base.sh: $1 in $((SECONDS - $2)) s"; }

command -v "$PODMAN" >/dev/null || die "podman not found: apt-get install podman (Debian/Ubuntu)"
[[ $(id -u) == 0 ]] || die "run as root (debootstrap and root podman)"

if ! have_image "$DEBIAN_IMAGE"; then
  command -v debootstrap >/dev/null || die "debootstrap not found: apt-get install debootstrap"
  start=$SECONDS
  work="$(mktemp -d /var/tmp/wirestream-rootfs.XXXXXX)"
  trap 'rm -rf "$work"' EXIT
  echo "build-base.sh: debootstrap bookworm (minbase) into $work ..."
  # shellcheck disable=SC2086
  debootstrap --variant=minbase --include=ca-certificates bookworm "$work/rootfs" \
    ${DEBIAN_MIRROR:-} >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; die "debootstrap failed (log above)"; }
  if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$work/rootfs/usr/local/share/ca-certificates/"
    chroot "$work/rootfs" update-ca-certificates >/dev/null
  fi
  # Smaller image: no apt lists, caches, docs or man pages (as Docker's debian:*-slim).
  rm -rf "$work"/rootfs/var/lib/apt/lists/* "$work"/rootfs/var/cache/apt/*.bin \
    "$work"/rootfs/var/cache/apt/archives/*.deb "$work"/rootfs/usr/share/doc/* \
    "$work"/rootfs/usr/share/man/* "$work"/rootfs/usr/share/locale/*
  tar -C "$work/rootfs" --numeric-owner -c . \
    | "$PODMAN" import --change 'CMD ["/bin/bash"]' --change 'ENV LANG=C.UTF-8' - "$DEBIAN_IMAGE" >/dev/null
  rm -rf "$work"
  trap - EXIT
  elapsed "$DEBIAN_IMAGE" "$start"
fi

debian_id="$("$PODMAN" image inspect --format '{{.Id}}' "$DEBIAN_IMAGE")"
for pair in "$PYTHON_IMAGE:python.Containerfile" "$JRE_IMAGE:jre.Containerfile"; do
  image="${pair%:*}"
  file="${pair##*:}"
  fingerprint="$( (cat "$here/$file"; echo "$debian_id") | sha256sum | cut -c1-16)"
  if ! have_image "$image" \
    || [[ "$("$PODMAN" image inspect --format '{{index .Labels "io.wirestream.fingerprint"}}' "$image")" != "$fingerprint" ]]; then
    start=$SECONDS
    "$PODMAN" build --quiet --build-arg "DEBIAN_IMAGE=$DEBIAN_IMAGE" --label "io.wirestream.fingerprint=$fingerprint" \
      -f "$here/$file" -t "$image" "$here" >/dev/null \
      || die "building $image from deploy/images/$file failed (output above)"
    elapsed "$image" "$start"
  fi
done
"$PODMAN" images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep '^localhost/wirestream-base/' || true
