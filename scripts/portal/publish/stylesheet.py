"""Material's stylesheet, trimmed to the rules the built pages can use (tinycss2 parses and writes it).

Material ships one stylesheet for every feature it has; the portal uses a few. A rule is kept
when every class and id its selector names is in a built page, in Material's script or in the
portal's own (scripts add classes as they run: search results, dialogs). Names inside :not(),
:is(), :where() and :has() are never required, so such a rule is kept. Then custom properties no
kept rule reads (the icons of admonition types the pages do not use) are dropped. The trimmed file
gets a new name from its content, and the pages are pointed at it.

The class and id values of the pages MkDocs wrote are noted while each page is in memory
(`Build.finish_page`); only other HTML files are read here. The trimmed sheet is kept in .cache/
under its inputs (Material's sheet, the names, the portal's CSS and scripts): a build that changes
none of them does not parse the stylesheet again.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import tinycss2

from ..content.errors import PortalError
from ..content.files import atomic_write

STYLESHEET = re.compile(r"main\.[0-9a-f]{8}\.min\.css")
# No \b before the name: a pattern that starts with plain text is searched for as text, about ten
# times faster over a page. It also finds data-...class="": a name too many only keeps a rule.
CLASS_ATTRIBUTE = re.compile(r'class="([^"]*)"')
ID_ATTRIBUTE = re.compile(r'id="([^"]*)"')
SCRIPT_WORD = re.compile(r"[A-Za-z_][\w-]*")
SELECTOR_NAME = re.compile(r"(?<![\w-])[.#](-?[_a-zA-Z][\w-]*)")
ATTRIBUTE_SELECTOR = re.compile(r"\[[^\]]*\]")
FUNCTIONAL_PSEUDO = re.compile(r":(?:not|is|where|has|matches|-webkit-any|-moz-any)\(")
VARIABLE_USE = re.compile(r"var\(\s*(--[\w-]+)")
# Components Material's script can make but the portal never renders (no code blocks or their copy
# buttons, tooltips, annotations, versions, repository widget, tags, content tabs, diagrams, footnotes or
# admonitions, inline ones included): the script naming them is no reason to keep their rules; a page that renders one
# still keeps them through its own class values.
SCRIPT_ONLY = re.compile(r"(?:md-(?:tooltip2?|annotation(?:-list)?|version|source|code|clipboard|tags?|tag-icon)"
                         r"|highlight(?:table)?|tabbed-[a-z]+|mermaid|footnote(?:-ref)?|keys|inline"
                         r"|abstract|bug|danger|example|failure|info|note|question|quote|success|tip|warning)"
                         r"(?:__[\w-]*|--[\w-]*)?")


def without_functional_pseudos(selector: str) -> str:
    """The selector with every :not(...), :is(...) and the like removed, nesting included."""
    out, position = [], 0
    for match in FUNCTIONAL_PSEUDO.finditer(selector):
        if match.start() < position:
            continue  # inside one already removed
        out.append(selector[position:match.start()])
        depth, index = 1, match.end()
        while index < len(selector) and depth:
            depth += {"(": 1, ")": -1}.get(selector[index], 0)
            index += 1
        position = index
    return "".join(out) + selector[position:]


def selector_names(selector: str) -> set[str]:
    plain = without_functional_pseudos(ATTRIBUTE_SELECTOR.sub("", selector))
    return set(SELECTOR_NAME.findall(plain))


def attribute_values(html: str) -> set[str]:
    """Every class attribute's value and every id in the page (most pages repeat the same values)."""
    return {*CLASS_ATTRIBUTE.findall(html), *ID_ATTRIBUTE.findall(html)}


def used_names(values: set[str], scripts: list[Path]) -> set[str]:
    """The names a selector may use: from the pages' class and id values, and any word of a script."""
    names = set()
    for value in values:
        names.update(value.split())
    for script in scripts:
        names.update(word for word in SCRIPT_WORD.findall(script.read_text(encoding="utf-8"))
                     if not SCRIPT_ONLY.fullmatch(word))
    return names


def _parse(css_or_tokens, top: bool = False) -> list:
    if top:
        return tinycss2.parse_stylesheet(css_or_tokens, skip_comments=True, skip_whitespace=True)
    return tinycss2.parse_rule_list(css_or_tokens, skip_comments=True, skip_whitespace=True)


def _keep_rules(rules, used: set[str]) -> list:
    """("style", selector, declarations), ("group", "@media ...", children) or ("raw", text), for the kept rules."""
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selector = tinycss2.serialize(rule.prelude).strip()
            if any(selector_names(s) <= used for s in selector.split(",")):
                declarations = [d for d in tinycss2.parse_declaration_list(rule.content, skip_comments=True,
                                                                            skip_whitespace=True)
                                if d.type == "declaration"]
                kept.append(("style", selector, declarations))
        elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports") and rule.content:
            children = _keep_rules(_parse(rule.content), used)
            if children:
                kept.append(("group", f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}".strip(), children))
        elif rule.type == "at-rule":
            kept.append(("raw", rule.serialize()))
    return kept


def _declarations(kept):
    for item in kept:
        if item[0] == "style":
            yield from item[2]
        elif item[0] == "group":
            yield from _declarations(item[2])


def _drop_unread(kept, read: set[str]) -> bool:
    dropped = False
    for item in kept:
        if item[0] == "style":
            before = len(item[2])
            item[2][:] = [d for d in item[2] if not d.name.startswith("--") or d.name in read]
            dropped |= len(item[2]) != before
        elif item[0] == "group":
            dropped |= _drop_unread(item[2], read)
    return dropped


def _drop_unread_properties(kept, elsewhere: str) -> None:
    """Custom property declarations that nothing reads, removed until none is left."""
    named_elsewhere = set(re.findall(r"--[\w-]+", elsewhere))  # read in portal.css, set or read by a script
    while True:
        read = named_elsewhere | {name for d in _declarations(kept) for name in VARIABLE_USE.findall(d.serialize())}
        if not _drop_unread(kept, read):
            return


def _serialize(kept) -> str:
    out = []
    for item in kept:
        if item[0] == "style":
            if item[2]:
                out.append(item[1] + "{" + ";".join(d.serialize() for d in item[2]) + "}")
        elif item[0] == "group":
            inner = _serialize(item[2])
            if inner:
                out.append(item[1] + "{" + inner + "}")
        else:
            out.append(item[1])
    return "".join(out)


def trim(css: str, used: set[str], elsewhere: str = "") -> str:
    kept = _keep_rules(_parse(css, top=True), used)
    _drop_unread_properties(kept, elsewhere)
    return _serialize(kept)


def page_values(build) -> set[str]:
    """Class and id values of every HTML file in the site: those noted as MkDocs wrote each page,
    and read from the files other writers or templates made (404.html, short links)."""
    values = set(build.attribute_values)
    noted = build.noted_files
    for page in build.site_dir.rglob("*.html"):
        if page not in noted:
            values |= attribute_values(page.read_text(encoding="utf-8"))
    return values


class SheetName:
    """The trimmed sheet's name, known only once every page is written, is most often the last
    build's: pages are written pointing at that name (`in_page`), and only when the trimmed sheet
    turns out different are they rewritten. The last name is kept in .cache/stylesheet/name."""

    def __init__(self, cache_dir: Path):
        self.file = cache_dir / "name"
        try:
            material, _, trimmed = self.file.read_text(encoding="utf-8").partition(" ")
        except OSError:
            material, trimmed = "", ""
        self.guess = (material, trimmed.strip()) if STYLESHEET.fullmatch(material) and \
            STYLESHEET.fullmatch(trimmed.strip()) else None

    def in_page(self, html: str) -> str:
        return html.replace(self.guess[0], self.guess[1]) if self.guess else html

    def remember(self, material: str, trimmed: str) -> None:
        atomic_write(self.file, f"{material} {trimmed}".encode("utf-8"))


def trimmed_sheet(css: str, used: set[str], elsewhere: str, cache_dir: Path) -> str:
    """trim(), kept in cache_dir under a hash of its inputs: the last result only."""
    key = hashlib.sha256("\0".join([css, " ".join(sorted(used)), elsewhere]).encode("utf-8")).hexdigest()
    kept = cache_dir / f"{key}.css"
    if kept.is_file():
        return kept.read_text(encoding="utf-8")
    trimmed = trim(css, used, elsewhere)
    for stale in cache_dir.glob("*.css"):
        stale.unlink(missing_ok=True)
    atomic_write(kept, trimmed.encode("utf-8"))
    return trimmed


def write(build) -> None:
    site_dir = build.site_dir
    sheets = list((site_dir / "assets" / "stylesheets").glob("main.*.min.css"))
    if len(sheets) != 1:
        raise PortalError(f"site/assets/stylesheets: expected one of Material's main.*.min.css, found {len(sheets)}; "
                          "update scripts/portal/publish/stylesheet.py for this Material version")
    sheet = sheets[0]
    scripts = [*(site_dir / "assets" / "javascripts").glob("bundle.*.min.js"), site_dir / "assets" / "portal.js"]
    own_css = (site_dir / "assets" / "portal.css").read_text(encoding="utf-8")
    elsewhere = own_css + "".join(s.read_text(encoding="utf-8") for s in scripts)
    trimmed = trimmed_sheet(sheet.read_text(encoding="utf-8"), used_names(page_values(build), scripts), elsewhere,
                            build.cache_dir / "stylesheet")
    name = f"main.{hashlib.sha256(trimmed.encode('utf-8')).hexdigest()[:8]}.min.css"
    (sheet.parent / name).write_text(trimmed, encoding="utf-8")
    for stale in (sheet, sheet.with_name(sheet.name + ".map")):
        stale.unlink(missing_ok=True)
    guessed = build.sheet_name.guess == (sheet.name, name)

    def renamed(text: str) -> str:
        text = text.replace(sheet.name, name)
        return text.replace(build.sheet_name.guess[1], name) if build.sheet_name.guess else text

    for page in site_dir.rglob("*.html"):
        if guessed and page in build.noted_files:
            continue  # written with this name already
        html = page.read_text(encoding="utf-8")
        fixed = renamed(html)
        if fixed != html:
            page.write_text(fixed, encoding="utf-8")
    if not guessed:  # what the pages load, as noted for the offline manifest, changed with them
        build.page_addresses = {url: [renamed(a) for a in addresses] for url, addresses in build.page_addresses.items()}
    build.sheet_name.remember(sheet.name, name)
