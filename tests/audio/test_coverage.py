"""Honest coverage: `make audio` prints, per language, the share of sections with a voice and which
kinds; reports/audio.json says the same; the home page's site status shows it to readers."""

from __future__ import annotations

import json
import re

import pytest
from portal.audio.coverage import coverage, coverage_lines
from portal.audio.generator import Outcome
from portal.cli import main
from support.audio import record_section, with_pashto
from support.builds import build_site, out

HOME = "\n[[site-status]]\n"


def test_coverage_counts_sections_by_kind_of_voice():
    outcomes = [Outcome("a.md", "ps", None, False, None, None, False, "", [None, "recording", None]),
                Outcome("b.md", "ps", None, False, None, None, False, "", [None, None, None, None, None]),
                Outcome("a.md", "en", "espeak-ng", True, 1.0, 1, False, "", ["recording", "espeak-ng"])]
    found = coverage(outcomes, ["en", "ps", "ku"])
    assert found["ps"] == {"sections": 8, "voiced": 1, "percent": 12, "kinds": ["recorded"]}
    assert coverage_lines(found).splitlines() == ["en   100 %  recorded, computer", "ps    12 %  recorded",
                                                  "ku     0 %  no voice"]


@pytest.mark.build
def test_make_audio_prints_a_coverage_line_per_language_and_the_home_page_shows_it(fixture_site, fake_audio, capsys):
    project = with_pashto(fixture_site)
    home = project / "docs/en/index.md"
    home.write_text(home.read_text(encoding="utf-8") + HOME, encoding="utf-8")
    record_section(project, "ps", "offer/travel.md", "free-bus-and-tram")
    assert main(["--root", str(project), "audio", "--json", str(project / "reports/audio.json")]) == 0
    printed = capsys.readouterr().out
    assert re.search(r"^en   100 %  computer$", printed, re.M), printed
    assert re.search(r"^ps    33 %  recorded$", printed, re.M), printed
    assert re.search(r"^ps   no generated voice: recordings only$", printed, re.M)
    report = json.loads((project / "reports/audio.json").read_text(encoding="utf-8"))
    assert report["coverage"]["ps"] == {"sections": 3, "voiced": 1, "percent": 33, "kinds": ["recorded"]}
    assert json.loads((project / "audio/coverage.json").read_text(encoding="utf-8")) == report["coverage"]
    status = re.search(r'<ul class="portal-site-status__voices">.*?</ul>', out(build_site(project), "en", "index.html"),
                       re.S).group(0)
    assert "پښتو</span>: 33 % · Recorded by a person." in status
    assert "English</span>: 100 % · Read by a computer voice." in status
