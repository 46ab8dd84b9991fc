"""The image's HEALTHCHECK: GET /health of the Wirestream worker this container runs.

One image runs every service, so the check finds out which one from the container's main process
(``wirestream worker extractor|archiver|alerter|copies|incidents|web``, PID 1) and asks that
worker's web port (``WIRESTREAM_<NAME>_WEB_PORT``, defaults in ``DEFAULT_PORTS``). A container that runs no worker (the
``topics create`` job, ``--help``) has nothing to check and is healthy. docker-compose.yml gives
each worker its own check with the same meaning; this one covers ``docker run`` without compose.
Standard library only; exit 0 healthy, 1 not.
"""

import os
import sys
import urllib.request

DEFAULT_PORTS = {
    "extractor": 6066,
    "archiver": 6067,
    "alerter": 6068,
    "web": 6069,
    "copies": 6070,
    "incidents": 6071,
}


def main() -> int:
    with open("/proc/1/cmdline", "rb") as f:
        argv = [a.decode("utf-8", "replace") for a in f.read().split(b"\0") if a]
    if "worker" not in argv[:-1]:
        return 0
    name = argv[argv.index("worker") + 1]
    if name not in DEFAULT_PORTS:
        return 0
    port = os.environ.get(f"WIRESTREAM_{name.upper()}_WEB_PORT", str(DEFAULT_PORTS[name]))
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=3) as resp:
            return 0 if resp.status == 200 else 1
    except OSError as exc:
        print(f"{name} /health on port {port}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
