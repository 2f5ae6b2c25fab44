"""Translation units: stable keys, per-unit staleness, the PO round trip and its refusals."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from conftest import REPO
from mkdocs.commands.build import build
from mkdocs.config import load_config
from portal.configuration import load_site
from portal.content import translation_records as records
from portal.content.errors import PortalError
from portal.content.pages import load_content
from portal.content.translation_units import units_by_key
from portal.translation.exchange import export_po, import_po
from portal.translation.notices import mark_changed_sections
from portal.translation.status import all_statuses
from portal.translation.workload import workload
from support.translations import edit, stamp_all


def content_of(project: Path):
    return load_content(load_site(project))


def test_every_page_exists_in_every_language():
    """No page falls back to English on the real site."""
    content = content_of(REPO)
    missing = [f"{lang}/{rel}" for lang in content.site.translated_languages for rel in content.english()
               if rel not in content.pages[lang]]
    assert missing == []


def test_every_real_translation_follows_its_english_units_and_is_recorded():
    content = content_of(REPO)
    for rel, english in content.english().items():
        keys = set(units_by_key(english))
        for lang in content.site.translated_languages:
            assert set(units_by_key(content.pages[lang][rel], english)) == keys, f"{lang}/{rel}"
            assert records.unit_states(content, lang, rel) is not None, f"{lang}/{rel} has no unit record"


def test_unit_keys_follow_sections_and_entitlements(fixture_site):
    english = content_of(fixture_site).english()["offer/travel.md"]
    keys = list(units_by_key(english))
    assert keys[:3] == ["title", "description", "top/p1"]
    assert "free-bus-and-tram/heading" in keys and "free-bus-and-tram/summary" in keys
    assert "free-bus-and-tram/step2" in keys and "free-bus-and-tram/p1" in keys


def test_a_paragraph_edit_marks_exactly_that_unit_in_every_language(fixture_site):
    stamp_all(fixture_site)

    def flagged(content):
        return {w.lang: {(s.page, s.unit.key, s.state) for s in w.to_translate + w.to_update} for w in workload(content)}

    before = flagged(content_of(fixture_site))
    assert before["ar"] == set()  # vi has no travel page: all of it is to translate, before and after
    edit(fixture_site / "docs/en/offer/travel.md", "Getting around London.", "Getting around London for free.")
    after_content = content_of(fixture_site)
    after = flagged(after_content)
    assert after["ar"] - before["ar"] == {("offer/travel.md", "top/p1", "changed")}
    assert before["ar"] - after["ar"] == set()
    assert after["vi"] == before["vi"]
    ar = next(w for w in workload(after_content) if w.lang == "ar")
    assert ar.words(ar.to_update) == 5
    statuses = {(s.lang, s.page): s.status for s in all_statuses(after_content)}
    assert statuses[("ar", "index.md")] == "draft" and statuses[("ar", "offer/travel.md")] == "stale"


def test_the_notice_goes_only_under_the_changed_section(fixture_site):
    stamp_all(fixture_site)
    edit(fixture_site / "docs/en/offer/travel.md", "  - Apply for the photocard.", "  - Apply online for the photocard.")
    content = content_of(fixture_site)
    body = content.pages["ar"]["offer/travel.md"].body
    marked = mark_changed_sections(body, content, "ar", "offer/travel.md", "CHANGED", "English", "../../offer/travel/")
    assert marked.count("CHANGED") == 1
    heading = marked.index("{#free-bus-and-tram .entitlement}")
    assert heading < marked.index("CHANGED") < marked.index("{#english-classes .entitlement}")
    assert 'href="../../offer/travel/#free-bus-and-tram"' in marked


def changed_po(content, mutate) -> polib.POFile:
    po = export_po(content, "ar", ["offer/travel.md"])
    for entry in po:
        mutate(entry)
    return po


def test_export_change_one_unit_import_build_changes_exactly_that_unit(fixture_site, tmp_path):
    stamp_all(fixture_site)
    content = content_of(fixture_site)
    po = export_po(content, "ar")
    entry = next(e for e in po if e.msgctxt == "offer/travel.md#free-bus-and-tram/step2")
    assert entry.msgid == "Apply for the photocard." and "fuzzy" in entry.flags
    assert "Entitlement free-bus-and-tram" in entry.comment
    entry.msgstr, entry.tcomment = "قدّم طلب بطاقة الصور عبر الإنترنت.", "reviewed-by: Arabic reviewer"
    entry.flags.remove("fuzzy")
    po.save(str(tmp_path / "ar.po"))
    page = fixture_site / "docs/ar/offer/travel.md"
    before_md = page.read_text(encoding="utf-8")
    site_before = build_html(fixture_site, tmp_path / "before")

    assert import_po(content_of(fixture_site), tmp_path / "ar.po") == ["ar/offer/travel.md: 1 unit(s)"]
    after_md = page.read_text(encoding="utf-8")
    def body(text):  # the front matter's record follows the units: no longer reviewed as a whole page
        return text[text.index("\n---\n") + 5:].splitlines()
    changed_lines = [(a, b) for a, b in zip(body(before_md), body(after_md)) if a != b]
    assert len(body(before_md)) == len(body(after_md)) and "  status: draft" in after_md
    assert changed_lines == [('  - قدّم طلب البطاقة.', '  - "قدّم طلب بطاقة الصور عبر الإنترنت."')]
    state = {s.unit.key: s for s in records.unit_states(content_of(fixture_site), "ar", "offer/travel.md")}
    assert state["free-bus-and-tram/step2"].reviewed_by == "Arabic reviewer"
    assert state["free-bus-and-tram/step1"].reviewed_by == ""

    site_after = build_html(fixture_site, tmp_path / "after")
    for rel, html in site_before.items():
        if rel != "ar/offer/travel/index.html":
            assert site_after[rel] == html, f"{rel} changed"
    old, new = main_text(site_before["ar/offer/travel/index.html"]), main_text(site_after["ar/offer/travel/index.html"])
    assert old.replace("قدّم طلب البطاقة.", "قدّم طلب بطاقة الصور عبر الإنترنت.") == new


def build_html(project: Path, site_dir: Path) -> dict[str, str]:
    build(load_config(str(project / "mkdocs.yml"), site_dir=str(site_dir)))
    return {p.relative_to(site_dir).as_posix(): p.read_text(encoding="utf-8") for p in site_dir.rglob("*.html")}


def main_text(html: str) -> str:
    article = html[html.index("<article"):html.index("</article>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", article))


@pytest.mark.parametrize("mutate, named", [
    (lambda e: e.msgctxt.endswith("#top/p1") and _set(e, "التنقل [هنا](../index.md) في لندن."), "link targets"),
    (lambda e: e.msgctxt.endswith("free-bus-and-tram/heading")
     and _set(e, "السفر المجاني {#free-travel .entitlement}"), "ids"),
    (lambda e: e.msgctxt.endswith("free-bus-and-tram/summary") and _set(e, "سفر مجاني [[contacts]]"), "placeholders"),
    (lambda e: e.msgctxt.endswith("#top/p1") and _set(e, "## التنقل في لندن."), "structure"),
])
def test_a_broken_unit_is_refused_naming_it(fixture_site, tmp_path, mutate, named):
    stamp_all(fixture_site)
    po = changed_po(content_of(fixture_site), mutate)
    po.save(str(tmp_path / "ar.po"))
    page = fixture_site / "docs/ar/offer/travel.md"
    before = page.read_text(encoding="utf-8")
    with pytest.raises(PortalError) as refused:
        import_po(content_of(fixture_site), tmp_path / "ar.po")
    message = str(refused.value)
    assert "offer/travel.md#" in message and named in message and "nothing was written" in message
    assert page.read_text(encoding="utf-8") == before


def test_every_problem_in_one_run_and_a_name_is_not_a_role(fixture_site, tmp_path):
    stamp_all(fixture_site)

    def mutate(entry):
        if entry.msgctxt.endswith("#top/p1"):
            _set(entry, "التنقل [هنا](../index.md) في لندن.")
        if entry.msgctxt.endswith("#free-bus-and-tram/step1"):
            _set(entry, "تحدّث مع مستشارك.")
            entry.tcomment = "reviewed-by: Jane Smith"
    changed_po(content_of(fixture_site), mutate).save(str(tmp_path / "ar.po"))
    with pytest.raises(PortalError) as refused:
        import_po(content_of(fixture_site), tmp_path / "ar.po")
    message = str(refused.value)
    assert "#top/p1" in message and "#free-bus-and-tram/step1" in message and "must name a role" in message


def _set(entry, text: str) -> bool:
    entry.msgstr = text
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    return True


def test_a_paragraph_added_in_english_is_translated_and_placed(fixture_site, tmp_path):
    stamp_all(fixture_site)
    edit(fixture_site / "docs/en/offer/travel.md", "**What you get:** free travel on buses and trams.\n",
         "**What you get:** free travel on buses and trams.\n\nAsk your personal adviser first.\n")
    content = content_of(fixture_site)
    ar = next(w for w in workload(content) if w.lang == "ar")
    assert [(s.unit.key, s.state) for s in ar.to_translate + ar.to_update] == [("free-bus-and-tram/p2", "new")]
    po = export_po(content, "ar", ["offer/travel.md"])
    entry = next(e for e in po if e.msgctxt == "offer/travel.md#free-bus-and-tram/p2")
    assert entry.msgstr == "" and "fuzzy" not in entry.flags
    entry.msgstr = "اسأل مستشارك الشخصي أولا."
    po.save(str(tmp_path / "ar.po"))
    import_po(content_of(fixture_site), tmp_path / "ar.po")
    text = (fixture_site / "docs/ar/offer/travel.md").read_text(encoding="utf-8")
    assert "سفر مجاني بالحافلات والترام.\n\nاسأل مستشارك الشخصي أولا.\n\n## " in text
    after = content_of(fixture_site)
    ar = next(w for w in workload(after) if w.lang == "ar")
    assert ar.to_translate == [] and ar.to_update == []
    placed = set(units_by_key(after.pages["ar"]["offer/travel.md"], after.english()["offer/travel.md"]))
    # the fixture's Arabic page never had the last English paragraph ("Go back home"); nothing else is missing
    assert set(units_by_key(after.english()["offer/travel.md"])) - placed == {"english-classes/p2"}


def test_check_warns_when_a_tracked_translation_lacks_a_part(fixture_site):
    from portal.checks.translation_units import check_translation_units

    assert check_translation_units(content_of(fixture_site)) == []  # nothing recorded: nothing to compare
    stamp_all(fixture_site)
    found = check_translation_units(content_of(fixture_site))
    assert [(p.path, p.severity) for p in found] == [("docs/ar/offer/travel.md", "warning")]
    assert "english-classes/p2" in found[0].message and "docs/en/offer/travel.md:" in found[0].message


SAMPLE = """---
title: Sample
description: A sample page.
---

Intro text that runs
over two lines.

## Costs {#costs}

| What | How much |
|---|---|
| Bus | Free |

- First item
  continues here.
- Second item, see [help](help.md).

!!! warning "Sample wording"
    Indented words.

## Travel {#travel .entitlement}

```entitlement
summary: Free travel.
steps:
  - Ask.
  - Apply.
```

[[contacts]]
"""


def test_every_kind_of_unit_is_found_and_written_back_in_place():
    from portal.content.pages import parse_page
    from portal.translation.writeback import rewrite_units

    english = parse_page("docs/en/sample.md", "en", "sample.md", SAMPLE)
    units = units_by_key(english)
    assert {k: u.text for k, u in units.items()} == {
        "title": "Sample", "description": "A sample page.", "top/p1": "Intro text that runs\nover two lines.",
        "costs/heading": "Costs {#costs}", "costs/row1.1": "What", "costs/row1.2": "How much",
        "costs/row2.1": "Bus", "costs/row2.2": "Free", "costs/li1": "First item\ncontinues here.",
        "costs/li2": "Second item, see [help](help.md).", "costs/note1": "Sample wording", "costs/p1": "Indented words.",
        "travel/heading": "Travel {#travel .entitlement}", "travel/summary": "Free travel.",
        "travel/step1": "Ask.", "travel/step2": "Apply.",
    }
    assert units["travel/step2"].entitlement == "travel" and units["costs/row2.2"].section == "costs"
    new = {key: ("X " + text) if key not in ("costs/heading", "travel/heading", "costs/li2") else text
           for key, text in ((k, u.text) for k, u in units.items())}
    new["costs/row2.2"] = "a | b"
    text, problems = rewrite_units(english, english, SAMPLE, new, "sample.po")
    assert problems == []
    again = units_by_key(parse_page("docs/en/sample.md", "en", "sample.md", text))
    assert list(again) == list(units)
    assert again["costs/row2.2"].text == r"a \| b" and again["top/p1"].text == "X Intro text that runs\nover two lines."
    assert again["travel/step2"].text == "X Apply." and again["costs/note1"].text == "X Sample wording"
    assert "[[contacts]]" in text and "{#travel .entitlement}" in text and "title: \"X Sample\"" in text


def test_a_review_survives_a_tool_that_drops_comments_and_older_english_stays_changed(fixture_site, tmp_path):
    stamp_all(fixture_site)
    content = content_of(fixture_site)
    po = export_po(content, "ar", ["offer/travel.md"])
    step1 = next(e for e in po if e.msgctxt.endswith("#free-bus-and-tram/step1"))
    step1.flags.remove("fuzzy")
    step1.tcomment = "reviewed-by: Arabic reviewer"
    po.save(str(tmp_path / "first.po"))
    import_po(content_of(fixture_site), tmp_path / "first.po")
    step1.tcomment = ""  # the reviewer's tool dropped the comment; the words are the same
    po.save(str(tmp_path / "again.po"))
    import_po(content_of(fixture_site), tmp_path / "again.po")
    states = {s.unit.key: s for s in records.unit_states(content_of(fixture_site), "ar", "offer/travel.md")}
    assert states["free-bus-and-tram/step1"].reviewed_by == "Arabic reviewer"

    edit(fixture_site / "docs/en/offer/travel.md", "  - Talk to your personal adviser.", "  - Talk to your adviser.")
    step1.msgstr = "تحدّث مع مستشارك."  # translated from the English as it was when exported
    po.save(str(tmp_path / "late.po"))
    lines = import_po(content_of(fixture_site), tmp_path / "late.po")
    assert "1 of them translate older English" in lines[0]
    states = {s.unit.key: s for s in records.unit_states(content_of(fixture_site), "ar", "offer/travel.md")}
    assert states["free-bus-and-tram/step1"].state == "changed" and states["free-bus-and-tram/step1"].reviewed_by == ""


def test_a_unit_the_english_no_longer_has_is_left_out_and_said(fixture_site, tmp_path):
    stamp_all(fixture_site)
    po = export_po(content_of(fixture_site), "ar", ["offer/travel.md"])
    step = next(e for e in po if e.msgctxt.endswith("#free-bus-and-tram/step2"))
    _set(step, "قدّم الطلب.")
    po.save(str(tmp_path / "ar.po"))
    edit(fixture_site / "docs/en/offer/travel.md", "  - Talk to your personal adviser.\n  - Apply for the photocard.\n",
         "  - Talk to your personal adviser.\n")
    lines = import_po(content_of(fixture_site), tmp_path / "ar.po")
    assert lines[-1].startswith("left out 1 unit(s)") and "free-bus-and-tram/step2" in lines[-1]
    assert "قدّم الطلب." not in (fixture_site / "docs/ar/offer/travel.md").read_text(encoding="utf-8")


def test_the_exported_file_is_valid_gettext(fixture_site, tmp_path):
    """GNU msgfmt (TEST_PACKAGES: gettext) is what translators' tools hold a PO file to."""
    import subprocess

    stamp_all(fixture_site)
    out = tmp_path / "ar.po"
    export_po(content_of(fixture_site), "ar").save(str(out))
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(out)], capture_output=True, text=True)
    assert result.returncode == 0 and "warning" not in result.stderr, result.stderr


def test_stamping_a_page_records_its_units_and_its_front_matter_alike(fixture_site):
    from portal.cli import main

    stamp_all(fixture_site)
    edit(fixture_site / "docs/en/index.md", "You can travel free.", "You can travel for free.")
    stamp = ["--root", str(fixture_site), "translations-stamp", "--lang", "ar", "--page", "index.md"]
    before = content_of(fixture_site).pages["ar"]["index.md"].meta["translation"]["source_hash"]
    assert main(stamp) != 0, "a unit translated from older English is not stamped without --force"
    assert main([*stamp, "--force"]) == 0
    content = content_of(fixture_site)
    english = content.english()["index.md"].source_hash()
    assert before != english
    assert content.pages["ar"]["index.md"].meta["translation"]["source_hash"] == english
    assert {s.status for s in all_statuses(content) if s.lang == "ar" and s.page == "index.md"} == {"draft"}
