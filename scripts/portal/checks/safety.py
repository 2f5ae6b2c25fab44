"""Safety checks in every language: contact details that are not configured contacts, raw HTML
that could run code or load something from elsewhere (in the body and in the title and
description, which are published unescaped), and anything that would make a reader's browser ask
another website for something: an image, a video, a form, a style; and anything that would make
the build read a file into the page or the printed booklet: a file: address, a file written into
the page as a data: address, a link marked rel="attachment" (which WeasyPrint embeds in the PDF)."""

from __future__ import annotations

import html
import re
from functools import lru_cache
from html.parser import HTMLParser
from urllib.parse import unquote

import markdown

from ..content.errors import Problem
from ..content.pages import SourcePage
from ..content.phones import (
    EMERGENCY,
    PHONE_HELPLINE,
    PHONE_INTERNATIONAL,
    PHONE_UK,
    ascii_digits,
    digits_of,
    is_phone_number,
    national_number,
)
from ..content.syntax import fenced_blocks, walk
from .prose import EMAIL, INLINE_CODE, published_fields, raw_lines

FIELD_CONTACT = "contact details"
FIELD_HTML = "unsafe HTML"
FIELD_REQUEST = "third-party request"
FIELD_EMBED = "embedded file"

TEL_LINK = re.compile(r"\btel:([^\s)\"'>]+)", re.IGNORECASE)


def check_contact_details(page: SourcePage, contacts) -> list[Problem]:
    allowed_phones = {national_number(c.phone) for c in contacts if c.phone}
    allowed_emails = {c.email.strip().lower() for c in contacts if c.email}
    problems, seen = [], set()
    lines = list(published_fields(page)) + list(raw_lines(page, include_code=True))
    for number, text in lines:
        original = unquote(text)
        plain = ascii_digits(original)
        for match in EMAIL.finditer(plain):
            email = match.group(0).rstrip(".")
            if email.lower() not in allowed_emails and (number, email.lower()) not in seen:
                seen.add((number, email.lower()))
                problems.append(Problem(page.display_path, number, FIELD_CONTACT, _email_message(email)))
        found = []
        for pattern in (PHONE_INTERNATIONAL, PHONE_UK, PHONE_HELPLINE):
            for match in pattern.finditer(plain):
                if any(match.start() < end and start < match.end() for start, end, _ in found):
                    continue
                if is_phone_number(match.group(0)):
                    found.append((match.start(), match.end(), original[match.start():match.end()].strip()))
        for match in TEL_LINK.finditer(plain):
            value = match.group(1)
            if any(start <= match.start(1) < end for start, end, _ in found):
                continue
            if digits_of(value) and digits_of(value) not in EMERGENCY:
                found.append((match.start(1), match.end(1), original[match.start(1):match.end(1)]))
        for _, _, phone in sorted(found):
            key = national_number(ascii_digits(phone))
            if key in allowed_phones or (number, key) in seen:
                continue
            seen.add((number, key))
            problems.append(Problem(page.display_path, number, FIELD_CONTACT, _phone_message(phone)))
    return problems


CONTACTS_RULE = ("Contact details live once, in mkdocs.yml under extra.contacts, and a page shows them with the "
                 "line `[[contacts]]`. Never put a person's own email address or direct phone line on a page")


def _email_message(email: str) -> str:
    return (f"'{email}' is an email address that is not one of the site's contacts. Remove it. {CONTACTS_RULE}; "
            "if a team's shared email address is missing, ask the portal team to add it there")


def _phone_message(phone: str) -> str:
    return (f"'{phone}' looks like a phone number that is not one of the site's contacts. Remove it. "
            f"{CONTACTS_RULE}; if a public service number is missing, ask the portal team to add it there")


# ---------------------------------------------------------------------------------------------
# Unsafe HTML


DANGEROUS_TAG = re.compile(r"<\s*(script|iframe|frame|frameset|object|embed|applet|style|base|meta|link)\b",
                           re.IGNORECASE)
ANY_TAG = re.compile(r"<[A-Za-z][^<>]*>", re.DOTALL)
ATTRIBUTE_LIST = re.compile(r"\{:?[^{}\n]*\}")
EVENT_ATTRIBUTE = re.compile(r"(?:^|[\s/\"'{:])(on[a-z]+)\s*=", re.IGNORECASE)
SCRIPT_ADDRESS = re.compile(r"(javascript|vbscript|livescript):|data:text/html", re.IGNORECASE)
INVISIBLE = re.compile(r"[\x00-\x20\u00ad\u200b-\u200d\ufeff]")


def _code_blanked_body(page: SourcePage) -> str:
    """The body with code blanked out, keeping every line in its place. The words of an
    ```entitlement block are published, so they are checked like the rest of the page."""
    published = {number for block in fenced_blocks(page.body, 1, "entitlement")
                 for number in range(block.line + 1, block.end_line)}
    lines = []
    for number, text, is_code in walk(page.body):
        if is_code and number not in published:
            lines.append("")
        else:
            lines.append(INLINE_CODE.sub(lambda m: " " * len(m.group(0)), text))
    return "\n".join(lines)


def check_unsafe_html(page: SourcePage) -> list[Problem]:
    body = _code_blanked_body(page)

    def line_of(offset: int) -> int:
        return page.body_start_line + body.count("\n", 0, offset)

    found: set[tuple[int, str]] = set()
    for match in DANGEROUS_TAG.finditer(body):
        found.add((line_of(match.start()), _tag_message(match.group(1).lower())))
    for container in (ANY_TAG, ATTRIBUTE_LIST):
        for tag in container.finditer(body):
            for event in EVENT_ATTRIBUTE.finditer(tag.group(0)):
                found.add((line_of(tag.start() + event.start(1)), _event_message(event.group(1).lower())))
    address_lines = set()
    for offset, text in enumerate(body.splitlines()):
        decoded = INVISIBLE.sub("", html.unescape(unquote(text)))
        match = SCRIPT_ADDRESS.search(decoded)
        if match:
            address_lines.add(page.body_start_line + offset)
            found.add((page.body_start_line + offset, _address_message(match.group(0).lower())))
    for tag in ANY_TAG.finditer(body):  # browsers ignore line breaks inside an address: java<newline>script:
        first, last = line_of(tag.start()), line_of(tag.end())
        match = SCRIPT_ADDRESS.search(INVISIBLE.sub("", html.unescape(unquote(tag.group(0)))))
        if match and not address_lines & set(range(first, last + 1)):
            found.add((first, _address_message(match.group(0).lower())))
    problems = [Problem(page.display_path, number, FIELD_HTML, message) for number, message in sorted(found)]
    return problems + check_front_matter_html(page) + check_third_party_requests(page, body)


def _tag_message(tag: str) -> str:
    return (f"the HTML tag `<{tag}>` is not allowed on a page: it can run code or load things from other "
            "websites. Remove it and write the page in plain Markdown; for anything else, ask the portal team")


def _event_message(attribute: str) -> str:
    return (f"`{attribute}=` is not allowed: it runs code when someone uses the page. Remove it, and write the "
            "page in plain Markdown")


def _address_message(scheme: str) -> str:
    return (f"an address starting `{scheme}` runs code instead of opening a page. Remove it; a link must start "
            "https:// or mailto:, or point to a page's .md file")


# ---------------------------------------------------------------------------------------------
# The title and description: written into the page's HTML as they are, so they must be plain text


FRONT_MATTER_TAG = re.compile(r"<\s*[/!?]?\s*[A-Za-z]")


def check_front_matter_html(page: SourcePage) -> list[Problem]:
    """Material writes the title into the navigation and <title>, and the description into
    <meta name="description" content="...">, without escaping: a tag there is live HTML, and a
    double quote in the description ends the attribute."""
    keys = {page.line_of(key): key for key in ("title", "description") if isinstance(page.meta.get(key), str)}
    problems = []
    for line, text in published_fields(page):
        key = keys.get(line, "front matter")
        decoded = INVISIBLE.sub("", html.unescape(unquote(text)))
        messages = [_tag_message(m.group(1).lower()) for m in DANGEROUS_TAG.finditer(text)]
        messages += [_event_message(m.group(1).lower()) for tag in ANY_TAG.finditer(text)
                     for m in EVENT_ATTRIBUTE.finditer(tag.group(0))]
        address = SCRIPT_ADDRESS.search(decoded)
        if address:
            messages.append(_address_message(address.group(0).lower()))
        if not DANGEROUS_TAG.search(text) and FRONT_MATTER_TAG.search(text):
            messages.append(f"the {key} is plain text: the HTML `{FRONT_MATTER_TAG.search(text).group(0)}...` "
                            "would become part of the page. Remove the tag; write the words only")
        if key == "description" and '"' in text:
            messages.append('a straight double quote (") ends the description early in the page\'s HTML; '
                            "use curly quotes (\u201c \u201d) or single quotes instead")
        problems += [Problem(page.display_path, line, key, message) for message in dict.fromkeys(messages)]
    return problems


# ---------------------------------------------------------------------------------------------
# Third-party requests: the site asks no other website for anything (README: "it makes no request
# to any other website"). A Content-Security-Policy would block such a request in the browser; the
# check refuses it before then, naming the line.

# The Markdown extensions of mkdocs.yml that change what HTML a page becomes.
MARKDOWN_EXTENSIONS = ["attr_list", "md_in_html", "tables", "admonition", "pymdownx.details"]
# Attributes that make a browser fetch something as soon as the page loads (or a form is sent).
FETCHING_ATTRIBUTES = {"src", "srcset", "poster", "data", "action", "formaction", "background", "ping",
                       "lowsrc", "dynsrc", "codebase", "archive", "manifest", "icon", "imagesrcset", "xlink:href"}
LINKING_TAGS = {"a", "area"}  # their href is a link someone chooses to follow, not a request
STYLE_FETCH = re.compile(r"url\s*\(|@import|image-set\s*\(|expression\s*\(", re.IGNORECASE)
HAS_SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*:", re.IGNORECASE)
WHAT = {"img": "an image", "picture": "an image", "image": "an image", "input": "an image", "video": "a video",
        "audio": "a sound", "source": "a media file", "track": "a subtitle file", "iframe": "another page",
        "embed": "an embedded file", "object": "an embedded file", "form": "a form's answers",
        "button": "a form's answers", "use": "a drawing", "feimage": "an image", "script": "a script",
        "link": "a file", "body": "an image", "table": "an image", "td": "an image", "th": "an image"}


def plain_address(address: str) -> str:
    """The address as a browser or WeasyPrint reads it: entities and %-escapes decoded, invisible
    characters gone, a backslash read as a slash."""
    return INVISIBLE.sub("", html.unescape(unquote(address))).replace("\\", "/")


def is_third_party(address: str) -> bool:
    """An address on another website: with a scheme (https:, ftp:, ...) or starting // (browsers
    read a backslash as a slash)."""
    address = plain_address(address)
    return bool(HAS_SCHEME.match(address)) or address.startswith("//")


LOCAL_FILE = re.compile(r"^file:", re.IGNORECASE)  # a file of the computer that opens (or builds) the page
DATA = re.compile(r"^data:", re.IGNORECASE)  # a file written into the address: it can hide what it loads
ADDRESS_ATTRIBUTES = FETCHING_ATTRIBUTES | {"href"}


def embedded_kind(address: str) -> str | None:
    """"file" or "data" for an address that takes in a file instead of pointing to a page."""
    address = plain_address(address)
    return "file" if LOCAL_FILE.match(address) else "data" if DATA.match(address) else None


def addresses(name: str, value: str) -> list[str]:
    """The addresses an attribute holds: a srcset lists several, each followed by its size."""
    if name in ("srcset", "imagesrcset"):
        return [part.strip().split(" ")[0] for part in value.split(",") if part.strip()]
    return [value]


class _Requests(HTMLParser):
    """Each (tag, attribute, value, kind) of the rendered page that would fetch from elsewhere
    (kind "request") or take in a file (kinds "file", "data" and "attachment")."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            name, value = name.lower(), value or ""
            if name == "rel" and "attachment" in value.lower().split():
                self.found.append((tag, name, value, "attachment"))
                continue
            kinds = [embedded_kind(address) for address in addresses(name, value)] if name in ADDRESS_ATTRIBUTES else []
            if any(kinds):
                self.found.append((tag, name, value, next(kind for kind in kinds if kind)))
            elif name == "style" and STYLE_FETCH.search(value):
                self.found.append((tag, name, value, "request"))
            elif name in FETCHING_ATTRIBUTES or (name == "href" and tag not in LINKING_TAGS):
                if name == "xlink:href" and tag in LINKING_TAGS:
                    continue
                if any(is_third_party(address) for address in addresses(name, value)):
                    self.found.append((tag, name, value, "request"))

    handle_startendtag = handle_starttag


def check_third_party_requests(page: SourcePage, body: str | None = None) -> list[Problem]:
    """The page as Markdown makes it (raw HTML, images, attribute lists), then every address in it
    that a browser would fetch from another website, at the line where the address is written."""
    body = _code_blanked_body(page) if body is None else body
    if not MAY_FETCH.search(body):
        return []  # no HTML, no image and no attribute list: nothing on the page can fetch anything
    rendered = _markdown().reset().convert(body)
    parser = _Requests()
    parser.feed(rendered)
    parser.close()
    problems, searched_from = [], {}
    for tag, attribute, value, kind in parser.found:
        if tag in DANGEROUS_TAG_NAMES:
            continue  # the tag itself is refused, with its own message
        offset = _find_in(body, value, searched_from.get(value, 0))
        searched_from[value] = offset + 1 if offset >= 0 else 0
        line = page.body_start_line + (body.count("\n", 0, offset) if offset >= 0 else 0)
        if kind == "request":
            problems.append(Problem(page.display_path, line, FIELD_REQUEST, _request_message(tag, attribute, value)))
        else:
            problems.append(Problem(page.display_path, line, FIELD_EMBED, _embed_message(tag, attribute, value, kind)))
    return list(dict.fromkeys(problems))


# Raw HTML, an image, an attribute list, or a link (whose address may be file: or data:).
MAY_FETCH = re.compile(r"<|!\[|\{[^}\n]*=|\]\(|\]:|file:|data:", re.IGNORECASE)


@lru_cache(maxsize=1)
def _markdown() -> markdown.Markdown:
    """One converter for every page: loading the extensions is most of the cost."""
    return markdown.Markdown(extensions=MARKDOWN_EXTENSIONS)


DANGEROUS_TAG_NAMES = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "style", "base",
                       "meta", "link"}


def _find_in(body: str, value: str, start: int) -> int:
    """Where the value is written in the source: as it is, or as HTML or Markdown would escape it."""
    for form in (value, html.escape(value, quote=False), html.escape(value), value.strip()):
        offset = body.find(form, start)
        if offset >= 0:
            return offset
    for form in (value, html.escape(value)):
        offset = body.find(form)
        if offset >= 0:
            return offset
    return -1


def _shown(value: str) -> str:
    return value if len(value) <= 80 else value[:77] + "..."


def _embed_message(tag: str, attribute: str, value: str, kind: str) -> str:
    written = f'`<{tag} {attribute}="{_shown(value)}">`'
    if kind == "attachment":
        return (f"{written} asks for the file the link points to to be embedded in the printed booklet: the "
                "booklet would carry a file of the computer that makes it. Remove rel=\"attachment\"; a plain "
                "link is enough")
    if kind == "file":
        return (f"{written} points to a file on the computer that opens the page, or that builds the site and the "
                "booklets, never to something a reader can open. Remove it; a link must start https:// or "
                "mailto:, or point to a page's .md file")
    return (f"{written} holds a whole file in a data: address (an image, a drawing or a style that can load "
            "things from elsewhere, or read files when the booklet is made). Remove it; to show a picture, put "
            "the file in the repository (ask the portal team)")


def _request_message(tag: str, attribute: str, value: str) -> str:
    shown = _shown(value)
    if attribute == "style":
        return (f"`style=\"{shown}\"` loads a file (url(...), @import): the site allows no inline styles, and "
                "nothing from another website. Remove the style; ask the portal team for a change to portal.css")
    what = WHAT.get(tag, "a file")
    if tag in ("form", "button"):
        return (f"this form sends {what} to another website ({shown}): the portal has no forms that leave "
                "the site. Remove the form and link to the service's own page instead: [Apply](https://...)")
    return (f"`<{tag} {attribute}=\"{shown}\">` loads {what} from another website, which would learn who reads "
            "the page. Put the file in the repository (ask the portal team) or link to it instead: "
            "[words](https://...)")
