"""[[booklets]]: a section linking to this language's printable booklets, each with its size.

The sizes come from the booklets themselves (`publish.booklets.Shelf`), made or found in the
cache while the page renders, so the link text never guesses."""

from __future__ import annotations

import html
import posixpath


def booklets_markdown(shelf, lang: str, page_path: str, words: dict[str, str]) -> str:
    booklets = shelf.booklets(lang) if shelf is not None else []
    if not booklets:
        return ""
    here = page_path.rstrip("/") or "."
    items = []
    for booklet in booklets:
        size = shelf.made(booklet).size
        label = words["booklet_link"].format(title=words[f"booklet_{booklet.audience}"], size=file_size(size))
        items.append(f'<li><a href="{html.escape(posixpath.relpath(booklet.site_path, here))}" type="application/pdf">'
                     f"{html.escape(label)}</a></li>")
    return "\n".join([
        f'## {words["booklets_heading"]} {{#booklets}}',
        "",
        f'<p>{html.escape(words["booklets_intro"])}</p>',
        '<ul class="portal-booklets">',
        *items,
        "</ul>",
    ])


def file_size(size: int) -> str:
    """As the audio download link writes it: KB below a megabyte, then MB with one decimal."""
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{max(1, round(size / 1000))} KB"
