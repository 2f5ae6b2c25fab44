"""Changes to a rendered page's HTML: share links beside entitlements, full addresses for print,
absolute hreflang alternates, a name for Material's search dialog, the templates' indentation out."""

from __future__ import annotations

import html
import posixpath
import re
import urllib.parse


def root_path(page_url: str) -> str:
    """The relative path from a page's folder to the site root: "../../" for "ar/offer/", "" for ""."""
    return "../" * page_url.count("/")


ENTITLEMENT_HEADING = re.compile(r'(<h2 class="entitlement" id="([^"]+)">.*?</h2>)', re.S)


def add_entitlement_share_links(page_html: str, page_address: str, label: str) -> str:
    """After each entitlement heading, a link to exactly that entitlement, ready to share or copy."""
    def link(match: re.Match) -> str:
        href = html.escape(f"{page_address}#{match.group(2)}")
        return (f'{match.group(1)}\n<p class="portal-share"><a href="{href}" data-portal-share '
                f'class="portal-share__link">{html.escape(label)}</a></p>')
    return ENTITLEMENT_HEADING.sub(link, page_html)


LINK_HREF = re.compile(r'<a href="((?:https?://|(?![a-z][a-z0-9+.-]*:|#))[^"]+)"')  # web and relative links


def add_print_addresses(page_html: str, page_address: str) -> str:
    """Give every link its full address in data-print, which the print stylesheet writes after it."""
    resolve = AddressResolver(page_address)

    def absolute(match: re.Match) -> str:
        full = resolve(html.unescape(match.group(1)))
        return f'<a data-print="{html.escape(full)}" href="{match.group(1)}"'
    return LINK_HREF.sub(absolute, page_html)


class AddressResolver:
    """urljoin(page_address, href) for the links of one page, without urljoin's cost for each of the
    hundreds of navigation links every page carries; anything unusual still goes to urljoin."""

    def __init__(self, page_address: str):
        self.page = page_address.split("#", 1)[0]
        parts = urllib.parse.urlsplit(self.page)
        self.origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme else ""
        self.path = parts.path or "/"
        self.directory = self.path[: self.path.rfind("/") + 1]
        self.plain = bool(parts.scheme in ("http", "https") and not parts.query)

    def __call__(self, href: str) -> str:
        if href.startswith(("https://", "http://")):
            return href
        if not self.plain or href.startswith("//") or ":" in href.split("/", 1)[0] or "\\" in href:
            return urllib.parse.urljoin(self.page, href)
        cut = len(href)
        for mark in "?#":
            found = href.find(mark)
            if found >= 0:
                cut = min(cut, found)
        path, tail = href[:cut], href[cut:]
        if not path:
            return self.origin + self.path + tail
        joined = path if path.startswith("/") else self.directory + path
        normal = posixpath.normpath(joined)
        if normal.startswith("//"):
            normal = "/" + normal.lstrip("/")
        last = path.rsplit("/", 1)[-1]
        if (path.endswith("/") or last in (".", "..")) and normal != "/":
            normal += "/"
        return self.origin + normal + tail


ALTERNATE_LINK = re.compile(r'<link rel="alternate" href="([^"]*)" hreflang="([^"]+)">')


def absolute_alternates(page_html: str, page_address: str) -> str:
    """hreflang alternates must be full addresses for search engines; Material writes relative ones."""
    resolve = AddressResolver(page_address)

    def absolute(match: re.Match) -> str:
        full = resolve(html.unescape(match.group(1)))
        return f'<link rel="alternate" href="{html.escape(full)}" hreflang="{match.group(2)}">'
    return ALTERNATE_LINK.sub(absolute, page_html)


SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
SEARCH_LABEL = re.compile(r'class="md-search__input" name="query" aria-label="([^"]+)"')


def name_search_dialog(page_html: str) -> str:
    """Material's search dialog has no accessible name; give it the search box's own label."""
    label = SEARCH_LABEL.search(page_html)
    if label is None or SEARCH_DIALOG not in page_html:
        return page_html
    return page_html.replace(SEARCH_DIALOG, SEARCH_DIALOG[:-1] + f' aria-label="{label.group(1)}">', 1)


# Elements whose text is kept exactly as written: raw text (a script's hash is of its exact text), and
# text whose spaces show: <pre>, <textarea>, and <code> and <kbd>, which Material sets to pre-wrap.
AS_WRITTEN = re.compile(r"<(script|style|pre|textarea|code|kbd)\b.*?</\1\s*>", re.S | re.I)
# Text between two tags that holds a line break: elsewhere there is nothing to take out.
TEXT_WITH_BREAK = re.compile(r">([^<]*\n[^<]*)(?=<)")
# HTML's own spaces only: a no-break space (U+00A0), which \s would match, is text, and shows.
SPACES_WITH_BREAK = re.compile(r"[ \t\r\f]*\n[ \t\r\n\f]*")


def collapse_whitespace(page_html: str) -> str:
    """Each run of spaces that holds a line break, in text between tags, made one line break.

    Material's templates indent every line and leave blank lines where a block is empty: about a
    twentieth of each page's compressed weight. A browser shows such a run as one space (or nothing,
    between blocks), so the page looks and reads the same; attribute values and the elements in
    AS_WRITTEN are left as they are."""
    out, position = [], 0
    for kept in AS_WRITTEN.finditer(page_html):
        out += [_collapsed(page_html[position:kept.start()]), kept.group(0)]
        position = kept.end()
    out.append(_collapsed(page_html[position:]))
    return "".join(out)


def _collapsed(part: str) -> str:
    part = f">{part}<"  # text before the first tag and after the last is text between tags too
    return TEXT_WITH_BREAK.sub(lambda m: ">" + SPACES_WITH_BREAK.sub("\n", m.group(1)), part)[1:-1]
