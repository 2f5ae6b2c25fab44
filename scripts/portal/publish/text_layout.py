"""Laying out one line of mixed-script text for the link-preview images: fonts per script,
bidirectional runs in visual order, and wrapping by grapheme. Needs Noto fonts, not MkDocs."""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..content import languages
from ..content.errors import PortalError

ELLIPSIS = "\u2026"

FONT_PACKAGE = "fonts-noto-core"
FONT_FILES = {code: script.font_file for code, script in languages.SCRIPTS.items()}
FONT_DIRS = (
    Path(__file__).resolve().parent / "fonts",
    Path("/usr/share/fonts/truetype/noto"),
    Path("/usr/share/fonts/opentype/noto"),
)


class PreviewError(PortalError):
    pass


def font_path(script: str) -> Path:
    """The font file for a script, found by name; a clear error names the Debian package."""
    name = FONT_FILES[script]
    extra = os.environ.get("PORTAL_FONT_DIR")
    dirs = ((Path(extra),) if extra else ()) + FONT_DIRS
    for folder in dirs:
        if (folder / name).is_file():
            return folder / name
    raise PreviewError(f"the font {name} is missing (looked in {', '.join(str(d) for d in dirs)}); "
                       f"install it with: sudo apt-get install {FONT_PACKAGE}")


def check_text_layout() -> None:
    """Pillow must lay text out with libraqm: Arabic letters join and right-to-left lines read right."""
    from PIL import features

    if not features.check("raqm"):
        raise PreviewError("Pillow cannot shape Arabic-script text: its libraqm needs the FriBiDi library; "
                           "install it with: sudo apt-get install libfribidi0 (and use the Pillow wheel "
                           "from PyPI, which includes libraqm)")


@lru_cache(maxsize=None)
def _coverage(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


@lru_cache(maxsize=None)
def _font(path: Path, size: int):
    from PIL import ImageFont

    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.RAQM)


def _stack(lang_code: str) -> list[str]:
    """Scripts in the order their fonts are tried: the language's own script first."""
    own = languages.get(lang_code).script
    return [own] + [s for s in FONT_FILES if s != own]


_IGNORABLE = {"\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff"}


@dataclass
class _Run:
    text: str
    script: str  # which font
    level: int  # bidi embedding level: even left-to-right, odd right-to-left


def _strong(ch: str) -> str | None:
    kind = unicodedata.bidirectional(ch)
    if kind == "L":
        return "ltr"
    if kind in ("R", "AL"):
        return "rtl"
    return None


def _runs(text: str, lang_code: str, rtl: bool) -> list[_Run]:
    """Split a line into runs that one font can draw, with bidi levels, in logical order.

    Pillow draws a string with one font, so a title that mixes scripts (an Arabic title with
    'Oyster' or '…' in it) is drawn run by run: raqm shapes each run and orders what is inside
    it (digits in Arabic, say), and _visual orders the runs. Characters with no direction of
    their own (spaces, punctuation, digits) take the direction of the strong characters on
    both sides when those agree and the line's direction when they do not, as the Unicode
    bidi algorithm resolves them for lines without embeddings.
    """
    stack = _stack(lang_code)
    cover = {s: _coverage(font_path(s)) for s in stack}
    base = "rtl" if rtl else "ltr"

    def first_covering(chars: str, prefer: list[str]) -> str:
        for script in prefer + stack:
            if all(ord(c) in cover[script] or c in _IGNORABLE for c in chars):
                return script
        return stack[0]

    count = len(text)
    scripts: list[str | None] = [None] * count
    dirs: list[str | None] = [None] * count
    for k, ch in enumerate(text):
        dirs[k] = _strong(ch)
        if dirs[k]:
            scripts[k] = first_covering(ch, [])
    k = 0
    while k < count:
        if scripts[k]:
            k += 1
            continue
        j = k
        while j < count and not scripts[j]:
            j += 1
        before = dirs[k - 1] if k > 0 else base
        after = dirs[j] if j < count else base
        direction = before if before == after else base
        prefer = [scripts[m] for m in (k - 1, j) if 0 <= m < count and dirs[m] == direction]
        script = first_covering(text[k:j], prefer)
        for m in range(k, j):
            scripts[m], dirs[m] = script, direction
        k = j

    runs: list[_Run] = []
    for ch, script, direction in zip(text, scripts, dirs):
        level = 1 if direction == "rtl" else (2 if rtl else 0)
        if runs and runs[-1].script == script and runs[-1].level == level:
            runs[-1].text += ch
        else:
            runs.append(_Run(ch, script, level))
    return runs


def _visual(runs: list[_Run]) -> list[_Run]:
    """Rule L2 of the bidi algorithm: reverse each sequence at or above each level, highest first."""
    order = list(runs)
    if not order:
        return order
    highest = max(r.level for r in order)
    lowest_odd = min((r.level for r in order if r.level % 2), default=highest + 1)
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if order[i].level >= level:
                j = i
                while j < len(order) and order[j].level >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                i = j
            else:
                i += 1
    return order


def visual_runs(line: str, lang_code: str) -> list[tuple[str, str, str]]:
    """A line as it is drawn, left to right: (text in logical order, script of its font, direction)."""
    rtl = languages.get(lang_code).direction == "rtl"
    return [(run.text, run.script, "rtl" if run.level % 2 else "ltr") for run in _visual(_runs(line, lang_code, rtl))]


def missing_glyphs(text: str) -> list[str]:
    """Characters of text that none of the preview fonts can draw (they would show as boxes)."""
    cover = {s: _coverage(font_path(s)) for s in FONT_FILES}
    return sorted({ch for ch in text if not ch.isspace() and ch not in _IGNORABLE
                   and not any(ord(ch) in c for c in cover.values())})


class _Layout:
    """Measures and draws lines of one size in one language."""

    def __init__(self, lang_code: str, size: int):
        language = languages.get(lang_code)
        self.lang_code = lang_code
        self.tag = language.tag
        self.rtl = language.direction == "rtl"
        self.own = language.script
        self.size = size
        self.fonts = {s: _font(font_path(s), size) for s in FONT_FILES}

    def _shaped(self, line: str) -> list[tuple[_Run, float]]:
        runs = _visual(_runs(line, self.lang_code, self.rtl))
        return [(run, self._length(run)) for run in runs]

    def _options(self, run: _Run) -> dict:
        return {"direction": "rtl" if run.level % 2 else "ltr",
                "language": self.tag if run.script == self.own else None}

    def _length(self, run: _Run) -> float:
        return self.fonts[run.script].getlength(run.text, **self._options(run))

    def width(self, line: str) -> float:
        return sum(w for _, w in self._shaped(line))

    def draw(self, draw, line: str, y: float, colour, left: float, right: float) -> None:
        shaped = self._shaped(line)
        total = sum(w for _, w in shaped)
        x = right - total if self.rtl else left
        for run, width in shaped:
            draw.text((x, y), run.text, font=self.fonts[run.script], fill=colour, anchor="ls", **self._options(run))
            x += width

    def metrics(self) -> tuple[int, int]:
        """Ascent and descent of the script that is mostly drawn."""
        return self.fonts[self.own].getmetrics()


def _graphemes(word: str) -> list[str]:
    """Characters with their combining marks, so a word is never broken inside a letter."""
    parts: list[str] = []
    for ch in word:
        if parts and (unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me") or ch in _IGNORABLE):
            parts[-1] += ch
        else:
            parts.append(ch)
    return parts


def wrap(text: str, layout: _Layout, max_width: float, max_lines: int) -> tuple[list[str], bool]:
    """Greedy wrapping on spaces into at most max_lines lines; True when text was cut (ellipsis added)."""
    words = " ".join(text.split()).split(" ") if text.strip() else []
    pieces: list[str] = []
    for word in words:  # a word wider than a line is broken between letters
        if layout.width(word) <= max_width:
            pieces.append(word)
            continue
        current = ""
        for part in _graphemes(word):
            if current and layout.width(current + part) > max_width:
                pieces.append(current)
                current = part
            else:
                current += part
        pieces.append(current)
    lines: list[str] = []
    current = ""
    for index, piece in enumerate(pieces):
        candidate = f"{current} {piece}" if current else piece
        if not current or layout.width(candidate) <= max_width:
            current = candidate
            continue
        lines.append(current)
        current = piece
        if len(lines) == max_lines:
            rest = " ".join([current] + pieces[index + 1:])
            return lines[:-1] + [_ellipsize(lines[-1], layout, max_width)], bool(rest)
    if current:
        lines.append(current)
    return lines, False


def _ellipsize(line: str, layout: _Layout, max_width: float) -> str:
    words = line.split(" ")
    while words:
        candidate = " ".join(words) + ELLIPSIS
        if layout.width(candidate) <= max_width:
            return candidate
        if len(words) == 1:  # one long word: drop letters instead
            parts = _graphemes(words[0])
            while parts and layout.width("".join(parts) + ELLIPSIS) > max_width:
                parts.pop()
            return "".join(parts) + ELLIPSIS
        words.pop()
    return ELLIPSIS


