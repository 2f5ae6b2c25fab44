"""Hostile input, bounded parsing: YAML with anchors, aliases or a name given twice, in every
file the portal reads; pages too big or nested too deep; each refused in one line naming the file
and line, quickly, with no traceback."""

from __future__ import annotations

import time

import pytest
from portal.cli import main
from portal.content.limits import MAX_NESTING, MAX_PAGE_BYTES, nesting_of
from portal.content.pages import parse_page
from portal.content.yaml_loader import RefusedYAML, error_reason, load

# Nine levels of nine aliases: about 387 million strings once expanded.
BOMB_LINES = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"] + [
    f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
BOMB = "\n".join(BOMB_LINES)
PAGE_END = "\naudience: [care-leavers]\nlast_reviewed: 2026-01-10\nreview_every_months: 24\nowner: Leaving care team\n" \
           "status: draft\n---\n\nSome words.\n"


def run(root, command, capsys):
    code = main(["--root", str(root), command])  # an exception here is the traceback a user would see
    out = capsys.readouterr()
    return code, out.out + out.err


# --- The loader -------------------------------------------------------------------------------

@pytest.mark.parametrize("text, line, words", [
    (BOMB, 1, "anchors and aliases"),
    ("title: &t Money\ndescription: *t", 1, "anchors and aliases"),
    ("base: {a: 1}\nother:\n  <<: {b: 2}", 3, "anchors and aliases"),
    ("title: Money\nstatus: approved\nstatus: draft", 3, "the name 'status' is given twice (first on line 2"),
    ("style:\n  reading_ease_min: 60\n  reading_ease_min: 0", 3, "'reading_ease_min' is given twice"),
    ("contacts:\n  - id: emergency\n    name: A\n    name: B", 4, "'name' is given twice"),
])
def test_the_loader_refuses_anchors_aliases_and_repeated_names(text, line, words):
    with pytest.raises(RefusedYAML) as refused:
        load(text)
    assert refused.value.problem_mark.line + 1 == line
    assert words in error_reason(refused.value)


@pytest.mark.parametrize("text", ["title: 'Rock & roll * 3'", "a: 1\nb: {a: 1}", "- a\n- a", "d: 2026-02-30"])
def test_the_loader_reads_ordinary_yaml(text):
    assert load(text) is not None


def test_an_alias_bomb_is_refused_before_it_is_built():
    started = time.process_time()
    with pytest.raises(RefusedYAML):
        load(BOMB)
    assert time.process_time() - started < 1  # built, it would take gigabytes and minutes


# --- Every file the portal reads, through the commands ----------------------------------------

def front_matter_bomb(root):
    (root / "docs/en/bomb.md").write_text("---\ntitle: Bomb\n" + BOMB + "\n---\n\nWords.\n", encoding="utf-8")
    return "docs/en/bomb.md:3: front matter: anchors and aliases"


def config_bomb(root):
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "extra:\n", "extra:\n  bomb:\n" + "".join(f"    {line}\n" for line in BOMB_LINES), 1), encoding="utf-8")
    return "mkdocs.yml:"


def config_repeated_contact_name(root):
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "      name: Emergency services\n", "      name: Emergency services\n      name: Someone else\n", 1),
        encoding="utf-8")
    return "YAML: the name 'name' is given twice"


def front_matter_repeated_status(root):
    page = root / "docs/en/offer/travel.md"
    page.write_text(page.read_text(encoding="utf-8").replace("status: draft\n", "status: draft\nstatus: approved\n"),
                    encoding="utf-8")
    return "docs/en/offer/travel.md:9: front matter: the name 'status' is given twice (first on line 8"


def entitlement_repeated_state(root):
    page = root / "docs/en/offer/travel.md"
    page.write_text(page.read_text(encoding="utf-8").replace("state: available\n", "state: available\nstate: ended\n"),
                    encoding="utf-8")
    return "the name 'state' is given twice"


def register_alias(root):
    (root / "entitlements.yml").write_text("free-bus-and-tram: &page offer/travel.md\nenglish-classes: *page\n",
                                           encoding="utf-8")
    return "entitlements.yml:1: anchors and aliases"


def services_alias(root):
    (root / "services.yml").write_text("- &x free-bus-and-tram\n- *x\n", encoding="utf-8")
    return "services.yml:1: anchors and aliases"


def offer_log_alias(root):
    log = root / "offer-changes.yml"
    log.write_text(log.read_text(encoding="utf-8") + "\n- &e {date: 2026-01-01, id: x, change: added}\n- *e\n",
                   encoding="utf-8")
    return "anchors and aliases (&name, *name) are not allowed"


CASES = {
    "front matter alias bomb": front_matter_bomb,
    "alias bomb under extra in mkdocs.yml": config_bomb,
    "contact field given twice": config_repeated_contact_name,
    "front matter field given twice": front_matter_repeated_status,
    "entitlement fact given twice": entitlement_repeated_state,
    "alias in entitlements.yml": register_alias,
    "alias in services.yml": services_alias,
    "alias in offer-changes.yml": offer_log_alias,
}


@pytest.mark.parametrize("case", CASES)
def test_check_refuses_each_file_in_one_line(fixture_site, capsys, case):
    expected = CASES[case](fixture_site)
    code, text = run(fixture_site, "check", capsys)
    assert code == 1, text
    assert "Traceback" not in text and "tell the portal team" not in text
    assert sum(expected in line for line in text.splitlines()) == 1, text


@pytest.mark.parametrize("command", ["check", "build", "audio"])
def test_a_front_matter_bomb_fails_fast_in_every_command(fixture_site, fake_audio, capsys, command):
    front_matter_bomb(fixture_site)
    started = time.monotonic()
    code, text = run(fixture_site, command, capsys)
    assert time.monotonic() - started < 5
    assert code == 1 and "Traceback" not in text
    assert "docs/en/bomb.md:3: front matter: anchors and aliases" in text


@pytest.mark.parametrize("command", ["check", "build"])
def test_a_bomb_in_mkdocs_yml_stops_before_mkdocs(fixture_site, capsys, command):
    config_bomb(fixture_site)
    code, text = run(fixture_site, command, capsys)
    assert code == 1 and "MemoryError" not in text and "Traceback" not in text
    assert [line for line in text.splitlines() if line.startswith("mkdocs.yml:")] == [
        f"mkdocs.yml:{text.split('mkdocs.yml:')[1].split(':')[0]}: YAML: anchors and aliases (&name, *name) are not "
        "allowed: write each value out in full where it is used"]


# --- Size and depth ---------------------------------------------------------------------------

def test_nesting_counts_quotes_and_indentation():
    assert [nesting_of(line) for line in ["text", "- item", "    - item", "> quote", "> > - x", "\t\t- x"]] == [
        0, 0, 1, 1, 2, 2]


@pytest.mark.parametrize("body, line", [
    ("\n".join(" " * 4 * n + "- item" for n in range(300)), MAX_NESTING + 2),
    ("> " * 3000 + "deep", 1),
])
def test_a_page_nested_too_deep_is_one_problem_and_nothing_renders_it(body, line):
    page = parse_page("docs/en/deep.md", "en", "deep.md", "---\ntitle: Deep\n---\n" + body)
    assert [(p.line, p.field) for p in page.problems] == [(line + 3, "nesting")]
    assert page.body == ""


def deep_list(root):
    (root / "docs/en/deep.md").write_text("---\ntitle: Deep\ndescription: Deep." + PAGE_END +
                                          "\n".join(" " * 4 * n + "- item" for n in range(300)) + "\n",
                                          encoding="utf-8")
    return "docs/en/deep.md:23: nesting: this line is nested 11 levels deep"


def deep_quote(root):
    (root / "docs/en/quote.md").write_text("---\ntitle: Quote\ndescription: Quote." + PAGE_END + "> " * 3000 +
                                           "deep\n", encoding="utf-8")
    return "docs/en/quote.md:12: nesting: this line is nested 3000 levels deep"


def huge_page(root):
    (root / "docs/en/huge.md").write_text("---\ntitle: Huge\ndescription: Huge." + PAGE_END +
                                          "Words and more words. " * 1_000_000, encoding="utf-8")
    return "docs/en/huge.md:1: size: the page is 22,000,"


@pytest.mark.parametrize("make, command", [(deep_list, "check"), (deep_quote, "check"), (deep_quote, "audio"),
                                           (huge_page, "check"), (huge_page, "audio")])
def test_pathological_pages_fail_fast_naming_themselves(fixture_site, fake_audio, capsys, make, command):
    expected = make(fixture_site)
    started = time.monotonic()
    code, text = run(fixture_site, command, capsys)
    assert time.monotonic() - started < 10
    assert code == 1 and "Traceback" not in text and "RecursionError" not in text and "portal team" not in text
    assert sum(line.startswith(expected) for line in text.splitlines()) == 1, text


def test_the_largest_real_page_is_far_below_the_limits():
    from conftest import REPO

    pages = list((REPO / "docs").rglob("*.md"))
    assert max(p.stat().st_size for p in pages) * 10 < MAX_PAGE_BYTES
    assert max(nesting_of(line) for p in pages for line in p.read_text(encoding="utf-8").split("\n")) * 3 < MAX_NESTING


# --- Symbolic links, for every file the portal reads --------------------------------------------

@pytest.mark.parametrize("name", ["services.yml", "entitlements.yml", "offer-changes.yml"])
def test_a_repository_file_that_is_a_symbolic_link_is_refused_and_never_read(fixture_site, tmp_path, capsys, name):
    secret = tmp_path / "secret.yml"
    secret.write_text("- token-ghp-0123456789\n", encoding="utf-8")
    (fixture_site / name).unlink()
    (fixture_site / name).symlink_to(secret)
    code, text = run(fixture_site, "check", capsys)
    assert code == 1 and "token-ghp" not in text and "Traceback" not in text
    assert f"{name}:1: file: is a symbolic link to {secret}; replace it with the file itself" in text, text
