"""What each voice will say, page by page, for staff to proofread: reports/speech/<lang>/<page>.txt,
one file per page, its sections in order (the text before the first entitlement, each entitlement,
the text after). `make audio`, and so `make build`, writes it for every language that has a voice
or a recording; a page no longer there loses its file."""

from __future__ import annotations

from pathlib import Path

from ..content.files import atomic_write
from .sections import Section

FOLDER = Path("reports") / "speech"


def speech_report(sections: list[Section]) -> str:
    """The page's sections, each under a line naming it, in the order they are heard."""
    parts = []
    for section in sections:
        parts.append(f"[{section.entitlement or 'page'}]\n{section.text}\n")
    return "\n".join(parts)


def report_path(folder: Path, lang: str, rel: str) -> Path:
    stem = rel[:-3] if rel.endswith(".md") else rel
    return folder / lang / f"{stem}.txt"


def write_speech_reports(folder: Path, pages: dict[tuple[str, str], list[Section]]) -> list[Path]:
    """Write one file per (language, page) given; remove files of pages that are no longer given."""
    written = []
    for (lang, rel), sections in sorted(pages.items()):
        path = report_path(folder, lang, rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = speech_report(sections).encode("utf-8")
        if not path.is_file() or path.read_bytes() != text:
            atomic_write(path, text)
        written.append(path)
    if folder.is_dir():
        kept = set(written)
        for path in folder.glob("**/*.txt"):
            if path not in kept:
                path.unlink()
    return written
