"""[[open-data]]: links to the offer as open data (offer.json in the reader's language, its schema,
services.json and the Atom feed), with each full address to copy, for the professionals page.

HTML rather than Markdown: the files are not pages, so MkDocs must not try to resolve the links."""

from __future__ import annotations

import html

from ..content import languages
from .html import root_path

FEED = "offer-changes.atom"


def open_data_files(lang: str, default: str) -> list[tuple[str, str]]:
    """(words key, path from the site root) for each file, in the order the page lists them."""
    own = "" if lang == default else f"{lang}/"
    return [
        ("open_data_offer", own + "offer.json"),
        ("open_data_schema", "schemas/offer.schema.json"),
        ("open_data_services", "services.json"),
        ("open_data_feed", FEED),
    ]


def open_data_html(lang: str, default: str, site_url: str, from_path: str, words: dict[str, str]) -> str:
    """`from_path` is the page's address inside the site, e.g. 'ar/professionals/'."""
    up = root_path(from_path)
    base = site_url.rstrip("/") + "/" if site_url else "/"
    name = languages.get(lang).name
    items = []
    for key, path in open_data_files(lang, default):
        label = html.escape(words[key].format(language=name))
        address = html.escape(base + path)
        items.append(f'<li><a href="{html.escape(up + path)}">{label}</a><br>'
                     f'<code dir="ltr" translate="no">{address}</code></li>')
    return '<ul class="portal-open-data">\n' + "\n".join(items) + "\n</ul>"
