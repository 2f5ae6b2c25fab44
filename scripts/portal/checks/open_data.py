"""Open data: the record of changes to the offer is up to date, and services.yml names real
entitlements. Both are files staff commit; the publish writers only read them."""

from __future__ import annotations

import datetime as dt

from ..content import offer_log, services_list
from ..content.errors import Problem
from ..content.pages import Content
from .entitlements import load_registry


def check_offer_log(content: Content, today: dt.date | None = None) -> list[Problem]:
    """Fails while offer-changes.yml lacks an entry for a change in the offer, naming the command."""
    site = content.site
    path = site.root / offer_log.LOG_FILE
    shown = site.display(path)
    changes, problems = offer_log.read_log(path, shown)
    registry, unreadable = load_registry(site)
    if not unreadable:  # check_entitlements names a broken entitlements.yml
        problems += offer_log.entry_problems(changes, registry, shown)
    if problems or content.offer.incomplete:
        return problems  # the entitlement checks name what is wrong with the blocks themselves
    offer = content.offer.entitlements(site.default_language)
    missing = offer_log.pending(changes, offer, today or dt.date.today())
    if not path.exists():
        return [Problem(shown, 1, "", f"is missing: the Atom feed of changes to the offer is made from it; run "
                                      f"`{offer_log.COMMAND}` to create it from the offer, then commit it")]
    last = offer_log.latest(changes)
    for change in missing:
        before = last.get(change.id)
        line = before.line if before else 1
        if change.change == "added":
            what = "is new in the offer"
        elif change.change == "removed":
            what = "is no longer in the offer"
        else:
            fields = [f"{k} ({old!r} -> {new!r})" for k, old, new in offer_log.differences(before.facts, change.facts)]
            what = "changed on its page: " + ", ".join(fields)
        problems.append(Problem(shown, line, f"entitlement {change.id}",
                                f"{what}, and this record does not say so; run `{offer_log.COMMAND}` "
                                f"(or `make offer-log`), check the entries it adds, and commit {shown}"))
    return problems


def check_services_list(content: Content) -> list[Problem]:
    """Each id in services.yml is an entitlement of the offer."""
    site = content.site
    path = site.root / services_list.SERVICES_FILE
    shown = site.display(path)
    entries, problems = services_list.read_services(path, shown)
    known = {e.id for e in content.offer.entitlements(site.default_language)}
    for ident, line in entries:
        if ident not in known and not content.offer.incomplete:
            problems.append(Problem(shown, line, ident, "is not an entitlement id; use an id from entitlements.yml "
                                                        "or remove the line"))
    return problems
