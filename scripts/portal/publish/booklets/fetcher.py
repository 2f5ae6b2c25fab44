"""What WeasyPrint may read while it renders a booklet.

WeasyPrint's own fetcher opens any address it meets: an image, a stylesheet, url() in a style, an
SVG or a stylesheet in a data: address, and the file behind `<a rel="attachment">`, which it
embeds in the PDF. A page (or a translator's PO file) could so make the build read
file:///etc/hostname or .git/config into the public booklet, or ask the network for something.

The booklet needs only its fonts (the stylesheet names them as file:// addresses under FONT_DIR)
and its QR codes (SVG in data: addresses, referring to nothing). So this fetcher serves files under
its roots and data: images that load nothing else, and refuses every other address, noting each
one so that the render can stop with the page's name. A font file is under its roots, so the fetcher
cannot tell an attachment from a font: `refuse_attachments` takes rel="attachment" off every
element of WeasyPrint's own parse of the booklet (no second parser to disagree with it).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint.html import (
    SPACE_SEPARATED_TOKENS_RE,
    ascii_lower,
    element_has_link_type,
)
from weasyprint.urls import UNICODE_SCHEME_RE, URLFetcher, URLFetcherResponse

# In an SVG image, what makes the renderer load another address: url(...), @import, image-set(),
# an href or src attribute. (A PNG or JPEG refers to nothing.)
REFERENCE = re.compile(r"url\s*\(|@import|image-set\s*\(|(?<![\w-])(?:xlink:)?(?:href|src)\s*=", re.IGNORECASE)
LOCAL_HOSTS = ("", "localhost")
ATTACHED = 'would be embedded in the PDF as an attached file (rel="attachment")'


class BookletFetcher(URLFetcher):
    """WeasyPrint's fetcher, for files under `roots` and self-contained data: images only.

    `refused` holds (address, why) for every address refused; WeasyPrint itself only logs a
    failed fetch and draws the booklet without it."""

    def __init__(self, roots: list[Path]):
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.roots = tuple(Path(root).resolve() for root in roots)
        self.refused: list[tuple[str, str]] = []

    def fetch(self, url, headers=None):
        match = UNICODE_SCHEME_RE.match(url)
        scheme = match[1].lower() if match else ""
        if scheme == "file":
            return self._file(url, headers)
        if scheme == "data":
            return self._data(url, headers)
        return self._refuse(url, "asks another computer for a file while the booklet is made")

    def _file(self, url: str, headers) -> URLFetcherResponse:
        parts = urlsplit(url)
        path = Path(url2pathname(parts.path)).resolve()  # .. and symbolic links followed before the test
        inside = any(path.is_relative_to(root) for root in self.roots)
        if parts.netloc.lower() not in LOCAL_HOSTS or not inside or not path.is_file():
            return self._refuse(url, "reads a file of the computer that makes the booklet")
        return super().fetch(path.as_uri(), headers)

    def _data(self, url: str, headers) -> URLFetcherResponse:
        response = super().fetch(url, headers)
        try:
            body = response.read()
        finally:
            response.close()
        if not response.content_type.startswith("image/"):
            return self._refuse(url, "is a data: address that is not an image")
        if response.content_type == "image/svg+xml" and REFERENCE.search(body.decode("utf-8", "replace")):
            return self._refuse(url, "is a drawing in a data: address that loads other addresses")
        return URLFetcherResponse(response.url, body, response.headers, response.status)

    def _refuse(self, url: str, why: str):
        self.refused.append((url, why))
        raise ValueError(f"refused by the portal's booklet fetcher: {why}")


def refuse_attachments(document, fetcher: BookletFetcher) -> None:
    """Take "attachment" out of every rel of a parsed weasyprint.HTML, noting each address in
    fetcher.refused: WeasyPrint embeds the file behind <a rel="attachment"> and <link rel="attachment">."""
    for element in document.etree_element.iter():
        if isinstance(element.tag, str) and element_has_link_type(element, "attachment"):
            tokens = SPACE_SEPARATED_TOKENS_RE.findall(element.get("rel", ""))
            element.set("rel", " ".join(token for token in tokens if ascii_lower(token) != "attachment"))
            fetcher.refused.append((element.get("href") or "(no address)", ATTACHED))
