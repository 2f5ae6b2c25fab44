"""One load per build, and failures as one line: whatever stops a writer, an engine or an event
reaches staff as one line naming the file or the step and the fix, never a traceback."""

from __future__ import annotations

import errno
from collections import Counter
from types import SimpleNamespace

import portal.checks as checks
import portal.content.entitlements as entitlements
import portal.content.pages as pages
import portal.render.speech as speech
import pytest
from portal.cli import main
from portal.content.errors import PortalError
from portal.publish import write_all, writers

WRITER_NAMES = [name for name, _ in writers()]


def run_build(root, capsys) -> tuple[int, str]:
    code = main(["--root", str(root), "build"])  # an exception here is the traceback a user would see
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.mark.build
def test_a_build_loads_each_page_once(fixture_site, fake_audio, capsys, monkeypatch):
    """`make build` (`portal build`): the audio, the checks, MkDocs and the writers share one load."""
    parsed = Counter()
    original = pages.parse_page

    def counting(display_path, *args, **kwargs):
        parsed[display_path] += 1
        return original(display_path, *args, **kwargs)

    monkeypatch.setattr(pages, "parse_page", counting)
    code, text = run_build(fixture_site, capsys)
    assert code == 0, text
    files = sorted(p.relative_to(fixture_site).as_posix() for p in (fixture_site / "docs").rglob("*.md"))
    assert sorted(parsed) == files
    assert set(parsed.values()) == {1}, parsed


@pytest.mark.build
def test_a_build_speaks_each_page_once_and_an_unchanged_build_neither_speaks_nor_checks(fixture_site, fake_audio,
                                                                                          capsys, monkeypatch):
    """The audio step, its proofreading reports and the pages' players share one speech text per page;
    a second build with nothing changed takes the texts and the check results from .cache/."""
    spoken, checked = Counter(), []
    original_sections, original_checks = speech.page_sections, checks._content_problems

    def counting(content, lang, rel, *args, **kwargs):
        spoken[f"{lang}/{rel}"] += 1
        return original_sections(content, lang, rel, *args, **kwargs)

    monkeypatch.setattr(speech, "page_sections", counting)
    monkeypatch.setattr(checks, "_content_problems", lambda *args: checked.append(1) or original_checks(*args))
    original_schema = entitlements._schema_problems
    validated = []
    monkeypatch.setattr(entitlements, "_schema_problems", lambda *args: validated.append(1) or original_schema(*args))
    code, text = run_build(fixture_site, capsys)
    assert code == 0, text
    assert spoken and set(spoken.values()) == {1}, spoken
    assert checked == [1] and validated
    spoken.clear()
    validated.clear()
    code, text = run_build(fixture_site, capsys)
    assert code == 0, text
    assert not spoken, "an unchanged build renders no page for speech"
    assert checked == [1], "an unchanged build checks nothing again"
    assert not validated, "an unchanged build validates no entitlement block again"
    page = fixture_site / "docs/en/offer/travel.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    code, text = run_build(fixture_site, capsys)
    assert code == 0, text
    assert spoken["en/offer/travel.md"] == 1 and checked == [1, 1], "a change makes the texts and the checks again"


# --- Writers ------------------------------------------------------------------------------------

def failing(error: BaseException):
    def write(*args, **kwargs):
        raise error
    return write


@pytest.mark.parametrize("broken", WRITER_NAMES)
@pytest.mark.parametrize("error, words", [
    (OSError(errno.ENOSPC, "No space left on device", "/project/site/x.pdf"), "could not be written (No space left"),
    (RuntimeError("surprise"), "stopped (RuntimeError: surprise); nothing was published"),
])
def test_a_failing_writer_is_one_portal_error_naming_it(tmp_path, monkeypatch, broken, error, words):
    import portal.publish as publish

    monkeypatch.setattr(publish, "writers", lambda: [(name, failing(error) if name == broken else (lambda b: None))
                                                     for name in WRITER_NAMES])
    site = SimpleNamespace(display=lambda path: str(path).replace("/project/", ""))
    with pytest.raises(PortalError) as raised:
        write_all(SimpleNamespace(site=site, site_dir=tmp_path / "site"))
    message = str(raised.value)
    assert len(message.splitlines()) == 1 and f": {broken}: " in message and words in message, message


@pytest.mark.build
@pytest.mark.parametrize("broken", ["booklets", "offline use"])
def test_a_failing_writer_stops_the_build_in_one_line_and_keeps_the_site(fixture_site, fake_audio, capsys,
                                                                          monkeypatch, broken):
    import portal.publish as publish

    everything = publish.writers()
    monkeypatch.setattr(publish, "writers", lambda: [(name, failing(RuntimeError("injected")) if name == broken
                                                      else write) for name, write in everything])
    (fixture_site / "site").mkdir()
    (fixture_site / "site" / "kept.txt").write_text("the last good site", encoding="utf-8")
    code, text = run_build(fixture_site, capsys)
    assert code == 1 and "Traceback" not in text
    named = [line for line in text.splitlines() if "injected" in line]
    assert len(named) == 1 and f"{broken}: stopped (RuntimeError: injected)" in named[0], text
    assert (fixture_site / "site" / "kept.txt").read_text(encoding="utf-8") == "the last good site"


# --- Events and the audio paths -----------------------------------------------------------------

@pytest.mark.build
def test_an_event_that_fails_is_one_line(fixture_site, fake_audio, capsys, monkeypatch):
    import portal_mkdocs.plugin as layer

    monkeypatch.setattr(layer, "with_section_notices", failing(KeyError("notices")))
    code, text = run_build(fixture_site, capsys)
    assert code == 1 and "Traceback" not in text
    assert "portal plugin: on_page_markdown: stopped (KeyError: 'notices')" in text, text


@pytest.mark.build
def test_clips_that_cannot_be_joined_during_a_build_are_one_line(fixture_site, fake_audio, capsys, monkeypatch):
    from portal.audio import library
    from portal.audio.synthesis_error import SynthesisError

    assert main(["--root", str(fixture_site), "audio"]) == 0
    monkeypatch.setattr(library, "join_mp3", failing(SynthesisError("part.mp3: byte 0 is not the start of a frame")))
    code, text = run_build(fixture_site, capsys)
    assert "Traceback" not in text
    assert code == 1 and "part.mp3: byte 0 is not the start of a frame" in text, text


@pytest.mark.parametrize("error", [RuntimeError("lame crashed"), OSError(errno.EIO, "I/O error")])
def test_an_engine_that_crashes_is_an_engine_that_failed(fixture_site, fake_audio, capsys, error):
    """Text never waits on a voice: the next engine in the chain speaks, and the report says why."""
    fake_audio["gtts"].fail = False
    fake_audio["gtts"].error = error
    code = main(["--root", str(fixture_site), "audio"])
    out = capsys.readouterr()
    assert code == 0 and "Traceback" not in out.err
    assert f"gtts: {type(error).__name__}" in out.out and "espeak-ng" in out.out
