"""Theme files the build corrects after MkDocs has written them."""

from __future__ import annotations

import re

from ..content.errors import PortalError

# Material 9.7+ fetches <alternate>/sitemap.xml for every hreflang link on every page
# view, to redirect language switches; our chooser already links to the same page.
SITEMAP_PREFETCH = re.compile(
    r'function (\w+)\(\{document\$:e\}\)\{let t=new Map;e\.pipe\(\w+\(\(\)=>\w+\("link\[rel=alternate\]"\)\)'
)


def disable_sitemap_prefetch(site_dir) -> None:
    for bundle in (site_dir / "assets" / "javascripts").glob("bundle.*.min.js"):
        code = bundle.read_text(encoding="utf-8")
        match = SITEMAP_PREFETCH.search(code)
        if match is None:
            raise PortalError(f"{bundle.name}: Material's language-switch code has changed; update "
                              "SITEMAP_PREFETCH in scripts/portal/publish/assets.py so pages do not fetch sitemaps")
        call = re.compile(re.escape(match.group(1)) + r"\(\{document\$:\w+\}\);")
        patched, count = call.subn("", code)
        if count != 1:
            raise PortalError(f"{bundle.name}: expected one call of {match.group(1)}, found {count}")
        bundle.write_text(patched, encoding="utf-8")


def write(build) -> None:
    disable_sitemap_prefetch(build.site_dir)
    # Every language build writes site/404.html; the last one would win, so the English one is kept.
    for path, text in build.extra_files.items():
        (build.site_dir / path).write_text(text, encoding="utf-8")
