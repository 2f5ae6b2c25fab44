"""The engine can change: the fixture site built by MkDocs and by ProperDocs (a maintained fork of MkDocs 1.x),
each with its own command in its own environment, is the same site apart from the engine's name.

`make test` makes .venv-properdocs from requirements-properdocs.lock (MkDocs absent, the portal installed
editable); this module installs nothing. The comparison is tests/support/engines.py; the table below shows
it finds each kind of difference it must not let through."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, copy_fixture_site
from support.engines import compare_builds, files_of, generator_of

PROPERDOCS_VENV = REPO / ".venv-properdocs"
ENGINES = {
    "mkdocs": Path(sys.executable).parent / "mkdocs",
    "properdocs": PROPERDOCS_VENV / "bin" / "properdocs",
}


def pins(lock: str) -> dict[str, str]:
    lines = (REPO / lock).read_text(encoding="utf-8").splitlines()
    return dict(line.split("==", 1) for line in lines if line and not line.startswith("#"))


def test_properdocs_environment_has_properdocs_and_no_mkdocs():
    assert ENGINES["properdocs"].is_file(), "make test creates .venv-properdocs (make .venv-properdocs/.installed)"
    site_packages = list(PROPERDOCS_VENV.glob("lib/python3*/site-packages"))
    assert len(site_packages) == 1
    assert (site_packages[0] / "properdocs").is_dir()
    assert not (site_packages[0] / "mkdocs").exists(), "installed with --no-deps: nothing may fall back on MkDocs"
    assert not list(site_packages[0].glob("mkdocs-*.dist-info"))


def build(engine: str, project: Path) -> Path:
    site = project / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true",
           "SOURCE_DATE_EPOCH": "1767225600"}  # the sitemap's dates: the same build day for both
    env.pop("PYTHONPATH", None)
    result = subprocess.run([str(ENGINES[engine]), "build", "--quiet", "-f", "mkdocs.yml", "-d", str(site)],
                            cwd=project, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{engine} build failed:\n{result.stderr}"
    return site


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("engines")
    return {engine: build(engine, copy_fixture_site(root / engine / "project")) for engine in ENGINES}


@pytest.mark.build
def test_each_engine_built_its_site_and_names_itself(sites):
    mkdocs, properdocs = pins("requirements.lock")["mkdocs"], pins("requirements-properdocs.lock")["properdocs"]
    material = pins("requirements.lock")["mkdocs-material"]
    assert generator_of((sites["mkdocs"] / "index.html").read_bytes()) \
        == [f'<meta name="generator" content="mkdocs-{mkdocs}, mkdocs-material-{material}">'.encode()]
    assert generator_of((sites["properdocs"] / "index.html").read_bytes()) \
        == [f'<meta name="generator" content="mkdocs-ProperDocs {properdocs}, mkdocs-material-{material}">'.encode()]


@pytest.mark.build
def test_mkdocs_and_properdocs_build_the_same_site(sites):
    names = files_of(sites["mkdocs"])
    for lang in ("", "ar/", "vi/"):  # every language's pages, and the portal's own outputs, are compared
        assert {f"{lang}index.html", f"{lang}offer/travel/index.html", f"{lang}offline.html"} <= names
    assert {"sw.js", "offline-manifest.json", "offer.json", "services.json", "sitemap.xml", "_headers"} <= names
    assert compare_builds(sites["mkdocs"], sites["properdocs"]) == []


@pytest.mark.build
def test_one_changed_tag_on_a_built_page_is_found(sites, tmp_path):
    changed = shutil.copytree(sites["properdocs"], tmp_path / "site")
    edit(changed / "ar/offer/travel/index.html", "<h1", '<h1 class="x"')
    problems = compare_builds(sites["mkdocs"], changed)
    assert "ar/offer/travel/index.html: differs" in problems
    assert any("the entry for 'ar/offer/travel/' differs" in problem for problem in problems)


# The comparison itself, on a small made-up site: each change below must be reported.

def page(engine: str, words: str) -> bytes:
    return f'<html><head><meta name="generator" content="{engine}"></head><body><p>{words}</p></body></html>'.encode()


def made_up_site(root: Path, engine: str) -> Path:
    files = {"index.html": page(engine, "Free bus travel"), "ar/index.html": page(engine, "سفر مجاني"),
             "vi/offline.html": b"<p>Offline</p>", "assets/portal.css": b"body{margin:0}"}
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    urls = {"": "index.html", "ar/": "ar/index.html", "vi/offline.html": "vi/offline.html",
            "assets/portal.css": "assets/portal.css"}
    listed = {url: [hashlib.sha256(files[name]).hexdigest()[:16], len(files[name])] for url, name in urls.items()}
    version = hashlib.sha256(json.dumps(listed, sort_keys=True).encode()).hexdigest()[:16]
    languages = {lang: {"pages": pages, "assets": ["assets/portal.css"], "audio": [], "audio_bytes": 0,
                        "bytes": sum(listed[url][1] for url in [*pages, "assets/portal.css"])}
                 for lang, pages in (("en", [""]), ("ar", ["ar/"]), ("vi", ["vi/offline.html"]))}
    manifest = {"version": version, "shell": ["assets/portal.css"], "offline": {"vi": "vi/offline.html"},
                "files": listed, "languages": languages}
    (root / "offline-manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    (root / "sw.js").write_text(f"const CONFIG = {json.dumps({'version': version})};\nconst PREFIX = 'portal-';\n",
                                encoding="utf-8")
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def edit_manifest(site: Path, change) -> None:
    manifest = json.loads((site / "offline-manifest.json").read_text(encoding="utf-8"))
    change(manifest)
    (site / "offline-manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


CHANGES = {
    "a word on a page": (lambda site: edit(site / "index.html", "bus", "tram"), "index.html: differs"),
    "a page missing": (lambda site: (site / "ar/index.html").unlink(), "ar/index.html: only in"),
    "an extra file": (lambda site: (site / "extra.txt").write_text("x"), "extra.txt: only in"),
    "a file without a generator tag": (lambda site: edit(site / "vi/offline.html", "Offline", "Off"),
                                       "vi/offline.html: differs"),
    "a second generator tag": (lambda site: edit(site / "index.html", "<body>", '<body><meta name="generator" '
                                                 'content="x">'), "index.html: differs"),
    "the stylesheet's manifest entry": (lambda site: edit_manifest(
        site, lambda m: m["files"]["assets/portal.css"].__setitem__(0, "0" * 16)), "'assets/portal.css' differs"),
    "a page's hash not its file's": (lambda site: edit_manifest(
        site, lambda m: m["files"][""].__setitem__(0, "0" * 16)), "the hash of '' is 0000000000000000"),
    "a language's bytes though its files are the same": (lambda site: edit_manifest(
        site, lambda m: m["languages"]["vi"].__setitem__("bytes", 1)), "language 'vi' differs"),
    "a language's pages": (lambda site: edit_manifest(
        site, lambda m: m["languages"]["en"]["pages"].append("ar/")), "language 'en' differs"),
    "the shell": (lambda site: edit_manifest(site, lambda m: m["shell"].append("x.css")), "outside files"),
    "the worker beyond its version": (lambda site: edit(site / "sw.js", "portal-", "other-"),
                                      "sw.js: differs beyond"),
    "the worker's version not the manifest's": (lambda site: edit_manifest(
        site, lambda m: m.__setitem__("version", "f" * 16)), "sw.js: "),
}


def test_builds_that_differ_only_in_the_engine_name_are_the_same(tmp_path):
    first = made_up_site(tmp_path / "mkdocs", "mkdocs-1.6.1")
    second = made_up_site(tmp_path / "properdocs", "mkdocs-ProperDocs 1.6.7")
    assert (first / "offline-manifest.json").read_bytes() != (second / "offline-manifest.json").read_bytes()
    assert compare_builds(first, second) == []


@pytest.mark.parametrize("change", CHANGES)
def test_every_other_difference_is_reported(tmp_path, change):
    mutate, expected = CHANGES[change]
    first = made_up_site(tmp_path / "mkdocs", "mkdocs-1.6.1")
    second = made_up_site(tmp_path / "properdocs", "mkdocs-ProperDocs 1.6.7")
    mutate(second)
    problems = compare_builds(first, second)
    assert any(expected in problem for problem in problems), problems


def test_a_changed_page_is_reported_even_when_its_hash_is_listed_rightly(tmp_path):
    """The mistake the normalisation could hide: a real change on a page whose manifest entry moved anyway."""
    first = made_up_site(tmp_path / "mkdocs", "mkdocs-1.6.1")
    second = made_up_site(tmp_path / "properdocs", "mkdocs-ProperDocs 1.6.7")
    edit(second / "index.html", "bus", "tram")
    data = (second / "index.html").read_bytes()
    edit_manifest(second, lambda m: m["files"].__setitem__("", [hashlib.sha256(data).hexdigest()[:16], len(data)]))
    problems = compare_builds(first, second)
    assert "index.html: differs" in problems
    assert any(re.search(r"the entry for '' differs", problem) for problem in problems)
