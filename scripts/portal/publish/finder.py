"""The portal's own scripts and stylesheets, as the reader's phone downloads them: without comments
and spaces.

The finder page carries every card of the offer and must keep the same weight budget as every
other page (scripts/budget.py, 30 KB), so what every page loads (assets/portal.js, portal.css) and
what the finder adds (finder.js, finder.css) are shipped minified; overrides/assets/ stays the
readable source."""

from __future__ import annotations

import re

import rjsmin

SCRIPTS = ("assets/finder.js", "assets/portal.js")
STYLESHEETS = ("assets/portal.css", "assets/finder.css")
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
CSS_SPACE = re.compile(r"\s+")
CSS_PUNCTUATION = re.compile(r"\s*([{};,>])\s*")


def minify_css(css: str) -> str:
    """Comments and spaces out; a space between two selectors (a descendant) stays, and so do the
    spaces inside a declaration's value, such as `0 0 1rem`."""
    css = CSS_SPACE.sub(" ", CSS_COMMENT.sub("", css))
    return CSS_PUNCTUATION.sub(r"\1", css).replace(";}", "}").strip()


def write(build) -> None:
    for rel in SCRIPTS:
        path = build.site_dir / rel
        if path.is_file():  # a site without the finder page still builds
            path.write_text(rjsmin.jsmin(path.read_text(encoding="utf-8")), encoding="utf-8")
    for rel in STYLESHEETS:
        path = build.site_dir / rel
        if path.is_file():
            path.write_text(minify_css(path.read_text(encoding="utf-8")), encoding="utf-8")
