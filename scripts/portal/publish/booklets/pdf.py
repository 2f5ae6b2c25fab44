"""HTML to a tagged, A4 PDF with WeasyPrint, kept in .cache/booklets/ under a hash of everything
that shapes it (the HTML, the stylesheet, the fonts' bytes, the libraries' versions), so an
unchanged booklet is copied, never rendered again."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from ...content import languages
from ...content.errors import PortalError, Problem
from ...content.files import atomic_write

FONT_DIR = Path("/usr/share/fonts/truetype/noto")  # Debian's fonts-noto-core (BUILD_PACKAGES)
FONT_PACKAGE = "fonts-noto-core"
MAX_BYTES = 1_500_000  # a booklet goes by email and over slow data: at most 1.5 MB

# One family per script; the Latin family comes second in every stack, for English words and numbers.
# Naskh, not Kufi, for Arabic-script body text: it is the style readers of Dari, Pashto and Sorani
# know from print, and it has all their letters (ړ ښ ځ ێ ۆ ڵ ڕ).
FONTS: dict[str, dict[tuple[str, str], str]] = {
    "Latn": {("normal", "normal"): "NotoSans-Regular.ttf", ("bold", "normal"): "NotoSans-Bold.ttf",
             ("normal", "italic"): "NotoSans-Italic.ttf", ("bold", "italic"): "NotoSans-BoldItalic.ttf"},
    "Arab": {("normal", "normal"): "NotoNaskhArabic-Regular.ttf", ("bold", "normal"): "NotoNaskhArabic-Bold.ttf"},
    "Ethi": {("normal", "normal"): "NotoSansEthiopic-Regular.ttf", ("bold", "normal"): "NotoSansEthiopic-Bold.ttf"},
}
# PDF/UA-1: tagged, with the document's language and title; WeasyPrint checks what it can.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True, "optimize_images": True}
FIELD_BOOKLET = "booklet"
# In the key, so that a booklet cached before the fetcher was narrowed (it may carry a file) is made again.
FETCHING = "fonts and self-contained data: images only"
Locate = Callable[[str], tuple[str, int]]  # an address in the booklet -> the file and line it is written at


def family(script: str) -> str:
    return f"Portal{script}"


def font_faces(font_dir: Path = FONT_DIR) -> str:
    rules = []
    for script, faces in FONTS.items():
        for (weight, style), name in faces.items():
            rules.append(f'@font-face {{ font-family: {family(script)}; font-weight: {weight}; font-style: {style}; '
                         f'src: url("{(font_dir / name).as_uri()}"); }}')
    return "\n".join(rules)


def stylesheet(lang: str, font_dir: Path = FONT_DIR) -> str:
    script = languages.get(lang).script
    stack = ", ".join(dict.fromkeys([family(script), family("Latn")]))
    return font_faces(font_dir) + "\n" + (Path(__file__).with_name("booklet.css").read_text(encoding="utf-8")
                                          .replace("FONT_STACK", stack))


@lru_cache(maxsize=4)
def fonts_digest(font_dir: Path = FONT_DIR) -> str:
    """Each font file's size and time: a Debian update to a font is a new booklet. (Not the bytes:
    reading megabytes of fonts on every build would cost more than the rest of the key.)"""
    stamps = []
    for faces in FONTS.values():
        for name in faces.values():
            path = font_dir / name
            if not path.is_file():
                raise PortalError(f"{path}: font missing; install the Debian package {FONT_PACKAGE} "
                                  f"(make build does: scripts/require-system-packages.sh)")
            status = path.stat()
            stamps.append(f"{name} {status.st_size} {status.st_mtime_ns}")
    return hashlib.sha256("\n".join(stamps).encode()).hexdigest()


@lru_cache(maxsize=1)
def library_versions() -> str:
    """From the installed packages' metadata: importing WeasyPrint loads Pango, which an unchanged
    booklet never needs."""
    from importlib.metadata import version

    return f"weasyprint {version('weasyprint')}, pydyf {version('pydyf')}"


def cache_key(html: str, css: str, font_dir: Path = FONT_DIR) -> str:
    parts = [html, css, fonts_digest(font_dir), library_versions(), json.dumps(PDF_OPTIONS, sort_keys=True),
             FETCHING]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:32]


def render_pdf(html: str, css: str, font_dir: Path = FONT_DIR, locate: Locate | None = None) -> bytes:
    """The PDF, read from nothing but the booklet's fonts and its own data: images (fetcher.py).

    Any other address the HTML names stops the render with a PortalError naming each address and
    the page it came from (`locate`: the file and line of an address, else the booklet's name)."""
    from .fetcher import BookletFetcher

    fetcher = BookletFetcher([font_dir])
    pdf = render_with(html, css, fetcher)
    if fetcher.refused:
        locate = locate or (lambda url: ("booklet", 1))
        problems = [Problem(*locate(url), FIELD_BOOKLET, refusal_message(url, why))
                    for url, why in dict.fromkeys(fetcher.refused)]
        raise PortalError.from_problems("A booklet was not made: its pages name files or addresses it must not "
                                        "read.", problems)
    return pdf


def render_with(html: str, css: str, fetcher) -> bytes:
    """The PDF as WeasyPrint makes it with this fetcher (it draws nothing for a refused address)."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    from .fetcher import refuse_attachments

    # @font-face rules only apply through a FontConfiguration shared by the stylesheet and the render.
    fonts = FontConfiguration()
    sheet = weasyprint.CSS(string=css, font_config=fonts, url_fetcher=fetcher)
    document = weasyprint.HTML(string=html, url_fetcher=fetcher)
    refuse_attachments(document, fetcher)
    return document.write_pdf(stylesheets=[sheet], font_config=fonts, **PDF_OPTIONS)


def refusal_message(url: str, why: str) -> str:
    shown = url if len(url) <= 80 else url[:77] + "..."
    return (f"`{shown}` {why}; a booklet may show only the page's words and the portal's own pictures. "
            "Remove the address (link to a page of the site or an https:// address instead); "
            "`make check` names it too")


def cached_pdf(html: str, lang: str, cache_dir: Path, font_dir: Path = FONT_DIR,
               locate: Locate | None = None) -> tuple[Path, bool]:
    """The PDF's path in the cache, and whether it was rendered now (False: an unchanged booklet)."""
    css = stylesheet(lang, font_dir)
    path = Path(cache_dir) / f"{cache_key(html, css, font_dir)}.pdf"
    if path.is_file():
        return path, False
    atomic_write(path, render_pdf(html, css, font_dir, locate))
    return path, True
