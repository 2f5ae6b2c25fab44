"""Files for translators: a PO file per language out (polib), their translations back into the Markdown.

One entry per unit: msgctxt `page#unit key`, msgid the English words, msgstr the current
translation, #. notes (page, heading, entitlement, protected terms, what not to change, character
limit), #: the English file and line. An entry is fuzzy while its translation is a draft or the
English has changed since; a translator clears "fuzzy" when the translation is right.

Import writes into the language of the file's Language header, which must agree with every other
place the file names its language: the file name (ti.po, ti-reviewed.po) and the Language-Team
header the export wrote. A translation longer than max(3 × the English, the English + 200
characters) is refused: the real translations use at most two thirds of that.

Import takes an entry only when it is not fuzzy and has a translation. It is recorded as
reviewed only when its translator comment says `reviewed-by: <role>`, a role such as
"Tigrinya reviewer", never a person's name. Any problem (a placeholder, link target or {#id}
that differs from the English, a name for a role, HTML or an address `make check` refuses on any
page) refuses the whole file,
every problem listed, and nothing is written. An entry whose unit the English no longer has is
left out, and said so.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path

import polib

from ..checks.safety import check_unsafe_html
from ..content import languages
from ..content.errors import PortalError, Problem
from ..content.files import atomic_write, read_text
from ..content.limits import DESCRIPTION_MAX
from ..content.pages import LINK, SourcePage, parse_page
from ..content.terms import agreed_forms, protected_terms, terms_used
from ..content.translation_records import (
    CURRENT,
    Record,
    english_units,
    load_records,
    save_records,
    translated_units,
    unit_states,
)
from ..content.translation_units import ATTRIBUTES, Unit, text_hash
from .writeback import rewrite_units

PLACEHOLDER_TOKEN = re.compile(r"\[\[[^\]]*\]\]|\{[A-Za-z_][\w]*\}")
REVIEWED_BY = re.compile(r"^\s*reviewed-by:\s*(?P<role>.+?)\s*$", re.MULTILINE | re.IGNORECASE)
ROLE_ENDINGS = ("translator", "reviewer", "interpreter", "linguist")
ROLE = re.compile(r"^[A-Za-z][A-Za-z ()-]{0,60}$")
# How much longer than its English a translation may be. Measured on every translated unit in
# docs/: the longest short ones (an 8-character heading) are under 4 times, the longest long ones
# about twice, and none uses more than two thirds of this limit.
LENGTH_TIMES, LENGTH_MARGIN = 3, 200
FILE_NAME_PARTS = re.compile(r"[-_. ]+")


def export_po(content, lang: str, pages: list[str] | None = None) -> polib.POFile:
    po = polib.POFile(wrapwidth=0)
    stamp_now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M+0000")
    po.metadata = {
        "Project-Id-Version": "care leaver portal",
        "POT-Creation-Date": stamp_now,
        "PO-Revision-Date": stamp_now,
        "Last-Translator": "a role, never a name (see the reviewed-by notes)",
        "Language-Team": languages.get(lang).name,
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Source-Language": content.site.default_language,
    }
    terms, forms = protected_terms(), agreed_forms(lang)
    for rel in pages or sorted(content.english()):
        english = content.english()[rel]
        states = unit_states(content, lang, rel) or []
        state_of = {s.unit.key: s for s in states}
        translated = translated_units(content, lang, rel)
        for unit in english_units(content, rel).values():
            state = state_of.get(unit.key)
            mine = translated.get(unit.key)
            reviewed = bool(state and state.state == CURRENT and state.reviewed_by)
            entry = polib.POEntry(
                msgctxt=f"{rel}#{unit.key}", msgid=unit.text, msgstr=mine.text if mine else "",
                occurrences=[(english.display_path, str(unit.start))],
                comment=_notes(english, unit, state, terms, forms),
                tcomment=f"reviewed-by: {state.reviewed_by}" if reviewed else "",
            )
            if mine and not reviewed:
                entry.flags.append("fuzzy")
            po.append(entry)
    return po


def _notes(english, unit: Unit, state, terms, forms) -> str:
    notes = [f"Page: {english.meta.get('title', '')} ({english.rel})."]
    if unit.heading:
        notes.append(f"Section: {unit.heading}.")
    if unit.entitlement:
        notes.append(f"Entitlement {unit.entitlement}: its {unit.kind} (keep it plain and short).")
    if unit.kind == "description":
        notes.append(f"At most {DESCRIPTION_MAX} characters (search results and link previews cut it).")
    used = terms_used(unit.text, terms)
    if used:
        agreed = [term if forms.get(term, term) == term else f"{term} -> {forms[term]}" for term in used]
        notes.append("Protected terms, write exactly so: " + "; ".join(agreed) + ".")
    keep = _tokens(unit.text)
    if keep:
        notes.append("Do not translate or change: " + " ".join(sorted(set(keep))) + ".")
    if state is not None and state.state == "changed":
        notes.append("The English has changed since this was translated: update the translation.")
    elif state is not None and state.state == CURRENT and not state.reviewed_by:
        notes.append("Draft translation, not reviewed yet.")
    return "\n".join(notes)


def _tokens(text: str) -> list[str]:
    """What must come through a translation unchanged: link targets, {#ids .classes}, placeholders."""
    return ([f"({m.group('target')})" for m in LINK.finditer(text)]
            + [" ".join(m.group(0).split()) for m in ATTRIBUTES.finditer(text)]
            + PLACEHOLDER_TOKEN.findall(text))


def write_export(content, lang: str, out: Path, pages: list[str] | None = None) -> Path:
    if lang not in content.site.translated_languages:
        raise PortalError(f"LANG={lang}: not a translated language; use one of "
                          f"{', '.join(content.site.translated_languages)}")
    out.parent.mkdir(parents=True, exist_ok=True)
    export_po(content, lang, pages).save(str(out))
    return out


def import_po(content, path: Path, today: dt.date | None = None) -> list[str]:
    """Write a PO file's translations into the pages; return one line per page changed."""
    shown = content.site.display(path) if path.is_absolute() else str(path)
    try:
        po = polib.pofile(str(path), wrapwidth=0)
    except (OSError, ValueError) as error:
        raise PortalError(f"{shown}:1: file: cannot be read as a PO file ({error}); export it again with "
                          "`make translations-export` and send the translator the new file") from None
    lang = po.metadata.get("Language", "")
    if lang not in content.site.translated_languages:
        raise PortalError(f"{shown}:1: Language: {lang!r} is not one of this site's translated languages "
                          f"({', '.join(content.site.translated_languages)}); set the file's Language header")
    problems, accepted, gone = _language_problems(shown, path, po, lang, content.site.translated_languages), {}, []
    for entry in po:
        if entry.obsolete:
            continue
        rel, _, key = (entry.msgctxt or "").partition("#")
        source = english_units(content, rel).get(key) if rel in content.english() else None
        if source is None:
            gone.append(entry.msgctxt or f"line {entry.linenum}")  # removed from the English since the export
            continue
        if "fuzzy" in entry.flags or not entry.msgstr.strip():
            continue
        problems += _unit_problems(shown, entry, source, lang) + _length_problems(shown, entry)
        role = _role(entry)
        if role and not _is_role(role):
            problems.append(Problem(shown, entry.linenum, f"unit {entry.msgctxt}",
                                    f"'reviewed-by: {role}' must name a role, such as '{languages.get(lang).name} "
                                    f"reviewer', never a person; write the role ({', '.join(ROLE_ENDINGS)})"))
        accepted.setdefault(rel, []).append((source, entry.msgid, entry.msgstr, role, entry.linenum))
    if problems:
        raise PortalError.from_problems(f"{shown} was not imported; nothing was written. Fix these units:", problems)
    done = _apply(content, lang, accepted, shown, today or dt.date.today())
    if gone:
        done.append(f"left out {len(gone)} unit(s) no longer on the English pages (removed or renamed since the "
                    f"export): {', '.join(gone[:5])}{' ...' if len(gone) > 5 else ''}")
    return done


def _header_line(path: Path, name: str) -> int:
    """The line of a header such as `"Language: ar\\n"`, for the message; 1 if it cannot be found."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return 1
    return next((n for n, text in enumerate(lines, 1) if text.startswith(f'"{name}:')), 1)


def _language_problems(shown: str, path: Path, po, lang: str, translated: list[str]) -> list[Problem]:
    """The Language header decides where the words go, so every other mention of the file's
    language must agree with it: a Dari file marked `Language: ar` would overwrite the Arabic."""
    problems = []
    line = _header_line(path, "Language")
    header = f"{lang} ({languages.get(lang).english_name})"
    named = [part for part in FILE_NAME_PARTS.split(path.name.removesuffix(".po")) if part in translated]
    if named and named[0] != lang:
        other = languages.get(named[0]).english_name
        problems.append(Problem(shown, line, "Language",
                                f"the header says {header}, but the file name says {named[0]} ({other}); the "
                                "words would be written into the wrong language. Check which language the "
                                f"translation is in, then correct the Language header or the file name"))
    team = po.metadata.get("Language-Team", "").casefold()
    teams = [code for code in translated if team and any(
        name.casefold() in team for name in _names(languages.get(code)))]
    if teams and lang not in teams:
        other = ", ".join(f"{code} ({languages.get(code).english_name})" for code in teams)
        problems.append(Problem(shown, line, "Language",
                                f"the header says {header}, but the Language-Team header says {other}; the "
                                "words would be written into the wrong language. Check which language the "
                                "translation is in, then correct the Language or Language-Team header"))
    return problems


def _names(language) -> list[str]:
    return [language.name, language.english_name, *language.english_name.split(" / ")]


def _length_problems(shown: str, entry) -> list[Problem]:
    """A translation far longer than any real one is not a translation (a pasted file, a mistake)."""
    english, translated = len(entry.msgid), len(entry.msgstr)
    limit = max(LENGTH_TIMES * english, english + LENGTH_MARGIN)
    if translated <= limit:
        return []
    return [Problem(shown, entry.linenum, f"unit {entry.msgctxt}",
                    f"the translation is {translated} characters for {english} of English, over the limit of "
                    f"{limit} ({LENGTH_TIMES} times the English, or the English and {LENGTH_MARGIN} characters, "
                    "whichever is more); check that only this unit's translation is in this entry")]


def _role(entry) -> str:
    match = REVIEWED_BY.search(entry.tcomment or "")
    return match.group("role") if match else ""


def _is_role(role: str) -> bool:
    return bool(ROLE.match(role)) and role.lower().split()[-1] in ROLE_ENDINGS


def _unsafe_html(shown: str, entry, source: Unit, lang: str) -> list[Problem]:
    """What `make check` refuses in any page (checks/safety.py: scripts, addresses that load from
    elsewhere or take in a file, rel="attachment"), found in the translation before it is written.
    A title or description is checked as front matter, where it is published unescaped."""
    rel = (entry.msgctxt or "").partition("#")[0]
    if source.kind in ("title", "description"):
        page = SourcePage(shown, lang, rel, meta={source.kind: entry.msgstr})
    else:
        page = SourcePage(shown, lang, rel, body=entry.msgstr)
    return [Problem(shown, entry.linenum, f"unit {entry.msgctxt}", problem.message)
            for problem in check_unsafe_html(page)]


def _unit_problems(shown: str, entry, source: Unit, lang: str) -> list[Problem]:
    found = _unsafe_html(shown, entry, source, lang)
    unit = f"unit {entry.msgctxt}"
    for name, pick in (("placeholders", PLACEHOLDER_TOKEN.findall),
                       ("link targets", lambda t: [m.group("target") for m in LINK.finditer(t)]),
                       ("ids", lambda t: [" ".join(m.group(0).split()) for m in ATTRIBUTES.finditer(t)])):
        want, got = Counter(pick(entry.msgid)), Counter(pick(entry.msgstr))
        if want != got:
            missing = ", ".join(sorted((want - got).elements())) or "none"
            extra = ", ".join(sorted((got - want).elements())) or "none"
            found.append(Problem(shown, entry.linenum, unit,
                                 f"the {name} differ from the English (missing: {missing}; not in the English: "
                                 f"{extra}); copy them from the English text exactly as they are"))
    if "\n" in entry.msgstr and source.kind in ("title", "description", "heading", "cell", "note", "summary",
                                                "cost", "step"):
        found.append(Problem(shown, entry.linenum, unit, f"a {source.kind} is one line; remove the line breaks"))
    if source.kind == "description" and len(entry.msgstr) > DESCRIPTION_MAX:
        found.append(Problem(shown, entry.linenum, unit,
                             f"is {len(entry.msgstr)} characters long; shorten it to {DESCRIPTION_MAX} or fewer"))
    return found


def _apply(content, lang: str, accepted: dict, shown: str, today: dt.date) -> list[str]:
    """Every page rewritten in memory first; the files and the record are written only if all are right."""
    records = {page: dict(units) for page, units in load_records(content, lang).items()}
    outputs, changed, problems = {}, [], []
    for rel, entries in accepted.items():
        page = content.pages.get(lang, {}).get(rel)
        if page is None:
            problems.append(Problem(shown, 1, f"page {rel}",
                                    f"docs/{lang}/{rel} does not exist; make the draft page first "
                                    "(copy the English page), record it with `make translations-stamp`, then import"))
            continue
        path = content.site.docs_dir / lang / rel
        texts = {source.key: text for source, _, text, _, _ in entries}
        po_lines = {source.key: line for source, _, _, _, line in entries}
        text, found = rewrite_units(content.english()[rel], page, read_text(path, content.site.root), texts, shown,
                                    po_lines)
        problems += found
        page_records = records.setdefault(rel, {})
        before = translated_units(content, lang, rel)
        behind = 0
        for source, msgid, words, role, _ in entries:
            old, made_from = page_records.get(source.key), text_hash(msgid)
            # A tool that drops translator comments must not undo a review of these very words.
            unchanged = (old is not None and old.made_from == made_from and source.key in before
                         and before[source.key].text.split() == words.split())
            page_records[source.key] = Record(made_from, role or (old.reviewed_by if unchanged else ""))
            behind += made_from != source.hash
        outputs[path] = page_status_front_matter(text, content, rel, page_records, today)
        changed.append(f"{lang}/{rel}: {len(entries)} unit(s)" + (
            f"; {behind} of them translate older English (the file was exported before an English edit), "
            "so they stay marked as changed" if behind else ""))
    if problems:
        raise PortalError.from_problems(f"{shown} was not imported; nothing was written. Fix these units:", problems)
    for path, text in outputs.items():
        atomic_write(path, text.encode("utf-8"))
    save_records(content, lang, records)
    return changed


def page_status_front_matter(text: str, content, rel: str, page_records: dict[str, Record], today: dt.date) -> str:
    """The front matter's `translation:` block replaced by status_block's (added if it has none)."""
    english = content.english()[rel]
    lines = text.splitlines()
    page = parse_page(english.display_path, "", rel, text)
    start = page.line_of("translation")
    later = [line for line in page.meta_lines.values() if line > start]
    end = (min(later) if later else page.body_start_line - 1) - 1
    block = status_block(content, rel, page_records, today, page.meta.get("translation"))
    if "translation" in page.meta_lines:
        lines[start - 1:end] = block
    else:
        lines[page.body_start_line - 2:page.body_start_line - 2] = block
    return "\n".join(lines) + "\n"


def status_block(content, rel: str, page_records: dict[str, Record], today: dt.date, before=None) -> list[str]:
    """The front matter's `translation:` lines, saying what the units say: reviewed only when every
    unit is reviewed and up to date; source_hash moves to today's English only when every unit is up
    to date (else it keeps `before`'s, the block the page has now)."""
    units = list(english_units(content, rel).values())
    current = all(key_record_matches(page_records, u) for u in units)
    roles = sorted({page_records[u.key].reviewed_by for u in units if u.key in page_records} - {""})
    reviewed = current and all(page_records[u.key].reviewed_by for u in units)
    record = before if isinstance(before, dict) else {}
    made_from = content.english()[rel].source_hash() if current else str(record.get("source_hash") or "")
    block = ["translation:", f'  source_hash: "{made_from}"', f"  status: {'reviewed' if reviewed else 'draft'}"]
    if reviewed:
        block += [f"  reviewed_by: {json.dumps(', '.join(roles), ensure_ascii=False)}", f"  reviewed_on: {today.isoformat()}"]
    return block


def key_record_matches(page_records: dict[str, Record], unit: Unit) -> bool:
    record = page_records.get(unit.key)
    return record is not None and record.made_from == unit.hash
