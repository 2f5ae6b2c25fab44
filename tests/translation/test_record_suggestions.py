"""A new translation's record for staff who edit in the browser: `make check` refuses a translated
page that its language's record (translations/<lang>.yml) lacks, and `translations-stamp --suggest`
(run by `make pr-check`) gives the lines `make translations-stamp` would write, for the pull
request's comment. Pasting them where the comment says is the proof that they are right."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from portal.checks.translation_units import check_translation_units
from portal.cli import main
from portal.configuration import load_site
from portal.content.pages import load_content
from support.translations import ARABIC_BODY, ARABIC_TOP, STALE_BLOCK, forget, new_page, paste, stamp_all

# (case, how the branch gets its unrecorded page, the page, whether its `translation:` lines must change)
CASES = [
    ("a recorded page's lines were lost", lambda p: forget(p, "ar", "index.md"), "index.md", False),
    ("a new page, its block copied from another", lambda p: new_page(p, ARABIC_TOP + STALE_BLOCK + ARABIC_BODY),
     "more.md", True),
    ("a new page with no translation block", lambda p: new_page(p, ARABIC_TOP + ARABIC_BODY), "more.md", True),
]


def suggest(project: Path) -> str:
    out = project / "reports/translation-record-lines.md"
    assert main(["--root", str(project), "translations-stamp", "--suggest", str(out)]) == 0
    return out.read_text(encoding="utf-8")


def check(project: Path, capsys) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--root", str(project), "check"])
    return code, capsys.readouterr().out


def stamped_by_the_command(project: Path, tmp_path: Path, rel: str) -> tuple[str, str]:
    """What `make translations-stamp PAGE=<rel> LANG=ar` writes, in a copy: the page's lines in
    translations/ar.yml and the page's `translation:` lines."""
    copy = shutil.copytree(project, tmp_path / "stamped")
    assert main(["--root", str(copy), "translations-stamp", "--lang", "ar", "--page", rel]) == 0
    record = (copy / "translations/ar.yml").read_text(encoding="utf-8")
    page_lines = re.search(rf"^{re.escape(rel)}:\n(?:  .*\n)+", record, re.M).group(0)
    front = (copy / "docs/ar" / rel).read_text(encoding="utf-8")
    return page_lines, re.search(r"^translation:\n(?:  .*\n)+", front, re.M).group(0)


@pytest.mark.parametrize(("case", "make", "rel", "front_changes"), CASES, ids=[c[0] for c in CASES])
def test_the_comment_gives_the_lines_stamping_writes_and_pasting_them_passes_the_check(
        fixture_site, tmp_path, capsys, case, make, rel, front_changes):
    stamp_all(fixture_site)
    make(fixture_site)
    page = f"docs/ar/{rel}"

    code, said = check(fixture_site, capsys)
    refused = [line for line in said.splitlines() if line.startswith(f"{page}:1: translation record:")]
    assert code == 1 and len(refused) == 1, said
    assert f"make translations-stamp PAGE={rel} LANG=ar" in refused[0]
    assert "'Lines to add to translations/ar.yml'" in refused[0] and "pull request's comment" in refused[0]

    comment = suggest(fixture_site)
    record_lines, front_lines = stamped_by_the_command(fixture_site, tmp_path, rel)
    assert comment.startswith("## Lines to add to translations/ar.yml\n")
    assert f"```yaml\n{record_lines}```" in comment, comment
    assert (f"At the top of `{page}`" in comment) == front_changes, comment
    if front_changes:
        assert f"```yaml\n{front_lines}```" in comment, comment
    assert "translations/vi.yml" not in comment  # nothing missing there

    paste(fixture_site, comment)
    code, said = check(fixture_site, capsys)
    assert code == 0, said
    assert f"{page}:" not in said, said
    assert suggest(fixture_site) == ""  # the next run of the pull request's checks: nothing more to paste


def test_a_page_that_cannot_be_recorded_is_named_not_given_lines(fixture_site, capsys):
    stamp_all(fixture_site)
    new_page(fixture_site, ARABIC_TOP + STALE_BLOCK + "---\n\nاطلب المساعدة من مستشارك الشخصي.\n")  # no heading
    comment = suggest(fixture_site)
    assert "```yaml" not in comment, comment
    assert "`docs/ar/more.md` cannot be recorded yet" in comment and "help/heading" in comment, comment
    assert check(fixture_site, capsys)[0] == 1


def test_a_language_that_keeps_no_record_is_not_asked_for_one(fixture_site, capsys):
    """The fixture tracks whole pages (no translations/ folder): its translations pass as they are."""
    assert check_translation_units(load_content(load_site(fixture_site))) == []
    new_page(fixture_site, ARABIC_TOP + STALE_BLOCK + ARABIC_BODY)
    assert suggest(fixture_site) == ""
    assert check(fixture_site, capsys)[0] == 0


def test_the_summary_carries_every_appended_file(fixture_site, tmp_path):
    first, second, missing = tmp_path / "a.md", tmp_path / "b.md", tmp_path / "none.md"
    first.write_text("## First\n", encoding="utf-8")
    second.write_text("## Second\n", encoding="utf-8")
    summary = tmp_path / "summary.md"
    main(["--root", str(fixture_site), "check", "--summary", str(summary), "--append", str(first),
          "--append", str(missing), "--append", str(second)])
    text = summary.read_text(encoding="utf-8")
    assert text.index("## Content checks") < text.index("## First") < text.index("## Second"), text


def test_contributing_quotes_the_message_as_the_check_writes_it():
    from conftest import REPO
    from portal.checks.translation_units import unrecorded

    quoted = str(unrecorded("docs/ti/finder.md", "ti", "finder.md"))
    assert f"> `{quoted}`" in (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
