"""Short links, the model: memorable names such as /go/bus/ for a page and heading, from the
mapping in mkdocs.yml (plugins.portal.short_links), checked against the English pages. The
checks read it; publish/short_links.py writes the redirect pages."""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from .errors import PortalError
from .pages import page_url

SHORT_LINK_FOLDER = "go"
CONFIG_KEY = "plugins.portal.short_links"  # where mkdocs.yml holds the mapping; named in error messages
SHORT_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")


class ShortLinkError(PortalError):
    """Every problem in the short-link settings, one line each (`problems` holds the lines)."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


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
