"""How much of each language has a voice: the share of page sections that someone or something
speaks, and which kinds of voice those are. Written by `make audio` to reports/audio.json and to
audio/coverage.json, which the home page's [[site-status]] reads when the site is built."""

from __future__ import annotations

import json
from pathlib import Path

from ..content.files import atomic_write

RECORDED, COMPUTER = "recorded", "computer"
FILE = "coverage.json"


def coverage(outcomes, codes: list[str]) -> dict[str, dict]:
    """{lang: {"sections", "voiced", "percent", "kinds"}} from a run's outcomes, in the site's language order."""
    found = {code: {"sections": 0, "voiced": 0, "recorded": 0, "computer": 0} for code in codes}
    for outcome in outcomes:
        counts = found.setdefault(outcome.lang, {"sections": 0, "voiced": 0, "recorded": 0, "computer": 0})
        voices = outcome.voices or [outcome.engine]
        counts["sections"] += len(voices)
        for voice in voices:
            if voice is not None:
                counts["voiced"] += 1
                counts[RECORDED if voice == "recording" else COMPUTER] += 1
    return {code: {"sections": c["sections"], "voiced": c["voiced"],
                   "percent": round(100 * c["voiced"] / c["sections"]) if c["sections"] else 0,
                   "kinds": [kind for kind in (RECORDED, COMPUTER) if c[kind]]}
            for code, c in found.items()}


def coverage_lines(found: dict[str, dict]) -> str:
    """One line per language: `ps    12 %  recorded`."""
    return "\n".join(f"{code:4} {c['percent']:>3} %  {', '.join(c['kinds']) or 'no voice'}"
                     for code, c in found.items())


def save(audio_dir: Path, found: dict[str, dict]) -> None:
    atomic_write(audio_dir / FILE, (json.dumps(found, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))


def load(audio_dir: Path) -> dict[str, dict]:
    """The last run's coverage, or {} (then the home page says only which languages have audio)."""
    path = audio_dir / FILE
    if not path.is_file() or path.is_symlink():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}
