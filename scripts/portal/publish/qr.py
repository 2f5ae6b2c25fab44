"""Printable SVG QR codes (about 4 cm square) with an accessible <title>, one per page."""

from __future__ import annotations

import hashlib
import io
import json
from functools import lru_cache
from pathlib import Path

from ..content.errors import PortalError
from ..content.files import atomic_write, publish_copy

QR_SIZE_MM = 40  # printed width and height: easy to scan from a leaflet or a letter
QR_BORDER = 2  # quiet zone in modules; 2 scans reliably on a white page and keeps the code small
QR_ERROR = "m"  # at least 15% of the code can be damaged or smudged; segno raises it when free


def qr_svg(url: str, title: str | None = None, *, size_mm: float = QR_SIZE_MM) -> str:
    """An SVG QR code for url: black on white, size_mm square, with <title> for screen readers.

    A full QR code, never a Micro QR code, which phone cameras do not read.
    """
    import segno

    if not url or not url.strip():
        raise PortalError("mkdocs.yml:1: site_url: a QR code needs the page's address, and it was empty; set SITE_URL "
                          "to the site's public address")
    code = segno.make(url, error=QR_ERROR, micro=False, boost_error=True)
    buffer = io.BytesIO()
    code.save(buffer, kind="svg", border=QR_BORDER, scale=1, omitsize=True, svgclass=None, lineclass=None,
              title=title or f"QR code: {url}", xmldecl=False, nl=False, dark="#000", light="#fff")
    svg = buffer.getvalue().decode("utf-8")
    ident = "qr-" + hashlib.sha256(url.encode("utf-8")).hexdigest()[:10]
    size = f"{size_mm:g}mm"
    opening = '<svg xmlns="http://www.w3.org/2000/svg" '
    if not svg.startswith(opening) or "<title>" not in svg:
        raise RuntimeError("segno's SVG output has changed; update qr_svg in scripts/portal/publish/qr.py")
    svg = svg.replace(opening, f'{opening}width="{size}" height="{size}" role="img" aria-labelledby="{ident}" '
                              'shape-rendering="crispEdges" ', 1)
    return svg.replace("<title>", f'<title id="{ident}">', 1) + "\n"


@lru_cache(maxsize=1)
def _encoder() -> str:
    """What every code depends on besides its address: this file and segno's version."""
    import segno

    return hashlib.sha256(Path(__file__).read_bytes() + segno.__version__.encode()).hexdigest()[:16]


def qr_cache_file(url: str, title: str | None, size_mm: float, cache_dir: Path) -> Path:
    key = hashlib.sha256(json.dumps([_encoder(), url, title, size_mm]).encode("utf-8")).hexdigest()[:24]
    return Path(cache_dir) / f"{key}.svg"


def cached_qr_svg(url: str, title: str | None = None, *, size_mm: float = QR_SIZE_MM,
                  cache_dir: Path | None = None) -> bytes:
    """Encoding is the slow part, so a code made once is kept in cache_dir under its inputs."""
    cached = qr_cache_file(url, title, size_mm, cache_dir) if cache_dir else None
    if cached and cached.is_file():
        return cached.read_bytes()
    data = qr_svg(url, title, size_mm=size_mm).encode("utf-8")
    if cached:
        atomic_write(cached, data)
    return data


def write_qr(url: str, path: Path, title: str | None = None, *, size_mm: float = QR_SIZE_MM,
             cache_dir: Path | None = None) -> Path:
    """The code at path; with cache_dir, the code kept there, linked into place."""
    path = Path(path)
    if cache_dir is None:
        atomic_write(path, qr_svg(url, title, size_mm=size_mm).encode("utf-8"))
        return path
    kept = qr_cache_file(url, title, size_mm, cache_dir)
    if not kept.is_file():
        cached_qr_svg(url, title, size_mm=size_mm, cache_dir=cache_dir)
    publish_copy(kept, path)
    return path


def write(build) -> None:
    """Every page's qr.svg, beside its index.html, for the printed page and the share panel: the
    code kept in .cache/qr, linked into the site."""
    for page in build.pages:
        write_qr(page.canonical_url or page.url, build.site_dir / page.url / "qr.svg",
                 cache_dir=build.cache_dir / "qr")
