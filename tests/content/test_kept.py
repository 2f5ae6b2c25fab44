"""Work kept in .cache/ between runs (content/kept.py): the translation records' parse and the entitlement
blocks the schema has passed. An unchanged input is not worked on again; a changed one always is; a
damaged or foreign cache is only a slower run, never a wrong answer."""

from __future__ import annotations

import json

import pytest
from portal.checks import check_all
from portal.configuration import load_site
from portal.content import entitlements, translation_records
from portal.content.kept import Kept, key_of
from portal.content.pages import load_content
from support.translations import stamp_all


def content_of(project):
    return load_content(load_site(project))


def offer_of(project):
    return content_of(project).offer


@pytest.mark.parametrize(("written", "asked", "expected"), [
    ({"key": "a", "value": [1, 2]}, "a", [1, 2]),
    ({"key": "a", "value": [1, 2]}, "b", None),  # another key: the inputs changed
    ("not json {", "a", None),  # damaged
    (["a", [1]], "a", None),  # not what Kept writes
    (None, "a", None),  # never written
])
def test_a_kept_value_is_given_only_for_its_own_key(tmp_path, written, asked, expected):
    kept = Kept(tmp_path, "things", "one", asked)
    if written is not None:
        kept.path.parent.mkdir(parents=True)
        kept.path.write_text(written if isinstance(written, str) else json.dumps(written), encoding="utf-8")
    assert kept.get() == expected


def test_keys_tell_apart_inputs_that_join_to_the_same_bytes():
    assert key_of("ab", "c") != key_of("a", "bc")
    assert key_of(b"x") == key_of("x")


def count_calls(monkeypatch, module, name):
    calls = []
    real = getattr(module, name)

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_an_unchanged_block_is_not_validated_again_and_a_changed_one_always_is(fixture_site, monkeypatch):
    validated = count_calls(monkeypatch, entitlements, "_schema_problems")
    offer_of(fixture_site)
    first = len(validated)
    assert first > 0
    del validated[:]
    offer_of(fixture_site)
    assert validated == [], "every block was validated again although none changed"

    page = fixture_site / "docs/en/offer/travel.md"
    page.write_text(page.read_text(encoding="utf-8").replace("state: available", "state: running", 1),
                    encoding="utf-8")
    found = [p for p in check_all(content_of(fixture_site)) if p.field.endswith(": state")]
    assert len(validated) == 1, "only the changed block is validated"
    assert any(p.path == "docs/en/offer/travel.md" and "one of available" in p.message for p in found)


def test_passes_kept_for_another_schema_or_validator_are_not_used(fixture_site, monkeypatch):
    offer_of(fixture_site)
    kept = fixture_site / ".cache/checks/passed-entitlement-blocks.json"
    data = json.loads(kept.read_text(encoding="utf-8"))
    kept.write_text(json.dumps({"key": "made-by-another-schema", "value": data["value"]}), encoding="utf-8")
    validated = count_calls(monkeypatch, entitlements, "_schema_problems")
    offer_of(fixture_site)
    assert validated, "passes kept under another key were trusted"


def test_a_date_in_a_list_is_not_keyed_as_its_text():
    as_text = entitlements.Block("x", "X", 1, None, {"steps": ["2026-01-01"]}, {})
    as_date = entitlements.Block("x", "X", 1, None, {"steps": [__import__("datetime").date(2026, 1, 1)]}, {})
    assert entitlements.PassedBlocks.key(as_text, True) != entitlements.PassedBlocks.key(as_date, True)


def test_the_records_are_parsed_once_and_an_edited_record_is_read_afresh(fixture_site, monkeypatch):
    stamp_all(fixture_site)
    parsed = count_calls(monkeypatch, translation_records, "yaml_load")

    def states():
        found = translation_records.unit_states(content_of(fixture_site), "ar", "offer/travel.md")
        return {state.unit.key: state.state for state in found}

    assert set(states().values()) == {"current"} and len(parsed) == 1
    assert set(states().values()) == {"current"} and len(parsed) == 1, "the unchanged record was parsed again"

    record = fixture_site / "translations/ar.yml"
    text = record.read_text(encoding="utf-8")
    key = next(line.split(":")[0].strip() for line in text.splitlines()[3:] if "{from:" in line)
    edited = [line.replace('from: "', 'from: "0') if line.strip().startswith(f"{key}:") else line
              for line in text.splitlines()]
    record.write_text("\n".join(edited) + "\n", encoding="utf-8")
    assert states()[key] == "changed" and len(parsed) == 2

    (fixture_site / ".cache/translation-records/ar.json").write_text("{damaged", encoding="utf-8")
    assert states()[key] == "changed" and len(parsed) == 3
