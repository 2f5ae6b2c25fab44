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
    english_units,
    load_records,
    save_records,
    stamp,
    translated_units,
    unit_states,
)
from .translation.exchange import import_po, page_status_front_matter, write_export
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
    content = _content(args.root)
    languages = content.site.translated_languages if args.lang == "all" else [args.lang]
    problems = []
    for lang in languages:
        records = {page: dict(units) for page, units in load_records(content, lang).items()}
        for rel in args.page:
            if rel not in content.english():
                problems.append(f"PAGE={rel}: no such English page; use a path inside docs/en")
                continue
            if rel not in content.pages.get(lang, {}):
                problems.append(f"docs/{lang}/{rel}: missing; make the draft translation first")
                continue
            missing = sorted(set(english_units(content, rel)) - set(translated_units(content, lang, rel)))
            if missing:
                problems.append(f"docs/{lang}/{rel}: does not follow the English page's parts (missing: "
                                f"{', '.join(missing[:5])}); give it the same headings, paragraphs and list items")
                continue
            behind = [s.unit.key for s in unit_states(content, lang, rel) or [] if s.state == CHANGED]
            if behind and not args.force:
                problems.append(f"docs/{lang}/{rel}: units {', '.join(behind[:5])} were translated from older English; "
                                "stamping would hide that. Update them (export, translate, import), or add --force "
                                "if the translation has been updated by hand")
                continue
            records[rel] = stamp(content, lang, rel)
            # The page's own `translation:` block says the same as its units: made from today's English.
            path = content.site.root / content.pages[lang][rel].display_path
            text = path.read_text(encoding="utf-8")
            updated = page_status_front_matter(text, content, rel, records[rel], dt.date.today())
            if updated != text:
                atomic_write(path, updated.encode("utf-8"))
            print(f"Recorded {lang}/{rel}: {len(records[rel])} unit(s), as today's English")
        save_records(content, lang, records)
    if problems:
        raise PortalError("\n".join(problems))
    return 0


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
    record.add_argument("--page", nargs="+", required=True, help="paths inside docs/en, such as finder.md")
    record.add_argument("--force", action="store_true", help="also over units recorded from older English")
    record.set_defaults(run=cmd_stamp)
