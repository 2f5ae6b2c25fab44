"""/go/<name>/ redirect pages in every language, from a mapping such as
{"bus": "offer/travel.md#free-bus-and-tram"} in mkdocs.yml."""

from __future__ import annotations

import html
import posixpath
from collections.abc import Callable, Collection, Mapping

from ..content import languages
from ..content.errors import PortalError
from ..content.short_links import (
    CONFIG_KEY,
    SHORT_LINK_FOLDER,
    ShortLink,
    pages_from_content,
    parse_short_links,
)


def language_prefix(code: str, codes: list[str]) -> str:
    """'' for the default (first) language, else 'ar/': where that language's pages live."""
    return "" if code == codes[0] else f"{code}/"


def short_link_path(name: str, code: str, codes: list[str]) -> str:
    """The file a short link is written to: go/bus/index.html, ar/go/bus/index.html."""
    return f"{language_prefix(code, codes)}{SHORT_LINK_FOLDER}/{name}/index.html"


def relative_target(link: ShortLink, code: str, codes: list[str]) -> str:
    """The link's page in the same language, relative to the folder of its redirect page."""
    prefix = language_prefix(code, codes)
    here = posixpath.dirname(short_link_path(link.name, code, codes))
    there = (prefix + link.url_path).rstrip("/") or "."
    rel = posixpath.relpath(there, here) + "/"
    return rel + (f"#{link.fragment}" if link.fragment else "")


def short_link_pages(config: Mapping | None, languages: list[str], *,
                     pages: Mapping[str, Collection[str]] | None = None, where: str = CONFIG_KEY) -> dict[str, str]:
    """Every redirect page: output path -> relative address of the page it leads to.

    languages lists the language codes with the default language first (Site.language_codes).
    {"bus": "offer/travel.md#free-bus-and-tram"} gives, among others,
    "go/bus/index.html" -> "../../offer/travel/#free-bus-and-tram" and
    "ar/go/bus/index.html" -> "../../offer/travel/#free-bus-and-tram" (that is, ar/offer/travel/).
    """
    if not languages:
        raise PortalError("mkdocs.yml:1: plugins.i18n.languages: no language is listed; list the default language first")
    links = parse_short_links(config, pages, where)
    return {
        short_link_path(link.name, code, languages): relative_target(link, code, languages)
        for code in languages
        for link in links
    }


def redirect_html(target: str, lang_tag: str, direction: str, title: str, link_text: str, *,
                  canonical: str | None = None) -> str:
    """A tiny HTML5 page that sends the reader on to target at once, without JavaScript.

    The link stays visible for browsers that ignore the refresh; search engines are told not
    to index the page, and the canonical link names the real page (without its #part).
    """
    if direction not in ("ltr", "rtl"):
        raise PortalError(f"scripts/portal/content/languages.py:1: direction: {direction!r} is not 'ltr' or 'rtl'; "
                          "correct the language's entry")
    if not target:
        raise PortalError(f"{CONFIG_KEY}: a short link leads nowhere; give the page it leads to")
    canonical = canonical if canonical is not None else target.split("#", 1)[0] or "./"

    def attr(value: str) -> str:
        return html.escape(value, quote=True)

    return (
        "<!doctype html>\n"
        f'<html lang="{attr(lang_tag)}" dir="{direction}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        f"<title>{html.escape(title or link_text)}</title>\n"
        '<meta name="robots" content="noindex">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<link rel="canonical" href="{attr(canonical)}">\n'
        f'<meta http-equiv="refresh" content="0; url={attr(target)}">\n'
        "</head>\n"
        "<body>\n"
        f'<p><a href="{attr(target)}">{html.escape(link_text)}</a></p>\n'
        "</body>\n"
        "</html>\n"
    )


def redirect_pages(config: Mapping | None, language_codes: list[str], *,
                   text: Callable[[str, ShortLink], tuple[str, str]] | None = None,
                   pages: Mapping[str, Collection[str]] | None = None, site_url: str = "",
                   where: str = CONFIG_KEY) -> dict[str, str]:
    """Every redirect page, ready to write: output path -> HTML.

    text(language_code, link) gives (title, link_text) in that language, for example the target
    page's title twice; without it both are the English 'Go to <page address>'. With site_url
    the canonical link is absolute.
    """
    links = parse_short_links(config, pages, where)
    out: dict[str, str] = {}
    for code in language_codes:
        language = languages.get(code)
        for link in links:
            target = relative_target(link, code, language_codes)
            title, link_text = text(code, link) if text else (f"Go to /{link.url_path}",) * 2
            canonical = None
            if site_url:
                canonical = site_url.rstrip("/") + "/" + language_prefix(code, language_codes) + link.url_path
            out[short_link_path(link.name, code, language_codes)] = redirect_html(
                target, language.tag, language.direction, title, link_text, canonical=canonical)
    return out


def write(build) -> None:
    """/go/<name>/ in every language, redirecting to the configured page, for posters and texts."""
    content = build.content

    def text(code: str, link: ShortLink) -> tuple[str, str]:
        page = content.resolve(code, link.page)
        title = str(page.meta.get("title", link.page)) if page else link.page
        return title, title

    pages = redirect_pages(dict(build.site.settings.short_links), build.site.language_codes,
                           text=text, pages=pages_from_content(content), site_url=build.site_url)
    for path, page_html in pages.items():
        target = build.site_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page_html, encoding="utf-8")
