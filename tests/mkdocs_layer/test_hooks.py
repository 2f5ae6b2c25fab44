"""MkDocs event tests: the thin layer calls the core and stops a build on bad content."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError


def test_on_config_lists_every_error_and_stops_the_build(fixture_site, write_page):
    write_page("en/a.md", "---\ntitle: A\n---\n")
    write_page("en/b.md", "no front matter\n")
    config = load_config(str(fixture_site / "mkdocs.yml"))
    with pytest.raises(PluginError) as raised:
        config.plugins.on_config(config)
    message = str(raised.value)
    assert "docs/en/a.md:1: description: this field is missing" in message
    assert "docs/en/b.md:1: front matter: the page has no front matter" in message


def test_on_config_passes_clean_content(fixture_site):
    config = load_config(str(fixture_site / "mkdocs.yml"))
    assert config.plugins.on_config(config) is not None


def test_on_page_markdown_renders_configured_contacts(fixture_site):
    config = load_config(str(fixture_site / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    hooks = next(p for name, p in config.plugins.items() if name.endswith("portal_mkdocs/hooks.py"))
    page = SimpleNamespace(url="", file=SimpleNamespace(src_uri="en/index.md"))
    rendered = hooks.on_page_markdown("Before\n\n[[contacts]]\n", page=page, config=config, files=None)
    assert "Emergency services" in rendered and 'href="tel:999"' in rendered
    assert "[[contacts]]" not in rendered
