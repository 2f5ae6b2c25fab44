"""Changes to a rendered page's HTML: share links beside entitlements, full addresses for print,
absolute hreflang alternates, a name for Material's search dialog."""

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
