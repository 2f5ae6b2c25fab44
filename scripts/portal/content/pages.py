"""Reading content pages: front matter with line numbers, headings, anchors and links."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from markdown.extensions.toc import slugify

from .errors import Problem
from .files import read_text
from .limits import nesting_problem, size_problem
from .offer import Offer, build_offer
from .settings import Site
from .syntax import walk
from .yaml_loader import RefusedYAML, error_line, error_reason, node_and_data

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
HEADING_ATTRS = re.compile(r"^(.*?)\s*\{:?\s*([^}]*)\}\s*$")
LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
ENTITLEMENT_CLASS = "entitlement"


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str
    classes: tuple[str, ...]
    line: int

    @property
    def is_entitlement(self) -> bool:
        return ENTITLEMENT_CLASS in self.classes


@dataclass(frozen=True)
class Link:
    text: str
    target: str
    line: int


@dataclass
class SourcePage:
    """One Markdown file: `rel` is its path inside its language folder."""

    display_path: str
    lang: str
    rel: str
    meta: dict = field(default_factory=dict)
    meta_lines: dict = field(default_factory=dict)
    body: str = ""
    body_start_line: int = 1
    problems: list[Problem] = field(default_factory=list)
    _headings: tuple[Heading, ...] | None = field(default=None, repr=False, compare=False)

    def line_of(self, key: str) -> int:
        return self.meta_lines.get(key, 1)

    def body_lines(self):
        """(line number, text) for body lines outside fenced code."""
        for number, text, is_code in walk(self.body, self.body_start_line):
            if not is_code:
                yield number, text

    def headings(self) -> list[Heading]:
        # Every check and the renderer ask for the headings: find them once per page.
        if self._headings is not None:
            return list(self._headings)
        found: list[Heading] = []
        seen: dict[str, int] = {}
        for number, text in self.body_lines():
            match = HEADING.match(text)
            if not match:
                continue
            level, title = len(match.group(1)), match.group(2)
            anchor, classes = "", ()
            attrs = HEADING_ATTRS.match(title)
            if attrs:
                title = attrs.group(1)
                tokens = attrs.group(2).split()
                anchor = next((t[1:] for t in tokens if t.startswith("#")), "")
                classes = tuple(t[1:] for t in tokens if t.startswith("."))
            if not anchor:
                anchor = unique_slug(slugify(title, "-"), seen)
            else:
                seen[anchor] = seen.get(anchor, 0) + 1
            found.append(Heading(level, title, anchor, classes, number))
        self._headings = tuple(found)
        return found

    def anchors(self) -> set[str]:
        return {h.anchor for h in self.headings()}

    def links(self) -> list[Link]:
        return [
            Link(m.group("text"), m.group("target"), number)
            for number, text in self.body_lines() if "](" in text  # most lines hold no link
            for m in LINK.finditer(text)
        ]

    def source_hash(self) -> str:
        """What a translation translates: title, description and body, not review metadata."""
        parts = [str(self.meta.get("title", "")), str(self.meta.get("description", "")), self.body]
        normalised = "\n".join(part.strip() for part in parts)
        return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:12]


def unique_slug(slug: str, seen: dict[str, int]) -> str:
    """Python-Markdown's toc gives repeated headings the ids x, x_1, x_2..."""
    count = seen.get(slug, 0)
    seen[slug] = count + 1
    return slug if count == 0 else f"{slug}_{count}"


def parse_page(display_path: str, lang: str, rel: str, text: str) -> SourcePage:
    page = SourcePage(display_path=display_path, lang=lang, rel=rel)
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        page.problems.append(
            Problem(display_path, 1, "front matter",
                    "the page has no front matter; start the file with a line '---', "
                    "the fields (title, description, ...), then another '---'")
        )
        page.body = text
        return page
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        page.problems.append(
            Problem(display_path, 1, "front matter",
                    "the front matter is not closed; add a line '---' after the last field")
        )
        return page
    front = "\n".join(lines[1:end])
    page.body = "\n".join(lines[end + 1:])
    page.body_start_line = end + 2
    too_deep = nesting_problem(display_path, page.body, page.body_start_line)
    if too_deep is not None:
        page.problems.append(too_deep)
        page.body = ""  # nothing after this may render or walk it: Python-Markdown would recurse
    try:
        node, data = node_and_data(front)
    except RefusedYAML as error:
        page.problems.append(Problem(display_path, error_line(error, 2), "front matter", error_reason(error, 2)))
        return page
    except yaml.YAMLError as error:
        error = _pure_python_error(front) or error  # its line and wording are the ones staff can act on
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark else 2
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        page.problems.append(
            Problem(display_path, line, "front matter",
                    f"this is not valid YAML ({reason}); check the colon after each field name "
                    "and put text that contains a colon in quotes")
        )
        return page
    if data is None:
        data = {}
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        page.problems.append(
            Problem(display_path, 2, "front matter",
                    "the front matter must be a list of 'field: value' lines")
        )
        return page
    page.meta = data
    page.meta_lines = {str(k.value): k.start_mark.line + 2 for k, _ in node.value}
    return page


def _pure_python_error(front: str) -> yaml.YAMLError | None:
    try:
        yaml.compose(front, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        return error
    return None


def load_page(root: Path, docs_dir: Path, lang: str, rel: str) -> SourcePage:
    path = docs_dir / lang / rel
    display = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
    too_big = size_problem(display, path.stat().st_size)
    if too_big is not None:
        return SourcePage(display_path=display, lang=lang, rel=rel, problems=[too_big])
    return parse_page(display, lang, rel, read_text(path, root, display))


def page_url(rel: str) -> str:
    """The address of a page inside its language, with MkDocs' directory URLs.

    offer/travel.md -> offer/travel/, offer/index.md -> offer/, index.md -> "" (the home page).
    """
    stem = rel[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")]
        return stem
    return stem + "/"


def page_paths(docs_dir: Path, lang: str) -> list[str]:
    base = docs_dir / lang
    if not base.is_dir():
        return []
    return sorted(p.relative_to(base).as_posix() for p in base.rglob("*.md"))


@dataclass
class Content:
    """Every page of the site, by language, then by path inside the language folder."""

    site: Site
    pages: dict[str, dict[str, SourcePage]]
    _offer: Offer | None = None

    @property
    def offer(self) -> Offer:
        """The entitlements of every page in every language, built once, on first use."""
        if self._offer is None:
            self._offer = build_offer(self)
        return self._offer

    def english(self) -> dict[str, SourcePage]:
        return self.pages[self.site.default_language]

    def resolve(self, lang: str, rel: str) -> SourcePage | None:
        """The page a reader gets: the translation, else the English fallback."""
        return self.pages.get(lang, {}).get(rel) or self.english().get(rel)


def load_content(site: Site) -> Content:
    pages = {
        lang: {rel: load_page(site.root, site.docs_dir, lang, rel) for rel in page_paths(site.docs_dir, lang)}
        for lang in site.language_codes
    }
    return Content(site, pages)


