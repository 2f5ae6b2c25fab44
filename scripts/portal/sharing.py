"""Links social workers can share: QR codes, short links, link-preview images, Open Graph locales.

Everything here runs offline at build time and does not import MkDocs.

- qr_svg / write_qr: a printable SVG QR code (about 4 cm square) with an accessible <title>.
- short_link_pages / redirect_html / redirect_pages: /go/<name>/ redirect pages in every
  language, from a mapping such as {"bus": "offer/travel.md#free-bus-and-tram"}.
- preview_png: a 1200 x 630 link-preview image, shaped and ordered right for Arabic script
  and Ethiopic, using Noto fonts from Debian's fonts-noto-core.
- og_locale / og_locale_alternates: og:locale values.
"""

from __future__ import annotations

import difflib
import hashlib
import html
import io
import json
import os
import posixpath
import re
import shutil
import unicodedata
import urllib.parse
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import languages
from .content import page_url
from .files import atomic_write

# ---------------------------------------------------------------------------------------------
# QR codes

QR_SIZE_MM = 40  # printed width and height: easy to scan from a leaflet or a letter
QR_BORDER = 2  # quiet zone in modules; 2 scans reliably on a white page and keeps the code small
QR_ERROR = "m"  # at least 15% of the code can be damaged or smudged; segno raises it when free


def qr_svg(url: str, title: str | None = None, *, size_mm: float = QR_SIZE_MM) -> str:
    """An SVG QR code for url: black on white, size_mm square, with <title> for screen readers.

    A full QR code, never a Micro QR code, which phone cameras do not read.
    """
    import segno

    if not url or not url.strip():
        raise ValueError("qr_svg needs the address to encode; it was empty")
    code = segno.make(url, error=QR_ERROR, micro=False, boost_error=True)
    buffer = io.BytesIO()
    code.save(buffer, kind="svg", border=QR_BORDER, scale=1, omitsize=True, svgclass=None, lineclass=None,
              title=title or f"QR code: {url}", xmldecl=False, nl=False, dark="#000", light="#fff")
    svg = buffer.getvalue().decode("utf-8")
    ident = "qr-" + hashlib.sha256(url.encode("utf-8")).hexdigest()[:10]
    size = f"{size_mm:g}mm"
    opening = '<svg xmlns="http://www.w3.org/2000/svg" '
    if not svg.startswith(opening) or "<title>" not in svg:
        raise RuntimeError("segno's SVG output has changed; update qr_svg in scripts/portal/sharing.py")
    svg = svg.replace(opening, f'{opening}width="{size}" height="{size}" role="img" aria-labelledby="{ident}" '
                              'shape-rendering="crispEdges" ', 1)
    return svg.replace("<title>", f'<title id="{ident}">', 1) + "\n"


def write_qr(url: str, path: Path, title: str | None = None, *, size_mm: float = QR_SIZE_MM) -> Path:
    path = Path(path)
    atomic_write(path, qr_svg(url, title, size_mm=size_mm).encode("utf-8"))
    return path


# ---------------------------------------------------------------------------------------------
# Short links

SHORT_LINK_FOLDER = "go"
CONFIG_KEY = "extra.portal.short_links"  # where mkdocs.yml holds the mapping; named in error messages
SHORT_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")


class ShortLinkError(ValueError):
    """Every problem in the short-link settings, one per line."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class ShortLink:
    name: str  # "bus": the link is /go/bus/
    page: str  # "offer/travel.md": the page's file inside docs/<language>/
    fragment: str  # "free-bus-and-tram", or ""

    @property
    def url_path(self) -> str:
        return page_url(self.page)


def parse_short_links(config: Mapping | None, pages: Mapping[str, Collection[str]] | None = None,
                      where: str = CONFIG_KEY) -> list[ShortLink]:
    """Check the short-link settings and return them sorted by name.

    pages, when given, maps every English page (path inside docs/en/) to its heading ids, and
    each short link must point at one of them; see pages_from_content.
    """
    if config is None:
        return []
    if not isinstance(config, Mapping):
        raise ShortLinkError([(f"{where}: must list lines of the form 'short-name: page path', for example "
                               "'bus: offer/travel.md#free-bus-and-tram'")])
    problems: list[str] = []
    links: list[ShortLink] = []
    for raw_name, target in config.items():
        name = str(raw_name)
        at = f"{where}.{name}"
        if not SHORT_NAME.match(name):
            suggestion = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "bus-pass"
            problems.append(f"{at}: '{name}' cannot be a short link name; use lower-case letters, digits and "
                            f"hyphens, at most 40 characters, for example '{suggestion}'")
            continue
        if not isinstance(target, str) or not target.strip():
            problems.append(f"{at}: give the page it leads to, for example '{name}: offer/travel.md'")
            continue
        target = target.strip()
        path, _, fragment = target.partition("#")
        normal = posixpath.normpath(path) if path else ""
        if (re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) or target.startswith(("/", "//")) or not path
                or not path.endswith(".md") or normal.startswith("..") or normal != path
                or re.search(r"[\s#]", fragment)):
            problems.append(f"{at}: '{target}' is not a page of this site; write the path of its file inside "
                            "docs/en/, such as offer/travel.md or offer/travel.md#free-bus-and-tram")
            continue
        if pages is not None:
            if path not in pages:
                near = difflib.get_close_matches(path, list(pages), n=1)
                fix = "use the path of an existing page, as in its address: /offer/travel/ is offer/travel.md"
                if near:
                    fix = f"did you mean {near[0]}? Otherwise {fix}"
                problems.append(f"{at}: there is no page '{path}' in docs/en/; {fix}")
                continue
            anchors = pages[path]
            if fragment and fragment not in anchors:
                near = difflib.get_close_matches(fragment, sorted(anchors), n=1)
                fix = "use one of its ids (entitlements.yml lists them) or remove the #part"
                if near:
                    fix = f"did you mean #{near[0]}? Otherwise {fix}"
                problems.append(f"{at}: {path} has no heading with the id '{fragment}'; {fix}")
                continue
        links.append(ShortLink(name, path, fragment))
    if pages is not None:
        clash = sorted(p for p in pages if p.split("/", 1)[0] == SHORT_LINK_FOLDER)
        if clash:
            problems.append(f"docs/en/{clash[0]}: the folder '{SHORT_LINK_FOLDER}/' is kept for short links; "
                            "move the page to another folder")
    if problems:
        raise ShortLinkError(problems)
    return sorted(links, key=lambda link: link.name)


def pages_from_content(content) -> dict[str, set[str]]:
    """The English pages and their heading ids, from a checks.Content, for parse_short_links."""
    return {rel: page.anchors() for rel, page in content.english().items()}


def language_prefix(code: str, codes: list[str]) -> str:
    """'' for the default (first) language, else 'ar/': where that language's pages live."""
    return "" if code == codes[0] else f"{code}/"


def short_link_path(name: str, code: str, codes: list[str]) -> str:
    """The file a short link is written to: go/bus/index.html, ar/go/bus/index.html."""
    return f"{language_prefix(code, codes)}{SHORT_LINK_FOLDER}/{name}/index.html"


def relative_target(link: ShortLink, code: str, codes: list[str]) -> str:
    """The link's page in the same language, relative to the folder of its redirect page."""
    prefix = language_prefix(code, codes)
    here = posixpath.dirname(short_link_path(link.name, code, codes))
    there = (prefix + link.url_path).rstrip("/") or "."
    rel = posixpath.relpath(there, here) + "/"
    return rel + (f"#{link.fragment}" if link.fragment else "")


def short_link_pages(config: Mapping | None, languages: list[str], *,
                     pages: Mapping[str, Collection[str]] | None = None, where: str = CONFIG_KEY) -> dict[str, str]:
    """Every redirect page: output path -> relative address of the page it leads to.

    languages lists the language codes with the default language first (Site.language_codes).
    {"bus": "offer/travel.md#free-bus-and-tram"} gives, among others,
    "go/bus/index.html" -> "../../offer/travel/#free-bus-and-tram" and
    "ar/go/bus/index.html" -> "../../offer/travel/#free-bus-and-tram" (that is, ar/offer/travel/).
    """
    if not languages:
        raise ValueError("short_link_pages needs the language codes, default language first")
    links = parse_short_links(config, pages, where)
    return {
        short_link_path(link.name, code, languages): relative_target(link, code, languages)
        for code in languages
        for link in links
    }


def redirect_html(target: str, lang_tag: str, direction: str, title: str, link_text: str, *,
                  canonical: str | None = None) -> str:
    """A tiny HTML5 page that sends the reader on to target at once, without JavaScript.

    The link stays visible for browsers that ignore the refresh; search engines are told not
    to index the page, and the canonical link names the real page (without its #part).
    """
    if direction not in ("ltr", "rtl"):
        raise ValueError(f"direction must be 'ltr' or 'rtl', not {direction!r}")
    if not target:
        raise ValueError("redirect_html needs a target address")
    canonical = canonical if canonical is not None else target.split("#", 1)[0] or "./"

    def attr(value: str) -> str:
        return html.escape(value, quote=True)

    return (
        "<!doctype html>\n"
        f'<html lang="{attr(lang_tag)}" dir="{direction}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        f"<title>{html.escape(title or link_text)}</title>\n"
        '<meta name="robots" content="noindex">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<link rel="canonical" href="{attr(canonical)}">\n'
        f'<meta http-equiv="refresh" content="0; url={attr(target)}">\n'
        "</head>\n"
        "<body>\n"
        f'<p><a href="{attr(target)}">{html.escape(link_text)}</a></p>\n'
        "</body>\n"
        "</html>\n"
    )


def redirect_pages(config: Mapping | None, language_codes: list[str], *,
                   text: Callable[[str, ShortLink], tuple[str, str]] | None = None,
                   pages: Mapping[str, Collection[str]] | None = None, site_url: str = "",
                   where: str = CONFIG_KEY) -> dict[str, str]:
    """Every redirect page, ready to write: output path -> HTML.

    text(language_code, link) gives (title, link_text) in that language, for example the target
    page's title twice; without it both are the English 'Go to <page address>'. With site_url
    the canonical link is absolute.
    """
    links = parse_short_links(config, pages, where)
    out: dict[str, str] = {}
    for code in language_codes:
        language = languages.get(code)
        for link in links:
            target = relative_target(link, code, language_codes)
            title, link_text = text(code, link) if text else (f"Go to /{link.url_path}",) * 2
            canonical = None
            if site_url:
                canonical = site_url.rstrip("/") + "/" + language_prefix(code, language_codes) + link.url_path
            out[short_link_path(link.name, code, language_codes)] = redirect_html(
                target, language.tag, language.direction, title, link_text, canonical=canonical)
    return out


# ---------------------------------------------------------------------------------------------
# Share links beside entitlements

ENTITLEMENT_HEADING = re.compile(r'(<h2 class="entitlement" id="([^"]+)">.*?</h2>)', re.S)


def add_entitlement_share_links(page_html: str, page_address: str, label: str) -> str:
    """After each entitlement heading, a link to exactly that entitlement, ready to share or copy."""
    def link(match: re.Match) -> str:
        href = html.escape(f"{page_address}#{match.group(2)}")
        return (f'{match.group(1)}\n<p class="portal-share"><a href="{href}" data-portal-share '
                f'class="portal-share__link">{html.escape(label)}</a></p>')
    return ENTITLEMENT_HEADING.sub(link, page_html)


LINK_HREF = re.compile(r'<a href="((?:https?://|(?![a-z][a-z0-9+.-]*:|#))[^"]+)"')  # web and relative links


def add_print_addresses(page_html: str, page_address: str) -> str:
    """Give every link its full address in data-print, which the print stylesheet writes after it."""
    def absolute(match: re.Match) -> str:
        href = html.unescape(match.group(1))
        full = urllib.parse.urljoin(page_address, href)
        return f'<a data-print="{html.escape(full)}" href="{match.group(1)}"'
    return LINK_HREF.sub(absolute, page_html)


ALTERNATE_LINK = re.compile(r'<link rel="alternate" href="([^"]*)" hreflang="([^"]+)">')


def absolute_alternates(page_html: str, page_address: str) -> str:
    """hreflang alternates must be full addresses for search engines; Material writes relative ones."""
    def absolute(match: re.Match) -> str:
        full = urllib.parse.urljoin(page_address, html.unescape(match.group(1)))
        return f'<link rel="alternate" href="{html.escape(full)}" hreflang="{match.group(2)}">'
    return ALTERNATE_LINK.sub(absolute, page_html)


# ---------------------------------------------------------------------------------------------
# Open Graph locales

OG_LOCALES = {
    "en": "en_GB",
    "ar": "ar_AR",  # Facebook's umbrella locale for Arabic; it has no ar_SA-style regional ones
    "fa": "fa_IR",  # the only Persian locale Facebook knows; Dari speakers read it too
    "ps": "ps_AF",
    "ku": "cb_IQ",  # Sorani: Facebook's own code for Central Kurdish (ckb); ku_TR is Kurmanji, in Latin script
    "ti": "ti_ER",  # Facebook lists no Tigrinya; most young Tigrinya speakers in UK care come from Eritrea
    "am": "am_ET",
    "sq": "sq_AL",
    "vi": "vi_VN",
}


def og_locale(code: str) -> str:
    languages.get(code)  # an unknown code is an error that names the known ones
    try:
        return OG_LOCALES[code]
    except KeyError:
        raise KeyError(f"no Open Graph locale for {code!r}; add it to OG_LOCALES in scripts/portal/sharing.py") \
            from None


def og_locale_alternates(code: str, codes: list[str]) -> list[str]:
    """og:locale:alternate values: every other language of the site, in site order."""
    return [og_locale(other) for other in codes if other != code]


# ---------------------------------------------------------------------------------------------
# Link-preview images

PREVIEW_SIZE = (1200, 630)
PREVIEW_BUDGET = 60_000  # bytes
PREVIEW_VERSION = "1"  # the key also holds a hash of this file, so any change here makes images again
PREVIEW_KEY_CHUNK = "portal-preview-key"

BACKGROUND = (0x1A, 0x23, 0x7E)  # indigo 900: the site's colour, dark enough for white text
TITLE_COLOUR = (0xFF, 0xFF, 0xFF)  # contrast 13:1 on the background
SITE_COLOUR = (0xE8, 0xEA, 0xF6)  # 11:1; the palette makes it the nearest shade between background and white
ACCENT = (0xFF, 0xD5, 0x4F)  # amber rule above the site name

MARGIN = 80
TITLE_SIZES = (96, 88, 80, 72, 64)  # largest that fits in MAX_LINES wins; still readable at 400 px wide
MAX_LINES = 3
LINE_STEP = {"Arab": 1.45, "Ethi": 1.3, "Latn": 1.2}  # distance between baselines, in font sizes
SITE_SIZE = 40
ELLIPSIS = "\u2026"

FONT_PACKAGE = "fonts-noto-core"
FONT_FILES = {  # one bold face for each script, designed to sit together on one baseline
    "Latn": "NotoSans-Bold.ttf",  # Latin, including Vietnamese and Albanian, and punctuation
    "Arab": "NotoSansArabic-Bold.ttf",  # Arabic, Persian, Pashto and Sorani letters
    "Ethi": "NotoSansEthiopic-Bold.ttf",  # Tigrinya and Amharic
}
FONT_DIRS = (
    Path(__file__).resolve().parent / "fonts",
    Path("/usr/share/fonts/truetype/noto"),
    Path("/usr/share/fonts/opentype/noto"),
)


class PreviewError(RuntimeError):
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


def preview_key(title: str, site_name: str, lang_code: str) -> str:
    """What an image depends on: words, language, drawing code, fonts and text-layout libraries."""
    import PIL
    from PIL import features

    fonts = {s: [font_path(s).name, font_path(s).stat().st_size] for s in FONT_FILES}
    code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    parts = [PREVIEW_VERSION, code, title, site_name, lang_code, fonts, PIL.__version__,
             features.version("raqm"), features.version("fribidi"), features.version("harfbuzz")]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()[:24]


def _stored_key(path: Path) -> str | None:
    from PIL import Image

    try:
        with Image.open(path) as image:
            return image.text.get(PREVIEW_KEY_CHUNK)
    except (OSError, ValueError, SyntaxError):
        return None


def render_preview(title: str, site_name: str, lang_code: str):
    """The preview as a Pillow RGB image (before quantising), for preview_png and tests."""
    from PIL import Image, ImageDraw

    check_text_layout()
    width, height = PREVIEW_SIZE
    title = " ".join(str(title).split())
    site_name = " ".join(str(site_name).split())
    image = Image.new("RGB", PREVIEW_SIZE, BACKGROUND)
    draw = ImageDraw.Draw(image)
    left, right = MARGIN, width - MARGIN
    text_width = right - left
    rtl = languages.get(lang_code).direction == "rtl"

    # footer: amber rule and the site name, on the side where the language's lines start
    site = _Layout(lang_code, SITE_SIZE)
    site_lines, _ = wrap(site_name, site, text_width, 1)
    footer_baseline = height - 64
    rule_y = footer_baseline - site.metrics()[0] - 28
    rule_x = right - 120 if rtl else left
    draw.rectangle([rule_x, rule_y, rule_x + 120, rule_y + 8], fill=ACCENT)
    for line in site_lines:
        site.draw(draw, line, footer_baseline, SITE_COLOUR, left, right)

    # title: the largest size at which it fits in MAX_LINES and in the space above the rule,
    # else the smallest size, cut with an ellipsis; centred on its ink, which for Arabic
    # script lies well inside the font's tall ascent and descent
    top_area, bottom_area = 48, rule_y - 32
    for size in TITLE_SIZES:
        layout = _Layout(lang_code, size)
        lines, cut = wrap(title, layout, text_width, MAX_LINES)
        block = _title_block(layout, lines, width)
        if block is not None and not cut and block.height <= bottom_area - top_area:
            break
    if block is not None:
        y = top_area + max(0, (bottom_area - top_area - block.height) // 2)
        image.paste(TITLE_COLOUR, (0, y), block)
    return image


def _title_block(layout: _Layout, lines: list[str], width: int):
    """The title's lines drawn as a coverage mask, cropped to the ink; None for an empty title."""
    from PIL import Image, ImageDraw

    if not lines:
        return None
    step = round(layout.size * LINE_STEP.get(layout.own, 1.25))
    ascent, descent = layout.metrics()
    mask = Image.new("L", (width, 2 * ascent + descent + step * len(lines)), 0)
    draw = ImageDraw.Draw(mask)
    for index, line in enumerate(lines):
        layout.draw(draw, line, ascent + index * step, 255, MARGIN, width - MARGIN)
    box = mask.getbbox()
    if box is None:
        return None
    return mask.crop((0, box[1], width, box[3]))


def _palette(steps: int):
    """The background, steps shades from it to white (text and its anti-aliased edges), the accent."""
    from PIL import Image

    colours = [tuple(round(b + (w - b) * i / (steps - 1)) for b, w in zip(BACKGROUND, TITLE_COLOUR))
               for i in range(steps)] + [ACCENT]
    flat = [value for colour in colours for value in colour]
    palette = Image.new("P", (1, 1))
    palette.putpalette(flat + flat[-3:] * (256 - len(colours)))  # spare entries repeat the accent
    return palette


def _encode(image, key: str) -> bytes:
    """A small PNG: a fixed palette of at most 16 colours, no dithering, maximum compression."""
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text(PREVIEW_KEY_CHUNK, key)
    data = b""
    for steps in (15, 7, 3):
        small = image.quantize(palette=_palette(steps), dither=Image.Dither.NONE)
        buffer = io.BytesIO()
        small.save(buffer, format="PNG", optimize=True, bits=4 if steps > 3 else 2, pnginfo=info)
        data = buffer.getvalue()
        if len(data) <= PREVIEW_BUDGET:
            break
    return data


def preview_png(title: str, site_name: str, lang_code: str, out: Path, *, cache_dir: Path | None = None) -> Path:
    """Write a 1200 x 630 PNG link preview of title to out, atomically, and return out.

    Work is skipped when out already holds the same image (its key is stored in the PNG), or
    when cache_dir holds it under its key; a new image is also stored there.
    """
    out = Path(out)
    key = preview_key(title, site_name, lang_code)
    if out.is_file() and _stored_key(out) == key:
        return out
    cached = Path(cache_dir) / f"{key}.png" if cache_dir else None
    if cached and cached.is_file() and _stored_key(cached) == key:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(f".{out.name}.copy")
        shutil.copyfile(cached, tmp)
        os.replace(tmp, out)
        return out
    data = _encode(render_preview(title, site_name, lang_code), key)
    atomic_write(out, data)
    if cached:
        atomic_write(cached, data)
    return out
