"""Entitlements: every field of the model (content.entitlements validates each block by its JSON
Schema), and ids: each on one page, recorded in entitlements.yml, and kept by every translation."""

from __future__ import annotations

import datetime as dt

import yaml

from ..content.errors import Problem
from ..content.files import link_problem, read_text
from ..content.pages import Content, SourcePage
from ..content.settings import Site
from ..content.yaml_loader import load as yaml_load
from ..content.yaml_loader import yaml_problem


def load_registry(site: Site) -> tuple[dict[str, str], list[Problem]]:
    path = site.entitlements_file
    display = site.display(path)
    if not path.exists() and not path.is_symlink():
        return {}, [Problem(display, 1, "", "the register of entitlement ids is missing; restore it from git")]
    if refused := link_problem(path, display):
        return {}, [refused]
    try:
        data = yaml_load(read_text(path, shown=display)) or {}
    except yaml.YAMLError as error:
        line, message = yaml_problem(error, fix="write one 'entitlement-id: page path' a line")
        return {}, [Problem(display, line, "", message)]
    if not isinstance(data, dict):
        return {}, [Problem(display, 1, "", "must list lines of the form 'entitlement-id: page path'")]
    return {str(k): str(v.get("page") if isinstance(v, dict) else v) for k, v in data.items()}, []


def kept_anchors(site: Site) -> set[str]:
    """Ids that are no longer an entitlement but keep their address: written in entitlements.yml as
    `old-id: {page: offer/work.md, anchor: kept}`, their page keeps a heading `{#old-id}`."""
    path = site.entitlements_file
    try:
        data = yaml_load(read_text(path, shown=site.display(path))) or {}
    except (OSError, yaml.YAMLError):
        return set()
    if not isinstance(data, dict):
        return set()
    return {str(k) for k, v in data.items() if isinstance(v, dict) and v.get("anchor") == "kept"}


def _kept_anchor_problems(content: Content, registry: dict[str, str], kept: set[str],
                          english: dict) -> list[Problem]:
    """A kept id's page, in every language, still has a heading with that id, and it is no entitlement."""
    site = content.site
    register = site.display(site.entitlements_file)
    problems = []
    for ident in sorted(kept):
        rel = registry.get(ident, "")
        if ident in english:
            page, line = english[ident][0]
            problems.append(Problem(page.display_path, line, "entitlement id",
                                    f"'{ident}' is an entitlement again, but {register} marks it 'anchor: kept'; "
                                    f"write its line there as '{ident}: {rel}'"))
            continue
        for lang in site.language_codes:
            page = content.pages.get(lang, {}).get(rel)
            if page is None or page.problems:
                continue
            if not any(h.anchor == ident for h in page.headings()):
                problems.append(Problem(page.display_path, 1, "entitlement id",
                                        f"'{ident}' is kept as an address ({register}): links people shared end in "
                                        f"#{ident}. Keep a heading with {{#{ident}}} on this page, such as the "
                                        "heading above the entitlements it was split into"))
    return problems


def check_entitlements(content: Content, today: dt.date | None = None) -> list[Problem]:
    site = content.site
    registry, registry_problems = load_registry(site)
    problems = registry_problems + content.offer.problems  # every field of every ```entitlement block
    problems += check_fact_dates(content, today or dt.date.today())
    register = site.display(site.entitlements_file)
    english: dict[str, list[tuple[SourcePage, int]]] = {}
    for page in content.english().values():
        for heading in page.headings():
            if heading.is_entitlement:
                english.setdefault(heading.anchor, []).append((page, heading.line))
    for ident, places in english.items():
        home = registry.get(ident)
        keeper = next(((p, n) for p, n in places if p.rel == home), places[0])
        for page, line in places:
            if (page, line) != keeper:
                problems.append(Problem(page.display_path, line, "entitlement id",
                                        f"'{ident}' is already used on {keeper[0].display_path}; every entitlement "
                                        "needs its own id"))
            elif home is None:
                problems.append(Problem(page.display_path, line, "entitlement id",
                                        f"'{ident}' is new; add the line '{ident}: {page.rel}' to {register} "
                                        "(ids never change once published, so choose it with care)"))
            elif home != page.rel:
                problems.append(Problem(page.display_path, line, "entitlement id",
                                        f"'{ident}' belongs on {home} ({register}); moving it breaks links people "
                                        "have shared. Move it back"))
    kept = set() if registry_problems else kept_anchors(site)
    problems += _kept_anchor_problems(content, registry, kept, english)
    for ident, rel in registry.items():
        if ident not in english and ident not in kept:
            problems.append(Problem(register, _register_line(site, ident), "entitlement id",
                                    f"'{ident}' ({rel}) is no longer on any page. Links that people shared use it: "
                                    f"put {{#{ident} .entitlement}} back on its heading in "
                                    f"{site.default_language}/{rel}"))
    for lang in site.translated_languages:
        for page in content.pages.get(lang, {}).values():
            source = content.english().get(page.rel)
            if source is None:
                continue
            expected = {h.anchor for h in source.headings() if h.is_entitlement}
            present = {h.anchor for h in page.headings() if h.is_entitlement}
            for ident in sorted(expected - present):
                problems.append(Problem(page.display_path, 1, "entitlement id",
                                        f"the English page has the entitlement '{ident}' but this translation "
                                        f"does not; give the translated heading {{#{ident} .entitlement}}"))
    return problems


def check_fact_dates(content: Content, today: dt.date) -> list[Problem]:
    """No fact is reported or checked in the future ('In place: reported in July 2031' is a typing slip),
    and none is checked before its source reported it."""
    problems = []
    english = content.english()
    for entitlement in content.offer.by_language.get(content.site.default_language, {}).values():
        facts, path = entitlement.facts, english[entitlement.rel].display_path
        field = f"entitlement {entitlement.id}"
        if facts.as_of.first_day() > today:
            problems.append(Problem(path, entitlement.fact_lines.get("as_of", entitlement.line), f"{field}: as_of",
                                    f"{facts.as_of} is in the future; write the month the source reported this "
                                    "state, as YYYY-MM"))
        elif facts.verified is not None and facts.verified < facts.as_of.first_day():
            problems.append(Problem(path, entitlement.fact_lines.get("verified", entitlement.line),
                                    f"{field}: verified", f"{facts.verified.isoformat()} is before the month of the "
                                    f"state ({facts.as_of}); nobody can check a fact before its source reports it: "
                                    "correct one of the two"))
        if facts.verified is not None and facts.verified > today:
            problems.append(Problem(path, entitlement.fact_lines.get("verified", entitlement.line),
                                    f"{field}: verified", f"{facts.verified.isoformat()} is in the future; write "
                                    "the day someone checked the fact with the service"))
    return problems


def _register_line(site: Site, ident: str) -> int:
    lines = site.entitlements_file.read_text(encoding="utf-8").splitlines()
    return next((n for n, text in enumerate(lines, 1) if text.startswith(f"{ident}:")), 1)
