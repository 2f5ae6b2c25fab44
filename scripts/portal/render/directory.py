"""The professionals' directory: every page's address and QR code in every language."""

from __future__ import annotations

import html

from ..content import languages
from ..content.pages import Content, page_url
from .html import root_path


def language_path(code: str, rel: str, default: str) -> str:
    return ("" if code == default else f"{code}/") + page_url(rel)


def groups(content: Content) -> list[tuple[str, list[str]]]:
    """Pages grouped by topic: each folder under its index page's title, then the other pages."""
    english = content.english()
    folders: dict[str, list[str]] = {}
    loose: list[str] = []
    for rel in english:
        if "/" in rel:
            folders.setdefault(rel.split("/", 1)[0], []).append(rel)
        else:
            loose.append(rel)
    result = []
    for folder, rels in sorted(folders.items()):
        index = f"{folder}/index.md"
        title = english[index].meta.get("title", folder) if index in english else folder
        result.append((str(title), sorted(rels, key=lambda r: (r != index, r))))
    result.append(("Other pages", sorted(loose, key=lambda r: (r != "index.md", r))))
    return result


def directory_html(content: Content, site_url: str, from_path: str, words: dict[str, str]) -> str:
    """HTML for the professionals page at from_path (e.g. 'professionals/'): lists, links and lazy QR images."""
    default = content.site.default_language
    up = root_path(from_path)
    base = site_url.rstrip("/") + "/"
    out = [f"<p>{html.escape(words['directory_intro'])}</p>"]
    for group_title, rels in groups(content):
        out.append(f"<h2>{html.escape(group_title)}</h2>")
        for rel in rels:
            english_title = str(content.english()[rel].meta.get("title", rel))
            out.append(f"<h3>{html.escape(english_title)}</h3>")
            out.append('<ul class="portal-directory">')
            for code in content.site.language_codes:
                language = languages.get(code)
                path = language_path(code, rel, default)
                url = html.escape(base + path)
                out.append(
                    f'<li><span lang="{language.tag}" dir="{language.direction}">{html.escape(language.name)}</span>'
                    f'<br><a href="{url}">{url}</a>'
                    # The code repeats the address beside it, so it is decorative to a screen reader.
                    f'<br><img src="{up}{path}qr.svg" alt="" width="120" height="120" loading="lazy"></li>'
                )
            out.append("</ul>")
    return "\n".join(out)
