"""The offer as open data: offer.json per language against its JSON Schema, services.json against the
Open Referral UK schema, the feed of changes against the Atom RELAX NG schema of RFC 4287, and the
record behind the feed (offer-changes.yml) kept up to date by `portal offer-log`."""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import re
import uuid
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import jsonschema
import pytest
from conftest import REPO, copy_fixture_site
from lxml import etree
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from portal.checks import check_all
from portal.cli import main
from portal.configuration import load_site
from portal.content import offer_log, services_list
from portal.content.pages import load_content
from portal.content.ui_strings import strings
from portal.publish import Build, feed, open_data, services
from portal.render.open_data import open_data_html

SCHEMAS = REPO / "scripts" / "portal" / "publish" / "schemas"
ATOM_NS = {"a": "http://www.w3.org/2005/Atom"}
SITE_URL = "http://localhost:8000/"


def validator(schema: dict) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


OFFER_SCHEMA = validator(json.loads((SCHEMAS / "offer.schema.json").read_text(encoding="utf-8")))
ORUK_SERVICE = validator(json.loads((SCHEMAS / "oruk" / "service.json").read_text(encoding="utf-8")))
ORUK_PAGE = validator(json.loads((SCHEMAS / "oruk" / "openapi.json").read_text(encoding="utf-8"))
                      ["components"]["schemas"]["Page"])
ATOM = etree.RelaxNG(etree.parse(str(SCHEMAS / "atom" / "atom.rng")))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    project = copy_fixture_site(tmp_path_factory.mktemp("open-data") / "project")
    site_dir = project / "site"
    mkdocs_build(load_config(str(project / "mkdocs.yml"), site_dir=str(site_dir)))
    return site_dir


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def local_file(site: Path, address: str) -> Path:
    """The built file an absolute address of the fixture site points to (its directory's index.html)."""
    path = urlsplit(address).path.lstrip("/")
    return site / path / "index.html" if path.endswith("/") or not path else site / path


@pytest.mark.parametrize("lang, prefix", [("en", ""), ("ar", "ar/"), ("vi", "vi/")])
def test_offer_json_validates_and_matches_the_model(built, lang, prefix):
    document = read_json(built / prefix / "offer.json")
    OFFER_SCHEMA.validate(document)
    assert document["address"] == f"{SITE_URL}{prefix}offer.json"
    assert [e["id"] for e in document["entitlements"]] == ["free-bus-and-tram", "english-classes"]
    words = strings(lang)
    for item in document["entitlements"]:
        page = local_file(built, item["page"])
        assert item["page"].startswith(f"{SITE_URL}{prefix}offer/travel/#"), item["page"]
        assert f'id="{item["id"]}"' in page.read_text(encoding="utf-8")
        before, after = words[f"state_{item['state']}"].split("{month}")
        assert item["state_label"].startswith(before) and item["state_label"].endswith(after)
        # Two fields from two sources: the block's verified date, and the page's last_reviewed (the fixture
        # happens to give both the same day; the real content never does: tests/content/test_states_and_dates).
        assert item["facts"]["verified"] == "2026-01-10" and item["page_checked"] == "2026-01-10"
        assert item["facts_from"]["as_of"] == item["facts"]["as_of"]
    planned = document["entitlements"][1]
    assert planned["state"] == planned["facts"]["state"] == "planned"
    assert planned["facts"]["ages"] == {"from": 16, "to": 25}
    assert planned["audio"] is None  # the fixture site has no audio


def test_a_translation_has_its_words_and_an_untranslated_page_says_its_words_are_english(built):
    arabic = read_json(built / "ar" / "offer.json")["entitlements"][0]
    vietnamese = read_json(built / "vi" / "offer.json")["entitlements"][0]
    assert arabic["words_language"] == "ar" and arabic["title"] != "Free bus and tram travel"
    assert vietnamese["words_language"] == "en-GB" and vietnamese["title"] == "Free bus and tram travel"
    assert vietnamese["facts"] == read_json(built / "offer.json")["entitlements"][0]["facts"]
    assert arabic["facts"]["state"] == "available" and arabic["facts"]["ages"] == {"from": 18, "to": 25}


def test_the_published_schema_is_the_one_in_the_repository(built):
    assert read_json(built / "schemas" / "offer.schema.json") == OFFER_SCHEMA.schema


def test_offer_schema_refuses_a_planned_entitlement_without_a_known_state(built):
    document = read_json(built / "offer.json")
    document["entitlements"][1]["state"] = "coming soon"
    assert any("coming soon" in e.message for e in OFFER_SCHEMA.iter_errors(document))


def test_audio_is_the_entitlements_own_clip_else_the_page_clip_the_build_published():
    entry = SimpleNamespace(clip="0123456789abcdef0123456789abcdef.mp3")
    library = SimpleNamespace(lock={"ar/offer/travel.md": entry})
    entitlement = SimpleNamespace(rel="offer/travel.md", id="free-bus-and-tram")
    content = SimpleNamespace(pages={"ar": {"offer/travel.md": object()}, "vi": {}})
    site = SimpleNamespace(default_language="en")
    own = {("vi", "free-bus-and-tram"): SimpleNamespace(path="audio/own.mp3", voice_lang="en")}
    audio = SimpleNamespace(entitlement_clip=lambda lang, ident: own.get((lang, ident)))
    build = SimpleNamespace(content=content, site=site, site_url=SITE_URL, clips={entry.clip}, audio=audio)
    found = open_data.entitlement_audio(build, "ar", entitlement, library)
    assert found == open_data.Audio(f"{SITE_URL}audio/{entry.clip}", "page", "ar")
    # Its own clip first: here the English one, on a page Vietnamese has no translation of.
    assert open_data.entitlement_audio(build, "vi", entitlement, library) == open_data.Audio(
        f"{SITE_URL}audio/own.mp3", "entitlement", "en-GB")
    own.clear()
    assert open_data.entitlement_audio(build, "vi", entitlement, library) is None  # no English clip published
    build.clips = set()
    assert open_data.entitlement_audio(build, "ar", entitlement, library) is None  # a stale clip is never offered


def test_services_json_is_open_referral_uk_and_lists_only_running_services(built):
    document = read_json(built / "services.json")
    ORUK_PAGE.validate(document)
    for service in document["contents"]:
        ORUK_SERVICE.validate(service)
    names = [s["name"] for s in document["contents"]]
    assert names == ["Free bus and tram travel"]  # english-classes is planned: not a running service
    service = document["contents"][0]
    assert service["id"] == services.stable_id("service", "free-bus-and-tram")
    assert uuid.UUID(service["id"]).version == 5
    assert (service["minimum_age"], service["maximum_age"]) == (18, 25)
    assert service["status"] == "active" and service["assured_date"] == "2026-01-10"
    assert "phones" not in service and "contacts" not in service  # no number is invented
    assert service["description"].startswith("Free travel on London buses and trams. Who it is for: ")
    assert document["total_items"] == document["size"] == 1


def test_oruk_schema_catches_a_broken_service(built):
    service = read_json(built / "services.json")["contents"][0]
    del service["name"]
    service["id"] = "bus"
    messages = [e.message for e in ORUK_SERVICE.iter_errors(service)]
    assert "'name' is a required property" in messages and "'bus' is not a 'uuid'" in messages


def test_feed_validates_as_atom_and_links_each_entry(built):
    tree = etree.parse(str(built / "offer-changes.atom"))
    assert ATOM.validate(tree), ATOM.error_log
    # RFC 4287's Schematron rule, which RELAX NG alone does not check: an author for the feed.
    assert tree.xpath("/a:feed/a:author/a:name/text()", namespaces=ATOM_NS)
    entries = tree.xpath("/a:feed/a:entry", namespaces=ATOM_NS)
    assert len(entries) == 2
    for entry in entries:
        href = entry.xpath("a:link[@rel='alternate']/@href", namespaces=ATOM_NS)[0]
        ident = href.rsplit("#", 1)[1]
        assert f'id="{ident}"' in local_file(built, href.split("#")[0]).read_text(encoding="utf-8")
    assert tree.xpath("/a:feed/a:updated/text()", namespaces=ATOM_NS) == ["2026-01-10T00:00:00Z"]


def test_atom_schema_refuses_a_feed_without_updated(built):
    tree = etree.parse(str(built / "offer-changes.atom"))
    updated = tree.xpath("/a:feed/a:updated", namespaces=ATOM_NS)[0]
    updated.getparent().remove(updated)
    assert not ATOM.validate(tree)


def test_the_record_was_seeded_at_each_entitlements_verified_date():
    changes, problems = offer_log.read_log(REPO / "tests/fixtures/site/offer-changes.yml", "offer-changes.yml")
    assert not problems
    assert [(c.id, c.change, c.date.isoformat()) for c in changes] == [
        ("free-bus-and-tram", "added", "2026-01-10"), ("english-classes", "added", "2026-01-10")]


NEW_ENTITLEMENT = """
## Bus help {#bus-help .entitlement}

```entitlement
summary: Help to plan a bus journey around London.
audience: [care-leavers]
cost: Free.
state: available
as_of: 2024-03
source: Fixture report, March 2024 (item 11)
verified: 2026-01-10
steps:
  - Ask your personal adviser.
```
"""

CASES = {
    # name: (edit of docs/en/offer/travel.md, the entitlement, the change recorded, the entry's title)
    "planned becomes available": (("state: planned", "state: available"), "english-classes", "state",
                                  "English classes: now in place"),
    "available becomes planned": (("state: available", "state: planned"), "free-bus-and-tram", "state",
                                  "Free bus and tram travel: now planned"),
    "the cost changes": (("cost: Free.", "cost: Free on buses and trams."), "free-bus-and-tram", "facts",
                         "Free bus and tram travel: details changed"),
    "the ages change": (("ages: 16-25", "ages: 16-21"), "english-classes", "facts",
                        "English classes: details changed"),
    "an entitlement is added": (("Go back [home]", NEW_ENTITLEMENT + "\nGo back [home]"), "bus-help", "added",
                                "Bus help: added to the offer"),
}


@pytest.mark.parametrize("name", CASES)
def test_a_change_to_the_offer_fails_the_check_until_recorded_then_heads_the_feed(fixture_site, name, capsys):
    (old, new), ident, kind, title = CASES[name]
    page = fixture_site / "docs/en/offer/travel.md"
    page.write_text(page.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    if kind == "added":
        register = fixture_site / "entitlements.yml"
        register.write_text(register.read_text(encoding="utf-8") + f"{ident}: offer/travel.md\n", encoding="utf-8")
    problems = [p for p in check_all(load_content(load_site(fixture_site))) if p.path == "offer-changes.yml"]
    assert [p.field for p in problems] == [f"entitlement {ident}"]
    assert "python -m portal offer-log" in problems[0].message

    assert main(["--root", str(fixture_site), "offer-log"]) == 0
    assert f"{kind}: {ident}" in capsys.readouterr().out
    content = load_content(load_site(fixture_site))
    assert not [p for p in check_all(content) if p.path == "offer-changes.yml"]
    changes, _ = offer_log.read_log(fixture_site / "offer-changes.yml", "offer-changes.yml")
    assert (changes[-1].id, changes[-1].change) == (ident, kind) and len(changes) == 3

    site_dir = fixture_site / "site"
    site_dir.mkdir()
    build = Build(content, content.site, site_dir, SITE_URL, "Fixture portal")
    feed.write(build)
    tree = etree.parse(str(site_dir / feed.FILE_NAME))
    assert ATOM.validate(tree), ATOM.error_log
    titles = tree.xpath("/a:feed/a:entry/a:title/text()", namespaces=ATOM_NS)
    assert titles[0] == title and len(titles) == 3
    ids = tree.xpath("/a:feed/a:entry/a:id/text()", namespaces=ATOM_NS)
    assert len(set(ids)) == 3


def test_an_entitlement_that_leaves_the_offer_is_recorded_and_one_that_returns_is_added_again(fixture_site):
    offer = load_content(load_site(fixture_site)).offer.entitlements("en")
    changes, _ = offer_log.read_log(fixture_site / "offer-changes.yml", "offer-changes.yml")
    today = dt.date(2026, 3, 1)
    gone = offer_log.pending(changes, offer[:1], today)
    assert [(c.id, c.change, c.date) for c in gone] == [("english-classes", "removed", today)]
    back = offer_log.pending(changes + gone, offer, today)
    assert [(c.id, c.change) for c in back] == [("english-classes", "added")]
    assert offer_log.pending(changes + gone + back, offer, today) == []


def test_checking_a_fact_again_without_changing_it_is_not_news(fixture_site):
    page = fixture_site / "docs/en/offer/travel.md"
    page.write_text(page.read_text(encoding="utf-8").replace("verified: 2026-01-10", "verified: 2026-02-01"),
                    encoding="utf-8")
    assert not [p for p in check_all(load_content(load_site(fixture_site))) if p.path == "offer-changes.yml"]


def test_a_missing_or_damaged_record_is_named_with_its_fix(fixture_site):
    log = fixture_site / "offer-changes.yml"
    log.write_text(log.read_text(encoding="utf-8").replace("change: added", "change: moved", 1), encoding="utf-8")
    problems = [p for p in check_all(load_content(load_site(fixture_site))) if p.path == "offer-changes.yml"]
    assert [(p.line, p.field) for p in problems] == [(4, "entry")]
    assert "added, state, facts, removed" in problems[0].message
    log.unlink()
    problems = [p for p in check_all(load_content(load_site(fixture_site))) if p.path == "offer-changes.yml"]
    assert len(problems) == 1 and "is missing" in problems[0].message and "offer-log" in problems[0].message


def test_services_list_names_only_entitlements(fixture_site):
    (fixture_site / "services.yml").write_text("- free-bus-and-tram\n- free-taxis\n- free-bus-and-tram\n",
                                               encoding="utf-8")
    problems = [p for p in check_all(load_content(load_site(fixture_site))) if p.path == "services.yml"]
    assert sorted((p.line, p.field) for p in problems) == [(2, "free-taxis"), (3, "free-bus-and-tram")]


@pytest.mark.parametrize("lang", ["en", "ar", "ti"])
def test_professionals_page_links_resolve_to_the_published_files(lang):
    page_path = ("" if lang == "en" else f"{lang}/") + "professionals/"
    markup = open_data_html(lang, "en", SITE_URL, page_path, strings(lang))
    hrefs = re.findall(r'href="([^"]+)"', markup)
    resolved = [posixpath.normpath(posixpath.join(page_path, href)) for href in hrefs]
    own = "offer.json" if lang == "en" else f"{lang}/offer.json"
    assert resolved == [own, "schemas/offer.schema.json", "services.json", "offer-changes.atom"]
    assert f"<code dir=\"ltr\" translate=\"no\">{SITE_URL}{own}</code>" in markup


def test_every_professionals_page_carries_the_open_data_links():
    site = load_site(REPO)
    for lang in site.language_codes:
        text = (site.docs_dir / lang / "professionals.md").read_text(encoding="utf-8")
        assert "{#open-data}" in text and "[[open-data]]" in text, lang


def test_every_page_announces_the_feed(built):
    for page in ["index.html", "offer/travel/index.html", "ar/offer/travel/index.html"]:
        html = (built / page).read_text(encoding="utf-8")
        href = re.search(r'<link rel="alternate" type="application/atom\+xml" href="([^"]+)" title="[^"]+">', html)
        assert href, page
        assert (built / posixpath.normpath(posixpath.join(posixpath.dirname(page), href.group(1)))).is_file()


def test_the_real_offer_record_is_up_to_date():
    content = load_content(load_site(REPO))
    changes, problems = offer_log.read_log(REPO / offer_log.LOG_FILE, offer_log.LOG_FILE)
    assert not problems
    assert offer_log.pending(changes, content.offer.entitlements("en"), today=None) == []


def test_hosts_serve_the_open_data_to_any_site_and_the_feed_as_atom(built):
    rules = (built / "_headers").read_text(encoding="utf-8").split("\n/")
    blocks = {block.split("\n", 1)[0].lstrip("/"): block for block in rules}
    for path in ["offer.json", "ar/offer.json", "vi/offer.json", "services.json", "offer-changes.atom",
                 "schemas/offer.schema.json"]:
        assert (built / path).is_file() and "Access-Control-Allow-Origin: *" in blocks[path], path
    assert "Content-Type: application/atom+xml; charset=utf-8" in blocks["offer-changes.atom"]
    assert "Content-Security-Policy" in blocks["*"]


def test_the_real_offer_in_every_language_validates_and_a_plan_is_never_shown_as_running():
    content = load_content(load_site(REPO))
    build = Build(content, content.site, REPO / "site", SITE_URL, "Portal")
    library = SimpleNamespace(lock={})
    english = {e.id: e.facts.state for e in content.offer.entitlements("en")}
    assert "planned" in english.values()
    for lang in content.site.language_codes:
        document = open_data.offer_document(build, lang, library)
        OFFER_SCHEMA.validate(document)
        assert {e["id"]: e["state"] for e in document["entitlements"]} == english, lang
        for item in document["entitlements"]:
            before, after = strings(lang)[f"state_{item['state']}"].split("{month}")
            label = item["state_label"]
            assert label.startswith(before) and label.endswith(after), (lang, item["id"])


def test_the_real_services_are_open_referral_uk_running_and_say_who_qualifies():
    content = load_content(load_site(REPO))
    document = services.services_document(Build(content, content.site, REPO / "site", SITE_URL, "Portal"))
    ORUK_PAGE.validate(document)
    for service in document["contents"]:
        ORUK_SERVICE.validate(service)
    listed, _ = services_list.read_services(REPO / "services.yml", "services.yml")
    running = [i for i, _ in listed if content.offer.get("en", i).facts.state == "available"]
    assert [s["id"] for s in document["contents"]] == [services.stable_id("service", i) for i in running]
    assert len(running) < len(listed)  # services.yml names planned services, and they are left out
    health = next(s for s in document["contents"] if s["name"] == "Health card and free prescriptions")
    assert "You are in work." in health["description"]


def test_a_feed_already_found_valid_is_not_validated_again_and_a_changed_one_is(fixture_site, monkeypatch):
    content = load_content(load_site(fixture_site))
    site_dir = fixture_site / "site"
    site_dir.mkdir()
    validated = []
    real = feed.validate_feed
    monkeypatch.setattr(feed, "validate_feed", lambda data, shown: validated.append(data) or real(data, shown))
    build = Build(content, content.site, site_dir, SITE_URL, "Fixture portal")
    feed.write(build)
    feed.write(build)
    assert len(validated) == 1, "the same feed was validated twice"
    feed.write(Build(content, content.site, site_dir, SITE_URL + "other/", "Fixture portal"))
    assert len(validated) == 2 and validated[1] != validated[0], "a changed feed was published unvalidated"
    assert ATOM.validate(etree.parse(str(site_dir / feed.FILE_NAME)))
