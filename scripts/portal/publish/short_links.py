"""/go/<name>/ redirect pages in every language, from a mapping such as
{"bus": "offer/travel.md#free-bus-and-tram"} in mkdocs.yml."""

from __future__ import annotations

import difflib
import html
import posixpath
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

from ..content import languages
from ..content.pages import page_url

SHORT_LINK_FOLDER = "go"
CONFIG_KEY = "extra.portal.short_links"  # where mkdocs.yml holds the mapping; named in error messages
SHORT_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")


class ShortLinkError(ValueError):
    """Every problem in the short-link settings, one per line."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class ShortLink:
    name: str  # "bus": the link is /go/bus/
    page: str  # "offer/travel.md": the page's file inside docs/<language>/
    fragment: str  # "free-bus-and-tram", or ""

    @property
    def url_path(self) -> str:
        return page_url(self.page)


def parse_short_links(config: Mapping | None, pages: Mapping[str, Collection[str]] | None = None,
                      where: str = CONFIG_KEY) -> list[ShortLink]:
    """Check the short-link settings and return them sorted by name.

    pages, when given, maps every English page (path inside docs/en/) to its heading ids, and
    each short link must point at one of them; see pages_from_content.
    """
    if config is None:
        return []
    if not isinstance(config, Mapping):
        raise ShortLinkError([(f"{where}: must list lines of the form 'short-name: page path', for example "
                               "'bus: offer/travel.md#free-bus-and-tram'")])
    problems: list[str] = []
    links: list[ShortLink] = []
    for raw_name, target in config.items():
        name = str(raw_name)
        at = f"{where}.{name}"
        if not SHORT_NAME.match(name):
            suggestion = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "bus-pass"
            problems.append(f"{at}: '{name}' cannot be a short link name; use lower-case letters, digits and "
                            f"hyphens, at most 40 characters, for example '{suggestion}'")
            continue
        if not isinstance(target, str) or not target.strip():
            problems.append(f"{at}: give the page it leads to, for example '{name}: offer/travel.md'")
            continue
        target = target.strip()
        path, _, fragment = target.partition("#")
        normal = posixpath.normpath(path) if path else ""
        if (re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) or target.startswith(("/", "//")) or not path
                or not path.endswith(".md") or normal.startswith("..") or normal != path
                or re.search(r"[\s#]", fragment)):
            problems.append(f"{at}: '{target}' is not a page of this site; write the path of its file inside "
                            "docs/en/, such as offer/travel.md or offer/travel.md#free-bus-and-tram")
            continue
        if pages is not None:
            if path not in pages:
                fix = _did_you_mean(path, pages, "", "use the path of an existing page, as in its address: "
                                                     "/offer/travel/ is offer/travel.md")
                problems.append(f"{at}: there is no page '{path}' in docs/en/; {fix}")
                continue
            if fragment and fragment not in pages[path]:
                fix = _did_you_mean(fragment, pages[path], "#", "use one of its ids (entitlements.yml lists them) "
                                                                "or remove the #part")
                problems.append(f"{at}: {path} has no heading with the id '{fragment}'; {fix}")
                continue
        links.append(ShortLink(name, path, fragment))
    if pages is not None:
        clash = sorted(p for p in pages if p.split("/", 1)[0] == SHORT_LINK_FOLDER)
        if clash:
            problems.append(f"docs/en/{clash[0]}: the folder '{SHORT_LINK_FOLDER}/' is kept for short links; "
                            "move the page to another folder")
    if problems:
        raise ShortLinkError(problems)
    return sorted(links, key=lambda link: link.name)


def _did_you_mean(wrong: str, choices, mark: str, fix: str) -> str:
    """The fix, led by the nearest right spelling when there is one."""
    near = difflib.get_close_matches(wrong, sorted(choices), n=1)
    return f"did you mean {mark}{near[0]}? Otherwise {fix}" if near else fix


def pages_from_content(content) -> dict[str, set[str]]:
    """The English pages and their heading ids, from a checks.Content, for parse_short_links."""
    return {rel: page.anchors() for rel, page in content.english().items()}


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
        raise ValueError("short_link_pages needs the language codes, default language first")
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
        raise ValueError(f"direction must be 'ltr' or 'rtl', not {direction!r}")
    if not target:
        raise ValueError("redirect_html needs a target address")
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

    pages = redirect_pages(build.site.extra.get("portal", {}).get("short_links"), build.site.language_codes,
                           text=text, pages=pages_from_content(content), site_url=build.site_url)
    for path, page_html in pages.items():
        target = build.site_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page_html, encoding="utf-8")
