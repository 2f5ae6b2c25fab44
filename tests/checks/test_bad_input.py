"""Broken input gives one line naming the file, line, field and fix, never a traceback, in every
command; and the release gates refuse a site address that is not public."""

from __future__ import annotations

from pathlib import Path

import pytest
from portal.cli import main

# --- One line, never a traceback --------------------------------------------------------------

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
    if bad == "damaged lock.json" and command in ("audio", "build"):  # build voices the pages first, as audio does
        assert code == 0 and "audio/lock.json:2: lock: was damaged" in out.err
    elif affected:
        assert code == 1, text
        assert expected in text, text
        assert sum(expected in line for line in text.splitlines()) == 1, text


def test_unknown_audio_setting_is_one_line(fixture_site, capsys):
    config = fixture_site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "      teams: [Leaving care team]\n", "      teams: [Leaving care team]\n      audio:\n        gtts: {timout: 3}\n"),
        encoding="utf-8")
    assert main(["--root", str(fixture_site), "audio"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("mkdocs.yml: plugins.portal.audio.gtts: timout is not a setting; the settings are: timeout")


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


# --- Release gates ----------------------------------------------------------------------------

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
