"""A rehearsal of the way from a staff edit to the live site, through the Makefile's own recipes
(pr-check, then site-for-release), on the small fixture site: gTTS answered by a local HTTPS
server that the transport trusts through REQUESTS_CA_BUNDLE, the published site a folder that
stands in for the host, and that folder the store the next deploy fetches its clips from."""

from __future__ import annotations

import json
import re
import shutil
import ssl
import subprocess
from pathlib import Path

import pytest
from support.audio import mp3_of_silence
from support.make_recipes import run_target
from support.service import Server, clip_answer, point_gtts_at, self_signed
from support.translations import ARABIC_BODY, ARABIC_TOP, new_page, paste, stamp_all

pytestmark = pytest.mark.build
NEW_SENTENCE = "Buses and trams are free with the photocard."


def commit(project: Path, message: str) -> None:
    subprocess.run(["git", "add", "-A"], cwd=project, check=True, capture_output=True)
    subprocess.run(["git", "-c", "user.name=Staff", "-c", "user.email=staff@example.org", "commit", "-q", "-m",
                    message], cwd=project, check=True, capture_output=True)


def edit(project: Path, rel: str, old: str, new: str) -> None:
    page = project / rel
    text = page.read_text(encoding="utf-8")
    assert old in text, old
    page.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def rehearsal(fixture_site, tmp_path, monkeypatch):
    """The fixture as a repository ready for release, gTTS on loopback over verified TLS, a host."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    edit(fixture_site, "docs/en/offer/travel.md", "status: draft\n",
         "status: approved\napproved_by: Head of Service\napproved_on: 2026-01-10\n")
    edit(fixture_site, "mkdocs.yml", "site_url: http://localhost:8000/", 'site_url: !ENV [SITE_URL, "http://localhost:8000/"]')
    monkeypatch.setenv("SITE_URL", "https://careleavers.example.org/")
    subprocess.run(["git", "init", "-q"], cwd=fixture_site, check=True)
    commit(fixture_site, "The site as it stands")
    cert, key = self_signed(tmp_path)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert))  # the test's own authority, the usual way
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    clip = mp3_of_silence(tmp_path / "google.mp3", 5.0).read_bytes()  # about 20 characters a second
    state = {"throttle": False}

    def answer(handler):
        if state["throttle"]:
            handler.send_response(429)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
        else:
            clip_answer(clip)(handler)

    server = Server(answer, tls)
    point_gtts_at(monkeypatch, f"https://127.0.0.1:{server.port}")
    host = tmp_path / "host"
    yield fixture_site, host, server, state
    server.stop()


def deploy(project: Path, host: Path, monkeypatch, capsys, budget: int = 150) -> tuple[list[int], str]:
    """The deploy workflow's step: make site-for-release with the host as the store, then publish."""
    monkeypatch.setenv("AUDIO_STORE", str(host))
    codes, said = run_target("site-for-release", project, monkeypatch, capsys, AUDIO_BUDGET=budget)
    if codes and all(code == 0 for code in codes):
        shutil.rmtree(host, ignore_errors=True)
        shutil.copytree(project / "site", host)
    return codes, said


def lock(project: Path) -> dict:
    return json.loads((project / "audio/lock.json").read_text(encoding="utf-8"))


def asked(said: str) -> int:
    return int(re.search(r"(\d+) clip\(s\) asked of the speech service", said).group(1))


def test_from_a_staff_edit_to_the_live_site(rehearsal, monkeypatch, capsys):
    project, host, server, state = rehearsal

    # The first deploy: nothing in the store, everything within the budget made by gTTS.
    codes, said = deploy(project, host, monkeypatch, capsys)
    assert codes == [0, 0], said
    first = lock(project)
    assert {entry["engine"] for entry in first.values()} == {"gtts"}, first
    assert (host / "audio/store.json").is_file()

    # A second deploy with no change asks Google for nothing: every clip comes from the store.
    shutil.rmtree(project / "audio/clips")  # as on a fresh runner: no clip but the store's
    made = server.requests
    codes, said = deploy(project, host, monkeypatch, capsys)
    assert codes == [0, 0] and server.requests == made, said
    assert asked(said) == 0 and lock(project) == first

    # A staff edit in the browser: one paragraph changed, committed; the pull request's checks pass.
    edit(project, "docs/en/offer/travel.md", "Getting around London.", NEW_SENTENCE)
    commit(project, "Say plainly what is free")
    codes, said = run_target("pr-check", project, monkeypatch, capsys)
    assert codes == [0, 0, 0], said
    codes, said = deploy(project, host, monkeypatch, capsys)
    assert codes == [0, 0], said
    assert NEW_SENTENCE in (host / "offer/travel/index.html").read_text(encoding="utf-8")
    after = lock(project)
    changed = {key for key in after if after[key] != first.get(key)}
    assert changed == {"en/offer/travel.md"}, changed  # its entitlements' sections kept their clips
    assert asked(said) == 1, said  # the one changed section: the page's introduction

    # A second edit changes an entitlement's facts; the check says so, and the comment gives the lines.
    edit(project, "docs/en/offer/travel.md", "ages: 18-25", "ages: 16-25")
    commit(project, "The photocard from 16")
    codes, said = run_target("pr-check", project, monkeypatch, capsys)
    assert codes == [0, 0, 1], said
    summary = (project / "reports/check-summary.md").read_text(encoding="utf-8")
    lines = re.search(r"```yaml\n(.*?)```", summary, re.S).group(1)
    assert "id: free-bus-and-tram" in lines
    record = project / "offer-changes.yml"
    record.write_text(record.read_text(encoding="utf-8") + lines, encoding="utf-8")  # pasted in the browser
    commit(project, "Record the change to the offer")
    codes, said = run_target("pr-check", project, monkeypatch, capsys)
    assert codes == [0, 0, 0], said

    # Google refuses everything: the new text is still published, read by the computer voice.
    state["throttle"] = True
    edit(project, "docs/en/offer/travel.md", NEW_SENTENCE, NEW_SENTENCE + " Ask your personal adviser.")
    commit(project, "One more sentence")
    codes, said = deploy(project, host, monkeypatch, capsys)
    assert codes == [0, 0], said
    page = (host / "offer/travel/index.html").read_text(encoding="utf-8")
    assert "Ask your personal adviser." in page
    entry = lock(project)["en/offer/travel.md"]
    assert entry["engine"] == "espeak-ng" and entry["provisional"] is True
    assert "provisional" in said


def test_a_deploy_with_the_store_empty_stays_within_its_budget(rehearsal, monkeypatch, capsys):
    project, host, server, _ = rehearsal
    codes, said = deploy(project, host, monkeypatch, capsys, budget=2)
    assert codes == [0, 0], said
    assert asked(said) == 2
    engines = [entry["engine"] for entry in lock(project).values()]
    assert engines.count("gtts") <= 2 and "espeak-ng" in engines, engines
    assert "budget" in said


def test_a_new_translation_added_in_the_browser_is_recorded_from_the_comment(fixture_site, monkeypatch, capsys):
    """A translated page added in the browser, where `make translations-stamp` cannot run: the pull
    request's checks refuse it and their comment gives the lines; pasted, the checks pass."""
    stamp_all(fixture_site)  # the fixture as the real site keeps it: every translation recorded
    new_page(fixture_site, ARABIC_TOP + ARABIC_BODY)
    codes, said = run_target("pr-check", fixture_site, monkeypatch, capsys)
    assert codes == [0, 0, 1], said
    assert "docs/ar/more.md:1: translation record:" in said
    summary = (fixture_site / "reports/check-summary.md").read_text(encoding="utf-8")
    assert "## Lines to add to translations/ar.yml" in summary and "more.md:\n  title: {from: " in summary
    paste(fixture_site, summary)
    codes, said = run_target("pr-check", fixture_site, monkeypatch, capsys)
    assert codes == [0, 0, 0], said
