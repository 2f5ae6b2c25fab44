"""Command line for staff and make: check, translations, audio, build."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .audio import library as audio
from .checks import check_all, release_blockers
from .content.errors import errors, format_report
from .content.pages import load_content
from .content.settings import load_site
from .translation import status as translations


def cmd_check(args) -> int:
    site = load_site(Path(args.root))
    problems = check_all(load_content(site))
    print(format_report(problems))
    if args.summary:
        summary = Path(args.summary)
        summary.parent.mkdir(parents=True, exist_ok=True)
        summary.write_text(summary_markdown(problems), encoding="utf-8")
    return 1 if errors(problems) else 0


def summary_markdown(problems) -> str:
    found = errors(problems)
    lines = ["## Content checks", ""]
    lines.append(f"**{len(found)} error(s), {len(problems) - len(found)} warning(s).**" if problems else "All checks passed.")
    if problems:
        lines += ["", "| Where | Field | What to do |", "|---|---|---|"]
        for p in sorted(problems):
            kind = "" if p.severity == "error" else "(warning) "
            lines.append(f"| `{p.path}:{p.line}` | {p.field} | {kind}{p.message.replace('|', '/')} |")
    return "\n".join(lines) + "\n"


def cmd_release(args) -> int:
    """The public site carries no drafts and no overdue pages; a preview may."""
    site = load_site(Path(args.root))
    content = load_content(site)
    problems = check_all(content) + release_blockers(content)
    print(format_report(problems))
    if errors(problems):
        print("Not ready for release: fix the errors above.", file=sys.stderr)
        return 1
    return 0


def cmd_translations(args) -> int:
    site = load_site(Path(args.root))
    statuses = translations.all_statuses(load_content(site))
    print(translations.table(statuses, site.translated_languages))
    print()
    for lang, pages in translations.to_do(statuses).items():
        print(f"To translate or update in {lang}: {', '.join(pages)}")
    report = Path(args.json)
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(json.dumps(translations.as_json(statuses), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nWritten to {report}")
    return 0


def cmd_audio(args) -> int:
    site = load_site(Path(args.root))
    content = load_content(site)
    generator = audio.make_generator(site)
    outcomes = generator.generate(content, upgrade=args.upgrade)
    print(audio.report_table(outcomes))
    made = sum(o.synthesised for o in outcomes)
    print(f"\n{made} clip(s) synthesised, {sum(o.has_audio for o in outcomes)} of {len(outcomes)} pages have audio")
    report = Path(args.json)
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(json.dumps(audio.report_json(outcomes), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if args.strict:
        failures = audio.strict_failures(outcomes, generator)
        if failures:
            print("STRICT: these pages need final audio before a release:", *failures, sep="\n  ", file=sys.stderr)
            return 1
    return 0


def cmd_build(args) -> int:
    """Build into a fresh folder, then swap it in, so a failed build leaves site/ as it was."""
    root = Path(args.root).resolve()
    site = load_site(root)
    problems = check_all(load_content(site))
    if errors(problems):
        print(format_report(problems), file=sys.stderr)
        print("The site was not built; site/ is unchanged. Fix the errors above.", file=sys.stderr)
        return 1
    target = (root / args.site_dir).resolve()
    staging = Path(tempfile.mkdtemp(prefix=".site-building-", dir=target.parent))
    mkdocs = Path(sys.executable).with_name("mkdocs")
    command = [str(mkdocs if mkdocs.exists() else "mkdocs"), "build", "--strict", "--site-dir", str(staging)]
    result = subprocess.run(command, cwd=root)
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        print("The build failed; site/ is unchanged.", file=sys.stderr)
        return result.returncode
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.rename(target, old)
    os.rename(staging, target)
    shutil.rmtree(old, ignore_errors=True)
    print(f"Site written to {target}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="portal", description=__doc__)
    parser.add_argument("--root", default=".", help="the project folder (holding mkdocs.yml)")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="check every page; exit 1 on errors")
    check.add_argument("--summary", help="also write a Markdown summary for a pull request comment")
    check.set_defaults(run=cmd_check)
    release = commands.add_parser("release", help="fail while any English page is a draft or overdue")
    release.set_defaults(run=cmd_release)
    trans = commands.add_parser("translations", help="translation status of every page and language")
    trans.add_argument("--json", default="reports/translations.json")
    trans.set_defaults(run=cmd_translations)
    sound = commands.add_parser("audio", help="make the audio that is missing, and report on all of it")
    sound.add_argument("--json", default="reports/audio.json")
    sound.add_argument("--strict", action="store_true", help="fail unless every voiced page has final audio")
    sound.add_argument("--upgrade", action="store_true", help="retry the preferred engine for provisional clips")
    sound.set_defaults(run=cmd_audio)
    build = commands.add_parser("build", help="check, then build the site atomically")
    build.add_argument("--site-dir", default="site")
    build.set_defaults(run=cmd_build)
    args = parser.parse_args(argv)
    return args.run(args)
