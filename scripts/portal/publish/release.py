"""Release gates that are not about content: the public build must know its public address.

mkdocs.yml reads it with `site_url: !ENV [SITE_URL, "http://localhost:8000/"]`: without SITE_URL a
build is for a preview at localhost, and every canonical link, hreflang alternate, sitemap entry,
QR code and link preview in it would point at the reader's own computer.
"""

from __future__ import annotations

import ipaddress
import os
import re
from urllib.parse import urlsplit

from ..content.errors import Problem
from ..content.files import read_text

CONFIG = "mkdocs.yml"
VARIABLE = "SITE_URL"
EXAMPLE = "SITE_URL=https://careleavers.example.gov.uk/ make release"
LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


def site_url_line(site) -> int:
    """The line of site_url in mkdocs.yml, for the message (its value comes from MkDocs, !ENV resolved)."""
    text = read_text(site.root / site.config_file, site.root)
    match = re.search(r"^site_url\s*:", text, re.M)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def is_local(host: str) -> bool:
    """localhost, a loopback, private or link-local address, or a .local name."""
    host = host.strip("[]").rstrip(".").lower()
    if not host or host in LOCAL_NAMES or host.endswith((".localhost", ".local")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified or address.is_private or address.is_link_local


def site_url_problems(site) -> list[Problem]:
    """A release needs SITE_URL set to the site's public https:// address."""
    url, line = site.site_url.strip(), site_url_line(site)
    parts = urlsplit(url)
    message = None
    if not url or not parts.hostname or is_local(parts.hostname):
        if not os.environ.get(VARIABLE, "").strip():
            message = (f"is not set, so the site would be built for {url or 'no address'}: every page address, "
                       "QR code and link preview in it would lead nowhere. Set it to the site's public address: "
                       + EXAMPLE)
        elif not parts.hostname:
            message = f"{url!r} is not a web address; set it to the site's public address: {EXAMPLE}"
        else:
            message = (f"is {url}, an address on this computer or its network, not the public site; set it to "
                       f"the site's public address: {EXAMPLE}")
    elif parts.scheme != "https":
        message = f"is {url}; the public site's address must start https://, for example: {EXAMPLE}"
    return [Problem(site.config_file, line, VARIABLE, message)] if message else []
