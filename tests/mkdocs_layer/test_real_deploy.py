"""The deploy on the real content (issue 22, "Done when"): on a clone where every English page is
approved and every contact confirmed, the deploy's own make step, `make site-for-release`, publishes
a one-line text fix while Google is unreachable, with exit code 0; then a rebuild with no change
synthesises no clip.

The deploy workflow runs `make test`, then `make site-for-release`; `make test` is this suite, so
the rehearsal runs the second, recipe line by recipe line (support/make_recipes.py), as the fixture's
rehearsal does. The published site is the store of clips (audio/store.py); here the live site's store
holds every clip the real engines would make for today's content, as silence under the very names
the real engines give them, so a deploy fetches what did not change, and the real espeak-ng speaks
only what did: synthesising the whole site with espeak-ng takes minutes on this machine."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from conftest import REPO, copy_real_project
from portal.audio.engines import EspeakEngine, GttsEngine
from portal.audio.generator import make_generator
from portal.audio.store import MANIFEST, manifest
from portal.configuration import load_site
from portal.content.pages import load_content
from support.audio import FakeEngine
from support.make_recipes import run_target
from support.service import point_gtts_at

pytestmark = pytest.mark.build
PAGE, LANG = "offer/travel.md", "en"
OLD = "This page explains how care leavers aged 18 to 25 can travel free by bus and tram in London."
NEW = "This page explains how care leavers aged 18 to 25 travel free on London's buses and trams."
APPROVED = "status: approved\napproved_by: Head of Service\napproved_on: 2026-12-01\n"
SITE_URL = "https://careleavers.example.org/"


class SilentVoice(FakeEngine):
    """A real engine's voice, so its clips carry the names the real engine's would, speaking silence."""

    def __init__(self, real, scratch: Path):
        super().__init__(real.name, set(), scratch / "unused.mp3")
        self.real = real

    def voice(self, lang):
        return self.real.voice(lang)


def git(project: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=Staff", "-c", "user.email=staff@example.org", *args],
                          cwd=project, check=True, capture_output=True, text=True).stdout


def ready_for_release(project: Path) -> None:
    """What `portal release` gates on: every English page approved, every contact confirmed (each
    given a number from Ofcom's range for drama, which no one answers)."""
    for page in sorted((project / "docs/en").rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        assert "status: draft\n" in text, page
        page.write_text(text.replace("status: draft\n", APPROVED, 1), encoding="utf-8")
    config = project / "mkdocs.yml"
    numbers = iter(f"020 7946 00{n:02d}" for n in range(10, 100))
    text = re.sub(r"confirmed: false\n", lambda _: f'phone: "{next(numbers)}"\n      confirmed: true\n',
                  config.read_text(encoding="utf-8"))
    config.write_text(text, encoding="utf-8")


def fresh_runner(project: Path) -> None:
    """A deploy's machine holds the repository as committed: no clip, no .cache, no site."""
    git(project, "clean", "-xdfq")
    git(project, "checkout", "-q", "--", ".")


def without_clips(project: Path) -> None:
    """A deploy's machine as far as audio goes: no clip anywhere (audio/clips/, the staged and joined
    clips in .cache/), and audio/lock.json as committed."""
    for folder in ("audio/clips", ".cache/audio-staged", ".cache/joined", "site"):
        shutil.rmtree(project / folder, ignore_errors=True)
    git(project, "checkout", "-q", "--", "audio")
    assert not list(project.rglob("*.mp3")), "a clip is left on the machine"


def publish_live_site(project: Path, host: Path, scratch: Path) -> int:
    """The store as the last deploy left it: every section clip of today's content under the name
    the real engine gives it, and audio/store.json listing them, as publish/clips.py writes them."""
    site = load_site(project)
    engines = {name: SilentVoice(real, scratch) for name, real in
               (("gtts", GttsEngine()), ("espeak-ng", EspeakEngine(**site.audio_settings.get("espeak-ng", {}))))}
    make_generator(site, engines).generate(load_content(site))
    (host / "audio").mkdir(parents=True)
    names = sorted(path.name for path in (project / "audio/clips").glob("*.mp3"))
    for name in names:
        shutil.copyfile(project / "audio/clips" / name, host / "audio" / name)
    (host / MANIFEST).write_bytes(manifest(names))
    return len(names)


def closed_port() -> int:
    """A loopback port nothing listens on: a connection to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def report(project: Path) -> dict:
    return json.loads((project / "reports/audio.json").read_text(encoding="utf-8"))


def synthesised(project: Path) -> list[tuple[str, str]]:
    return [(row["lang"], row["page"]) for row in report(project)["pages"] if row["synthesised"]]


def asked(said: str) -> int:
    return int(re.search(r"(\d+) clip\(s\) asked of the speech service", said).group(1))


def fetched(said: str) -> int:
    return int(re.search(r"(\d+) clip\(s\) fetched from the store", said).group(1))


@pytest.fixture
def clone(tmp_path, monkeypatch):
    """The real repository's content, committed, ready for release; Google unreachable."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    project = copy_real_project(tmp_path / "project")
    shutil.copy2(REPO / "audio/coverage.json", project / "audio/coverage.json")
    ready_for_release(project)
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "The real content, approved and confirmed")
    monkeypatch.setenv("SITE_URL", SITE_URL)
    point_gtts_at(monkeypatch, f"https://127.0.0.1:{closed_port()}")
    return project


def deploy(project: Path, host: Path, monkeypatch, capsys, timings: dict, step: str) -> str:
    """The deploy workflow's step, `make site-for-release`, with the live site as the store; then
    the site is published (the host's folder replaced by it)."""
    monkeypatch.setenv("AUDIO_STORE", str(host))
    took: list = []
    codes, said = run_target("site-for-release", project, monkeypatch, capsys, timings=took)
    timings[step] = took
    assert codes == [0, 0], said
    shutil.rmtree(host)
    shutil.copytree(project / "site", host)
    return said


def test_a_text_fix_is_published_on_the_real_content_while_google_is_unreachable(clone, tmp_path, monkeypatch,
                                                                                   capsys):
    timings: dict = {}
    host = tmp_path / "host"
    started = time.perf_counter()
    clips = publish_live_site(clone, host, tmp_path)
    timings["the live site's store, made silent"] = [("", time.perf_counter() - started)]
    fresh_runner(clone)

    # The one-line fix, committed as the web editor commits it, deployed on a fresh runner.
    page = clone / "docs" / LANG / PAGE
    text = page.read_text(encoding="utf-8")
    assert text.count(OLD) == 1
    page.write_text(text.replace(OLD, NEW), encoding="utf-8")
    git(clone, "commit", "-qam", "Say it more simply")
    said = deploy(clone, host, monkeypatch, capsys, timings, "deploy of the fix")
    published = (host / "offer/travel/index.html").read_text(encoding="utf-8")
    assert NEW in published and OLD not in published

    # Where gTTS was refused, espeak-ng's computer voice speaks, and the page's audio is provisional.
    rows = {(row["lang"], row["page"]): row for row in report(clone)["pages"]}
    assert {key for key, row in rows.items() if row["provisional"]} == {(LANG, PAGE)}, said
    row = rows[(LANG, PAGE)]
    assert row["engine"] == "espeak-ng" and "gtts" in row["reason"], row
    entry = json.loads((clone / "audio/lock.json").read_text(encoding="utf-8"))[f"{LANG}/{PAGE}"]
    assert entry["engine"] == "espeak-ng" and entry["provisional"] is True
    player = re.search(r'<audio[^>]*src="([^"]+)"[^>]*>.*?portal-audio__voice">([^<]+)<', published, re.S)
    assert player and player.group(1).endswith(entry["clip"]), player
    assert player.group(2) == "Read by a computer voice."
    assert "1 page(s) with a provisional voice" in said, said
    assert synthesised(clone) == [(LANG, PAGE)]
    figures = {"fix": {"asked": asked(said), "fetched": fetched(said), "synthesised": synthesised(clone)}}

    # No change, built again where it was built (as `make build` is run twice on a computer) ...
    said = deploy(clone, host, monkeypatch, capsys, timings, "no-change rebuild in place")
    assert synthesised(clone) == [], said
    figures["again, in place"] = {"asked": asked(said), "fetched": fetched(said)}

    # ... and as the next deploy builds it: no clip on the machine, the lock as committed, every clip
    # from the live site. (The rest of .cache/ stays: a cold site build would add a minute and
    # decides nothing about clips.)
    without_clips(clone)
    said = deploy(clone, host, monkeypatch, capsys, timings, "no-change deploy, the runner's clips gone")
    assert synthesised(clone) == [], said
    assert NEW in (host / "offer/travel/index.html").read_text(encoding="utf-8")
    figures["again, clips from the store"] = {"asked": asked(said), "fetched": fetched(said)}

    print(f"\nreal content: {clips} clips in the live store; {figures}")
    for step, commands in timings.items():
        print(f"  {step}: " + "; ".join(f"{words or 'setup'} {seconds:.1f} s" for words, seconds in commands))
