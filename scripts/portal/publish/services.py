"""services.json: the offer's discrete services in the shape of Open Referral UK (the UK profile of
HSDS 3.0), for directories such as the Family Information Service to read instead of copying.

The file is one page of results, as the profile's `/services` answers (openapi.json's Page), whose
`contents` are full service objects (schema/compiled/service.json). A service is listed only
while its entitlement is available: a planned one is not a service anyone can use yet. Ids are
UUIDs made from the entitlement id, so they never change. No contact is invented: the only
contacts the configuration confirms are national helplines, not these services, so none is given.
"""

from __future__ import annotations

import json
import uuid

from ..content import services_list, ui_strings
from ..content.entitlements import Entitlement
from ..content.errors import PortalError
from .open_data import SERVICES_FILE, section_url

FILE_NAME = SERVICES_FILE
# Fixed once: every id below is a UUID 5 in this namespace, so a service keeps its id for ever.
NAMESPACE = uuid.UUID("6f0b7f5e-3c38-4d4e-9a57-2f1c6c0f4a1d")
ORGANIZATION = {
    "name": "City of London Corporation",
    "description": "The City of London Corporation's offer to young people in and leaving its care.",
}


def stable_id(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def service(build, entitlement: Entitlement) -> dict:
    words = ui_strings.strings(build.site.default_language)
    facts = entitlement.facts
    ident = stable_id("service", entitlement.id)
    who = "; ".join(words[f"audience_{a}"] for a in facts.audience)
    description = f"{entitlement.words.summary} {words['facts_who']}: {who}."
    if facts.conditions:  # who qualifies is part of what a directory must say
        description += " " + " ".join([words["facts_conditions"]] + [words[f"condition_{c}"] for c in facts.conditions])
    record = {
        "id": ident,
        "name": entitlement.title,
        "description": description,
        "url": section_url(build, build.site.default_language, entitlement),
        "status": "active",
        "organization": {"id": stable_id("organization"), **ORGANIZATION},
        "cost_options": [{"id": stable_id("cost", entitlement.id), "service_id": ident,
                          "amount_description": entitlement.words.cost}],
    }
    if facts.verified:  # only once staff confirmed the facts with the service, never a page's review date
        record["assured_date"] = facts.verified.isoformat()
    if facts.ages:
        record["minimum_age"], record["maximum_age"] = facts.ages
    return record


def services_document(build) -> dict:
    site = build.site
    path = site.root / services_list.SERVICES_FILE
    entries, problems = services_list.read_services(path, site.display(path))
    if problems:
        raise PortalError.from_problems(f"{services_list.SERVICES_FILE} cannot be read:", problems)
    offer = build.content.offer
    chosen = [offer.get(site.default_language, ident) for ident, _ in entries]
    unknown = [ident for (ident, _), e in zip(entries, chosen) if e is None]
    if unknown:
        raise PortalError(f"{services_list.SERVICES_FILE}: {', '.join(unknown)}: not entitlement ids; "
                          "use ids from entitlements.yml")
    contents = [service(build, e) for e in chosen if e.facts.state == "available"]
    return {
        "total_items": len(contents),
        "total_pages": 1,
        "page_number": 1,
        "size": len(contents),
        "first_page": True,
        "last_page": True,
        "empty": not contents,
        "contents": contents,
    }


def write(build) -> None:
    document = services_document(build)
    (build.site_dir / FILE_NAME).write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n",
                                            encoding="utf-8")

