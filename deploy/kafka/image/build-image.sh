#!/usr/bin/env bash
# Build the local Kafka image localhost/wirestream/kafka:<kafka.version> (Containerfile beside this
# file) on the local JRE base image (deploy/images/build-base.sh, run first when it is missing).
# The jars come from Maven (Maven Central, cached in ~/.m2) as for `wirestream kafka start`.
# An image whose label matches the fingerprint of its inputs is kept; --rebuild builds it anyway.
# Prints the image name on the last line.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
deploy="$(cd "$here/../.." && pwd)"
# shellcheck source=deploy/images/podman-env.sh
source "$deploy/images/podman-env.sh"
die() { echo "deploy/kafka/image/build-image.sh: $*" >&2; exit 1; }

version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$deploy/kafka/pom.xml")"
[[ -n "$version" ]] || die "no <kafka.version> in deploy/kafka/pom.xml"
image="localhost/wirestream/kafka:$version"
jre_image=localhost/wirestream-base/jre:17
fingerprint="$(cat "$deploy/kafka/pom.xml" "$here/pom.xml" "$here/Containerfile" \
  "$here/kafka-entrypoint.sh" "$here/kafka-broker-api-versions.sh" "$deploy/kafka/log4j2.properties" \
  | sha256sum | cut -c1-16)"

if [[ "${1:-}" != "--rebuild" ]] && "$PODMAN" image exists "$image" \
  && [[ "$("$PODMAN" image inspect --format '{{index .Labels "io.wirestream.fingerprint"}}' "$image")" == "$fingerprint" ]]; then
  echo "$image"
  exit 0
fi
"$PODMAN" image exists "$jre_image" || "$deploy/images/build-base.sh"
command -v mvn >/dev/null || die "Maven is needed to fetch Apache Kafka's jars: apt-get install maven"

start=$SECONDS
context="$(mktemp -d /var/tmp/wirestream-kafka-image.XXXXXX)"
trap 'rm -rf "$context"' EXIT
mvn -q -B -ntp -f "$here/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
  -DoutputDirectory="$context/libs" >"$context/mvn.log" 2>&1 \
  || { tail -30 "$context/mvn.log" >&2; die "Maven could not resolve the jars (log above)"; }
cp "$here/Containerfile" "$here/kafka-entrypoint.sh" "$here/kafka-broker-api-versions.sh" \
  "$deploy/kafka/log4j2.properties" "$context/"
"$PODMAN" build --quiet --build-arg "JRE_IMAGE=$jre_image" --label "io.wirestream.fingerprint=$fingerprint" \
  -f "$context/Containerfile" -t "$image" "$context" >/dev/null \
  || die "podman build of $image failed (output above)"
echo "deploy/kafka/image/build-image.sh: $image in $((SECONDS - start)) s" >&2
echo "$image"
