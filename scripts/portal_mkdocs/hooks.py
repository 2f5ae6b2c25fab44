"""The thin MkDocs layer: calls the portal core and hands its results to the templates."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from portal import languages, ui_strings  # noqa: E402
from portal.checks import Content, check_all, load_content, review_due  # noqa: E402
from portal.contacts import render_contacts  # noqa: E402
from portal.problems import errors, format_report, warnings  # noqa: E402
from portal.site import Site, load_site  # noqa: E402
from portal.translations import MISSING, status_of  # noqa: E402

log = logging.getLogger("mkdocs.hooks.portal")


class State:
    site: Site
    content: Content


state = State()


def current_language(config: MkDocsConfig) -> str:
    i18n = config.plugins.get("i18n")
    return getattr(i18n, "current_language", None) or languages.DEFAULT.code


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    # mkdocs-static-i18n re-runs on_config for every language: check once, on the first.
    i18n = config.plugins.get("i18n")
    if i18n is not None and current_language(config) != i18n.default_language:
        return config
    state.site = load_site(Path(config.config_file_path).parent)
    state.content = load_content(state.site)
    problems = check_all(state.content)
    for problem in warnings(problems):
        log.info(str(problem))  # --strict turns MkDocs warnings into failures; make check reports these
    if errors(problems):
        raise PluginError("The content has errors; nothing was built.\n" + format_report(errors(problems)))
    return config


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files) -> str:
    lang = current_language(config)
    return render_contacts(markdown, state.site.contacts, ui_strings.strings(lang))


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
    context["portal"] = page_info(page, current_language(config))
    return context


def page_info(page: Page, lang: str) -> dict:
    """What the templates need to say about this page, in the reader's language."""
    language = languages.get(lang)
    words = ui_strings.strings(lang)
    rel = _rel_path(page)
    english = state.content.english().get(rel)
    info: dict = {"lang": lang, "tag": language.tag, "dir": language.direction, "t": words}
    if english is None:
        return info
    meta = english.meta
    status = status_of(state.content, lang, rel)
    info.update(
        english_url=_english_url(page, lang),
        fallback=status.status == MISSING,
        translation=status.status if lang != languages.DEFAULT.code else None,
        draft=meta.get("status") == "draft",
        last_reviewed=ui_strings.long_date(meta["last_reviewed"], language.tag),
        last_reviewed_iso=meta["last_reviewed"].isoformat(),
        review_due=(review_due(meta).isoformat() if review_due(meta) else None),
    )
    info["missing_notice"] = words["translation_missing"].format(language=language.name)
    return info


def _rel_path(page: Page) -> str:
    src = Path(page.file.src_uri)
    return src.relative_to(src.parts[0]).as_posix() if src.parts[0] in languages.BY_CODE else src.as_posix()


def _english_url(page: Page, lang: str) -> str:
    """The English page's URL, relative to this page."""
    url = page.url
    if lang != languages.DEFAULT.code and url.startswith(f"{lang}/"):
        url = url[len(lang) + 1:]
    depth = page.url.count("/")
    return "../" * depth + url if url else "../" * depth or "./"
