"""A small HTTP proxy that sits in front of the test WordPress and misbehaves on request.

Faults are planned per request: "answer the next 2 requests with 500", "hold the next POST to
/posts for 1.5 s after WordPress answered", "forward the next POST to /media, then drop the
connection". Requests no fault matches pass through unchanged. ``stop()`` closes the listening
socket, so the port then refuses connections like a dead server; ``start()`` brings it back on
the same port.

Every connection is closed after one answer (HTTP/1.0 style): a kept-alive connection would let
a "stopped" proxy keep serving through a handler thread, and would hide connection refusals.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

# Headers that describe one hop, not the message (RFC 9110 7.6.1), plus the ones we recompute.
_HOP_HEADERS = {
    "connection",
    "keep-alive",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "host",
    "content-length",
}


@dataclass(frozen=True)
class SeenRequest:
    method: str
    path: str  # with the query string


class _Fault:
    """What to do to the next ``times`` requests that match; counts itself down."""

    def __init__(
        self,
        *,
        times: int,
        method: str | None,
        path_contains: str | None,
        status: int | None = None,
        retry_after: str | None = None,
        delay_before: float = 0.0,
        delay_after: float = 0.0,
        drop_after_forwarding: bool = False,
    ) -> None:
        self.remaining = times
        self.method = method
        self.path_contains = path_contains
        self.status = status
        self.retry_after = retry_after
        self.delay_before = delay_before
        self.delay_after = delay_after
        self.drop_after_forwarding = drop_after_forwarding

    def matches(self, method: str, path: str) -> bool:
        return (
            self.remaining > 0
            and (self.method is None or self.method == method)
            and (self.path_contains is None or self.path_contains in path)
        )


class FaultProxy:
    def __init__(self, upstream_url: str) -> None:
        upstream = urlsplit(upstream_url)
        self._upstream_host = upstream.hostname or "127.0.0.1"
        self._upstream_port = upstream.port or 80
        self._faults: list[_Fault] = []
        self._received: list[SeenRequest] = []
        self._forwarded: list[SeenRequest] = []
        self._lock = threading.Lock()
        # Set while stopped: cuts planned delays short so no handler thread outlives the test.
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._port = 0

    # ---- life cycle --------------------------------------------------------------------------

    def start(self) -> FaultProxy:
        self._stopping.clear()
        self._server = ThreadingHTTPServer(("127.0.0.1", self._port), _handler_for(self))
        self._server.daemon_threads = True
        self._port = self._server.server_address[1]
        # A short poll interval: stop() waits for the serve loop to notice, 0.5 s by default.
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, name="fault-proxy", daemon=True
        ).start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    # ---- planning faults ---------------------------------------------------------------------

    def answer_with_status(
        self,
        status: int,
        *,
        times: int = 1,
        method: str | None = None,
        path_contains: str | None = None,
        retry_after: str | None = None,
    ) -> None:
        """Answer matching requests with ``status`` (a WordPress-style JSON error) without forwarding."""
        self._plan(
            _Fault(
                times=times,
                method=method,
                path_contains=path_contains,
                status=status,
                retry_after=retry_after,
            )
        )

    def delay(
        self,
        seconds: float,
        *,
        times: int = 1,
        after_forwarding: bool = False,
        method: str | None = None,
        path_contains: str | None = None,
    ) -> None:
        """Hold matching requests: before WordPress sees them, or after it answered (it acted already)."""
        self._plan(
            _Fault(
                times=times,
                method=method,
                path_contains=path_contains,
                delay_before=0.0 if after_forwarding else seconds,
                delay_after=seconds if after_forwarding else 0.0,
            )
        )

    def drop_after_forwarding(
        self, *, times: int = 1, method: str | None = None, path_contains: str | None = None
    ) -> None:
        """WordPress gets the request and acts; the client gets a closed connection instead of the answer."""
        self._plan(
            _Fault(times=times, method=method, path_contains=path_contains, drop_after_forwarding=True)
        )

    def _plan(self, fault: _Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    # ---- what happened -----------------------------------------------------------------------

    def received(self, method: str | None = None, path_contains: str | None = None) -> list[SeenRequest]:
        """Requests that reached the proxy, in order of arrival."""
        with self._lock:
            return _matching(self._received, method, path_contains)

    def forwarded(self, method: str | None = None, path_contains: str | None = None) -> list[SeenRequest]:
        """Requests that reached WordPress (so it acted on them), in order."""
        with self._lock:
            return _matching(self._forwarded, method, path_contains)

    # ---- handling (called from the server's threads) -----------------------------------------

    def _take_fault(self, method: str, path: str) -> _Fault | None:
        with self._lock:
            self._received.append(SeenRequest(method, path))
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.remaining -= 1
                    return fault
            return None

    def _forward(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, str, list[tuple[str, str]], bytes]:
        upstream = http.client.HTTPConnection(self._upstream_host, self._upstream_port, timeout=60)
        try:
            upstream.request(method, path, body=body or None, headers=headers)
            response = upstream.getresponse()
            answer = response.status, response.reason, response.getheaders(), response.read()
        finally:
            upstream.close()
        with self._lock:
            self._forwarded.append(SeenRequest(method, path))
        return answer


def _matching(
    requests: list[SeenRequest], method: str | None, path_contains: str | None
) -> list[SeenRequest]:
    return [
        request
        for request in requests
        if (method is None or request.method == method)
        and (path_contains is None or path_contains in request.path)
    ]


def _handler_for(proxy: FaultProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def handle_one(self) -> None:
            method, path = self.command, self.path
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            fault = proxy._take_fault(method, path)
            if fault is not None and fault.status is not None:
                self._send(
                    fault.status,
                    "Injected fault",
                    [("Content-Type", "application/json")]
                    + ([("Retry-After", fault.retry_after)] if fault.retry_after else []),
                    b'{"code":"injected_fault","message":"Injected by the fault proxy.","data":{"status":%d}}'
                    % fault.status,
                )
                return
            if fault is not None and fault.delay_before and proxy._stopping.wait(fault.delay_before):
                return
            headers = {
                name: value for name, value in self.headers.items() if name.lower() not in _HOP_HEADERS
            }
            headers["Host"] = f"{proxy._upstream_host}:{proxy._upstream_port}"
            status, reason, answer_headers, answer = proxy._forward(method, path, headers, body)
            if fault is not None and fault.drop_after_forwarding:
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            if fault is not None and fault.delay_after and proxy._stopping.wait(fault.delay_after):
                return
            kept = [(name, value) for name, value in answer_headers if name.lower() not in _HOP_HEADERS]
            self._send(status, reason, kept, answer)

        def _send(self, status: int, reason: str, headers: list[tuple[str, str]], body: bytes) -> None:
            self.send_response(status, reason)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)

        def handle_one_quietly(self) -> None:
            # The client may give up (timeout) before we answer: that is the point of a delay.
            with contextlib.suppress(OSError):
                self.handle_one()

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = handle_one_quietly

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep pytest's output for test failures

    return Handler
