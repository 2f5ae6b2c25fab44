"""Material's stylesheet trimmed to what the pages use (scripts/portal/publish/stylesheet.py)."""

from __future__ import annotations

from portal.publish.stylesheet import selector_names, trim

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
