"""A real local HTTP server that receives webhooks, for alerter tests (unit, integration and the
compose stack).

It runs in a thread (``ThreadingHTTPServer``), so synchronous tests and event-loop tests use it
alike. Every request is kept in :attr:`WebhookReceiver.hits` by path; the accepted ones also in
:attr:`WebhookReceiver.received`. What it answers:

- ``answers[path] = (status, location)`` — that status (and ``Location`` header) for that path;
- else, while ``failures`` > 0, ``failure_status`` (and ``failures`` counts down);
- else, with a ``secret``, 401 when the signature header does not verify (``bad_signatures``
  counts them);
- else ``ok_status`` (204), and the request is *received*.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from multidict import CIMultiDict

from wirestream.alerter.webhooks import SIGNATURE_HEADER, verify


@dataclass(frozen=True)
class Hit:
    """One request: path (no query), query string, body and headers (case-insensitive names)."""

    path: str
    query: str
    body: bytes
    headers: CIMultiDict[str]


@dataclass
class WebhookReceiver:
    """Start with :meth:`start` (or ``with``); :meth:`url` gives an address to post to."""

    host: str = "127.0.0.1"
    secret: str | None = None
    ok_status: int = 204
    failures: int = 0
    failure_status: int = 500
    answers: dict[str, tuple[int, str | None]] = field(default_factory=dict)
    hits: dict[str, list[Hit]] = field(default_factory=dict)
    received: list[Hit] = field(default_factory=list)
    attempts: int = 0
    bad_signatures: int = 0
    port: int = 0
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str = "/hook", host: str | None = None) -> str:
        """``http://<host>:<port><path>`` (``path`` may carry a query)."""
        return f"http://{host or self.host}:{self.port}{path}"

    def answer(self, hit: Hit) -> tuple[int, str | None]:
        """The status (and Location) for ``hit``; records it as received when accepted."""
        with self._lock:
            self.attempts += 1
            self.hits.setdefault(hit.path, []).append(hit)
            if hit.path in self.answers:
                return self.answers[hit.path]
            if self.failures > 0:
                self.failures -= 1
                return self.failure_status, None
            signature = hit.headers.get(SIGNATURE_HEADER, "")
            if self.secret is not None and not verify(hit.body, self.secret, signature):
                self.bad_signatures += 1
                return 401, None
            self.received.append(hit)
            return self.ok_status, None

    def start(self) -> int:
        """Listen on ``host`` (a free port) in a daemon thread; returns the port."""
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def _any(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                parts = urlsplit(self.path)
                hit = Hit(parts.path, parts.query, body, CIMultiDict(self.headers.items()))
                status, location = receiver.answer(hit)
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_POST = do_GET = do_PUT = _any

            def log_message(self, format: str, *args: Any) -> None:
                """The receiver's access log is not the test's business."""

        self._server = ThreadingHTTPServer((self.host, 0), Handler)
        self.port = int(self._server.server_address[1])
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self.port

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> WebhookReceiver:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
