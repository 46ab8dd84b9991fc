# Sourced by deploy/images/*.sh and deploy/compose/*.sh: podman's settings for this repository.
# CONTAINERS_CONF: see containers.conf beside this file. BUILDAH_FORMAT=docker: OCI images drop
# the Dockerfile's HEALTHCHECK, Docker-format images keep it (as `docker build` does).
_ws_images_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$_ws_images_dir/containers.conf}"
export BUILDAH_FORMAT="${BUILDAH_FORMAT:-docker}"
PODMAN="${PODMAN:-podman}"
unset _ws_images_dir
