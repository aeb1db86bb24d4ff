"""The demo server's HTTP plumbing: a threaded stdlib server on loopback.

``DemoServer`` runs in-process on a free port (``port=0``) for the app's demo
mode and for tests, and can be told to misbehave (latency, canned errors,
429s, expired tokens, dropped connections) to exercise the client's error
handling over real HTTP.
"""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from .api import Reply, Request, handle_api, handle_ims, json_reply
from .faults import Canned
from .preview import DECISIONS_PATH, handle_decisions
from .store import REDACTED_BEARER, DemoState, Failure

API_BASE_PATH = "/data/core/dps"
IMS_PATH = "/ims/token/v3"
MAX_BODY = 5 * 1024 * 1024
_LOOPBACK = ("127.0.0.1", "localhost")

DEFAULT_FAILURE_BODIES: dict[int, Any] = {
    500: {"type": "https://ns.adobe.com/aep/errors/DPS-5000-500", "title": "InternalServerError",
          "status": 500, "detail": "An unexpected error occurred while processing the request"},
    502: {"error_code": "502000", "message": "Bad Gateway"},
    503: {"error_code": "503000", "message": "Service Unavailable"},
    504: {"error_code": "504000", "message": "Gateway Timeout"},
}
RATE_LIMIT_BODY = {"error_code": "429001", "message": "Too many requests"}


def _redact_headers(headers) -> dict[str, str]:
    result = {}
    for name, value in headers.items():
        name = name.lower()
        if name == "authorization":
            value = REDACTED_BEARER if value.lower().startswith("bearer ") else "***"
        result[name] = value
    return result


def _failure_reply(failure: Failure) -> Reply:
    if isinstance(failure.body, Canned):  # any raw answer (demo/faults.py)
        return Reply(failure.body.status, failure.body.body, dict(failure.body.headers))
    if failure.kind == "rate_limit":
        return json_reply(429, RATE_LIMIT_BODY, {"Retry-After": str(failure.retry_after)})
    body = failure.body if failure.body is not None else DEFAULT_FAILURE_BODIES.get(
        failure.status, {"error_code": f"{failure.status}000", "message": "Simulated failure"})
    # A redirect names a target, as a login gateway or a moved endpoint would.
    extra = {"Location": "/login?next=offers"} if 300 <= failure.status < 400 else {}
    if isinstance(body, (bytes, str)):
        raw = body.encode() if isinstance(body, str) else body
        kind = "text/html" if raw.lstrip().startswith(b"<") else "text/plain"
        return Reply(failure.status, raw, {"Content-Type": f"{kind}; charset=utf-8", **extra})
    return json_reply(failure.status, body, extra or None)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "offer-tui-demo"
    sys_version = ""
    timeout = 30  # idle keep-alive connections give their thread back

    @property
    def demo(self) -> "DemoServer":
        return self.server.demo  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Silent: requests carry tokens, and the terminal belongs to the TUI."""

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes; without this, Nagle plus delayed
        # ACKs add ~40 ms to every keep-alive request.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.demo._track(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.demo._track(self.connection, add=False)

    def _read_body(self) -> bytes | None:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            return None
        return self.rfile.read(length) if length else b""

    def _handle(self) -> None:
        demo = self.demo
        try:
            body = self._read_body()
        except ValueError:
            self._send(json_reply(400, {"error_code": "400000", "message": "Malformed request body"}))
            return
        if body is None:
            self.close_connection = True
            self._send(json_reply(413, {"error_code": "413000", "message": "Request entity too large"}))
            return
        split = urlsplit(self.path)
        path = split.path
        in_api = path == API_BASE_PATH or path.startswith(API_BASE_PATH + "/")
        rel = (path[len(API_BASE_PATH):] or "/") if in_api else path
        req = Request(self.command, path, rel, parse_qsl(split.query, keep_blank_values=True),
                      {k.lower(): v for k, v in self.headers.items()}, body)
        entry = demo.state.record(self._record(req))

        if demo.latency > 0:
            demo._stopping.wait(demo.latency)
        if demo._stopping.is_set():
            self._drop(entry)  # the server is going away: answer nothing
            return
        paths = (path, rel)
        drop = demo.state.take(("drop",), paths, req.method)
        if drop is not None and not drop.process_first:
            self._drop(entry)
            return
        failure = None if drop else demo.state.take(("rate_limit", "fail"), paths, req.method)
        if failure is not None and not (failure.kind == "fail" and failure.process_first):
            reply = _failure_reply(failure)
        elif path == IMS_PATH:
            reply = handle_ims(demo.state, req)
        elif in_api:
            reply = handle_api(demo.state, req, demo.page_size)
        elif path == DECISIONS_PATH:  # the Decisioning API, the dps base's sibling (issue 16)
            reply = handle_decisions(demo.state, req)
        else:
            reply = json_reply(404, {"error_code": "404000", "message": "Not found"})
        if drop is not None:
            self._drop(entry)  # processed (e.g. the offer is stored), but nobody hears back
            return
        if failure is not None and failure.kind == "fail" and failure.process_first:
            reply = _failure_reply(failure)  # processed (the offer is stored), then a failure answer
        if failure is not None and isinstance(failure.body, Canned) and failure.body.delay:
            demo._stopping.wait(failure.body.delay)  # a late answer: the client has given up by then
        entry["status"] = reply.status
        self._send(reply)

    def _record(self, req: Request) -> dict[str, Any]:
        content_type = req.headers.get("content-type", "").lower()
        json_body = form = None
        if req.body and "json" in content_type:
            try:
                json_body = json.loads(req.body)
            except (ValueError, UnicodeDecodeError):
                json_body = None
        elif req.body and "x-www-form-urlencoded" in content_type:
            form = {k: ("***" if k == "client_secret" else v)
                    for k, v in parse_qsl(req.body.decode("utf-8", "replace"), keep_blank_values=True)}
        return {
            "method": req.method,
            "path": req.path,
            "rel": req.rel,
            "query": dict(reversed(req.query_pairs)),  # first value wins
            "query_pairs": list(req.query_pairs),
            "headers": _redact_headers(self.headers),
            "json": json_body,
            "form": form,
            "status": None,  # None also means "dropped without an answer"
        }

    def _drop(self, entry: dict[str, Any]) -> None:
        entry["status"] = None
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            if name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)

    do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _handle


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client hanging up on a keep-alive connection (or before a late answer) is routine, not
        # a traceback for the terminal (the app's --demo shares it with the TUI).
        import sys

        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)


class DemoServer:
    """A local stand-in for the Offer Library API and the IMS token endpoint."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, page_size: int = 5, latency: float = 0.0,
                 id_salt: str | None = None, seed_offers: int = 0, seed_decisions: int | None = None):
        if host not in _LOOPBACK:
            raise ValueError("The demo server only listens on 127.0.0.1")
        self.host = "127.0.0.1"
        self.port = port
        self.page_size = page_size
        # id_salt: another sandbox, the same names under other ids (every kind)
        self.state = DemoState(latency=latency, salt=id_salt or None)
        if seed_offers:  # empty unless asked: tests count what they create
            self.seed(seed_offers, decisions=seed_decisions)
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._conn_lock = threading.Lock()

    # -- lifecycle ------------------------------------------------------------
    def start(self) -> "DemoServer":
        if self._httpd is not None:
            return self
        self._stopping.clear()
        httpd = _Server((self.host, self.port), _Handler)
        httpd.demo = self  # type: ignore[attr-defined]
        self.port = httpd.server_address[1]
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"offer-tui-demo-{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 2.0) -> None:
        httpd, thread = self._httpd, self._thread
        if httpd is None:
            return
        self._stopping.set()  # wakes handlers sleeping in simulated latency
        httpd.shutdown()
        with self._conn_lock:
            open_connections = list(self._connections)
        for conn in open_connections:  # keep-alive clients must not outlive the server
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        httpd.server_close()
        if thread is not None:
            thread.join(timeout)
        self._httpd = self._thread = None

    def __enter__(self) -> "DemoServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _track(self, conn: socket.socket, *, add: bool) -> None:
        with self._conn_lock:
            if add:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)

    @property
    def running(self) -> bool:
        return self._httpd is not None

    # -- addresses --------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        return self.url + API_BASE_PATH

    @property
    def ims_url(self) -> str:
        return self.url + IMS_PATH

    # -- state views -----------------------------------------------------------
    @property
    def offers(self) -> dict[str, dict[str, Any]]:
        return self.state.offers

    @property
    def received(self) -> list[dict[str, Any]]:
        return self.state.received

    @property
    def token_mints(self) -> int:
        return self.state.token_mints

    @property
    def latency(self) -> float:
        return self.state.latency

    @latency.setter
    def latency(self, seconds: float) -> None:
        self.state.latency = max(0.0, float(seconds))

    def seed(self, count: int, seed: int = 9, *, decisions: int | None = None) -> None:
        """Add ``count`` offers: the realistic catalogue first, then synthetic ones (deterministic).
        With the realistic offers all there, the demo library too: 4 collections and ``decisions``
        decisions (default 3; see :mod:`.library`)."""
        from .library import DEMO_DECISIONS, seed_library
        from .seed import DEMO_OFFERS, seed_documents

        for item in seed_documents(count, seed, self.state.catalogue, self.state.salt):
            self.state.add_offer(item.offer_type, item.offer_id, item.body, created=item.created,
                                 modified=item.modified, etag=item.etag)
        if decisions and count < DEMO_OFFERS:
            raise ValueError(f"decisions need the {DEMO_OFFERS} realistic offers (their fallbacks and collections)")
        if count >= DEMO_OFFERS:
            seed_library(self.state, DEMO_DECISIONS if decisions is None else decisions)

    # -- misbehaviour -------------------------------------------------------------
    def issue_token(self, lifetime: float = 86399) -> str:
        """A valid bearer token without going through IMS (not counted in token_mints)."""
        return self.state.issue_token(lifetime)

    def expire_tokens(self) -> None:
        self.state.expire_tokens()

    def fail_next(self, status: int, times: int = 1, body: Any = None, path_prefix: str | None = None,
                  *, process_first: bool = False, method: str | tuple[str, ...] | None = None) -> None:
        """Answer the next ``times`` matching requests with ``status``.

        ``body``: a dict/list (sent as JSON), a str/bytes (sent raw, e.g. an HTML
        error page), or None for a plausible default. ``path_prefix`` matches the
        full path (``/ims/...``, ``/data/core/dps/offers``) or the path relative to
        the API base (``/offers``); None matches every request, IMS included.
        With ``process_first`` the request is carried out first (a POST stores the
        offer) and the failure is the answer: a gateway's 5xx after the write.
        A 3xx carries a ``Location`` header. ``method`` (e.g. "PATCH") limits it to that method.
        """
        self.state.arm(Failure("fail", times, status=status, body=body, path_prefix=path_prefix,
                               process_first=process_first, method=method))

    def rate_limit_next(self, times: int = 1, retry_after: int | float = 1, path_prefix: str | None = None,
                        *, method: str | None = None) -> None:
        """``method`` (e.g. "POST") limits it to that method: creates, not the listing before them."""
        self.state.arm(Failure("rate_limit", times, status=429, retry_after=retry_after, path_prefix=path_prefix,
                               method=method))

    def drop_connection_next(self, times: int = 1, path_prefix: str | None = None, *, process_first: bool = True,
                             method: str | None = None) -> None:
        """Read the next matching request(s) fully, then close without answering.

        With ``process_first`` (the default, and the dangerous real-world case) the
        request is carried out first, so a dropped ``POST /offers`` still stores the
        offer; with False nothing happens on the server side.
        """
        self.state.arm(Failure("drop", times, path_prefix=path_prefix, process_first=process_first, method=method))

    def clear_misbehaviour(self) -> None:
        self.state.clear_failures()
        self.latency = 0.0
