"""The publish stage: writers run in one loop, and what a no-change build keeps between builds
(speech text, compiled templates) gives exactly the output a build without it gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from portal import publish
from portal.configuration import load_site
from portal.content.pages import load_content
from portal.fingerprint import inputs_fingerprint
from portal.speech.cache import SpeechTexts

pytestmark = pytest.mark.build


def build_into(project: Path, name: str) -> Path:
    site_dir = project / name
    build(load_config(str(project / "mkdocs.yml"), site_dir=str(site_dir)))
    return site_dir


def pages_of(site_dir: Path) -> dict[str, bytes]:
    return {p.relative_to(site_dir).as_posix(): p.read_bytes() for p in sorted(site_dir.rglob("*.html"))}


def test_every_writer_is_a_module_write_function_run_once_in_order():
    names = [name for name, _ in publish.writers()]
    assert len(names) == len(set(names))
    assert all(callable(write) and write.__name__ == "write" for _, write in publish.writers())


def test_write_all_runs_every_writer_once_in_order_on_the_build(fixture_site, monkeypatch):
    site = load_site(fixture_site)
    record = publish.Build(load_content(site), site, fixture_site / "out", "https://example.org/", "Portal")
    called = []
    names = [name for name, _ in publish.writers()]
    monkeypatch.setattr(publish, "writers", lambda: [(name, lambda build, name=name: called.append((name, build)))
                                                      for name in names])
    assert publish.write_all(record) == names
    assert called == [(name, record) for name in names]


def test_writers_that_publish_clips_run_before_the_clips_and_the_offline_manifest_last():
    names = [name for name, _ in publish.writers()]
    assert names.index("offer as open data") < names.index("audio clips")
    assert names.index("finder script") < names.index("trimmed stylesheet"), "the trimmer reads the finder's script"
    assert names[-1] == "offline use", "the manifest hashes every file the others wrote"


def test_speech_text_is_made_once_and_kept_under_its_inputs(fixture_site):
    content = load_content(load_site(fixture_site))
    fingerprint = inputs_fingerprint(content)
    folder = fixture_site / ".cache" / "speech"
    made = []
    first = SpeechTexts(folder, fingerprint)
    assert first.get("en", "index.md", lambda: made.append(1) or "Hello.") == "Hello."
    first.save()
    again = SpeechTexts(folder, fingerprint)
    assert again.get("en", "index.md", lambda: made.append(1) or "Other.") == "Hello."
    assert made == [1]


@pytest.mark.parametrize("change", [
    lambda root: (root / "docs/en/offer/travel.md").write_text(
        (root / "docs/en/offer/travel.md").read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8"),
    lambda root: (root / "docs/ar/index.md").write_text(
        (root / "docs/ar/index.md").read_text(encoding="utf-8").replace("\n\n", "\n\nجملة.\n\n", 1), encoding="utf-8"),
    lambda root: (root / "mkdocs.yml").write_text(
        (root / "mkdocs.yml").read_text(encoding="utf-8").replace("extra:\n", "extra:\n  unused_setting: 1\n", 1),
        encoding="utf-8"),
], ids=["english page", "translation", "settings"])
def test_any_change_to_the_inputs_makes_every_speech_text_again(fixture_site, change):
    before = inputs_fingerprint(load_content(load_site(fixture_site)))
    change(fixture_site)
    assert inputs_fingerprint(load_content(load_site(fixture_site))) != before


def test_a_second_build_from_the_caches_writes_the_same_site(fixture_site):
    first = build_into(fixture_site, "site-1")
    assert list((fixture_site / ".cache" / "jinja").iterdir()), "compiled templates are kept"
    kept = sorted((fixture_site / ".cache" / "pages").glob("*.page"))
    assert kept, "each page's last changes are kept"
    second = build_into(fixture_site, "site-2")
    assert pages_of(first) == pages_of(second)
    assert sorted((fixture_site / ".cache" / "pages").glob("*.page")) == kept, "the same pages, read back"
    for name in ("offer/travel/qr.svg", "ar/offer/travel/preview.png", "_headers", "offline-manifest.json", "sw.js"):
        assert (first / name).read_bytes() == (second / name).read_bytes()
    shutil.rmtree(fixture_site / ".cache")
    cold = build_into(fixture_site, "site-3")
    assert pages_of(cold) == pages_of(first)
    assert (cold / "offline-manifest.json").read_bytes() == (first / "offline-manifest.json").read_bytes()


@pytest.mark.parametrize("placeholder", ["[[page-links]]", "[[finder]]", "[[open-data]]"])
def test_finished_html_skips_markdown_and_comes_back_unchanged(fixture_site, placeholder):
    import markdown as markdown_library
    from portal.render.page import RenderContext, render_markdown, restore_stashed

    context = RenderContext(load_content(load_site(fixture_site)), site_url="https://example.org/")
    source = f"Some text.\n\n{placeholder}\n\nMore text.\n"
    extensions = ["attr_list", "md_in_html", "tables"]
    direct = markdown_library.markdown(render_markdown(source, "ar", "ar/page/", context), extensions=extensions)
    stash: dict[str, str] = {}
    marked = render_markdown(source, "ar", "ar/page/", context, stash=stash)
    assert len(stash) == 1 and len(marked) < 100, "only a marker goes through Markdown"
    restored = restore_stashed(markdown_library.markdown(marked, extensions=extensions), stash)
    assert "data-portal-stash" not in restored
    assert " ".join(restored.split()) == " ".join(direct.split())
