"""Audio benchmark, three figures from one run on this machine (ratios, not seconds, are comparable):

1. clips per second synthesised cold with espeak-ng;
2. a no-change `make build` (its command, `python -m portal build`) divided by the same build with
   audio switched off, in CPU seconds of paired runs (target <= 1.15);
3. clips synthesised after editing one English page (target: that page only).

Run: make benchmark (or .venv/bin/python scripts/benchmark_audio.py)
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmark_build import copy_project  # the build benchmark's copy: every file the content is read from
from benchmark_build import timed_build as build_cpu
from portal.audio.engines import EspeakEngine
from portal.audio.generator import make_generator
from portal.configuration import load_site
from portal.content.pages import load_content

RUNS = 5


class NoNetwork:
    """Stands in for gTTS so the benchmark never waits on a network it cannot reach."""

    name = "gtts"

    def voice(self, lang):
        return None


def cold_clips_per_second(project: Path) -> tuple[float, int]:
    shutil.rmtree(project / "audio" / "clips")
    (project / "audio" / "lock.json").unlink()
    site = load_site(project)
    content = load_content(site)
    english_only = {site.default_language: content.english()}
    content.pages = english_only
    generator = make_generator(site, {"gtts": NoNetwork(), "espeak-ng": EspeakEngine()})
    start = time.perf_counter()
    outcomes = generator.generate(content)
    elapsed = time.perf_counter() - start
    made = sum(o.synthesised for o in outcomes)
    return made / elapsed, made


def timed_build(project: Path, audio: bool) -> float:
    """CPU seconds of `make build`'s command in a fresh process; without audio, the same build with
    the audio step and the players left out (`--no-audio`, PORTAL_AUDIO=off)."""
    options = () if audio else ("--no-audio",)
    return build_cpu(project, project / "mkdocs.yml", *options, env={"PORTAL_AUDIO": "on" if audio else "off"})[0]


def rebuild_ratio(project: Path) -> tuple[float, float, float]:
    timed_build(project, True)  # warm the caches (speech text, previews, checks), as after a build
    with_audio, without = [], []
    for _ in range(RUNS):  # interleaved, so machine noise hits both alike
        with_audio.append(timed_build(project, True))
        without.append(timed_build(project, False))
    on, off = statistics.median(with_audio), statistics.median(without)
    return on / off, on, off


def clips_after_one_edit(project: Path) -> list[str]:
    site = load_site(project)
    generator = make_generator(site, {"gtts": NoNetwork(), "espeak-ng": EspeakEngine()})
    generator.generate(load_content(site))
    page = project / "docs" / "en" / "offer" / "travel.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more sentence for the benchmark.\n", encoding="utf-8")
    outcomes = generator.generate(load_content(load_site(project)))
    return [f"{o.lang}/{o.page}" for o in outcomes if o.synthesised]


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        project = copy_project(Path(scratch) / "project")
        ratio, on, off = rebuild_ratio(project)
        edited = clips_after_one_edit(project)
        rate, made = cold_clips_per_second(project)
    print(f"1. espeak-ng, cold: {rate:.2f} clips per second ({made} English pages)")
    print(f"2. no-change build with audio / without: {ratio:.3f} (median of {RUNS}, CPU: {on:.2f} s / {off:.2f} s;"
          " target <= 1.15)")
    print(f"3. clips synthesised after editing offer/travel.md: {len(edited)} ({', '.join(edited)};"
          " target: en/offer/travel.md only)")
    return 0 if ratio <= 1.15 and edited == ["en/offer/travel.md"] else 1


if __name__ == "__main__":
    sys.exit(main())
