"""Two builds of one site by different engines (MkDocs, ProperDocs), compared file by file.

The sites must hold the same files, byte for byte, except what names the engine or hashes what does:
- a page's `<meta name="generator" content="...">` (Material writes the engine's name and version there);
- the offline manifest's entries for exactly those pages (their content hash and compressed size), the
  bytes of each language listing one of them, and the manifest's version (a hash of its entries);
- that version where sw.js repeats it.
Anything else that differs is reported, one line per difference."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')
MANIFEST = "offline-manifest.json"
WORKER = "sw.js"


def files_of(site: Path) -> set[str]:
    return {path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file()}


def generator_of(html: bytes) -> list[bytes]:
    return GENERATOR.findall(html)


def _without_generator(html: bytes) -> bytes:
    return GENERATOR.sub(b'<meta name="generator" content="">', html, count=1)


def _site_path(url: str) -> str:
    """A manifest key as a file: "" is the home page, a folder its index.html (as portal.publish.site_path)."""
    return f"{url}index.html" if url == "" or url.endswith("/") else url


def compare_builds(first: Path, second: Path) -> list[str]:
    """Every difference between two builds beyond the engine's name and the hashes of the pages naming it."""
    problems: list[str] = []
    names_first, names_second = files_of(first), files_of(second)
    problems += [f"{name}: only in {first}" for name in sorted(names_first - names_second)]
    problems += [f"{name}: only in {second}" for name in sorted(names_second - names_first)]
    renamed: set[str] = set()  # pages that differ in their generator tag and nothing else
    for name in sorted((names_first & names_second) - {MANIFEST, WORKER}):
        a, b = (first / name).read_bytes(), (second / name).read_bytes()
        if a == b:
            continue
        if name.endswith(".html") and len(generator_of(a)) == len(generator_of(b)) == 1 \
                and _without_generator(a) == _without_generator(b):
            renamed.add(name)
        else:
            problems.append(f"{name}: differs")
    if MANIFEST in names_first & names_second:
        problems += _compare_manifests(first, second, renamed)
    if {WORKER, MANIFEST} <= names_first & names_second:
        problems += _compare_workers(first, second)
    elif WORKER in names_first & names_second and (first / WORKER).read_bytes() != (second / WORKER).read_bytes():
        problems.append(f"{WORKER}: differs")
    return problems


def _compare_manifests(first: Path, second: Path, renamed: set[str]) -> list[str]:
    a, b = (json.loads((site / MANIFEST).read_text(encoding="utf-8")) for site in (first, second))
    problems = []
    if a["files"].keys() != b["files"].keys():
        problems.append(f"{MANIFEST}: lists different files: {sorted(a['files'].keys() ^ b['files'].keys())}")
    changed = set()
    for url in sorted(a["files"].keys() & b["files"].keys()):
        if a["files"][url] == b["files"][url]:
            continue
        changed.add(url)
        path = _site_path(url)
        if path not in renamed:
            problems.append(f"{MANIFEST}: the entry for {url!r} differs, and {path} is not a page that differs "
                            "only in its generator tag")
            continue
        for site, manifest in ((first, a), (second, b)):
            listed = manifest["files"][url][0]
            actual = hashlib.sha256((site / path).read_bytes()).hexdigest()[:len(listed)]
            if listed != actual:
                problems.append(f"{MANIFEST}: {site}: the hash of {url!r} is {listed}, not that of {path} ({actual})")
    if (a["version"] != b["version"]) != bool(changed or a["files"].keys() != b["files"].keys()):
        problems.append(f"{MANIFEST}: the version is {a['version']} and {b['version']}, but the files listed "
                        f"{'differ' if changed else 'are the same'}")
    for lang in sorted(a["languages"].keys() | b["languages"].keys()):
        entry_a, entry_b = a["languages"].get(lang, {}), b["languages"].get(lang, {})
        listed = {url for key in ("pages", "assets", "audio") for url in entry_a.get(key, [])}
        if listed & changed:
            entry_a, entry_b = {**entry_a, "bytes": None}, {**entry_b, "bytes": None}
        if entry_a != entry_b:
            problems.append(f"{MANIFEST}: language {lang!r} differs")
    rest_a, rest_b = ({k: v for k, v in m.items() if k not in ("files", "version", "languages")} for m in (a, b))
    if rest_a != rest_b:
        problems.append(f"{MANIFEST}: differs outside files, version and languages")
    return problems


def _compare_workers(first: Path, second: Path) -> list[str]:
    """sw.js may differ only in the manifest's version, which it must repeat exactly once."""
    normalised = []
    for site in (first, second):
        version = json.loads((site / MANIFEST).read_text(encoding="utf-8"))["version"]
        text = (site / WORKER).read_text(encoding="utf-8")
        stamp = f'"version": "{version}"'
        if text.count(stamp) != 1:
            return [f"{WORKER}: {site}: does not carry the manifest's version {version} once"]
        normalised.append(text.replace(stamp, '"version": ""'))
    return [] if normalised[0] == normalised[1] else [f"{WORKER}: differs beyond the manifest's version"]
