"""MkDocs event tests: the portal plugin is found by name, keeps its state on itself, calls the
core and stops a build on bad content with one line a problem."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from portal.content.settings import Settings
from portal_mkdocs.plugin import PortalPlugin


def plugin_of(config) -> PortalPlugin:
    return config.plugins["portal"]


def test_the_plugin_is_found_by_its_entry_point_with_its_typed_settings(fixture_site):
    config = load_config(str(fixture_site / "mkdocs.yml"))
    plugin = plugin_of(config)
    assert isinstance(plugin, PortalPlugin)
    assert plugin.config.teams == ["Leaving care team"] and plugin.config.offline is True
    assert plugin.config.review_grace_days == 30  # a default from the schema


def test_two_builds_keep_their_own_state(fixture_site):
    first, second = (plugin_of(load_config(str(fixture_site / "mkdocs.yml"))) for _ in range(2))
    first.stashed["x/"] = {"a": "b"}
    assert second.stashed == {}


def test_on_config_lists_every_error_and_stops_the_build(fixture_site, write_page):
    write_page("en/a.md", "---\ntitle: A\n---\n")
    write_page("en/b.md", "no front matter\n")
    config = load_config(str(fixture_site / "mkdocs.yml"))
    with pytest.raises(PluginError) as raised:
        config.plugins.on_config(config)
    message = str(raised.value)
    assert "docs/en/a.md:1: description: this field is missing" in message
    assert "docs/en/b.md:1: front matter: the page has no front matter" in message
    assert "Traceback" not in message


def test_on_config_passes_clean_content_and_builds_one_frozen_settings_object(fixture_site):
    config = load_config(str(fixture_site / "mkdocs.yml"))
    assert config.plugins.on_config(config) is not None
    settings = plugin_of(config).site.settings
    assert isinstance(settings, Settings) and settings.short_links["bus"] == "offer/travel.md#free-bus-and-tram"
    with pytest.raises(AttributeError):
        settings.offline = False  # frozen


def test_prepared_content_is_used_as_it_is(fixture_site, monkeypatch):
    import portal_mkdocs.plugin as layer
    from portal.configuration import load_site
    from portal.content.pages import load_content

    site = load_site(fixture_site)
    content = load_content(site)
    config = load_config(str(fixture_site / "mkdocs.yml"))
    plugin_of(config).prepare(site, content)
    monkeypatch.setattr(layer, "load_content", lambda site: pytest.fail("the content was loaded again"))
    config.plugins.on_config(config)
    assert plugin_of(config).content is content


def test_on_page_markdown_renders_configured_contacts(fixture_site):
    config = load_config(str(fixture_site / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    page = SimpleNamespace(url="", file=SimpleNamespace(src_uri="en/index.md"))
    rendered = plugin_of(config).on_page_markdown("Before\n\n[[contacts]]\n", page=page, config=config, files=None)
    assert "Emergency services" in rendered and 'href="tel:999"' in rendered
    assert "[[contacts]]" not in rendered
