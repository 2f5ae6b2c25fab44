"""offer-changes.atom: an Atom feed (RFC 4287) of changes to the offer, for professionals to follow.

Made from offer-changes.yml, the committed record that `python -m portal offer-log` keeps (see
content/offer_log.py): one entry each time an entitlement was added, changed state, had its facts
changed, or left the offer, newest first. The feed is in English, like the record; each entry links
to the entitlement's section on its English page.

The record is checked entry by entry first (offer_log.entry_problems), and the feed written is
validated against Atom's own grammar (RFC 4287, Appendix B, in schemas/atom/atom.rng, compiled once a
process): a build that would publish a feed a reader cannot parse stops with a PortalError.
"""

from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path

from ..checks.entitlements import load_registry
from ..content import languages, offer_log, ui_strings
from ..content.errors import PortalError, Problem
from ..content.kept import Kept, key_of
from ..content.pages import page_url
from .open_data import FEED_FILE, absolute
from .services import NAMESPACE

FILE_NAME = FEED_FILE
SCHEMA = Path(__file__).parent / "schemas" / "atom" / "atom.rng"
ATOM = "http://www.w3.org/2005/Atom"
LINKED_PAGE = "professionals.md"  # where the feed is explained; the site's home if there is none
HEADLINES = {
    "added": "{title}: added to the offer",
    "state": "{title}: now {state}",
    "facts": "{title}: details changed",
    "removed": "{title}: no longer in the offer",
}
STATE_WORDS = {"available": "in place", "planned": "planned", "pilot": "a trial", "aim": "an aim",
               "ended": "ended"}
FIELD_NAMES = {"title": "Title", "page": "Page", "state": "State", "as_of": "State as of", "audience": "For",
               "ages": "Ages", "conditions": "Conditions", "cost": "Cost", "source": "Source"}


def timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _show(field: str, value) -> str:
    if value is None or value == []:
        return "none stated" if field == "ages" else "none"
    if field == "state":
        return STATE_WORDS.get(value, str(value))
    if field == "audience":
        words = ui_strings.strings("en")
        return "; ".join(words.get(f"audience_{a}", str(a)) for a in value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def entry_text(change: offer_log.Change, before: offer_log.Change | None) -> str:
    """What a professional needs to read: what changed, then the facts as they now stand."""
    facts = change.facts
    lines = []
    if change.change in ("state", "facts") and before is not None:
        for field, old, new in offer_log.differences(before.facts, facts):
            lines.append(f"{FIELD_NAMES[field]}: was {_show(field, old)}; now {_show(field, new)}.")
    state = _show("state", facts.get("state"))
    ask = "" if facts.get("state") == "available" else " Ask whether it is running now before you rely on it."
    lines.append(f"State: {state}, as reported in {facts.get('as_of')}.{ask}")
    lines.append(f"For: {_show('audience', facts.get('audience'))}. Ages: {_show('ages', facts.get('ages'))}. "
                 f"Conditions: {_show('conditions', facts.get('conditions'))}.")
    lines.append(f"Cost: {facts.get('cost')}")
    confirmed = facts.get("verified") or "not yet"
    lines.append(f"Facts from: {facts.get('source')}, {facts.get('as_of')}. Confirmed with the service: {confirmed}.")
    return "\n".join(lines)


def feed_document(build, changes: list[offer_log.Change]) -> ET.Element:
    ET.register_namespace("", ATOM)
    default = build.site.default_language
    home = LINKED_PAGE if LINKED_PAGE in build.content.english() else "index.md"

    def sub(parent, tag, text=None, **attributes):
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
        if text is not None:
            element.text = text
        return element

    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "en-GB"})
    self_url = absolute(build, FILE_NAME)
    sub(feed, "id", self_url)
    sub(feed, "title", f"{build.site_name}: changes to the offer")
    sub(feed, "subtitle", "Each time an entitlement is added, changes state or has its details changed.")
    latest = max((c.date for c in changes), default=dt.datetime.now(dt.timezone.utc).date())
    sub(feed, "updated", timestamp(latest))
    author = sub(feed, "author")
    sub(author, "name", build.site_name)
    sub(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    sub(feed, "link", rel="alternate", type="text/html", href=absolute(build, page_url(home)))
    sub(feed, "link", rel="related", type="application/json", href=absolute(build, "offer.json"))
    for index in reversed(range(len(changes))):
        change = changes[index]
        before = offer_log.previous(changes, index)
        entry = sub(feed, "entry")
        key = f"change/{index}/{change.id}/{change.change}/{change.date.isoformat()}"
        sub(entry, "id", f"urn:uuid:{uuid.uuid5(NAMESPACE, key)}")
        state = STATE_WORDS.get(change.facts.get("state"), change.facts.get("state"))
        sub(entry, "title", HEADLINES[change.change].format(title=change.facts.get("title") or change.id, state=state))
        sub(entry, "updated", timestamp(change.date))
        page = change.facts.get("page")
        if page:
            href = absolute(build, page_url(page)) + "#" + change.id
            sub(entry, "link", rel="alternate", type="text/html", href=href, hreflang=languages.get(default).tag)
        sub(entry, "category", term=str(change.change), label=str(change.change))
        sub(entry, "category", term=str(change.facts.get("state")), label=str(state))
        sub(entry, "content", entry_text(change, before), type="text")
    return feed


def write(build) -> None:
    path = build.site.root / offer_log.LOG_FILE
    shown = build.site.display(path)
    changes, problems = offer_log.read_log(path, shown)
    registry, unreadable = load_registry(build.site)
    problems += unreadable + offer_log.entry_problems(changes, registry, shown)
    if problems:
        raise PortalError.from_problems(f"{offer_log.LOG_FILE} cannot be read:", problems)
    tree = ET.ElementTree(feed_document(build, changes))
    ET.indent(tree)
    data = ET.tostring(tree.getroot(), encoding="utf-8", xml_declaration=True)
    # The same bytes as a feed already found valid by the same grammar are valid: not validated again,
    # and lxml not imported (a tenth of a second a build on a site ten times this size).
    validated = Kept(build.site.root, "feed", "validated", key_of(data, SCHEMA.read_bytes()))
    if validated.get() is not True:
        validate_feed(data, shown)
        validated.put(True)
    (build.site_dir / FILE_NAME).write_bytes(data)


@lru_cache(maxsize=1)
def atom_grammar():
    """RFC 4287's grammar, compiled once a process: a build validates one feed."""
    from lxml import etree

    return etree.RelaxNG(etree.parse(str(SCHEMA)))


def validate_feed(data: bytes, shown: str) -> None:
    """PortalError naming every reason the feed is not valid Atom; `shown` is the record it came from."""
    from lxml import etree

    fix = f"check the entries of {shown} (`make check` names the wrong values), then build again"
    try:
        document = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as error:
        raise PortalError(f"{shown}:1: feed: {FILE_NAME} would not be XML a feed reader can read ({error}); "
                          f"{fix}") from None
    grammar = atom_grammar()
    if not grammar.validate(document):
        problems = [Problem(shown, 1, "feed", f"{FILE_NAME} line {e.line} would not be valid Atom ({e.message}); "
                                              f"{fix}") for e in grammar.error_log]
        raise PortalError.from_problems(f"{FILE_NAME} was not published:", problems)
