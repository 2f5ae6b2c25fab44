"""A speech service on loopback for tests: a local HTTP(S) server that stops itself, gTTS pointed at
it, a certificate for 127.0.0.1 that can serve as the test's own authority, and gTTS's answer."""

from __future__ import annotations

import http.server
import shutil
import ssl
import subprocess
import threading
from pathlib import Path

import pytest

from support.audio import google_answer

LIFETIME = 20.0  # no test server outlives this


def clip_answer(clip: bytes):
    """A server's answer to every request: gTTS's own reply carrying the clip."""
    def answer(handler):
        body = google_answer(clip).encode("utf-8")
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
    return answer


def point_gtts_at(monkeypatch, base: str) -> None:
    """gTTS builds its requests for translate.google.<tld>; here they go to a local server."""
    import gtts.tts

    monkeypatch.setattr(gtts.tts, "_translate_url", lambda tld="com", path="": f"{base}/{path}")


class Server:
    """A loopback HTTP(S) server in a thread; it stops when the test ends or after LIFETIME."""

    def __init__(self, handler, tls: ssl.SSLContext | None = None):
        self.requests = 0
        self.lock = threading.Lock()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                with server.lock:
                    server.requests += 1
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(min(length, 1_000_000))
                handler(self)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()
        self.timer = threading.Timer(LIFETIME, self.stop)
        self.timer.daemon = True
        self.timer.start()
        self.stopped = threading.Event()

    def stop(self):
        if not self.stopped.is_set():
            self.stopped.set()
            self.httpd.shutdown()
            self.httpd.server_close()
            self.timer.cancel()


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 that no authority signed: with cryptography if installed, else openssl."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    try:
        import datetime as dt
        import ipaddress

        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID
    except ImportError:
        if shutil.which("openssl") is None:
            pytest.skip("neither the cryptography package nor the openssl command is available")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                        "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=127.0.0.1",
                        "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True, timeout=60)
        return cert, key
    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(private.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
                   .not_valid_after(now + dt.timedelta(days=1))
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                                  critical=False)
                   .sign(private, hashes.SHA256()))
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    return cert, key
