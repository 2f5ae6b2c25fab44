"""Hostile and broken input: scripts through front matter, third-party requests, files from outside
the repository, an untrusted or misbehaving speech service, failed runs that must not change audio,
and inputs that must give one line instead of a traceback. Every server here listens on 127.0.0.1
only, stops itself, and every wait is bounded."""

from __future__ import annotations

import http.server
import json
import os
import shutil
import socket
import ssl
import subprocess
import threading
import time
import warnings
from pathlib import Path

import pytest
import requests
from conftest import REPO
from portal.audio import library as audio_library
from portal.audio.engines import GttsEngine, SynthesisError
from portal.audio.library import AudioLibrary, copy_clip, make_generator
from portal.checks import check_all
from portal.checks.files import check_files
from portal.checks.safety import check_unsafe_html
from portal.cli import main, publishable_modes
from portal.content.errors import ERROR, PortalError
from portal.content.pages import load_content, parse_page
from portal.content.settings import load_site
from portal.publish.headers import (
    ScriptAllowlist,
    UnknownScriptError,
    harden,
    inline_scripts,
    material_templates,
)
from support.audio import FakeEngine, google_answer, mp3_of_silence

FRONT = "---\ntitle: Money\ndescription: Help with money.\n---\n"


def unsafe(text: str, rel: str = "x.md"):
    return check_unsafe_html(parse_page(f"docs/en/{rel}", "en", rel, text))


# --- 1. Script through front matter, third-party requests, the CSP -------------------------------

@pytest.mark.parametrize("front, line, field, words", [
    ('title: "Travel<script>alert(1)</script>"', 2, "title", "`<script>` is not allowed"),
    ("title: '</title><img src=x onerror=alert(1)>'", 2, "title", "`onerror=` is not allowed"),
    ("title: Money <b>now</b>", 2, "title", "the title is plain text"),
    ("title: x\ndescription: '<meta http-equiv=refresh content=0;url=https://evil.example>'", 3, "description",
     "`<meta>` is not allowed"),
    ("title: x\ndescription: 'Free\" http-equiv=\"refresh\" content=\"0;url=https://evil.example'", 3, "description",
     'a straight double quote (") ends the description'),
    ("title: x\ndescription: '<img src=https://evil.example/t.gif>'", 3, "description", "is plain text"),
    ("title: javascript:alert(1)", 2, "title", "an address starting `javascript:`"),
])
def test_front_matter_that_would_be_live_html_is_an_error(front, line, field, words):
    found = unsafe(f"---\n{front}\n---\nWords.\n")
    assert any(p.line == line and p.field == field and words in p.message and p.severity == ERROR
               for p in found), found


@pytest.mark.parametrize("title", ["Ages < 18 & over", "Money: “help” and 'support'", "Travel"])
def test_plain_front_matter_is_fine(title):
    assert unsafe(f'---\ntitle: "{title}"\ndescription: Say “hello” & more.\n---\nWords.\n') == []


THIRD_PARTY = [
    ("markdown image", "![Logo](https://evil.example/x.png)", 5, "<img src=\"https://evil.example/x.png\">"),
    ("reference image", "Hi\n\n![Logo][l]\n\n[l]: //evil.example/x.png", 9, "<img src=\"//evil.example/x.png\">"),
    ("img tag", '<img src="https://evil.example/t.gif" alt="">', 5, "loads an image"),
    ("srcset", '<img src="a.png" srcset="a.png 1x, https://evil.example/b.png 2x" alt="">', 5, "srcset="),
    ("video source", '<video controls>\n<source src="https://evil.example/v.mp4">\n</video>', 6, "a media file"),
    ("audio", '<audio src="http://evil.example/a.mp3"></audio>', 5, "loads a sound"),
    ("video poster", '<video src="v.mp4" poster="https://evil.example/p.jpg"></video>', 5, "poster="),
    ("track", '<video src="v.mp4"><track src="https://evil.example/t.vtt"></video>', 5, "a subtitle file"),
    ("form", '<form action="https://evil.example/collect"><input name="q"></form>', 5, "this form sends"),
    ("button formaction", '<button formaction="https://evil.example/">Go</button>', 5, "this form sends"),
    ("style url", '<p style="background:url(//evil.example/i.png)">x</p>', 5, "`style="),
    ("local style url", '<p style="background-image: url(pic.png)">x</p>', 5, "`style="),
    ("attribute list style", "Hello\n{: style=\"background:url(https://evil.example/p.png)\" }", 6, "`style="),
    ("svg use", '<svg><use href="https://evil.example/s.svg#i"></use></svg>', 5, "loads a drawing"),
    ("entity-encoded scheme", '<img src="&#x68;ttps://evil.example/x.png" alt="">', 5, "loads an image"),
    ("backslashes", '<img src="\\\\evil.example\\x.png" alt="">', 5, "loads an image"),
    ("table background", '<table background="https://evil.example/b.png"><tr><td>x</td></tr></table>', 5,
     "background="),
]


@pytest.mark.parametrize("case, body, line, words", THIRD_PARTY, ids=[c[0] for c in THIRD_PARTY])
def test_a_third_party_request_in_content_is_an_error(case, body, line, words):
    found = [p for p in unsafe(FRONT + body + "\n") if p.field == "third-party request"]
    assert found and found[0].line == line and words in found[0].message, found
    assert all(p.severity == ERROR for p in found)


@pytest.mark.parametrize("body", [
    "[GOV.UK](https://www.gov.uk/) and <https://www.gov.uk/>",
    "![Map](../assets/map.png)",
    '<img src="data:image/png;base64,iVBORw0KGgo=" alt="">',
    "```\n<img src=\"https://evil.example/x.png\">\n```",
    "Write `<img src=\"https://evil.example/y\">` to break the rules.",
    '<a href="https://www.gov.uk/">GOV.UK</a>',
])
def test_links_local_files_and_code_are_not_third_party_requests(body):
    assert [p for p in unsafe(FRONT + body + "\n") if p.field == "third-party request"] == []


def test_checks_of_the_fixture_site_refuse_front_matter_script_in_a_translation(fixture_site, write_page):
    write_page("ar/index.md", '---\ntitle: "<script>alert(1)</script>"\ndescription: y\ntranslation:\n'
                              '  source_hash: "6ad4409f2ace"\n  status: draft\n---\nمرحبا\n')
    found = [p for p in check_all(load_content(load_site(fixture_site)))
             if p.path == "docs/ar/index.md" and p.field == "title"]
    assert found and "`<script>`" in found[0].message and found[0].line == 2


MATERIAL_SCOPE = ('__md_scope=new URL("{base}",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0))'
                  ',0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),'
                  '__md_set=(e,_,t=localStorage,a=__md_scope)=>{{try{{t.setItem(a.pathname+"."+e,JSON.stringify(_))}}'
                  'catch(e){{}}}}')


@pytest.fixture(scope="module")
def theme_allowlist() -> ScriptAllowlist:
    return ScriptAllowlist.from_templates([material_templates(), REPO / "overrides"])


@pytest.mark.parametrize("base", [".", "..", "../..", "../../..", "/"])
def test_material_scope_script_is_allowed_at_every_page_depth(theme_allowlist, base):
    assert theme_allowlist.allows(MATERIAL_SCOPE.format(base=base))


@pytest.mark.parametrize("script", [
    "alert(1)",
    MATERIAL_SCOPE.format(base='",alert(1),"'),  # the address cannot leave its string
    MATERIAL_SCOPE.format(base=".") + ";alert(1)",
    # redirect.html's address comes from a page's front matter: never a wildcard
    'window.location.replace(["https://evil.example/",window.location.search,window.location.hash].join(""))',
])
def test_scripts_the_theme_does_not_emit_are_not_allowed(theme_allowlist, script):
    assert not theme_allowlist.allows(script)


def page_html(*scripts: str) -> str:
    tags = "".join(f"<script>{s}</script>" for s in scripts)
    return ('<html><head><meta charset="utf-8">' + tags +
            '<script id="__config" type="application/json">{"base": "."}</script></head><body>x</body></html>')


def test_harden_refuses_a_script_found_only_in_page_content_and_never_hashes_it():
    material = MATERIAL_SCOPE.format(base="..")
    html, hashes = harden(page_html(material))
    assert len(hashes) == 1 and "Content-Security-Policy" in html
    with pytest.raises(UnknownScriptError, match=r"en/x.md: the page carries an inline script .*alert\(document"):
        harden(page_html(material, "alert(document.cookie)"), where="en/x.md")
    with pytest.raises(UnknownScriptError):  # upper case tags and odd types are scripts too
        harden(page_html(material).replace("</head>", "<SCRIPT type='module'>fetch('/x')</SCRIPT></head>"))


def test_inline_scripts_skip_src_and_json_but_not_other_types():
    html = ('<script src="a.js"></script><script type="application/json">{}</script>'
            '<script type="text/plain-ish">alert(1)</script><script>ok()</script>')
    assert inline_scripts(html) == ["alert(1)", "ok()"]


@pytest.mark.build
def test_build_fails_on_a_content_script_even_when_checks_are_bypassed(fixture_site, monkeypatch):
    """Defence in depth: if a script ever got past the checks, the CSP step stops the build."""
    import portal.checks
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    page = fixture_site / "docs/en/offer/travel.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n<script>alert(document.cookie)</script>\n",
                    encoding="utf-8")
    monkeypatch.setattr(portal.checks, "check_all", lambda content, today=None: [])
    site_dir = fixture_site / "site"
    with pytest.raises(Abort):
        build(load_config(str(fixture_site / "mkdocs.yml"), site_dir=str(site_dir)))
    headers = site_dir / "_headers"
    assert not headers.exists() or "alert" not in headers.read_text(encoding="utf-8")


@pytest.mark.build
def test_a_clean_build_allows_exactly_the_theme_scripts(fixture_site, theme_allowlist):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site_dir = fixture_site / "site"
    build(load_config(str(fixture_site / "mkdocs.yml"), site_dir=str(site_dir)))
    from portal.publish.headers import script_hash

    seen = {}
    for page in site_dir.rglob("*.html"):
        for body in inline_scripts(page.read_text(encoding="utf-8")):
            assert theme_allowlist.allows(body), (page, body[:80])
            seen[script_hash(body)] = body
    policy = (site_dir / "_headers").read_text(encoding="utf-8")
    listed = set(policy.split("script-src 'self' ", 1)[1].split(";", 1)[0].split())
    assert listed == set(seen), "every hash in _headers is a theme script found in the built pages"


# --- 2. Files from outside the repository --------------------------------------------------------

def test_symbolic_links_under_docs_overrides_and_audio_are_named(fixture_site, tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text("---\ntitle: secret\n---\n", encoding="utf-8")
    links = {
        "docs/en/x.txt": "/etc/passwd",
        "docs/en/evil.md": str(outside),
        "docs/en/inside.md": "index.md",  # a link inside the repository is refused too
        "docs/en/folder": "/etc",
        "overrides/partials/x.html": "/etc/hostname",
        "audio/recordings/en/index.mp3": "/etc/passwd",
        "audio/clips/abc.mp3": "/etc/passwd",
    }
    for rel, target in links.items():
        (fixture_site / rel).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, fixture_site / rel)
    found = check_files(load_site(fixture_site))
    assert sorted(str(p) for p in found) == sorted(
        f"{rel}:1: file: is a symbolic link to {target}; replace it with the file itself"
        for rel, target in links.items())


def test_a_content_folder_that_is_a_link_or_outside_the_repository_is_named(fixture_site, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    shutil.move(fixture_site / "docs", elsewhere)
    os.symlink(elsewhere, fixture_site / "docs")
    assert [str(p) for p in check_files(load_site(fixture_site))] == [
        f"docs:1: file: is a symbolic link to {elsewhere}; replace it with the file itself"]
    config = fixture_site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("docs_dir: docs", "docs_dir: ../elsewhere"),
                      encoding="utf-8")
    found = check_files(load_site(fixture_site))
    assert len(found) == 1 and "is outside the repository" in found[0].message


def test_a_pipe_under_docs_is_not_a_regular_file(fixture_site):
    os.mkfifo(fixture_site / "docs/en/pipe.md")
    assert [str(p) for p in check_files(load_site(fixture_site))] == [
        "docs/en/pipe.md:1: file: is not a regular file (a device, pipe or socket); remove it"]


def test_check_and_build_refuse_a_link_and_never_read_it(fixture_site, capsys):
    os.symlink("/etc/passwd", fixture_site / "docs/en/offer/passwd.md")
    for command in ("check", "build", "audio", "translations"):
        assert main(["--root", str(fixture_site), command]) == 1
        out = capsys.readouterr()
        assert ("docs/en/offer/passwd.md:1: file: is a symbolic link to /etc/passwd; replace it with the file "
                "itself") in out.out + out.err
        assert "root:" not in out.out + out.err
    assert not (fixture_site / "site").exists() and not (fixture_site / "audio").exists()


def test_reading_a_page_through_a_link_is_refused(fixture_site):
    os.symlink("/etc/passwd", fixture_site / "docs/en/passwd.md")
    with pytest.raises(PortalError, match=r"^docs/en/passwd.md:1: file: is a symbolic link to /etc/passwd"):
        load_content(load_site(fixture_site))


@pytest.fixture
def engines(tmp_path):
    clip = mp3_of_silence(tmp_path / "long.mp3", 24.0)  # fits every fixture page: 4-40 characters a second
    return {"gtts": FakeEngine("gtts", {"en", "ar", "vi"}, clip, fail=True),
            "espeak-ng": FakeEngine("espeak-ng", {"en", "ar", "vi"}, clip)}


def generate(project, engines, **kwargs):
    site = load_site(project)
    generator = make_generator(site, engines)
    return generator, generator.generate(load_content(site), **kwargs)


def test_a_linked_recording_is_refused_and_nothing_is_copied(fixture_site, engines, tmp_path):
    generate(fixture_site, engines)
    before = snapshot(fixture_site / "audio")
    real = mp3_of_silence(tmp_path / "real.mp3", 9.0)
    link = fixture_site / "audio/recordings/en/index.mp3"
    link.parent.mkdir(parents=True)
    os.symlink(real, link)
    generator, _ = generate(fixture_site, engines)
    assert [str(p) for p in generator.problems] == [
        f"audio/recordings/en/index.mp3:1: file: is a symbolic link to {real}; replace it with the file itself"]
    assert not list((fixture_site / "audio/clips").glob("rec-*"))
    after = snapshot(fixture_site / "audio")
    after.pop("recordings/en/index.mp3"), after.pop("recordings/en"), after.pop("recordings")
    assert after == before


def test_a_linked_clip_is_never_published(fixture_site, engines, tmp_path):
    generate(fixture_site, engines)
    library = AudioLibrary(fixture_site / "audio")
    entry = library.lock["en/index.md"]
    clip = library.clips / entry.clip
    clip.unlink()
    os.symlink("/etc/passwd", clip)
    from portal.audio.library import page_speech

    text = page_speech(load_content(load_site(fixture_site)), "en", "index.md")
    assert library.current("en", "index.md", text) is None
    assert not library.has_clip(entry.clip)
    with pytest.raises(PortalError, match="is not a regular file in audio/clips/"):
        copy_clip(library, entry.clip, tmp_path / "site")
    assert not (tmp_path / "site/audio" / entry.clip).exists()


# --- 3. Verified, bounded speech -----------------------------------------------------------------

LIFETIME = 20.0  # no test server outlives this


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    """The loopback servers are reached directly, whatever proxy the machine is set up with."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


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


@pytest.fixture
def serve():
    servers = []

    def start(handler, tls=None) -> Server:
        servers.append(Server(handler, tls))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


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


@pytest.fixture(scope="module")
def clip_bytes(tmp_path_factory) -> bytes:
    return mp3_of_silence(tmp_path_factory.mktemp("mp3") / "one.mp3", 2.0).read_bytes()


def test_gtts_refuses_a_server_whose_certificate_cannot_be_verified(fixture_site, tmp_path, monkeypatch, serve,
                                                                    clip_bytes):
    cert, key = self_signed(tmp_path)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)

    def answer(handler):
        body = google_answer(clip_bytes).encode("utf-8")
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    server = serve(answer, tls)
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
        except BaseException as error:  # noqa: BLE001 - handed back to the test
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
    def answer(handler):
        body = google_answer(clip_bytes).encode("utf-8")
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    server = serve(answer)
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
    generate(fixture_site, engines)
    before = snapshot(fixture_site / "audio")
    recording = fixture_site / "audio/recordings/ar/offer/travel.mp3"
    recording.parent.mkdir(parents=True)
    recording.write_bytes(content)
    generator, outcomes = generate(fixture_site, engines)
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
        generate(fixture_site, engines)
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


# --- 4. A failed run never changes audio ---------------------------------------------------------

def snapshot(folder: Path) -> dict:
    """Every entry under the folder: bytes for a file, the target for a link, None for a folder."""
    found = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        found[rel] = os.readlink(path) if path.is_symlink() else path.read_bytes() if path.is_file() else None
    return found


@pytest.fixture
def fake_audio(monkeypatch, engines):
    """`python -m portal audio` with the test's engines instead of Google and espeak-ng."""
    original = audio_library.make_generator
    monkeypatch.setattr(audio_library, "make_generator",
                        lambda site, engines_=None, repair=False: original(site, engines, repair))
    return engines


BREAKAGES = {
    "no opening ---": lambda text: text.split("\n", 1)[1],
    "no closing ---": lambda text: "---\n" + text.split("\n", 1)[1].replace("\n---\n", "\n", 1),
    "unknown status": lambda text: text.replace("status: draft", "status: pubished"),
    "impossible date": lambda text: text.replace("last_reviewed: 2026-01-10", "last_reviewed: 2026-02-30"),
}


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_audio_with_a_broken_page_leaves_audio_exactly_as_it_was(fixture_site, fake_audio, capsys, breakage):
    assert main(["--root", str(fixture_site), "audio"]) == 0
    capsys.readouterr()
    before = snapshot(fixture_site / "audio")
    assert "lock.json" in before and any(k.startswith("clips/") for k in before)
    calls = len(fake_audio["espeak-ng"].calls)
    page = fixture_site / "docs/en/offer/travel.md"
    page.write_text(BREAKAGES[breakage](page.read_text(encoding="utf-8")), encoding="utf-8")
    assert main(["--root", str(fixture_site), "audio"]) == 1
    err = capsys.readouterr().err
    assert "docs/en/offer/travel.md:" in err and "audio/ is unchanged" in err
    assert snapshot(fixture_site / "audio") == before
    assert len(fake_audio["espeak-ng"].calls) == calls


def test_the_generator_never_prunes_or_replaces_the_clip_of_a_broken_page(fixture_site, engines):
    generate(fixture_site, engines)
    before = snapshot(fixture_site / "audio")
    page = fixture_site / "docs/en/offer/travel.md"
    page.write_text(page.read_text(encoding="utf-8").split("\n", 1)[1], encoding="utf-8")  # no opening ---
    _, outcomes = generate(fixture_site, engines)  # straight to the library, without the command's checks
    travel = next(o for o in outcomes if (o.lang, o.page) == ("en", "offer/travel.md"))
    assert "docs/en/offer/travel.md has errors" in travel.reason and travel.engine == "espeak-ng"
    assert snapshot(fixture_site / "audio") == before


@pytest.mark.parametrize("damage, line, reason", [
    (lambda t: t.replace(",", ";", 3), 3, "not valid JSON: Expecting ',' delimiter"),
    (lambda t: "[1, 2]\n", 1, "it must be one JSON object of page entries"),
    (lambda t: t.replace('"bytes"', '"bites"', 1), 2, "the entry 'ar/index.md': missing bytes; unknown bites"),
    (lambda t: json.dumps({k: {**v, "clip": "../../../etc/passwd"} for k, v in json.loads(t).items()}, indent=1),
     2, "the entry 'ar/index.md' names '../../../etc/passwd', which is not a clip in audio/clips/"),
    (lambda t: "\udcff", 1, "is not UTF-8 text"),
])
def test_a_damaged_lock_is_named_in_one_line_and_rebuilt_from_the_clips(fixture_site, fake_audio, capsys, damage,
                                                                         line, reason):
    assert main(["--root", str(fixture_site), "audio"]) == 0
    capsys.readouterr()
    lock = fixture_site / "audio/lock.json"
    good = json.loads(lock.read_text(encoding="utf-8"))
    calls = len(fake_audio["espeak-ng"].calls)
    damaged = damage(lock.read_text(encoding="utf-8"))
    lock.write_bytes(damaged.encode("utf-8", "surrogateescape"))
    assert main(["--root", str(fixture_site), "build"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("audio/lock.json:") and reason in err and "\n" not in err, err
    if "UTF-8" not in reason:
        assert err.startswith(f"audio/lock.json:{line}: lock: is damaged ({reason}")
    assert not (fixture_site / "site").exists()
    code = main(["--root", str(fixture_site), "audio"])
    out = capsys.readouterr()
    if "UTF-8" in reason:  # not readable at all: left untouched, named
        assert code == 1 and out.err.startswith("audio/lock.json:1: text: is not UTF-8 text")
        assert lock.read_bytes() == damaged.encode("utf-8", "surrogateescape")
        return
    assert code == 0
    assert out.err.splitlines()[0] == (f"audio/lock.json:{line}: lock: was damaged ({reason}); rebuilt it from the "
                                       "clips in audio/clips/")
    assert json.loads(lock.read_text(encoding="utf-8")) == good
    assert len(fake_audio["espeak-ng"].calls) == calls, "rebuilt from the clips, nothing synthesised"


# --- 5. One line, never a traceback --------------------------------------------------------------

def utf8_break(root: Path):
    (root / "docs/en/bad.md").write_bytes(b"---\ntitle: Cafe\n---\n\nCaf\xe9 au lait\n")


def impossible_date(root: Path):
    (root / "docs/en/dated.md").write_text(
        "---\ntitle: Money\ndescription: Help with money.\naudience: [care-leavers]\nlast_reviewed: 2026-02-30\n"
        "review_every_months: 6\nowner: Leaving care team\nstatus: draft\n---\n\nSome words.\n", encoding="utf-8")


def misspelt_contact(root: Path):
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace('      phone: "999"', '      phon: "999"'),
                      encoding="utf-8")


def broken_yaml(root: Path):
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("docs_dir: docs", "docs_dir: [docs"),
                      encoding="utf-8")


def damaged_lock(root: Path):
    (root / "audio").mkdir(exist_ok=True)
    (root / "audio/lock.json").write_text('{"en/index.md": {"page": "index.md",\n', encoding="utf-8")


BAD_INPUTS = {
    "invalid UTF-8": (utf8_break, ("docs/en/bad.md:5: text: is not UTF-8 text (the byte 0xe9 cannot be read); "
                                   "open the file in an editor and save it again with the encoding UTF-8")),
    "impossible date": (impossible_date, ("docs/en/dated.md:5: last_reviewed: 2026-02-30 is not a date that exists "
                                          "(February 2026 has 28 days)")),
    "misspelt contact field": (misspelt_contact, ("mkdocs.yml: extra.contacts (emergency): 'phon' is not a contact "
                                                  "field; check the spelling")),
    "broken mkdocs.yml": (broken_yaml, ("mkdocs.yml:4: YAML: the file is not valid YAML (expected ',' or ']', but "
                                        "got ':', while parsing a flow sequence that starts on line 3)")),
    "damaged lock.json": (damaged_lock, "audio/lock.json:2: lock:"),
}
COMMANDS = ["check", "build", "audio", "translations", "release"]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("bad", BAD_INPUTS)
def test_bad_input_gives_one_line_and_never_a_traceback(fixture_site, fake_audio, capsys, monkeypatch, bad, command):
    monkeypatch.setenv("SITE_URL", "https://careleavers.example.org/")
    breaks, expected = BAD_INPUTS[bad]
    breaks(fixture_site)
    code = main(["--root", str(fixture_site), command])  # an exception here is the traceback a user would see
    out = capsys.readouterr()
    text = out.out + out.err
    assert "Traceback" not in text
    affected = not (bad == "impossible date" and command == "translations") and not (
        bad == "damaged lock.json" and command in ("check", "translations", "release"))
    if bad == "damaged lock.json" and command == "audio":
        assert code == 0 and "audio/lock.json:2: lock: was damaged" in out.err
    elif affected:
        assert code == 1, text
        assert expected in text, text
        assert sum(expected in line for line in text.splitlines()) == 1, text


def test_unknown_audio_setting_is_one_line(fixture_site, capsys):
    config = fixture_site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "    teams: [Leaving care team]\n", "    teams: [Leaving care team]\n    audio:\n      gtts: {timout: 3}\n"),
        encoding="utf-8")
    assert main(["--root", str(fixture_site), "audio"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("mkdocs.yml: extra.portal.audio.gtts: timout is not a setting; the settings are: timeout")


def test_an_unexpected_error_is_one_line_unless_debugging(fixture_site, capsys, monkeypatch):
    import portal.cli

    def boom(site):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(portal.cli, "load_content", boom)
    assert main(["--root", str(fixture_site), "check"]) == 2
    assert capsys.readouterr().err.strip() == ("portal check: unexpected RuntimeError: disk on fire. Please tell the "
                                               "portal team (run again with PORTAL_DEBUG=1 to see the details)")
    monkeypatch.setenv("PORTAL_DEBUG", "1")
    with pytest.raises(RuntimeError):
        main(["--root", str(fixture_site), "check"])


# --- 6. Release gates ----------------------------------------------------------------------------

@pytest.mark.parametrize("value, words", [
    (None, "is not set, so the site would be built for http://localhost:8000/"),
    ("", "is not set"),
    ("http://localhost:8000/", "is http://localhost:8000/, an address on this computer"),
    ("http://127.0.0.1/", "is http://127.0.0.1/, an address on this computer"),
    ("https://[::1]/", "an address on this computer"),
    ("https://portal.localhost/", "an address on this computer"),
    ("http://careleavers.example.org/", "the public site's address must start https://"),
])
def test_release_refuses_a_missing_or_local_site_url(fixture_site, capsys, monkeypatch, value, words):
    config = fixture_site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "site_url: http://localhost:8000/", 'site_url: !ENV [SITE_URL, "http://localhost:8000/"]'), encoding="utf-8")
    if value is None:
        monkeypatch.delenv("SITE_URL", raising=False)
    else:
        monkeypatch.setenv("SITE_URL", value)
    assert main(["--root", str(fixture_site), "release"]) == 1
    out = capsys.readouterr().out
    found = [line for line in out.splitlines() if line.startswith("mkdocs.yml:2: SITE_URL: ")]
    assert len(found) == 1 and words in found[0], out


def test_release_accepts_a_public_https_site_url(fixture_site, capsys, monkeypatch):
    config = fixture_site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "site_url: http://localhost:8000/", 'site_url: !ENV [SITE_URL, "http://localhost:8000/"]'), encoding="utf-8")
    monkeypatch.setenv("SITE_URL", "https://careleavers.example.org/")
    main(["--root", str(fixture_site), "release"])
    assert "SITE_URL" not in capsys.readouterr().out


def test_release_refuses_a_literal_localhost_site_url(fixture_site, capsys, monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)
    assert main(["--root", str(fixture_site), "release"]) == 1
    assert "mkdocs.yml:2: SITE_URL: is not set, so the site would be built for http://localhost:8000/" in \
        capsys.readouterr().out
