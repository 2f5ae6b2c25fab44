"""Material's stylesheet trimmed to what the pages use (scripts/portal/publish/stylesheet.py)."""

from __future__ import annotations

from types import SimpleNamespace

from portal.publish import page_file, stylesheet
from portal.publish.stylesheet import attribute_values, selector_names, trim

CSS = (
    '@charset "UTF-8";'
    ":root{--used-colour:red;--chained:var(--used-colour);--icon-unused:url('data:image/svg+xml;a,b');--unread:1px}"
    ".md-used{color:var(--chained)}"
    ".md-unused{color:blue}"
    ".md-used .md-unused,.md-other{margin:0}"
    ".md-used:not(.md-unused){padding:0}"
    "[data-md-toggle=search]:checked~.md-used{opacity:1}"
    "@media screen and (min-width:60em){.md-used{display:block}.md-unused{display:none}}"
    "@media print{.md-unused{display:none}}"
    "@keyframes spin{0%{transform:none}}"
)


def test_rules_for_classes_no_page_or_script_uses_are_dropped():
    out = trim(CSS, {"md-used"})
    assert out.startswith('@charset "UTF-8";')
    assert ".md-used{color:var(--chained)}" in out
    assert ".md-unused{color:blue}" not in out
    assert ".md-used .md-unused,.md-other" not in out, "every selector of the rule names an unused class"
    assert ".md-used:not(.md-unused){padding:0}" in out, "a class inside :not() is not required"
    assert "[data-md-toggle=search]:checked~.md-used{opacity:1}" in out
    assert "@media screen and (min-width:60em){.md-used{display:block}}" in out
    assert "@media print" not in out, "a media block left empty is dropped"
    assert "@keyframes spin" in out


def test_custom_properties_nothing_reads_are_dropped_and_chains_are_followed():
    out = trim(CSS, {"md-used"})
    assert "--used-colour:red" in out and "--chained:var(--used-colour)" in out
    assert "--icon-unused" not in out and "--unread" not in out
    assert "--unread:1px" in trim(CSS, {"md-used"}, elsewhere="el.style.setProperty('--unread', '2px')")


def test_selector_names_ignore_attribute_values_and_functional_pseudo_classes():
    assert selector_names('.md-a[href$=".pdf"] #top:is(.md-b, .md-c) > .md-d') == {"md-a", "top", "md-d"}


def test_attribute_values_are_every_class_and_id_value():
    html = '<div class="md-a md-b" id="top"><p\n  class="md-c">x</p><a data-id="n">y</a></div>'
    assert attribute_values(html) == {"md-a md-b", "top", "md-c", "n"}, "data-id= too: a name too many keeps a rule"


def test_trimmed_sheet_is_kept_under_its_inputs_and_made_again_when_one_changes(tmp_path, monkeypatch):
    made = []
    real_trim = stylesheet.trim
    monkeypatch.setattr(stylesheet, "trim", lambda *args: made.append(args) or real_trim(*args))
    first = stylesheet.trimmed_sheet(CSS, {"md-used"}, "", tmp_path)
    assert stylesheet.trimmed_sheet(CSS, {"md-used"}, "", tmp_path) == first == real_trim(CSS, {"md-used"})
    assert len(made) == 1, "the same inputs are read from the cache"
    other = stylesheet.trimmed_sheet(CSS, {"md-used", "md-unused"}, "", tmp_path)
    assert ".md-unused{color:blue}" in other and len(made) == 2
    assert len(list(tmp_path.glob("*.css"))) == 1, "only the last result is kept"


def test_page_values_read_only_the_files_not_noted_as_written(tmp_path):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text('<p class="from-disk">stale</p>', encoding="utf-8")
    (site / "404.html").write_text('<p class="md-404">x</p>', encoding="utf-8")
    build = SimpleNamespace(site_dir=site, attribute_values=set(), noted_files=set())
    build.attribute_values |= attribute_values('<p class="in-memory">final</p>')
    build.noted_files.add(page_file(site, "a/"))
    assert stylesheet.page_values(build) == {"in-memory", "md-404"}


def small_site(root):
    site = root / "site"
    for path, text in {"assets/stylesheets/main.0123abcd.min.css": CSS, "assets/javascripts/bundle.1.min.js": "",
                       "assets/portal.js": "", "assets/portal.css": ""}.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(text, encoding="utf-8")
    return site


def build_of(root, site):
    build = SimpleNamespace(site_dir=site, cache_dir=root / ".cache", attribute_values=set(), noted_files=set(),
                            page_addresses={})
    build.sheet_name = stylesheet.SheetName(build.cache_dir / "stylesheet")
    for url in ("a/", "b/"):
        build.page_addresses[url] = [build.sheet_name.in_page("../assets/stylesheets/main.0123abcd.min.css")]
        html = build.sheet_name.in_page('<link rel="stylesheet" href="../assets/stylesheets/main.0123abcd.min.css">'
                                        '<p class="md-used">x</p>')
        (site / url).mkdir(parents=True, exist_ok=True)
        (site / url / "index.html").write_text(html, encoding="utf-8")
        build.attribute_values |= attribute_values(html)
        build.noted_files.add(page_file(site, url))
    return build


def test_pages_are_written_with_the_last_builds_sheet_name_and_rewritten_only_when_it_changes(tmp_path):
    first = build_of(tmp_path, small_site(tmp_path / "one"))
    assert first.sheet_name.guess is None
    stylesheet.write(first)
    trimmed = next((first.site_dir / "assets/stylesheets").glob("main.*.min.css")).name
    assert trimmed != "main.0123abcd.min.css"
    assert trimmed in (first.site_dir / "a/index.html").read_text(encoding="utf-8"), "the first build renames"

    second = build_of(tmp_path, small_site(tmp_path / "two"))
    assert second.sheet_name.guess == ("main.0123abcd.min.css", trimmed)
    page = second.site_dir / "a/index.html"
    assert trimmed in page.read_text(encoding="utf-8"), "written with the guessed name"
    page.write_text(page.read_text(encoding="utf-8") + "<!-- untouched -->", encoding="utf-8")
    stylesheet.write(second)
    assert page.read_text(encoding="utf-8").endswith("<!-- untouched -->"), "a right guess rewrites no page"
    assert second.page_addresses["a/"] == [f"../assets/stylesheets/{trimmed}"]

    third = build_of(tmp_path, small_site(tmp_path / "three"))
    for url in ("a/", "b/"):  # a page now uses a class the last build's did not: the sheet changes
        path = third.site_dir / url / "index.html"
        path.write_text(path.read_text(encoding="utf-8") + '<p class="md-unused">y</p>', encoding="utf-8")
    third.attribute_values.add("md-unused")
    stylesheet.write(third)
    changed = next((third.site_dir / "assets/stylesheets").glob("main.*.min.css")).name
    assert changed != trimmed
    for url in ("a/", "b/"):
        html = (third.site_dir / url / "index.html").read_text(encoding="utf-8")
        assert changed in html and trimmed not in html, "a wrong guess is put right"
        assert third.page_addresses[url] == [f"../assets/stylesheets/{changed}"], "and so is what it loads"
