"""Links between pages and to headings, and the /go/<name>/ short links in mkdocs.yml."""

from __future__ import annotations

import posixpath
from urllib.parse import urlsplit

from ..content.errors import Problem
from ..content.pages import Content, SourcePage
from ..content.short_links import ShortLinkError, pages_from_content, parse_short_links

EXTERNAL_SCHEMES = ("http", "https", "mailto", "tel")


def check_links(page: SourcePage, content: Content) -> list[Problem]:
    problems = []
    for link in page.links():
        parts = urlsplit(link.target)
        if parts.scheme in EXTERNAL_SCHEMES or parts.netloc:
            continue
        if parts.scheme:
            problems.append(Problem(page.display_path, link.line, "link",
                                    f"'{link.target}' is not a web address the site allows; "
                                    "use https://, mailto: or a link to another page"))
            continue
        if not parts.path:
            target = page
        else:
            rel = posixpath.normpath(posixpath.join(posixpath.dirname(page.rel), parts.path))
            if not rel.endswith(".md") or rel.startswith(".."):
                problems.append(Problem(page.display_path, link.line, "link",
                                        f"'{link.target}' must point to a page's .md file, for example "
                                        "../glossary.md#personal-adviser"))
                continue
            target = content.resolve(page.lang, rel)
            if target is None:
                problems.append(Problem(page.display_path, link.line, "link",
                                        f"'{link.target}' points to a page that does not exist; "
                                        "check the file name and the ../ at its start"))
                continue
        if parts.fragment and parts.fragment not in target.anchors():
            problems.append(Problem(page.display_path, link.line, "link",
                                    f"'{link.target}': there is no heading with the id '{parts.fragment}' on "
                                    f"{target.display_path}; use one of its ids or remove the #part"))
    return problems




def check_short_links(content: Content) -> list[Problem]:
    """Each /go/<name>/ link must point at a page and heading that exist."""
    config = content.site.root / "mkdocs.yml"
    lines = config.read_text(encoding="utf-8").splitlines() if config.exists() else []
    line = next((n for n, text in enumerate(lines, 1) if text.strip() == "short_links:"), 1)
    try:
        parse_short_links(dict(content.site.settings.short_links), pages_from_content(content))
    except ShortLinkError as error:
        return [Problem("mkdocs.yml", line, "short_links", problem) for problem in error.problems]
    return []


