"""Material's script waits for the reader: the first view of a page needs none of it.

Material's bundle (35 KB compressed, half of a first visit) runs the search, the header's title
on scrolling and the table of contents' highlight; the page reads, scrolls and navigates without
it (menus are CSS toggles). Each page's <script src="...bundle....js"> becomes a data-bundle
address on the portal's own script tag, and assets/portal.js loads it on the first key press,
tap, click or focus, or at once when the address asks for a search (?q=). It is one of each
page's last changes (publish.finished), made while the page is in memory; the MkDocs layer applies
it to the other templates MkDocs renders (404.html).
"""

from __future__ import annotations

import re

from ..content.errors import PortalError

BUNDLE_TAG = re.compile(r'<script src="([^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js)"></script>\n?')
PORTAL_TAG = re.compile(r'<script src="([^"]*assets/portal\.js)"')


def defer_bundle(html: str, where: str = "") -> str:
    bundles = BUNDLE_TAG.findall(html)
    if not bundles:
        return html
    if len(bundles) != 1 or len(PORTAL_TAG.findall(html)) != 1:
        raise PortalError(f"{where}: expected one Material bundle and one assets/portal.js script tag, found "
                          f"{len(bundles)} and {len(PORTAL_TAG.findall(html))}; overrides/main.html must load "
                          "portal.js in the libs block (scripts/portal/publish/deferred_scripts.py)")
    html = BUNDLE_TAG.sub("", html)
    return PORTAL_TAG.sub(lambda match: f'{match.group(0)} data-bundle="{bundles[0]}"', html, count=1)

