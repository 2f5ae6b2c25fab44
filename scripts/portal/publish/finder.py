"""The finder's script, as the reader's phone downloads it: without comments and spaces.

The finder page carries every card of the offer and must keep the same weight budget as every
other page (scripts/budget.py), so its script is shipped minified; overrides/assets/finder.js
stays the readable source."""

from __future__ import annotations

import rjsmin

SCRIPT = "assets/finder.js"


def write(build) -> None:
    path = build.site_dir / SCRIPT
    if path.is_file():  # a site without the finder page still builds
        path.write_text(rjsmin.jsmin(path.read_text(encoding="utf-8")), encoding="utf-8")
