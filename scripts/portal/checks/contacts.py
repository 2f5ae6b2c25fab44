"""The contacts in mkdocs.yml: never a person's own details, and never a dead end on the public
site. A contact whose number the service has not confirmed blocks a release, by name. Its words
(name, hours, note, instead) are plain text: a link, HTML or an address there would be live on the
crisis page in every language, so only url:, email: and phone: hold addresses."""

from __future__ import annotations

import re

from ..content.errors import Problem
from ..content.phones import SHORT_CODES, is_uk_or_short_code
from ..content.settings import Contact, Site

CONFIG = "mkdocs.yml"
MOBILE = re.compile(r"^(?:\+44\s?7|07)\d")  # a UK mobile is a person's own phone, not a service line
# A team address reads as a team (leavingcare@, duty.team@); first.last@ is a person's.
PERSONAL_EMAIL = re.compile(r"^[a-z]+[._-][a-z]+@", re.IGNORECASE)
TEAM_WORDS = ("team", "care", "duty", "service", "info", "enquiries", "help", "children", "social", "council")
TITLE = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+[A-Z]")
TEXT_FIELDS = ("name", "hours", "cost", "note", "instead")
# What would not stay words on the page: Markdown links and images, HTML tags, comments and
# character references, and addresses (a scheme, www., an email address).
NOT_PLAIN = (
    (re.compile(r"\]\s*[(\[]|\[[^\]]*\]:"), "a Markdown link"),
    (re.compile(r"<\s*[A-Za-z/!?]|&#?[A-Za-z0-9]+;"), "HTML"),
    (re.compile(r"(?i)\b(?:[a-z][a-z0-9+.-]*://|(?:javascript|vbscript|data|mailto|tel|file|sms)\s*:|www\.)"),
     "an address"),
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"), "an email address"),
)


def _line(site: Site, contact: Contact) -> int:
    config = site.root / CONFIG
    lines = config.read_text(encoding="utf-8").splitlines() if config.exists() else []
    return next((n for n, text in enumerate(lines, 1) if text.strip() == f"- id: {contact.id}"), 1)


def check_contacts(site: Site) -> list[Problem]:
    problems = []
    for contact in site.contacts:
        where = f"extra.contacts ({contact.id})"
        line = _line(site, contact)
        digits = re.sub(r"[^0-9+]", "", contact.phone or "")
        if contact.phone and not is_uk_or_short_code(contact.phone):
            problems.append(Problem(CONFIG, line, f"{where}: phone",
                                    f"'{contact.phone}' does not look like a UK phone number or a known short "
                                    "code, so it cannot become a link to call; write the number as the service "
                                    "publishes it in the UK (0 and 10 or 11 digits, such as 0808 800 4444, or "
                                    f"116 and 3 digits), or one of {', '.join(sorted(SHORT_CODES))}"))
        if MOBILE.match(digits):
            problems.append(Problem(CONFIG, line, f"{where}: phone",
                                    f"'{contact.phone}' is a mobile number, which is a person's own phone; use "
                                    "the service's public number"))
        email = contact.email or ""
        if email and PERSONAL_EMAIL.match(email) and not any(w in email.lower().split("@")[0] for w in TEAM_WORDS):
            problems.append(Problem(CONFIG, line, f"{where}: email",
                                    f"'{email}' looks like a person's own address; use the team's shared address"))
        for key in ("name", "note", "instead"):
            value = getattr(contact, key) or ""
            if TITLE.search(value):
                problems.append(Problem(CONFIG, line, f"{where}: {key}",
                                        "names a person; a contact is a service or a role, such as 'Your "
                                        "personal adviser'"))
        problems += _not_plain(contact, line, where)
        if contact.url and not contact.url.startswith("https://"):
            problems.append(Problem(CONFIG, line, f"{where}: url",
                                    f"'{contact.url}' must be an https:// address of the service's own website"))
    return problems


def _not_plain(contact: Contact, line: int, where: str) -> list[Problem]:
    problems = []
    for key in TEXT_FIELDS:
        value = str(getattr(contact, key) or "")
        found = [what for pattern, what in NOT_PLAIN if pattern.search(value)]
        if found:
            problems.append(Problem(CONFIG, line, f"{where}: {key}",
                                    f"holds {found[0]}, and this field is plain text shown on the page in every "
                                    "language; write only words here, and put the service's address in url:, "
                                    "email: or phone:"))
    return problems


def unconfirmed_contacts(site: Site) -> list[Problem]:
    """Release blockers: each contact whose number is not confirmed yet."""
    return [Problem(CONFIG, _line(site, c), f"extra.contacts ({c.id})",
                    f"'{c.name}' is not confirmed, so the public site would show a contact that leads nowhere. "
                    "Ask the service for its public number, add it as phone:, and set confirmed: true")
            for c in site.contacts if not c.confirmed]
