"""Security a static host can carry: a Content-Security-Policy that allows nothing off-site.

Material inlines a few small scripts per page; they are allowed by hash, not by 'unsafe-inline'.
Only the scripts the theme's templates emit (Material's and overrides/) are allowed: the allowed
set is worked out from the template sources, never from a page. A page carrying any other inline
script stops the build; its hash is never added to the policy.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..content.errors import PortalError

# Any script element, whatever the case of its name; the body ends at the first </script>.
SCRIPT_ELEMENT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
SRC_ATTRIBUTE = re.compile(r"(?:^|\s)src\s*=", re.I)
TYPE_ATTRIBUTE = re.compile(r"""(?:^|\s)type\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
# Script types a browser never runs: data blocks such as Material's <script id="__config" type="application/json">.
DATA_TYPES = {"application/json", "application/ld+json"}
JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.S)
JINJA_EXPRESSION = re.compile(r"\{\{(-?)(.*?)(-?)\}\}", re.S)
# The one template value a script may carry: the build's own base_url, a relative or absolute path
# such as ".", "../.." or "/". None of these characters can end the string or the script. A value a
# page controls (redirect.html's page.meta.location) is never a wildcard: such a script is refused.
ADDRESS = r"[A-Za-z0-9._~/%\-]*"
BUILD_ADDRESS = re.compile(r"^\s*(?:config\.extra\.scope\s*\|\s*d\(\s*base_url\s*\)|base_url)\s*$")
CHARSET = re.compile(r'<meta charset="utf-8">')
# Material marks its state toggles autocomplete="off", which HTML allows only on text-like inputs.
TOGGLE_AUTOCOMPLETE = re.compile(r'(<input class="md-toggle"[^>]*type="checkbox"[^>]*?) autocomplete="off"')
# A link to another site; one that already has rel= is left as it is (checked in mark_external: as a
# look-ahead in the pattern it made the pattern four times slower over a page).
LINK_TAG = re.compile(r'<a ([^>]*href="((?:https?:)?//[^"]+)"[^>]*)>')
HAS_REL = re.compile(r"\brel=")
REFERRER_POLICY = "no-referrer"


class UnknownScriptError(PortalError):
    """A page carries an inline script that no template of the theme emits."""


def script_hash(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii") + "'"


def inline_scripts(html: str) -> list[str]:
    """The body of every inline script a browser would run (not src=, not a JSON data block)."""
    bodies = []
    for match in SCRIPT_ELEMENT.finditer(html):
        attributes, body = match.group(1), match.group(2)
        if SRC_ATTRIBUTE.search(attributes):
            continue
        kind = TYPE_ATTRIBUTE.search(attributes)
        if kind and next(g for g in kind.groups() if g is not None).strip().lower() in DATA_TYPES:
            continue
        bodies.append(body)
    return bodies


def script_hashes(html: str, bodies: list[str] | None = None) -> list[str]:
    """The policy's hashes of the page's inline scripts (`bodies`: inline_scripts(html), if known)."""
    return sorted({script_hash(body) for body in (inline_scripts(html) if bodies is None else bodies)})


@dataclass(frozen=True)
class ScriptAllowlist:
    """The inline scripts the theme's templates can emit: the hash of each fixed one, and for a
    script with a template expression inside a string (Material's `new URL("{{ base_url }}", ...)`),
    its text with that expression standing for a page address."""

    hashes: frozenset[str]
    shapes: tuple[re.Pattern, ...]

    def allows(self, body: str) -> bool:
        return script_hash(body) in self.hashes or any(shape.fullmatch(body) for shape in self.shapes)

    @classmethod
    def from_templates(cls, dirs) -> ScriptAllowlist:
        hashes, shapes = set(), []
        for path in _template_files(dirs):
            source = JINJA_COMMENT.sub("", path.read_text(encoding="utf-8", errors="replace"))
            for body in inline_scripts(source):
                if "{%" in body:
                    continue  # a script built by template logic: nothing to allow it by
                if "{{" not in body:
                    hashes.add(script_hash(body))
                    continue
                shape = _shape(body)
                if shape is not None:
                    shapes.append(shape)
        return cls(frozenset(hashes), tuple(shapes))


def _template_files(dirs) -> list[Path]:
    files = []
    for folder in dirs:
        for current, subfolders, names in os.walk(folder):
            # Hidden folders hold no template: Material's .icons/ is 14,000 SVG files, and walking them
            # on every build cost more than reading every template.
            subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
            files += [Path(current) / name for name in sorted(names) if name.endswith(".html")]
    return files


def _shape(body: str) -> re.Pattern | None:
    """A pattern for the script's text, each {{ base_url }} a page address; None when an expression
    is anything else, or sits outside a JavaScript string, where it could become code."""
    pattern, literal_so_far, position = [], "", 0
    for match in JINJA_EXPRESSION.finditer(body):
        literal = body[position:match.start()]
        if match.group(1):
            literal = literal.rstrip()
        if position and body[position - 3:position] == "-}}":
            literal = literal.lstrip()
        literal_so_far += literal
        if _string_quote(literal_so_far) is None or not BUILD_ADDRESS.match(match.group(2)):
            return None
        pattern += [re.escape(literal), ADDRESS]
        literal_so_far += "x"  # the expression's value, inside the string
        position = match.end()
    rest = body[position:]
    if body[position - 3:position] == "-}}":
        rest = rest.lstrip()
    pattern.append(re.escape(rest))
    return re.compile("".join(pattern), re.S)


def _string_quote(code: str) -> str | None:
    """The quote of the JavaScript string literal open at the end of `code`, if one is open."""
    quote, escaped = None, False
    for char in code:
        if escaped:
            escaped = False
        elif char == "\\" and quote:
            escaped = True
        elif quote and char == quote:
            quote = None
        elif not quote and char in "\"'`":
            quote = char
    return quote


def material_templates() -> Path | None:
    spec = importlib.util.find_spec("material")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "templates"


def default_theme_dirs() -> list[Path]:
    """Material's templates and this repository's overrides/, when nobody says which."""
    dirs = [Path(__file__).resolve().parents[3] / "overrides"]
    templates = material_templates()
    return [d for d in dirs + ([templates] if templates else []) if d.is_dir()]


def allowlist(theme_dirs=None) -> ScriptAllowlist:
    dirs = tuple(str(d) for d in (theme_dirs if theme_dirs is not None else default_theme_dirs()))
    signature = tuple((str(path), path.stat().st_mtime_ns) for path in _template_files(dirs))
    return _allowlist(dirs, signature)


@lru_cache(maxsize=8)
def _allowlist(dirs: tuple[str, ...], signature) -> ScriptAllowlist:
    return ScriptAllowlist.from_templates(dirs)


def check_scripts(html: str, allowed: ScriptAllowlist, where: str = "") -> list[str]:
    """The hashes of the page's inline scripts; UnknownScriptError when one is not the theme's."""
    bodies = inline_scripts(html)
    unknown = [body for body in bodies if not allowed.allows(body)]
    if unknown:
        shown = " ".join(unknown[0].split())
        shown = shown if len(shown) <= 120 else shown[:117] + "..."
        page = f"{where}: " if where else ""
        raise UnknownScriptError(
            f"{page}the page carries an inline script that no template of the theme (Material or overrides/) "
            f"emits, so the Content-Security-Policy will not allow it: <script>{shown}</script>. Remove it from "
            f"the page; the portal's own script is overrides/assets/portal.js. The build stops here"
            + (f" ({len(unknown)} unknown scripts)" if len(unknown) > 1 else ""))
    return script_hashes(html, bodies)


def policy(hashes: list[str]) -> str:
    scripts = " ".join(["'self'", *hashes])
    return "; ".join([
        "default-src 'self'",
        f"script-src {scripts}",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "media-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ])


def harden(html: str, own_origin: str = "", theme_dirs=None, where: str = "",
           allowed: ScriptAllowlist | None = None) -> tuple[str, list[str]]:
    """Add the CSP and referrer meta after the charset, fix Material's invalid toggles, mark external links.

    Only inline scripts the theme's templates emit are hashed into the policy (`theme_dirs`: MkDocs'
    config.theme.dirs; by default Material's templates and overrides/); any other stops the build.
    A build passes `allowed`, made once from the templates, rather than reading them for every page."""
    hashes = check_scripts(html, allowed or allowlist(theme_dirs), where)
    meta = (f'<meta charset="utf-8">\n      <meta http-equiv="Content-Security-Policy" content="{policy(hashes)}">'
            f'\n      <meta name="referrer" content="{REFERRER_POLICY}">')
    html = CHARSET.sub(meta, html, count=1)
    html = TOGGLE_AUTOCOMPLETE.sub(r"\1", html)
    def mark_external(match: re.Match) -> str:
        if HAS_REL.search(match.group(1)) or (own_origin and match.group(2).startswith(own_origin)):
            return match.group(0)
        return f'<a rel="noopener noreferrer" {match.group(1)}>'

    html = LINK_TAG.sub(mark_external, html)
    return html, hashes


def headers_file(hashes: set[str]) -> str:
    """_headers for hosts that read one (Netlify, Cloudflare Pages): the same policy, plus what meta cannot set."""
    return "\n".join([
        "/*",
        f"  Content-Security-Policy: {policy(sorted(hashes))}; frame-ancestors 'none'",
        f"  Referrer-Policy: {REFERRER_POLICY}",
        "  X-Content-Type-Options: nosniff",
        "  Permissions-Policy: camera=(), microphone=(), geolocation=(), interest-cohort=()",
        "",
    ])


def write(build) -> None:
    """site/_headers: the policy allowing exactly the inline scripts the pages carry."""
    from .open_data import header_rules

    text = headers_file(build.script_hashes) + header_rules(build)
    (build.site_dir / "_headers").write_text(text, encoding="utf-8")
