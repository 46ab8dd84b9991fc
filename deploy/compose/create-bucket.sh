#!/bin/sh
# One-shot of docker-compose.yml (service `minio-init`): create the archiver's bucket on MinIO.
# Idempotent: an existing bucket is fine. Runs in the minio/mc image; settings come from the
# environment that docker-compose.yml passes:
#   MINIO_URL (http://minio:9000), MINIO_ROOT_USER, MINIO_ROOT_PASSWORD, ARCHIVE_BUCKET.
set -eu
: "${MINIO_URL:?set MINIO_URL, e.g. http://minio:9000}"
: "${MINIO_ROOT_USER:?set MINIO_ROOT_USER}"
: "${MINIO_ROOT_PASSWORD:?set MINIO_ROOT_PASSWORD}"
: "${ARCHIVE_BUCKET:?set ARCHIVE_BUCKET}"

attempt=0
until mc alias set wirestream "$MINIO_URL" "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null; do
  attempt=$((attempt + 1))
  if [ "$attempt" -ge 30 ]; then
    echo "MinIO at $MINIO_URL did not accept the credentials after 30 tries" >&2
    exit 1
  fi
  sleep 2
done
mc mb --ignore-existing "wirestream/$ARCHIVE_BUCKET"
echo "bucket $ARCHIVE_BUCKET ready on $MINIO_URL"
