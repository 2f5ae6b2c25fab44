"""A booklet's HTML: a cover, a contents list, one section per page, then the contacts and the
"help now" page. Every section is the page's Markdown as the reader gets it from the core
(render_markdown: entitlements with their state first), converted with the site's extensions."""

from __future__ import annotations

import base64
import datetime as dt
import html
import posixpath
import re
import urllib.parse
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import markdown

from ...content import languages
from ...content.pages import Content, SourcePage, page_url
from ...content.ui_strings import long_date, strings
from ...render.contacts import contacts_markdown
from ...render.page import RenderContext, render_markdown
from ..qr import cached_qr_svg

# The Markdown extensions of mkdocs.yml that change what a page says or how it is structured.
EXTENSIONS = ["attr_list", "tables", "admonition", "md_in_html", "pymdownx.details"]
HELP_NOW = "help-now.md"
QR_SIZE_MM = 25  # smaller than the poster codes: a phone reads 25 mm from a hand-held page

HEADING_TAG = re.compile(r"<(/?)h([1-5])\b")
PAGE_LINK = re.compile(r'href="([^"#:]+\.md)(#[^"]*)?"')


@dataclass(frozen=True)
class Audience:
    code: str  # file name and the strings' suffix: booklet_<code>
    pages: tuple[str, ...]  # pages inside a language folder, in booklet order
    also_under: str | None = None  # every other page in this folder joins too, after the listed ones


# The site's navigation order (mkdocs.yml nav). A new offer page joins its booklet by itself.
AUDIENCES: tuple[Audience, ...] = (
    Audience("care-leavers", ("offer/index.md", "offer/health.md", "offer/relationships.md", "offer/education.md",
                              "offer/work.md", "offer/housing.md", "offer/participation.md", "offer/money.md",
                              "offer/travel.md", "compact.md"), also_under="offer/"),
    Audience("children-in-care", ("pledge.md",)),
    Audience("kinship-carers", ("kinship.md",)),
)


@dataclass(frozen=True)
class Section:
    ident: str
    title: str
    url: str  # the live page, in full, for the QR code; "" for a section with no page of its own
    lang: str  # the language the section is written in (English where a page is not translated)
    body: str  # HTML


def language_prefix(content: Content, lang: str) -> str:
    return "" if lang == content.site.default_language else f"{lang}/"


def live_url(site_url: str, prefix: str, rel: str) -> str:
    """What MkDocs makes of the page's address: site_url + language + directory URL."""
    return urllib.parse.urljoin(site_url.rstrip("/") + "/", prefix + page_url(rel))


def audience_pages(content: Content, audience: Audience) -> list[str]:
    english = content.english()
    listed = [rel for rel in audience.pages if rel in english]
    if audience.also_under:
        listed += sorted(rel for rel in english if rel.startswith(audience.also_under) and rel not in listed)
    return listed


def booklet_html(content: Content, context: RenderContext, audience: Audience, lang: str,
                 qr_cache: Path | None = None) -> str | None:
    """The whole booklet as one HTML document, or None when the site has none of its pages.

    Made on every build (it is the cache key), so it stays cheap: QR codes come from qr_cache."""
    rels = audience_pages(content, audience)
    if not rels:
        return None
    language = languages.get(lang)
    words = strings(lang)
    prefix = language_prefix(content, lang)
    sections = [page_section(content, context, lang, rel, prefix) for rel in rels]
    translated = lang != content.site.default_language
    contacts = markdown_html(contacts_markdown(content.site.contacts, "local", words, translated))
    sections.append(Section("contacts", words["booklet_contacts"], "", lang, contacts))
    if HELP_NOW in content.english():
        sections.append(page_section(content, context, lang, HELP_NOW, prefix))
    else:  # a site without the page still prints who to call in a crisis
        crisis = markdown_html(contacts_markdown(content.site.contacts, "help-now", words, translated))
        sections.append(Section("help-now", words["booklet_help_now"], "", lang, crisis))
    pages = [content.resolve(lang, rel) for rel in [*rels, HELP_NOW] if content.resolve(lang, rel)]
    title = words[f"booklet_{audience.code}"]
    return "\n".join([
        "<!DOCTYPE html>",
        f'<html lang="{language.tag}" dir="{language.direction}">',
        f"<head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>",
        f'<meta name="description" content="{html.escape(words["booklet_for"].format(audience=words["audience_" + audience.code]))}">',
        "</head><body>",
        cover(content, words, language, title, audience, pages),
        contents(words, sections),
        *[section_html(section, words, lang, qr_cache) for section in sections],
        "</body></html>",
    ])


def page_section(content: Content, context: RenderContext, lang: str, rel: str, prefix: str) -> Section:
    page = content.resolve(lang, rel)
    url = live_url(context.site_url, prefix, rel)
    body = render_markdown(page.body, lang, prefix + page_url(rel), context)
    body = absolute_page_links(shift_headings(markdown_html(body)), rel, context.site_url, prefix)
    return Section(f"page-{rel[:-3].replace('/', '-')}", str(page.meta.get("title") or rel), url, page.lang, body)


def markdown_html(text: str) -> str:
    return _converter().reset().convert(text)


@lru_cache(maxsize=1)
def _converter() -> markdown.Markdown:
    """One converter, reset between pages: loading the extensions costs more than a page."""
    return markdown.Markdown(extensions=EXTENSIONS, output_format="html")


def shift_headings(body: str) -> str:
    """The page's title is the section's h2, so the page's own ## headings become h3."""
    return HEADING_TAG.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", body)


def absolute_page_links(body: str, rel: str, site_url: str, prefix: str) -> str:
    """A link to another page of the site leads to the live page: a PDF has no folder of pages."""
    def absolute(match: re.Match) -> str:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), html.unescape(match.group(1))))
        return f'href="{html.escape(live_url(site_url, prefix, target))}{match.group(2) or ""}"'
    return PAGE_LINK.sub(absolute, body)


def cover(content: Content, words: dict, language, title: str, audience: Audience, pages: list[SourcePage]) -> str:
    """Title, who it is for, the day the pages were last checked (not the build day: an unchanged
    booklet stays byte for byte the same), and whether it is a draft."""
    english = content.english()
    home = content.resolve(language.code, "index.md")
    site_title = str(home.meta.get("title") or "") if home else ""
    reviewed = [_date(english[p.rel].meta.get("last_reviewed")) for p in pages if p.rel in english]
    reviewed = [day for day in reviewed if day]
    draft = any(english[p.rel].meta.get("status") != "approved" for p in pages if p.rel in english)
    unreviewed = any(p.lang != content.site.default_language
                     and (p.meta.get("translation") or {}).get("status") != "reviewed" for p in pages)
    lines = [
        '<section class="cover">',
        f'<p class="site-name">{html.escape(site_title)}</p>' if site_title else "",
        f"<h1>{html.escape(title)}</h1>",
        f'<p class="for">{html.escape(words["booklet_for"].format(audience=words["audience_" + audience.code]))}</p>',
    ]
    if reviewed:
        day = long_date(max(reviewed), language.tag)
        lines.append(f'<p class="date">{html.escape(words["booklet_date"].format(date=day))}</p>')
    status = words["booklet_draft"] if draft else words["booklet_approved"]
    lines.append(f'<p class="status{" draft" if draft else ""}"><strong>{html.escape(status)}</strong></p>')
    if unreviewed:
        lines.append(f'<p class="status draft">{html.escape(words["status_translations"])}</p>')
    lines.append("</section>")
    return "\n".join(line for line in lines if line)


def _date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def contents(words: dict, sections: list[Section]) -> str:
    items = "\n".join(f'<li><a href="#{s.ident}">{html.escape(s.title)}</a></li>' for s in sections)
    return (f'<nav class="contents" aria-labelledby="contents-title"><h2 id="contents-title">'
            f'{html.escape(words["booklet_contents"])}</h2>\n<ol>\n{items}\n</ol></nav>')


def section_html(section: Section, words: dict, lang: str, qr_cache: Path | None = None) -> str:
    """A page not yet translated is printed in English, and marked so for screen readers."""
    language = languages.get(section.lang)
    mark = f' lang="{language.tag}" dir="{language.direction}"' if section.lang != lang else ""
    parts = [f'<section class="page" id="{section.ident}"{mark}>', f"<h2>{html.escape(section.title)}</h2>"]
    if section.url.startswith(("https://", "http://")):  # no site_url: no address a phone could open
        parts.append(qr_block(section.url, words, qr_cache))
    parts += [section.body, "</section>"]
    return "\n".join(parts)


def qr_block(url: str, words: dict, qr_cache: Path | None = None) -> str:
    """The code and the address it holds, written out for anyone without a camera."""
    svg = cached_qr_svg(url, words["booklet_qr_alt"].format(url=url), size_mm=QR_SIZE_MM, cache_dir=qr_cache)
    data = base64.b64encode(svg).decode("ascii")
    short = re.sub(r"^https?://", "", url)
    alt = html.escape(words["booklet_qr_alt"].format(url=url))
    return (f'<div class="qr"><span class="qr-code"><img src="data:image/svg+xml;base64,{data}" alt="{alt}" '
            f'style="width: {QR_SIZE_MM}mm; height: {QR_SIZE_MM}mm"></span>'
            f'<p class="qr-address">{html.escape(words["booklet_scan"])}<br><a href="{html.escape(url)}" dir="ltr" lang="en">'
            f"{html.escape(short)}</a></p></div>")
