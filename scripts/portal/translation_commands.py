"""The command line's translation commands, `python -m portal translations-export | translations-import | translations-stamp` (make targets of
the same names): the translator's round trip, and recording new draft pages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .checks.files import check_files
from .configuration import load_site
from .content.errors import PortalError, errors, format_report
from .content.files import atomic_write
from .content.pages import load_content
from .content.translation_records import (
    CHANGED,
    Record,
    english_units,
    load_records,
    page_record_lines,
    paste_heading,
    record_path,
    save_records,
    stamp,
    translated_units,
    unit_states,
    unrecorded_pages,
)
from .translation.exchange import import_po, page_status_front_matter, status_block, write_export
from .translation.termbase import termbase_csv


def _content(root: str):
    site = load_site(Path(root))
    unsafe = check_files(site)
    if errors(unsafe):
        raise PortalError(format_report(unsafe))
    return load_content(site)


def cmd_export(args) -> int:
    content = _content(args.root)
    languages = content.site.translated_languages if args.lang == "all" else [args.lang]
    out = Path(args.out)
    for lang in languages:
        pages = args.page or None
        unknown = [p for p in pages or [] if p not in content.english()]
        if unknown:
            raise PortalError(f"PAGE={' '.join(unknown)}: no such English page; use a path inside docs/en, "
                              "such as offer/travel.md")
        written = write_export(content, lang, out / f"{lang}.po", pages)
        print(f"Written {written}")
    terms = out / "termbase.csv"
    atomic_write(terms, termbase_csv(content).encode("utf-8"))
    print(f"Written {terms} (glossary and protected terms, every language)")
    return 0


def cmd_import(args) -> int:
    content = _content(args.root)
    path = Path(args.file)
    if not path.is_file():
        raise PortalError(f"FILE={args.file}: no such file; give the path of the .po file the translator sent")
    for line in import_po(content, path):
        print(line if line.startswith("left out") else f"Imported {line}")
    print("Run `make translations` to see what is still to do, and `make check` before you commit.")
    return 0


def cmd_stamp(args) -> int:
    """Record a draft page unit by unit, so that later English edits show unit by unit."""
    if args.suggest:
        return suggest_records(args.root, Path(args.suggest))
    if not args.page:
        raise PortalError("Give the page: make translations-stamp PAGE=finder.md")
    content = _content(args.root)
    languages = content.site.translated_languages if args.lang == "all" else [args.lang]
    problems = []
    for lang in languages:
        records = {page: dict(units) for page, units in load_records(content, lang).items()}
        for rel in args.page:
            refusal = stamp_refusal(content, lang, rel, args.force)
            if refusal:
                problems.append(refusal)
                continue
            records[rel], path, text, updated = stamped(content, lang, rel)
            if updated != text:
                atomic_write(path, updated.encode("utf-8"))
            print(f"Recorded {lang}/{rel}: {len(records[rel])} unit(s), as today's English")
        save_records(content, lang, records)
    if problems:
        raise PortalError("\n".join(problems))
    return 0


def stamp_refusal(content, lang: str, rel: str, force: bool = False) -> str | None:
    """Why this page cannot be recorded as translating today's English; None if it can."""
    if rel not in content.english():
        return f"PAGE={rel}: no such English page; use a path inside docs/en"
    if rel not in content.pages.get(lang, {}):
        return f"docs/{lang}/{rel}: missing; make the draft translation first"
    missing = sorted(set(english_units(content, rel)) - set(translated_units(content, lang, rel)))
    if missing:
        return (f"docs/{lang}/{rel}: does not follow the English page's parts (missing: {', '.join(missing[:5])}); "
                "give it the same headings, paragraphs and list items")
    behind = [s.unit.key for s in unit_states(content, lang, rel) or [] if s.state == CHANGED]
    if behind and not force:
        return (f"docs/{lang}/{rel}: units {', '.join(behind[:5])} were translated from older English; stamping "
                "would hide that. Update them (export, translate, import), or add --force if the translation has "
                "been updated by hand")
    return None


def stamped(content, lang: str, rel: str) -> tuple[dict[str, Record], Path, str, str]:
    """The page's record as today's English, its file, and its text before and after stamping: the
    page's own `translation:` block says the same as its units, made from today's English."""
    page_records = stamp(content, lang, rel)
    path = content.site.root / content.pages[lang][rel].display_path
    text = path.read_text(encoding="utf-8")
    return page_records, path, text, page_status_front_matter(text, content, rel, page_records, dt.date.today())


def suggest_records(root: str, out: Path) -> int:
    """For a pull request's comment: what stamping would write for every page `make check` refuses
    as unrecorded, as lines to paste in the browser; nothing is written into the branch."""
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        content = _content(root)
    except PortalError:
        out.write_text("", encoding="utf-8")  # an unsafe file: the check names it first
        return 0
    parts = [_paste_instructions(content, lang) for lang in content.site.translated_languages]
    out.write_text("\n".join(part for part in parts if part), encoding="utf-8")
    return 0


def _paste_instructions(content, lang: str) -> str:
    lines, pages, notes = [], [], []
    for rel in unrecorded_pages(content, lang):
        shown = content.pages[lang][rel].display_path
        refusal = stamp_refusal(content, lang, rel)
        if refusal:
            notes.append(f"`{shown}` cannot be recorded yet: {refusal}.")
            continue
        page_records, path, text, updated = stamped(content, lang, rel)
        lines += page_record_lines(rel, page_records)
        if updated != text:
            block = status_block(content, rel, page_records, dt.date.today(), content.pages[lang][rel].meta.get(
                "translation"))
            notes.append(f"At the top of `{shown}`, the `translation:` lines must read as below: replace "
                         "them, or add them just above the second `---` line if the page has none, and commit:\n\n"
                         "```yaml\n" + "\n".join(block) + "\n```")
        pages.append(f"`{shown}`")
    if not lines and not notes:
        return ""
    text = f"## {paste_heading(lang)}\n\n"
    if lines:
        file = record_path(content, lang).relative_to(content.site.root).as_posix()
        text += (f"A new translation is not recorded yet ({', '.join(pages)}). Open `{file}` in the pull request's "
                 "branch (Edit), paste these lines at its very end, and commit:\n\n```yaml\n"
                 + "\n".join(lines) + "\n```\n")
    return text + "".join(f"\n{note}\n" for note in notes)


def add_commands(commands) -> None:
    export = commands.add_parser("translations-export", help="a PO file per language, and the term base (CSV)")
    export.add_argument("--lang", required=True, help="a language code, or 'all'")
    export.add_argument("--page", nargs="*", help="only these pages (paths inside docs/en)")
    export.add_argument("--out", default="reports/translations")
    export.set_defaults(run=cmd_export)
    imports = commands.add_parser("translations-import", help="write a translated PO file into the pages")
    imports.add_argument("file")
    imports.set_defaults(run=cmd_import)
    record = commands.add_parser("translations-stamp", help="record draft pages as translating today's English")
    record.add_argument("--lang", default="all", help="a language code, or 'all'")
    record.add_argument("--page", nargs="+", help="paths inside docs/en, such as finder.md")
    record.add_argument("--force", action="store_true", help="also over units recorded from older English")
    record.add_argument("--suggest", help="write nothing into the branch: write to this Markdown file the lines to "
                                          "paste for every translated page that has no record (the pull request's "
                                          "comment)")
    record.set_defaults(run=cmd_stamp)
