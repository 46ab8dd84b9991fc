"""One-shot `minio-init` under docker-compose.no-registry.yml: create the archiver's bucket.

The stand-in for deploy/compose/create-bucket.sh (which needs MinIO's `mc` image): the same
environment (MINIO_URL, MINIO_ROOT_USER, MINIO_ROOT_PASSWORD, ARCHIVE_BUCKET), idempotent, retries
while the server starts, exit 0 when the bucket exists.
"""

import os
import sys
import time

import boto3
import botocore.exceptions


def main() -> int:
    try:
        url = os.environ["MINIO_URL"]
        user = os.environ["MINIO_ROOT_USER"]
        password = os.environ["MINIO_ROOT_PASSWORD"]
        bucket = os.environ["ARCHIVE_BUCKET"]
    except KeyError as exc:
        print(f"create-bucket.py: set {exc.args[0]}", file=sys.stderr)
        return 2
    s3 = boto3.client(
        "s3",
        endpoint_url=url,
        aws_access_key_id=user,
        aws_secret_access_key=password,
        region_name="us-east-1",
    )
    for attempt in range(1, 31):
        try:
            existing = {b["Name"] for b in s3.list_buckets().get("Buckets", [])}
            if bucket not in existing:
                s3.create_bucket(Bucket=bucket)
            print(f"bucket {bucket} ready on {url}")
            return 0
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
            print(f"try {attempt}/30: {url}: {exc}", file=sys.stderr)
            time.sleep(2)
    print(f"the S3 server at {url} did not answer after 30 tries", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
