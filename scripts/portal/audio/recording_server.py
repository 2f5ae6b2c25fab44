"""The recording kit's page, served on 127.0.0.1 only: nothing is sent anywhere else, and nothing is
downloaded while it runs (the page, its script and its style are one file, recorder.html).

    GET  /               the page
    GET  /sections.json  the sections of the language, their words and whether each is recorded
    POST /keep?section=<number>&role=<role>   body: the take, a mono 16-bit WAV; 200 with the
                          new list, or 422 with the reason and what to do

A POST is accepted only from the kit's own page (its Origin), so no other website open in the
same browser can save a recording.
"""

from __future__ import annotations

import http.server
import json
import threading
from importlib.resources import files
from urllib.parse import parse_qs, urlsplit

from ..content.errors import PortalError
from .recording_kit import MAX_TAKE_BYTES, RecordingKit

HOST = "127.0.0.1"


class KitServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, kit: RecordingKit, port: int = 0):
        self.kit = kit
        self.saving = threading.Lock()  # one take is kept at a time
        super().__init__((HOST, port), KitHandler)

    @property
    def origin(self) -> str:
        return f"http://{HOST}:{self.server_port}"


class KitHandler(http.server.BaseHTTPRequestHandler):
    server: KitServer

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == "/":
            page = files("portal.audio").joinpath("recorder.html").read_bytes()
            self._send(200, "text/html; charset=utf-8", page)
        elif path == "/sections.json":
            self._json(200, self.server.kit.summary())
        else:
            self._json(404, {"error": "not found"})

    def do_POST(self) -> None:
        address = urlsplit(self.path)
        if address.path != "/keep":
            return self._json(404, {"error": "not found"})
        if self.headers.get("Origin") != self.server.origin:
            return self._json(403, {"error": "a take is kept only from the kit's own page"})
        length = int(self.headers.get("Content-Length") or 0)
        if not 0 < length <= MAX_TAKE_BYTES:
            return self._json(422, {"error": "the take is empty or too long; record the section again"})
        body = self.rfile.read(length)
        query = parse_qs(address.query)
        try:
            number = int(query.get("section", ["-1"])[0])
            with self.server.saving:
                saved = self.server.kit.keep(number, query.get("role", [""])[0], body)
        except ValueError:
            return self._json(422, {"error": "no section was given; reload the page"})
        except PortalError as error:
            return self._json(422, {"error": str(error).split(": ", 2)[-1]})
        summary = self.server.kit.summary()
        summary["saved"] = saved.relative_to(self.server.kit.site.root).as_posix()
        self._json(200, summary)

    def _json(self, status: int, data: dict) -> None:
        self._send(status, "application/json; charset=utf-8", json.dumps(data, ensure_ascii=False).encode("utf-8"))

    def _send(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        # Nothing but this origin: the page can reach no other server, even by mistake.
        self.send_header("Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline'; "
                         "style-src 'unsafe-inline'; media-src 'self' blob:; connect-src 'self'")
        self.end_headers()
        self.wfile.write(body)


def serve(kit: RecordingKit, port: int = 8765) -> None:
    """Serve until Ctrl+C, then stop cleanly: the port is freed and no request is left half done."""
    server = KitServer(kit, port)
    print(f"The recording kit is at {server.origin}/ (only on this computer). Press Ctrl+C to stop.")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        print("The recording kit has stopped. Run make audio, then commit audio/recordings/.")
