"""Command line for staff and make: check, translations, audio, build, release.

Every problem is one line, `file:line: field: what is wrong, how to fix it`; no traceback reaches
a user (set PORTAL_DEBUG=1 to see one).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from . import recording_commands, translation_commands
from .audio import coverage as audio_coverage
from .audio import generator as audio_generator
from .audio import library as audio
from .audio import recordings
from .audio import report as audio_report
from .checks import check_all, release_blockers
from .checks.files import check_files
from .configuration import PLUGIN, load_mkdocs_config, load_site, site_of
from .content.errors import PortalError, errors, format_report
from .content.pages import Content, load_content
from .publish.release import site_url_problems
from .render.speech import SiteSpeech
from .speech.report import FOLDER as SPEECH_REPORTS
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
        extras = [Path(name).read_text(encoding="utf-8") for name in args.append or [] if Path(name).is_file()]
        summary.write_text(summary_markdown(problems) + "".join(f"\n{extra}" for extra in extras if extra),
                           encoding="utf-8")
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
    if errors(problems) and args.suggest:
        Path(args.suggest).parent.mkdir(parents=True, exist_ok=True)
        Path(args.suggest).write_text("", encoding="utf-8")  # the check names what to fix first
        return 0
    if errors(problems):
        print(format_report(problems), file=sys.stderr)
        print(f"{offer_log.LOG_FILE} is unchanged: fix the entitlements above first.", file=sys.stderr)
        return 1
    path = site.root / offer_log.LOG_FILE
    changes, bad = offer_log.read_log(path, site.display(path))
    if bad:
        if args.suggest:  # the check names the broken record
            Path(args.suggest).write_text("", encoding="utf-8")
            return 0
        print(format_report(bad), file=sys.stderr)
        return 1
    today = dt.datetime.now(dt.timezone.utc).date()
    new = offer_log.pending(changes, content.offer.entitlements(site.default_language), today)
    if args.suggest:  # the pull request's comment gives the lines; nothing is written into the branch
        suggestion = Path(args.suggest)
        suggestion.parent.mkdir(parents=True, exist_ok=True)
        suggestion.write_text(offer_log.paste_instructions(new) if new else "", encoding="utf-8")
        return 0
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
    problems += site_url_problems(site)
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
    unplayed = recordings.unplayed_recordings(content, site.audio_dir / "recordings", site.root)
    if unplayed:
        print("\nRecordings not played until someone records them again or confirms them:", *unplayed, sep="\n  ")
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
    return make_audio(site, content, Path(args.json), upgrade=args.upgrade, strict=args.strict, store=args.store,
                      budget=args.budget)


def make_audio(site, content: Content, report: Path, upgrade: bool = False, strict: bool = False, store: str = "",
               budget: int | None = None, speech: SiteSpeech | None = None) -> int:
    """Voice the checked content; 0, or 1 after naming every file to fix (audio/ is then unchanged).
    `store`: where the last deploy's clips are (fetched, not made again); `budget`: how many clips
    the speech service on the network may make in this run; `speech`: the run's speech text, which
    the build then shares."""
    generator = audio_generator.make_generator(site, repair=True, store=store, budget=budget)
    if generator.library.damaged:
        print(generator.library.damaged, file=sys.stderr)
    speech = speech or SiteSpeech.for_site(content)
    outcomes = generator.generate(content, upgrade=upgrade, commit=False, speech=speech)
    print(audio_report.report_table(outcomes))
    unplayed = recordings.unplayed_recordings(content, site.audio_dir / "recordings", site.root, speech)
    if unplayed:
        print("\nRecordings not played until someone records them again or confirms them:", *unplayed, sep="\n  ")
    print("\nVoices, in the order they are tried:")
    print(audio_report.voices_table(audio_report.voices_by_language(generator, site.language_codes)))
    spoken = audio_report.write_site_speech_reports(speech, site.root)
    speech.save()
    print(f"What each voice says, to proofread: {len(spoken)} page(s) in {SPEECH_REPORTS}/")
    made = sum(o.synthesised for o in outcomes)
    print(f"\n{made} page(s) with new clips, {sum(o.has_audio for o in outcomes)} of {len(outcomes)} pages have audio")
    print(audio_report.run_summary(outcomes, generator))
    report.parent.mkdir(parents=True, exist_ok=True)
    found = audio_coverage.coverage(outcomes, site.language_codes)
    print("\nShare of sections with a voice, and which kind:")
    print(audio_coverage.coverage_lines(found))
    data = {"coverage": found, "pages": audio_report.report_json(outcomes)}
    report.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if generator.problems:
        print(format_report(generator.problems), file=sys.stderr)
        print("Fix the files above, then run make audio again; audio/ is unchanged (the clips made are kept in "
              ".cache/ for the next run).", file=sys.stderr)
        return 1
    if strict:
        failures = audio_report.strict_failures(outcomes, generator)
        if failures:
            print("STRICT: these pages need final audio before a release:", *failures, sep="\n  ", file=sys.stderr)
            print("audio/ is unchanged (the clips made are kept in .cache/ for the next run).", file=sys.stderr)
            return 1
    generator.commit()
    if not generator.problems:
        audio_coverage.save(site.audio_dir, found)
    return 0


def cmd_build(args) -> int:
    """Check, voice and build in one process, from one load of the content; the site is built into a
    fresh folder and swapped in, so a failed build leaves site/ as it was."""
    root = Path(args.root).resolve()
    target = (root / args.site_dir).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".site-building-", dir=target.parent))
    built = False
    try:
        config = load_mkdocs_config(root, site_dir=str(staging), strict=True)
        site = site_of(config, root)
        content, problems = checked_content(site)
        if errors(problems):
            print(format_report(problems), file=sys.stderr)
            print("The site was not built; site/ is unchanged. Fix the errors above.", file=sys.stderr)
            return 1
        speech = SiteSpeech.for_site(content)  # made once: the audio step, its reports and the pages share it
        if args.audio and make_audio(site, content, Path(args.json), upgrade=args.upgrade, store=args.store,
                                     budget=args.budget, speech=speech) != 0:
            print("The site was not built; site/ is unchanged.", file=sys.stderr)
            return 1
        audio.AudioLibrary(site.audio_dir)  # a damaged audio/lock.json stops here, named, before MkDocs starts
        config.plugins[PLUGIN].prepare(site, content, speech)
        if not run_mkdocs(config):
            print("The build failed; site/ is unchanged.", file=sys.stderr)
            return 1
        publishable_modes(staging)
        built = True
    finally:
        if not built:
            shutil.rmtree(staging, ignore_errors=True)
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.rename(target, old)
    os.rename(staging, target)
    shutil.rmtree(old, ignore_errors=True)
    print(f"Site written to {target}")
    return 0


def run_mkdocs(config) -> bool:
    """MkDocs' build, as `mkdocs build` runs it, in this process; False after printing why it failed."""
    import logging

    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    shown = logging.StreamHandler(sys.stderr)
    shown.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    shown.setLevel(logging.WARNING)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(shown)
    try:
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except MkDocsException as error:
        print(error.format_message() if hasattr(error, "format_message") else str(error), file=sys.stderr)
        return False
    finally:
        logger.removeHandler(shown)
    return True


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


def add_store_options(command) -> None:
    command.add_argument("--store", default=os.environ.get("AUDIO_STORE", ""),
                         help="where the last deploy's clips are: the published site's address, or a folder "
                              "(default: $AUDIO_STORE)")
    command.add_argument("--budget", type=int, default=_budget(os.environ.get("AUDIO_BUDGET")),
                         help="at most this many clips from the speech service on the network (default: "
                              "$AUDIO_BUDGET, else no limit)")


def _budget(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        raise PortalError(f"AUDIO_BUDGET: {value!r} is not a whole number of clips; for example AUDIO_BUDGET=200") \
            from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="portal", description=__doc__)
    parser.add_argument("--root", default=".", help="the project folder (holding mkdocs.yml)")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="check every page; exit 1 on errors")
    check.add_argument("--summary", help="also write a Markdown summary for a pull request comment")
    check.add_argument("--append", action="append", help="a Markdown file to add to the summary (the lines to paste "
                                                         "that offer-log and translations-stamp --suggest wrote); "
                                                         "may be given more than once")
    check.set_defaults(run=cmd_check)
    release = commands.add_parser("release", help="fail while any English page is a draft or overdue")
    release.set_defaults(run=cmd_release)
    trans = commands.add_parser("translations", help="translation status of every page and language")
    trans.add_argument("--json", default="reports/translations.json")
    trans.set_defaults(run=cmd_translations)
    translation_commands.add_commands(commands)
    recording_commands.add_commands(commands)
    sound = commands.add_parser("audio", help="make the audio that is missing, and report on all of it")
    sound.add_argument("--json", default="reports/audio.json")
    sound.add_argument("--strict", action="store_true", help="fail unless every voiced page has final audio")
    sound.add_argument("--upgrade", action="store_true", help="retry the preferred engine for provisional clips")
    add_store_options(sound)
    sound.set_defaults(run=cmd_audio)
    log = commands.add_parser("offer-log", help="record changes to the offer in offer-changes.yml (the Atom feed)")
    log.add_argument("--suggest", help="write the lines to paste into this Markdown file instead of the record")
    log.set_defaults(run=cmd_offer_log)
    build = commands.add_parser("build", help="check, voice and build the site atomically, in one process")
    build.add_argument("--site-dir", default="site")
    build.add_argument("--json", default="reports/audio.json")
    build.add_argument("--no-audio", dest="audio", action="store_false", help="publish the audio as it is")
    build.add_argument("--upgrade", action="store_true", help="retry the preferred voice for provisional clips")
    add_store_options(build)
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
