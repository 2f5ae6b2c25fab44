"""A server on 127.0.0.1 that notes every request it gets and answers nothing useful: for tests
asserting that a render asks the network for nothing. It stops by itself after `seconds`."""

from __future__ import annotations

import http.server
import threading
import time


class Trap:
    """`with Trap() as trap:` ... `trap.requests` (the paths asked for) ... `trap.origin`."""

    def __init__(self, seconds: float = 120.0):
        self.requests: list[str] = []
        self.deadline = time.monotonic() + seconds
        self._stop = threading.Event()
        trap = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # the name http.server calls
                trap.requests.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"trap")

            def log_message(self, *args):  # quiet: the test reads `requests`
                pass

        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.server.timeout = 0.1  # handle_request returns this often, to see the stop and the deadline
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        while not self._stop.is_set() and time.monotonic() < self.deadline:
            self.server.handle_request()
        self.server.server_close()

    def __enter__(self) -> Trap:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
