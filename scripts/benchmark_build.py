"""Build benchmark: what the portal costs on top of MkDocs + Material + mkdocs-static-i18n.

Paired runs on this machine, alternating, each a fresh process building into a new folder:
- plain: `mkdocs build` of the same docs/ and mkdocs.yml without the portal plugin and templates
  (only the interface-word partials Material needs for ps, ti and am are kept);
- portal: `python -m portal build`, the whole of `make build`: the settings, one load and check of
  the content, the audio step, MkDocs with the plugin, every writer and the swap into place.
Both are run on the real content and on a generated corpus ten times its size (every content page
copied nine more times in every language, each copy with its own entitlement ids). Figures
are the median of RUNS pairs, in CPU seconds of the build process (user + system), which other
work on a shared machine does not stretch; the ratio portal / plain is what is comparable across
machines. The wall-clock ratio is reported beside it, and so is the ratio to plain MkDocs given
the one portal cache it could use by itself (compiled templates), which shows what the portal's
own work costs.

Run: make benchmark (target: ratio at most 1.15 on both). Writes reports/benchmark-build.json.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RUNS = int(os.environ.get("BENCHMARK_RUNS", "5"))
# The corpus builds take ten times as long: fewer pairs keep `make benchmark` within minutes.
CORPUS_RUNS = int(os.environ.get("BENCHMARK_CORPUS_RUNS", "2"))
COPIES = 10
TARGET = 1.15
# Pages a site has one of, however much content it holds: a section's landing page, the glossary
# (the one page that may use jargon), and the two pages that list the whole site (the finder lists
# every entitlement, the professionals page every page in every language). Copying those too would
# make the corpus grow with the square of its size (90 finder pages of 170 entitlements each), not
# ten times; they stay one per language and list ten times as much.
SINGLE_PAGES = ("index.md", "glossary.md", "finder.md", "professionals.md")
ENTITLEMENT = re.compile(r"\{#([\w-]+) \.entitlement\}")


def copy_project(target: Path) -> Path:
    for name in ("docs", "overrides", "audio", "translations"):
        shutil.copytree(REPO / name, target / name, symlinks=True)
    for name in ("mkdocs.yml", "entitlements.yml", "offer-changes.yml", "services.yml"):
        shutil.copy2(REPO / name, target / name)
    return target


def grow(project: Path, copies: int) -> int:
    """Every page copied copies - 1 more times, in every language, with its own entitlement ids."""
    registry = (project / "entitlements.yml").read_text(encoding="utf-8")
    added = []
    for page in sorted((project / "docs").rglob("*.md")):
        rel = page.relative_to(project / "docs")
        if rel.name in SINGLE_PAGES:
            continue
        text = page.read_text(encoding="utf-8")
        for n in range(2, copies + 1):
            copy = page.with_name(f"{page.stem}-{n}.md")
            own = ENTITLEMENT.sub(lambda m: f"{{#{m.group(1)}-{n} .entitlement}}", text)
            for ident in ENTITLEMENT.findall(text):  # links to the page's own entitlements follow them
                own = own.replace(f"](#{ident})", f"](#{ident}-{n})")
            copy.write_text(own, encoding="utf-8")
            if rel.parts[0] == "en":
                inside = Path(*rel.parts[1:]).with_name(copy.name).as_posix()
                added += [f"{ident}-{n}: {inside}" for ident in ENTITLEMENT.findall(text)]
    (project / "entitlements.yml").write_text(registry + "\n".join(added) + "\n", encoding="utf-8")
    # The copies are new entitlements and new translated pages: record them, as staff would, so the
    # check lets the build run.
    subprocess.run([sys.executable, "-m", "portal", "--root", str(project), "offer-log"], check=True,
                   stdout=subprocess.DEVNULL)
    copies_in_english = sorted(path.relative_to(project / "docs" / "en").as_posix()
                               for path in (project / "docs" / "en").rglob("*-[0-9]*.md"))
    subprocess.run([sys.executable, "-m", "portal", "--root", str(project), "translations-stamp", "--lang", "all",
                    "--page", *copies_in_english], check=True, stdout=subprocess.DEVNULL)
    return len(list((project / "docs").rglob("*.md")))


def without_portal_plugin(text: str) -> str:
    """mkdocs.yml's text without the `- portal:` entry under plugins (INHERIT would keep a list whole)."""
    kept, inside = [], False
    for line in text.splitlines():
        if line.startswith("  - portal"):
            inside = True
            continue
        if inside and (line.startswith("    ") or not line.strip()):
            continue
        inside = False
        kept.append(line)
    return "\n".join(kept) + "\n"


def plain_config(project: Path) -> Path:
    """The same site as MkDocs + Material + i18n alone: no portal plugin, templates or assets."""
    theme = project / "plain-theme"
    shutil.copytree(project / "overrides" / "partials" / "languages", theme / "partials" / "languages")
    (project / "mkdocs-no-portal.yml").write_text(
        without_portal_plugin((project / "mkdocs.yml").read_text(encoding="utf-8")), encoding="utf-8")
    config = project / "mkdocs-plain.yml"
    config.write_text(
        "INHERIT: mkdocs-no-portal.yml\n"
        "extra_css: []\n"
        "extra_javascript: []\n"
        f"theme:\n  name: material\n  custom_dir: {theme}\n",
        encoding="utf-8",
    )
    return config


TEMPLATE_CACHE_HOOK = """
from pathlib import Path
from jinja2 import FileSystemBytecodeCache

def on_env(env, config, files):
    folder = Path(config.config_file_path).parent / ".cache" / "jinja-plain"
    folder.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = FileSystemBytecodeCache(str(folder))
    return env
"""


def plain_cached_config(project: Path) -> Path:
    """Plain, plus the one cache of the portal's that MkDocs could use without the portal: compiled
    templates. Against it, the ratio shows what the portal's own work costs."""
    (project / "template_cache_hook.py").write_text(TEMPLATE_CACHE_HOOK, encoding="utf-8")
    config = project / "mkdocs-plain-cached.yml"
    config.write_text((project / "mkdocs-plain.yml").read_text(encoding="utf-8") + "hooks: [template_cache_hook.py]\n",
                      encoding="utf-8")
    return config


def timed_build(project: Path, config: Path, *options: str, env: dict[str, str] | None = None) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one build in a fresh process, into a new folder. `options`: more
    arguments for `portal build`; `env`: more environment.

    CPU time (user + system, from the kernel's accounting of the child) is what the ratio uses:
    other work on a shared machine stretches the wall clock but not the CPU a build itself needs.
    """
    out = Path(tempfile.mkdtemp(prefix="bench-site-"))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    if config.name == "mkdocs.yml":  # the portal: make build's own command, as a whole
        command = [sys.executable, "-m", "portal", "--root", str(project), "build", "--site-dir", str(out), *options]
    else:
        command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(out)]
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             text=True)
    stderr = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if child.returncode:
        raise SystemExit(f"{config.name} in {project.name} did not build:\n{stderr[-3000:]}")
    shutil.rmtree(out, ignore_errors=True)
    return usage.ru_utime + usage.ru_stime, wall


def paired(project: Path, pages: int, runs: int) -> dict:
    plain = plain_config(project)
    configs = {"plain": plain, "plain_cached": plain_cached_config(project),
               "portal": project / "mkdocs.yml"}
    for config in (configs["portal"], configs["plain_cached"]):
        timed_build(project, config)  # warm: caches (QR codes, previews, speech, templates) as after a build
    cpu: dict[str, list[float]] = {name: [] for name in configs}
    wall: dict[str, list[float]] = {name: [] for name in configs}
    for _ in range(runs):
        for name, config in configs.items():
            seconds, elapsed = timed_build(project, config)
            cpu[name].append(seconds)
            wall[name].append(elapsed)
    median = {name: statistics.median(values) for name, values in cpu.items()}
    plain_s, portal_s = median["plain"], median["portal"]
    return {
        "pages": pages,
        "plain_seconds": round(plain_s, 2),
        "portal_seconds": round(portal_s, 2),
        "ratio": round(portal_s / plain_s, 3),
        "plain_ms_per_page": round(1000 * plain_s / pages, 1),
        "portal_ms_per_page": round(1000 * portal_s / pages, 1),
        "wall_ratio": round(statistics.median(wall["portal"]) / statistics.median(wall["plain"]), 3),
        "plain_cached_seconds": round(median["plain_cached"], 2),
        "ratio_to_plain_cached": round(portal_s / median["plain_cached"], 3),
        "runs": runs,
        # Each pair as measured, in order: a median that moves between runs of the benchmark shows here why.
        "plain_runs": [round(value, 2) for value in cpu["plain"]],
        "portal_runs": [round(value, 2) for value in cpu["portal"]],
        # Each pair's own ratio: the two builds of a pair ran a few seconds apart, so a drift in the
        # machine's speed over the run moves both; the median of these is the steadier figure.
        "pair_ratios": [round(portal / plain, 3) for portal, plain in zip(cpu["portal"], cpu["plain"])],
        "median_pair_ratio": round(statistics.median(p / q for p, q in zip(cpu["portal"], cpu["plain"])), 3),
    }


def main() -> int:
    results = {}
    with tempfile.TemporaryDirectory(prefix="bench-build-") as scratch:
        real = copy_project(Path(scratch) / "real")
        results["real"] = paired(real, len(list((real / "docs").rglob("*.md"))), RUNS)
        if CORPUS_RUNS:  # BENCHMARK_CORPUS_RUNS=0: the real content only, for a quick look
            big = copy_project(Path(scratch) / "corpus")
            results[f"{COPIES}x"] = paired(big, grow(big, COPIES), CORPUS_RUNS)
    print("CPU seconds per build (median of paired runs), their ratio, and the median of each pair's own ratio;\n"
          "wall-clock ratio, and the ratio to plain MkDocs with the same compiled-template cache the portal keeps")
    print(f"{'content':8} {'pages':>6} {'plain s':>8} {'portal s':>9} {'ratio':>6} {'pairs':>6} {'plain ms/p':>11}"
          f" {'portal ms/p':>12} {'wall ratio':>11} {'vs cached plain':>16}")
    for name, r in results.items():
        print(f"{name:8} {r['pages']:>6} {r['plain_seconds']:>8} {r['portal_seconds']:>9} {r['ratio']:>6} "
              f"{r['median_pair_ratio']:>6} {r['plain_ms_per_page']:>11} {r['portal_ms_per_page']:>12} "
              f"{r['wall_ratio']:>11} {r['ratio_to_plain_cached']:>16}")
    report = REPO / "reports" / "benchmark-build.json"
    report.parent.mkdir(exist_ok=True)
    report.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    over = [name for name, r in results.items() if r["ratio"] > TARGET]
    if over:
        print(f"Over the target ratio of {TARGET}: {', '.join(over)}", file=sys.stderr)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
