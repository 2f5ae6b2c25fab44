"""Command line for staff and make: check, translations, audio, build, release.

Every problem is one line, `file:line: field: what is wrong, how to fix it`; no traceback reaches
a user (set PORTAL_DEBUG=1 to see one).
"""

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
from .audio import report as audio_report
from .checks import check_all, release_blockers
from .checks.files import check_files
from .content.errors import PortalError, errors, format_report
from .content.pages import Content, load_content
from .content.settings import load_site
from .publish.release import site_url_problems
from .speech.report import FOLDER as SPEECH_REPORTS
from .speech.report import write_site_speech_reports
from .translation import commands as translation_commands
from .translation import status as translations
from .translation import workload

FILE_MODE, FOLDER_MODE = 0o644, 0o755


def checked_content(site) -> tuple[Content | None, list]:
    """Files first (a symbolic link is never read), then every content check.

    The content is None when a file problem stopped the run before any page was read."""
    problems = check_files(site)
    if errors(problems):
        return None, problems
    content = load_content(site)
    return content, check_all(content, file_problems=problems)


def cmd_check(args) -> int:
    site = load_site(Path(args.root))
    _, problems = checked_content(site)
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


def cmd_offer_log(args) -> int:
    """Append to offer-changes.yml what changed in the offer since it was last recorded."""
    import datetime as dt

    from .content import offer_log

    site = load_site(Path(args.root))
    unsafe = check_files(site)
    content = None if errors(unsafe) else load_content(site)
    problems = unsafe if content is None else content.offer.problems
    if content is not None and content.offer.unread:
        problems = problems + [p for rel in content.offer.unread for p in content.english()[rel].problems]
    if errors(problems):
        print(format_report(problems), file=sys.stderr)
        print(f"{offer_log.LOG_FILE} is unchanged: fix the entitlements above first.", file=sys.stderr)
        return 1
    path = site.root / offer_log.LOG_FILE
    changes, bad = offer_log.read_log(path, site.display(path))
    if bad:
        print(format_report(bad), file=sys.stderr)
        return 1
    today = dt.datetime.now(dt.timezone.utc).date()
    new = offer_log.pending(changes, content.offer.entitlements(site.default_language), today)
    if not new:
        print(f"{offer_log.LOG_FILE} is up to date: nothing changed in the offer.")
        return 0
    offer_log.append(path, new)
    for change in new:
        print(f"{change.date} {change.change}: {change.id}")
    print(f"\n{len(new)} entry(ies) added to {offer_log.LOG_FILE}; read them, then commit the file with your change.")
    return 0


def cmd_release(args) -> int:
    """The public site carries no drafts and no overdue pages; a preview may."""
    site = load_site(Path(args.root))
    content, problems = checked_content(site)
    if content is not None:
        problems += release_blockers(content)
    problems += site_url_problems(site.root)
    print(format_report(problems))
    if errors(problems):
        print("Not ready for release: fix the errors above.", file=sys.stderr)
        return 1
    return 0


def cmd_translations(args) -> int:
    site = load_site(Path(args.root))
    unsafe = check_files(site)
    if errors(unsafe):
        print(format_report(unsafe), file=sys.stderr)
        return 1
    content = load_content(site)
    statuses = translations.all_statuses(content)
    print(translations.table(statuses, site.translated_languages))
    print()
    for lang, pages in translations.to_do(statuses).items():
        print(f"To translate or update in {lang}: {', '.join(pages)}")
    work = workload.workload(content)
    print(workload.report(work))
    report = Path(args.json)
    report.parent.mkdir(parents=True, exist_ok=True)
    data = {"pages": translations.as_json(statuses), "work": [w.as_json() for w in work]}
    report.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nWritten to {report}")
    return 0


def cmd_audio(args) -> int:
    """The content checks first: with errors, audio/ is left exactly as it was. So it is after any
    other failure: the run's clips and lock reach audio/ only once nothing is wrong (and, with
    --strict, every voiced page has final audio)."""
    site = load_site(Path(args.root))
    content, problems = checked_content(site)
    if errors(problems):
        print(format_report(problems), file=sys.stderr)
        print("No audio was made and audio/ is unchanged: fix the errors above first.", file=sys.stderr)
        return 1
    generator = audio.make_generator(site, repair=True)
    if generator.library.damaged:
        print(generator.library.damaged, file=sys.stderr)
    outcomes = generator.generate(content, upgrade=args.upgrade, commit=False)
    print(audio_report.report_table(outcomes))
    spoken = write_site_speech_reports(content, site.root)
    print(f"What each voice says, to proofread: {len(spoken)} page(s) in {SPEECH_REPORTS}/")
    made = sum(o.synthesised for o in outcomes)
    print(f"\n{made} clip(s) synthesised, {sum(o.has_audio for o in outcomes)} of {len(outcomes)} pages have audio")
    report = Path(args.json)
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(json.dumps(audio_report.report_json(outcomes), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if generator.problems:
        print(format_report(generator.problems), file=sys.stderr)
        print("Fix the files above, then run make audio again; audio/ is unchanged (the clips made are kept "
              "in .cache/ for the next run).", file=sys.stderr)
        return 1
    if args.strict:
        failures = audio_report.strict_failures(outcomes, generator)
        if failures:
            print("STRICT: these pages need final audio before a release:", *failures, sep="\n  ", file=sys.stderr)
            print("audio/ is unchanged (the clips made are kept in .cache/ for the next run).", file=sys.stderr)
            return 1
    generator.commit()
    return 0


def cmd_build(args) -> int:
    """Build into a fresh folder, then swap it in, so a failed build leaves site/ as it was."""
    root = Path(args.root).resolve()
    site = load_site(root)
    _, problems = checked_content(site)
    if errors(problems):
        print(format_report(problems), file=sys.stderr)
        print("The site was not built; site/ is unchanged. Fix the errors above.", file=sys.stderr)
        return 1
    audio.AudioLibrary(site.audio_dir)  # a damaged audio/lock.json stops here, named, before MkDocs starts
    target = (root / args.site_dir).resolve()
    staging = Path(tempfile.mkdtemp(prefix=".site-building-", dir=target.parent))
    mkdocs = Path(sys.executable).with_name("mkdocs")
    command = [str(mkdocs if mkdocs.exists() else "mkdocs"), "build", "--strict", "--site-dir", str(staging)]
    result = subprocess.run(command, cwd=root)
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        print("The build failed; site/ is unchanged.", file=sys.stderr)
        return result.returncode
    try:
        publishable_modes(staging)
    except PortalError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.rename(target, old)
    os.rename(staging, target)
    shutil.rmtree(old, ignore_errors=True)
    print(f"Site written to {target}")
    return 0


def publishable_modes(folder: Path) -> None:
    """Every published file 0644 and folder 0755, whatever the umask; a link is never published."""
    os.chmod(folder, FOLDER_MODE)
    for current, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(current) / name
            if path.is_symlink():
                raise PortalError(f"{path.relative_to(folder).as_posix()}:1: file: the built site holds a symbolic "
                                  "link; replace the file it came from with the file itself. site/ is unchanged")
            os.chmod(path, FOLDER_MODE if name in dirs else FILE_MODE)


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
    translation_commands.add_commands(commands)
    sound = commands.add_parser("audio", help="make the audio that is missing, and report on all of it")
    sound.add_argument("--json", default="reports/audio.json")
    sound.add_argument("--strict", action="store_true", help="fail unless every voiced page has final audio")
    sound.add_argument("--upgrade", action="store_true", help="retry the preferred engine for provisional clips")
    sound.set_defaults(run=cmd_audio)
    log = commands.add_parser("offer-log", help="record changes to the offer in offer-changes.yml (the Atom feed)")
    log.set_defaults(run=cmd_offer_log)
    build = commands.add_parser("build", help="check, then build the site atomically")
    build.add_argument("--site-dir", default="site")
    build.set_defaults(run=cmd_build)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except PortalError as error:
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130
    except Exception as error:  # the last guard: one line, never a traceback, unless asked for
        if os.environ.get("PORTAL_DEBUG"):
            raise
        print(f"portal {args.command}: unexpected {type(error).__name__}: {error}. Please tell the portal team "
              "(run again with PORTAL_DEBUG=1 to see the details)", file=sys.stderr)
        return 2
