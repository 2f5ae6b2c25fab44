"""The audio report: a table for people, JSON for reports/audio.json, and release failures."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from ..render.speech import SiteSpeech
from ..speech.report import FOLDER as SPEECH_FOLDER
from ..speech.report import write_speech_reports
from .generator import AudioGenerator, Outcome
from .library import voiced_pages


def strict_failures(outcomes: list[Outcome], generator: AudioGenerator) -> list[str]:
    """For releases: every page a voice can speak has final audio."""
    failures = []
    for o in outcomes:
        if not o.has_audio and generator.preferred(o.lang) is not None:
            failures.append(f"{o.lang}/{o.page}: no audio ({o.reason})")
        elif o.provisional:
            failures.append(f"{o.lang}/{o.page}: provisional {o.engine} clip ({o.reason})")
    return failures


def report_table(outcomes: list[Outcome]) -> str:
    rows = [("page", "lang", "engine", "state", "duration", "size", "note")]
    for o in sorted(outcomes, key=lambda o: (o.page, o.lang)):
        if o.has_audio:
            state = "provisional" if o.provisional else "final"
            rows.append((o.page, o.lang, o.engine, state, f"{o.duration:.0f} s", f"{o.bytes / 1024:.0f} KB",
                         ("new; " if o.synthesised else "") + o.reason))
        else:
            rows.append((o.page, o.lang, "-", "none", "-", "-", o.reason))
    widths = [max(len(str(r[i])) for r in rows) for i in range(6)]
    return "\n".join("  ".join(str(c).ljust(w) for c, w in zip(r[:6], widths)) + "  " + r[6] for r in rows)


def report_json(outcomes: list[Outcome]) -> list[dict]:
    return [asdict(o) for o in outcomes]




def run_summary(outcomes: list[Outcome], generator: AudioGenerator) -> str:
    """One line for a deploy's summary: what was fetched, made and left for the next run. Missing or
    provisional audio is said here, never a failure: text never waits on a voice."""
    store = f"{generator.fetched} clip(s) fetched from the store ({generator.clip_store.address})" if generator.clip_store \
        else "no store of earlier clips"
    budget = generator.budget
    network = f"{budget.spent} clip(s) asked of the speech service on the network"
    if budget.left is not None:
        network += f" (budget left: {budget.left})"
    provisional = sum(o.has_audio and o.provisional for o in outcomes)
    silent = sum(not o.has_audio and generator.preferred(o.lang) is not None for o in outcomes)
    return (f"Audio: {store}; {network}; {provisional} page(s) with a provisional voice, {silent} without audio "
            "that a voice could speak: the next run improves them")


def voices_by_language(generator: AudioGenerator, codes: list[str]) -> dict[str, list[str]]:
    """Which engines, and which version of each, can speak each language, in the order they are
    tried: e.g. {"ti": ["espeak-ng 1.52.0 (espeakng-loader)"]}; a human recording is not listed."""
    found = {}
    for code in codes:
        names = [name for name in generator.chain(code) if name in generator.engines]
        found[code] = [_describe(generator.engines[name], name, code) for name in names
                       if generator.engines[name].voice(code) is not None]
    return found


def _describe(engine, name: str, lang: str) -> str:
    describe = getattr(engine, "describe", None)
    return describe(lang) if describe else ("gTTS (Google)" if name == "gtts" else name)


def voices_table(voices: dict[str, list[str]]) -> str:
    return "\n".join(f"{code:4} {', then '.join(found) or 'no generated voice: recordings only'}"
                     for code, found in voices.items())


def write_site_speech_reports(speech: SiteSpeech, root: Path) -> list[Path]:
    """reports/speech/ for the site: every page of every language that has a voice or recordings,
    in the words render/speech.py gives the voices."""
    pages = {(lang, rel): speech.sections(lang, rel)
             for lang, rel in voiced_pages(speech.content) if lang in speech.context.audio_languages}
    return write_speech_reports(root / SPEECH_FOLDER, pages)
