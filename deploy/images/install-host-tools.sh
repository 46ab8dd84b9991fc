#!/usr/bin/env bash
# Install what the compose end-to-end test needs on the host (Debian/Ubuntu, as root):
#   podman (runs the containers), runc (the runtime deploy/images/containers.conf selects),
#   netavark + aardvark-dns (the compose network and its service names), debootstrap (builds the
#   local base image from Debian packages), maven (Kafka's jars);
#   and chromium, the browser the live view's test drives with Playwright
#   (tests/integration/test_liveview_browser.py; Playwright's own browser downloads are not used).
# podman-compose comes from pyproject.toml's dev extra (`make install`).
# Called by `make compose-deps` and `make test`. Installs nothing when all are present.
# --soft: where they cannot be installed (not root, no apt-get), say so and exit 0, so that the
# rest of `make test` runs; the compose test itself then fails with the same advice.
set -euo pipefail
soft=0
[[ "${1:-}" == "--soft" ]] && soft=1
packages=(podman runc netavark aardvark-dns debootstrap maven chromium)

installed() {
  if command -v dpkg-query >/dev/null; then
    [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]
  else
    case "$1" in maven) command -v mvn ;; netavark | aardvark-dns) true ;; *) command -v "$1" ;; esac >/dev/null
  fi
}
missing=()
for package in "${packages[@]}"; do
  installed "$package" || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

fail() {
  echo "install-host-tools.sh: $* The compose test (tests/integration/test_compose_stack.py) " \
    "and the live view's browser test (tests/integration/test_liveview_browser.py) " \
    "will fail until they are installed: apt-get install ${missing[*]}" >&2
  [[ $soft == 1 ]] && exit 0
  exit 1
}
[[ $(id -u) == 0 ]] || fail "missing ${missing[*]} and not root, so they cannot be installed here."
command -v apt-get >/dev/null || fail "missing ${missing[*]} and no apt-get to install them with."
echo "install-host-tools.sh: apt-get install ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null; }; then
  fail "apt-get could not install ${missing[*]}."
fi
