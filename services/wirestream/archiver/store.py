"""Where archive files live: a local directory or an S3-compatible bucket, behind one interface.

Local writes are durable and atomic: the bytes go to a hidden temporary name in the final folder,
are fsynced, renamed into place, and the folder is fsynced. On S3 one PUT is atomic (an object
appears whole or not at all), so files are written to their final key directly.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from wirestream.errors import ConfigurationError


@dataclass(frozen=True)
class S3Options:
    endpoint: str | None = None
    access_key: str | None = None
    secret_key: str | None = None
    region: str = "us-east-1"


class ArchiveStore:
    """Files under one root. Paths given to methods are relative, with ``/`` separators."""

    def __init__(self, url: str, s3: S3Options | None = None) -> None:
        self.url = url
        if url.startswith("s3://"):
            opts = s3 or S3Options()
            kwargs: dict[str, object] = {"region": opts.region}
            if opts.endpoint:
                scheme, _, host = opts.endpoint.partition("://")
                kwargs["endpoint_override"] = host or scheme
                kwargs["scheme"] = scheme if host else "https"
            if opts.access_key and opts.secret_key:
                kwargs["access_key"] = opts.access_key
                kwargs["secret_key"] = opts.secret_key
            kwargs["allow_bucket_creation"] = True  # only ensure_root() creates one
            self.fs: pafs.FileSystem = pafs.S3FileSystem(**kwargs)
            self.root = url[len("s3://") :].rstrip("/")
            if not self.root:
                raise ConfigurationError(
                    f"archive URL {url!r} names no bucket: set WIRESTREAM_ARCHIVER_ARCHIVE_URL "
                    "to s3://bucket/prefix"
                )
            self.local = False
        else:
            path = url[len("file://") :] if url.startswith("file://") else url
            self.root = str(Path(path).resolve())
            self.fs = pafs.LocalFileSystem()
            self.local = True

    def ensure_root(self) -> None:
        """Create the local directory, or the S3 bucket when it does not exist (the writer calls
        this at start-up; a fresh MinIO then needs no separate bucket-creation step)."""
        if self.local:
            Path(self.root).mkdir(parents=True, exist_ok=True)
            return
        bucket = self.root.split("/", 1)[0]
        if self.fs.get_file_info(bucket).type == pafs.FileType.NotFound:
            self.fs.create_dir(bucket)

    def full(self, rel: str) -> str:
        return f"{self.root}/{rel}" if rel else self.root

    def list(self, prefix: str = "", suffix: str = ".parquet") -> list[str]:
        """Relative paths of the files under ``prefix`` ending in ``suffix``, sorted."""
        selector = pafs.FileSelector(self.full(prefix), recursive=True, allow_not_found=True)
        out = []
        for info in self.fs.get_file_info(selector):
            if info.type != pafs.FileType.File or not info.path.endswith(suffix):
                continue
            rel = info.path[len(self.root) + 1 :]
            if rel.rsplit("/", 1)[-1].startswith("."):
                continue  # a temporary file of a write in progress (or interrupted)
            out.append(rel)
        return sorted(out)

    def exists(self, rel: str) -> bool:
        return bool(self.fs.get_file_info(self.full(rel)).type == pafs.FileType.File)

    def delete(self, rel: str) -> None:
        info = self.fs.get_file_info(self.full(rel))
        if info.type == pafs.FileType.File:
            self.fs.delete_file(self.full(rel))

    def read_table(self, rel: str) -> pa.Table:
        return pq.read_table(self.full(rel), filesystem=self.fs)

    def read_metadata(self, rel: str) -> dict[bytes, bytes]:
        with self.fs.open_input_file(self.full(rel)) as handle:
            meta = pq.read_metadata(handle).metadata
        return dict(meta or {})

    def write_table(self, rel: str, table: pa.Table) -> None:
        """Write ``table`` as Parquet at ``rel``, atomically and durably (replacing any old file)."""
        if not self.local:
            with self.fs.open_output_stream(self.full(rel)) as sink:
                pq.write_table(table, sink, compression="zstd")
            return
        final = Path(self.full(rel))
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".parquet", dir=final.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                pq.write_table(table, handle, compression="zstd")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, final)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _fsync_dir(final.parent)

    def clean_temporaries(self) -> int:
        """Remove temporary files left by writes that were interrupted; returns how many."""
        if not self.local:
            return 0
        removed = 0
        for tmp in Path(self.root).rglob(".tmp-*.parquet"):
            tmp.unlink(missing_ok=True)
            removed += 1
        return removed


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
