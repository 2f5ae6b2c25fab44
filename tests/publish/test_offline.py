"""Offline use and the deferred theme script, as built: the worker, its manifest, the offline pages."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from conftest import copy_fixture_site
from mkdocs.commands.build import build
from mkdocs.config import load_config
from portal.configuration import load_site
from portal.content.errors import PortalError
from portal.content.ui_strings import strings
from portal.publish import deferred_scripts, offline

pytestmark = pytest.mark.build

LANGS = {"en": ("", "en-GB", "ltr"), "ar": ("ar/", "ar", "rtl"), "vi": ("vi/", "vi", "ltr")}


def build_fixture(project: Path, offline_setting: str | None = None) -> Path:
    if offline_setting is not None:
        config = project / "mkdocs.yml"
        text = config.read_text(encoding="utf-8").replace("  - portal:\n", f"  - portal:\n      offline: {offline_setting}\n", 1)
        config.write_text(text, encoding="utf-8")
    build(load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site")))
    return project / "site"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_fixture(copy_fixture_site(tmp_path_factory.mktemp("offline") / "project"))


def manifest(site: Path) -> dict:
    return json.loads((site / offline.MANIFEST).read_text(encoding="utf-8"))


def worker_config(site: Path) -> dict:
    text = (site / offline.WORKER).read_text(encoding="utf-8")
    return json.loads(re.search(r"^const CONFIG = (.*);$", text, re.M).group(1))


def test_the_worker_carries_the_manifests_version_and_every_language(site):
    data, config = manifest(site), worker_config(site)
    assert config["version"] == data["version"] and re.fullmatch(r"[0-9a-f]{16}", data["version"])
    assert config["languages"] == ["en", "ar", "vi"]
    assert config["offline"] == {"en": "offline.html", "ar": "ar/offline.html", "vi": "vi/offline.html"}
    assert "__PORTAL_CONFIG__" not in (site / offline.WORKER).read_text(encoding="utf-8")
    assert not [path for path in config["shell"] if "bundle." in path], "Material's script is not installed up front"


def built_pages(site: Path, prefix: str) -> set[str]:
    """Every page written for the language whose folder is `prefix`, as the manifest names it."""
    urls = set()
    for index in site.glob("**/index.html"):
        rel = index.parent.relative_to(site).as_posix()
        url = "" if rel == "." else rel + "/"
        first = url.split("/", 1)[0]
        if (first + "/" if first in ("ar", "vi") else "") == prefix:  # short links (go/bus/) included
            urls.add(url)
    return urls


def test_the_manifest_lists_every_page_of_each_language_with_its_content_hash(site):
    data = manifest(site)
    for lang, (prefix, _, _) in LANGS.items():
        entry = data["languages"][lang]
        assert set(entry["pages"]) == built_pages(site, prefix)
        assert f"{prefix}go/bus/" in entry["pages"]
        assert any(path.endswith(".css") for path in entry["assets"])
        assert any("bundle." in path for path in entry["assets"]), "saving a language keeps Material's script too"
        assert f"{prefix}search/search_index.json" in entry["assets"]
        assert entry["bytes"] > 0
    page = "ar/offer/travel/"
    digest = hashlib.sha256((site / page / "index.html").read_bytes()).hexdigest()[:offline.HASH_LENGTH]
    assert data["files"][page][0] == digest


def test_each_language_has_a_scriptless_offline_page_in_its_language(site):
    for lang, (prefix, tag, direction) in LANGS.items():
        html = (site / prefix / "offline.html").read_text(encoding="utf-8")
        words = strings(lang)
        assert f'<html lang="{tag}" dir="{direction}">' in html
        assert f"<h1>{words['offline_title']}</h1>" in html and words["offline_home"] in html
        assert "Content-Security-Policy" in html and "<script" not in html
        assert re.search(r'href="(\.\./)?assets/stylesheets/main\.[0-9a-f]+\.min\.css"', html)


def test_pages_say_how_much_saving_downloads_and_load_the_theme_script_on_demand(site):
    data = manifest(site)
    html = (site / "ar" / "offer" / "travel" / "index.html").read_text(encoding="utf-8")
    assert f'data-size="{offline.human_size(data["languages"]["ar"]["bytes"])}"' in html
    assert strings("ar")["offline_save"] in html
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "%%PORTAL" not in text, path
        assert not re.search(r'<script src="[^"]*bundle\.[0-9a-f]+\.min\.js"', text), path
    assert re.search(r'<script src="\.\./\.\./\.\./assets/portal\.js" '
                     r'data-bundle="\.\./\.\./\.\./assets/javascripts/bundle\.[0-9a-f]+\.min\.js" '
                     r'data-worker="\.\./\.\./\.\./sw\.js"\s+data-offline="on"', html)


def test_a_changed_file_changes_its_hash_and_the_version_and_nothing_else(site, tmp_path):
    import shutil

    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    before = manifest(copy)
    page = copy / "vi" / "index.html"
    page.write_text(page.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    version = offline.stamp(copy)
    after = manifest(copy)
    assert version == after["version"] == worker_config(copy)["version"] != before["version"]
    changed = [path for path in before["files"] if before["files"][path] != after["files"][path]]
    assert changed == ["vi/"]


def test_offline_false_removes_the_worker_and_the_control(tmp_path):
    site = build_fixture(copy_fixture_site(tmp_path / "project"), "false")
    worker = (site / offline.WORKER).read_text(encoding="utf-8")
    assert "registration.unregister()" in worker and "caches.delete" in worker and "CONFIG" not in worker
    assert not (site / offline.MANIFEST).exists()
    html = (site / "index.html").read_text(encoding="utf-8")
    assert 'data-offline="off"' in html and "data-portal-offline" not in html
    assert not (site / "offline.html").exists()


def test_an_offline_setting_that_is_not_true_or_false_is_named(fixture_site):
    config = fixture_site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - portal:\n", "  - portal:\n      offline: no!\n"),
                      encoding="utf-8")
    with pytest.raises(PortalError, match=r"^mkdocs.yml: plugins\.portal\.offline: Expected type: <class 'bool'>"):
        load_site(fixture_site)


def test_the_bundle_tag_becomes_an_address_on_the_portals_script():
    html = ('<script src="../assets/portal.js" data-worker="../sw.js"></script>\n'
            '<script src="../assets/javascripts/bundle.a5f9d56c.min.js"></script>\n</body>')
    assert deferred_scripts.defer_bundle(html) == (
        '<script src="../assets/portal.js" data-bundle="../assets/javascripts/bundle.a5f9d56c.min.js" '
        'data-worker="../sw.js"></script>\n</body>')
    assert deferred_scripts.defer_bundle("<p>no theme script</p>") == "<p>no theme script</p>"
    with pytest.raises(PortalError, match="one Material bundle and one assets/portal.js"):
        deferred_scripts.defer_bundle('<script src="assets/javascripts/bundle.ab.min.js"></script>', "x.html")


def test_pages_load_materials_stylesheet_trimmed_and_named_by_its_content(site):
    import material

    (sheet,) = (site / "assets" / "stylesheets").glob("main.*.min.css")
    text = sheet.read_text(encoding="utf-8")
    assert sheet.name == f"main.{hashlib.sha256(text.encode('utf-8')).hexdigest()[:8]}.min.css"
    (original,) = (Path(material.__file__).parent / "templates" / "assets" / "stylesheets").glob("main.*.min.css")
    assert len(text) < 0.8 * original.stat().st_size
    assert not list(sheet.parent.glob("main.*.map"))
    for page in site.rglob("*.html"):
        names = set(re.findall(r"main\.[0-9a-f]{8}\.min\.css", page.read_text(encoding="utf-8")))
        assert names <= {sheet.name}, page
