"""An untrusted or misbehaving speech service: verified certificates, bounded waits, a budget of
requests, and what is published. Every server here listens on 127.0.0.1 only, stops itself, and
every wait is bounded."""

from __future__ import annotations

import os
import socket
import ssl
import threading
import time
import warnings

import pytest
import requests
from portal.audio.engines import GttsEngine, SynthesisError
from portal.audio.generator import make_generator
from portal.audio.library import AudioLibrary, copy_clip
from portal.cli import publishable_modes
from portal.configuration import load_site
from portal.content.pages import load_content
from support.audio import (
    FakeEngine,
    generated,
    mp3_of_silence,
    snapshot,
)
from support.service import LIFETIME, Server, clip_answer, point_gtts_at, self_signed

# --- Verified, bounded speech -----------------------------------------------------------------



@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    """The loopback servers are reached directly, whatever proxy the machine is set up with."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture
def serve():
    servers = []

    def start(handler, tls=None) -> Server:
        servers.append(Server(handler, tls))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="module")
def clip_bytes(tmp_path_factory) -> bytes:
    return mp3_of_silence(tmp_path_factory.mktemp("mp3") / "one.mp3", 2.0).read_bytes()


def test_gtts_refuses_a_server_whose_certificate_cannot_be_verified(fixture_site, tmp_path, monkeypatch, serve,
                                                                    clip_bytes):
    cert, key = self_signed(tmp_path)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)

    server = serve(clip_answer(clip_bytes), tls)
    base = f"https://127.0.0.1:{server.port}"
    with warnings.catch_warnings():  # the server does serve an MP3, to anyone who skips verification
        warnings.simplefilter("ignore")
        sanity = requests.post(base + "/x", data="f.req=1", verify=False, timeout=5)
    assert sanity.status_code == 200 and "jQ1olc" in sanity.text
    served = server.requests

    point_gtts_at(monkeypatch, base)
    gtts = GttsEngine(retries=2, timeout=2, deadline=5, sleep=lambda s: None)
    espeak = FakeEngine("espeak-ng", set(), tmp_path / "none.mp3")  # no voice: nothing to fall back to
    generator = make_generator(load_site(fixture_site), {"gtts": gtts, "espeak-ng": espeak})
    outcomes = generator.generate(load_content(load_site(fixture_site)))
    assert all(o.engine is None for o in outcomes)
    assert all("certificate" in o.reason for o in outcomes if o.lang == "en"), [o.reason for o in outcomes]
    assert "could not be verified" in (gtts.unreachable or "")
    assert server.requests == served, "no request was completed over the unverified connection"
    assert gtts.requests_made <= 2, "not retried, and gTTS stops for the run (2 workers may each have sent one)"
    assert not list((fixture_site / "audio/clips").glob("*.mp3")), "no clip was cached"


class Trickle:
    """A loopback server that answers one byte every `interval` seconds, in the headers or the body."""

    def __init__(self, phase: str, interval: float = 0.3):
        self.phase, self.interval = phase, interval
        self.requests = 0
        self.stop = threading.Event()
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.end = time.monotonic() + LIFETIME
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while not self.stop.is_set() and time.monotonic() < self.end:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self.answer, args=(conn,), daemon=True).start()
        self.sock.close()

    def answer(self, conn: socket.socket):
        with conn:
            conn.settimeout(2)
            received = b""
            try:
                while b"\r\n\r\n" not in received and len(received) < 65536:
                    piece = conn.recv(4096)
                    if not piece:
                        return
                    received += piece
            except OSError:
                return
            self.requests += 1
            if self.phase == "headers":
                slow, fast = b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 100_000, b""
            else:
                fast, slow = b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n", b"x" * 100_000
            try:
                conn.sendall(fast)
                for byte in slow:
                    if self.stop.is_set() or time.monotonic() > self.end:
                        return
                    conn.sendall(bytes([byte]))
                    time.sleep(self.interval)
            except OSError:
                return


@pytest.fixture
def trickle():
    servers = []

    def start(phase):
        servers.append(Trickle(phase))
        return servers[-1]

    yield start
    for server in servers:
        server.stop.set()


def run_bounded(function, limit: float):
    """Run function in a thread; (finished, elapsed seconds, exception) after at most `limit` seconds."""
    result = {}

    def target():
        try:
            function()
        except BaseException as error:  # any error, handed back to the test
            result["error"] = error

    started = time.monotonic()
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(limit)
    return not thread.is_alive(), time.monotonic() - started, result.get("error")


@pytest.mark.parametrize("phase", ["headers", "body"])
def test_a_trickling_server_cannot_hold_the_run(tmp_path, monkeypatch, trickle, phase):
    server = trickle(phase)
    point_gtts_at(monkeypatch, f"http://127.0.0.1:{server.port}")
    engine = GttsEngine(timeout=1.0, retries=1, deadline=1.5, backoff=0.01)
    finished, elapsed, error = run_bounded(lambda: engine.synthesise("Hello there.", "en", tmp_path / "o.mp3"),
                                           limit=12)
    assert finished, "the engine was still waiting for the trickling server after 12 s"
    assert elapsed < 2 * 1.5 + 2.0, elapsed  # two requests of at most 1.5 s each, and some slack
    assert isinstance(error, SynthesisError) and "no complete answer within 1.5 s" in str(error), error
    assert server.requests <= 2 and engine.requests_made == 2
    assert not (tmp_path / "o.mp3").exists()
    again, elapsed, error = run_bounded(lambda: engine.synthesise("Again.", "en", tmp_path / "p.mp3"), limit=5)
    assert again and elapsed < 0.5 and "not tried" in str(error) and engine.requests_made == 2


def test_a_429_storm_stops_google_for_the_run_and_espeak_speaks(fixture_site, monkeypatch, serve, engines):
    def throttle(handler):
        handler.send_response(429)
        handler.send_header("Content-Length", "0")
        handler.send_header("Retry-After", "3600")
        handler.end_headers()

    server = serve(throttle)
    point_gtts_at(monkeypatch, f"http://127.0.0.1:{server.port}")
    gtts = GttsEngine(retries=3, backoff=0.01, timeout=2, deadline=5)
    engines = {"gtts": gtts, "espeak-ng": engines["espeak-ng"]}
    started = time.monotonic()
    generator = make_generator(load_site(fixture_site), engines)
    outcomes = generator.generate(load_content(load_site(fixture_site)))
    elapsed = time.monotonic() - started
    assert {o.engine for o in outcomes} == {"espeak-ng"} and all(o.provisional for o in outcomes)
    assert server.requests <= 2 * (3 + 1), server.requests  # one chunk's tries per worker at most
    assert server.requests == gtts.requests_made
    assert elapsed < 10, elapsed
    assert "429" in gtts.unreachable
    # The run's summary counts what was asked of Google: a clip per worker before the stop, not every
    # section that gTTS, once stopped, did not try.
    assert 1 <= generator.budget.spent <= 2, generator.budget.spent
    page = fixture_site / "docs/en/offer/travel.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    made = server.requests
    generator.generate(load_content(load_site(fixture_site)))
    assert server.requests == made, "Google is not called again in the same run"


def test_5xx_answers_count_towards_the_stop(monkeypatch, serve, tmp_path):
    def fail(handler):
        handler.send_response(503)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    server = serve(fail)
    point_gtts_at(monkeypatch, f"http://127.0.0.1:{server.port}")
    engine = GttsEngine(retries=2, backoff=0.01, timeout=2, deadline=5)
    for text in ("One.", "Two.", "Three."):
        with pytest.raises(SynthesisError):
            engine.synthesise(text, "en", tmp_path / "x.mp3")
    assert server.requests == 3 and "HTTP 503" in engine.unreachable


def test_the_run_has_a_request_budget(monkeypatch, serve, tmp_path, clip_bytes):
    server = serve(clip_answer(clip_bytes))
    point_gtts_at(monkeypatch, f"http://127.0.0.1:{server.port}")
    engine = GttsEngine(max_requests=2, timeout=2, deadline=5)
    engine.synthesise("One.", "en", tmp_path / "1.mp3")
    engine.synthesise("Two.", "en", tmp_path / "2.mp3")
    with pytest.raises(SynthesisError, match="limit of 2 requests"):
        engine.synthesise("Three.", "en", tmp_path / "3.mp3")
    assert server.requests == 2 and (tmp_path / "2.mp3").exists() and not (tmp_path / "3.mp3").exists()


@pytest.mark.parametrize("content, reason", [
    (b"this is a text file, not audio\n" * 50, "can't sync to MPEG frame"),
    (b"", "can't sync to MPEG frame"),
])
def test_a_broken_recording_is_named_before_anything_is_copied(fixture_site, engines, content, reason):
    generated(fixture_site, engines)
    before = snapshot(fixture_site / "audio")
    recording = fixture_site / "audio/recordings/ar/offer/travel.mp3"
    recording.parent.mkdir(parents=True)
    recording.write_bytes(content)
    generator, outcomes = generated(fixture_site, engines)
    assert [str(p) for p in generator.problems] == [
        f"audio/recordings/ar/offer/travel.mp3:1: recording: is not a valid MP3 recording (not a readable MP3: "
        f"{reason}); export it again as an MP3 file, or remove it"]
    after = snapshot(fixture_site / "audio")
    for key in [k for k in after if k.startswith("recordings")]:
        after.pop(key)
    assert after == before, "nothing was copied into the clip cache and the lock is as it was"
    arabic = {o.page: o for o in outcomes if o.lang == "ar"}
    assert arabic["offer/travel.md"].engine == "espeak-ng" and "not a valid MP3" in arabic["offer/travel.md"].reason


def test_clips_and_published_files_are_0644_whatever_the_umask(fixture_site, engines, tmp_path):
    recording = fixture_site / "audio/recordings/ar/offer/travel.mp3"
    recording.parent.mkdir(parents=True)
    mp3_of_silence(recording, 9.0)
    old = os.umask(0o077)
    try:
        generated(fixture_site, engines)
        library = AudioLibrary(fixture_site / "audio")
        clips = list(library.clips.glob("*.mp3"))
        assert clips and {oct(p.stat().st_mode & 0o777) for p in clips} == {"0o644"}
        site = tmp_path / "site"
        for entry in library.lock.values():
            copy_clip(library, entry.clip, site)
        published = list((site / "audio").glob("*.mp3"))
        assert published and {oct(p.stat().st_mode & 0o777) for p in published} == {"0o644"}
        built = tmp_path / "built"
        (built / "en").mkdir(parents=True)
        (built / "en" / "index.html").write_text("x", encoding="utf-8")
        publishable_modes(built)
        assert oct((built / "en" / "index.html").stat().st_mode & 0o777) == "0o644"
        assert oct((built / "en").stat().st_mode & 0o777) == "0o755"
    finally:
        os.umask(old)
