"""A tiny misbehaving Offer Library on 127.0.0.1 for the listing tests (holds no tests).

``answer(path_and_query) -> (status, body)`` decides every GET; bodies are JSON-encoded unless
bytes. Threads are daemons and ``stop()`` is bounded, so a test can never hang on it.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from offer_tui.api.config import Settings

Answer = Callable[[str], tuple[int, Any]]


class HostileServer:
    def __init__(self, answer: Answer, delay: float = 0.0) -> None:
        self.answer = answer
        self.delay = delay
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                server.requests.append(self.path)
                if server.delay:
                    time.sleep(server.delay)
                status, body = server.answer(self.path)
                raw = body if isinstance(body, bytes) else json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                except OSError:
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> "HostileServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/data/core/dps"

    def settings(self) -> Settings:
        return Settings(endpoint=self.base_url, ims_url=f"http://127.0.0.1:{self.httpd.server_address[1]}/ims",
                        client_id="hostile-client", access_token="hostile-token-000",
                        ims_org="ORG@AdobeOrg", sandbox="prod")

    def env(self) -> dict[str, str]:
        s = self.settings()
        return {"OFFER_TUI_ENDPOINT": s.endpoint, "OFFER_TUI_IMS_URL": s.ims_url, "OFFER_TUI_CLIENT_ID": s.client_id,
                "OFFER_TUI_ACCESS_TOKEN": s.access_token, "OFFER_TUI_IMS_ORG": s.ims_org,
                "OFFER_TUI_SANDBOX": s.sandbox}


def offer(n: int, offer_type: str = "personalized") -> dict[str, Any]:
    return {"id": f"dps:{offer_type}-offer:{n:016x}", "name": f"Offer {n}", "status": "draft",
            "modified": "2026-01-01T00:00:00.000Z"}


def endless(path: str) -> tuple[int, Any]:
    """Every page holds one offer and a fresh next link; the total is 10^12."""
    start = int(path.rsplit("start=", 1)[1]) if "start=" in path else 0
    return 200, {"results": [offer(start)], "count": 1, "total": 10**12,
                 "_links": {"next": {"href": f"/offers?offer-type=personalized&start={start + 1}"}}}
