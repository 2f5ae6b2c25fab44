"""The thin MkDocs layer: calls the portal core and hands its results to the templates."""

from __future__ import annotations

import json
import logging
import re
import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from portal import languages, ui_strings  # noqa: E402
from portal.bidi import isolate  # noqa: E402
from portal.audio import AudioLibrary, copy_clip, page_speech  # noqa: E402
from portal.checks import Content, check_all, load_content, review_due  # noqa: E402
from portal.contacts import render_contacts  # noqa: E402
from portal.problems import errors, format_report, warnings  # noqa: E402
from portal.search_index import split_index  # noqa: E402
from portal.security import harden, headers_file  # noqa: E402
from portal.site import Site, load_site  # noqa: E402
from portal.translations import MISSING, status_of  # noqa: E402

log = logging.getLogger("mkdocs.hooks.portal")


class State:
    site_name: str
    site: Site
    content: Content
    library: AudioLibrary
    published_clips: set[str]
    script_hashes: set[str]
    not_found_page: str = ""


state = State()


def current_language(config: MkDocsConfig) -> str:
    i18n = config.plugins.get("i18n")
    return getattr(i18n, "current_language", None) or languages.DEFAULT.code


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    # mkdocs-static-i18n re-runs on_config for every language: check once, on the first.
    lang = current_language(config)
    if lang != languages.DEFAULT.code:
        home = state.content.pages.get(lang, {}).get("index.md")
        config.site_name = str(home.meta.get("title")) if home else state.site_name
        return config
    state.site_name = config.site_name
    state.site = load_site(Path(config.config_file_path).parent)
    state.content = load_content(state.site)
    state.library = AudioLibrary(state.site.audio_dir)
    state.published_clips = set()
    state.script_hashes = set()
    problems = check_all(state.content)
    for problem in warnings(problems):
        log.info(str(problem))  # --strict turns MkDocs warnings into failures; make check reports these
    if errors(problems):
        raise PluginError("The content has errors; nothing was built.\n" + format_report(errors(problems)))
    return config


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files) -> str:
    lang = current_language(config)
    return render_contacts(markdown, state.site.contacts, ui_strings.strings(lang))


def on_page_content(html: str, page: Page, config: MkDocsConfig, files) -> str:
    language = languages.get(current_language(config))
    translated = getattr(page.file, "locale", language.code) == language.code
    if language.script != "Latn" and translated:
        return isolate(html, language.direction)
    return html


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    output, hashes = harden(output)
    state.script_hashes.update(hashes)
    return output


def on_post_template(output: str, template_name: str, config: MkDocsConfig) -> str:
    if not template_name.endswith(".html"):
        return output
    output, hashes = harden(output)
    state.script_hashes.update(hashes)
    if template_name == "404.html" and current_language(config) == languages.DEFAULT.code:
        state.not_found_page = output
    return output


def on_template_context(context: dict, template_name: str, config: MkDocsConfig) -> dict:
    context["portal_tags"] = {language.code: language.tag for language in languages.LANGUAGES}
    context["portal_default"] = languages.DEFAULT.code
    return context


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
    lang = current_language(config)
    context["portal"] = page_info(page, lang)
    # mkdocs-static-i18n sets extra.alternate as an attribute, per page, which is what templates read.
    for alternate in getattr(config.extra, "alternate", None) or []:
        # hreflang needs BCP 47 tags: Sorani is ckb, which mkdocs-static-i18n cannot use as a locale.
        language = languages.get(alternate.setdefault("code", alternate["lang"]))
        alternate.update(lang=language.tag, dir=language.direction, current=language.code == lang)
    if lang != languages.DEFAULT.code:
        # Material's search reads <base>/search/: point it at this language's own index.
        depth = page.url.count("/")
        context["base_url"] = "/".join([".."] * (depth - 1)) or "."
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
    info["audio"] = audio_info(page, lang, rel, status.status == MISSING, words)
    info["audio_unavailable"] = words["audio_unavailable"].format(language=language.name)
    return info


def audio_info(page: Page, lang: str, rel: str, fallback: bool, words: dict) -> dict | None:
    """The clip for the text the reader sees: the English clip on an untranslated page."""
    voice_lang = languages.DEFAULT.code if fallback else lang
    entry = state.library.current(voice_lang, rel, page_speech(state.content, voice_lang, rel))
    if entry is None:
        return None
    state.published_clips.add(entry.clip)
    minutes, seconds = divmod(round(entry.duration), 60)
    duration = words["minutes_seconds"].format(minutes=minutes, seconds=seconds)
    size = f"{entry.bytes / 1_000_000:.1f} MB" if entry.bytes >= 1_000_000 else f"{round(entry.bytes / 1000)} KB"
    return {
        "url": "../" * page.url.count("/") + f"audio/{entry.clip}",
        "lang": languages.get(voice_lang).tag,
        "english": fallback and lang != languages.DEFAULT.code,
        "download": words["audio_download"].format(size=size, duration=duration),
        "duration_iso": f"PT{minutes}M{seconds}S",
    }


@event_priority(-200)  # after mkdocs-static-i18n has built every language and merged the search index
def on_post_build(config: MkDocsConfig) -> None:
    site_dir = Path(config.site_dir)
    for clip in sorted(state.published_clips):
        copy_clip(state.library, clip, site_dir)
    i18n = config.plugins.get("i18n")
    if i18n is not None and i18n.building:
        return  # a nested language build; the outer build finishes the site
    write_language_search_indexes(site_dir)
    disable_sitemap_prefetch(site_dir)
    (site_dir / "_headers").write_text(headers_file(state.script_hashes), encoding="utf-8")
    # Every language build writes site/404.html; the last one would win, so restore English.
    if state.not_found_page:
        (site_dir / "404.html").write_text(state.not_found_page, encoding="utf-8")


def write_language_search_indexes(site_dir: Path) -> None:
    index_path = site_dir / "search" / "search_index.json"
    if not index_path.exists():
        return
    index = json.loads(index_path.read_text(encoding="utf-8"))
    translated = {
        lang: {_url_of(rel) for rel in pages}
        for lang, pages in state.content.pages.items()
    }
    for lang, own in split_index(index, state.site.language_codes, state.site.default_language, translated).items():
        target = index_path if lang == state.site.default_language else site_dir / lang / "search" / "search_index.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(own, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _url_of(rel: str) -> str:
    stem = rel[: -len(".md")]
    if stem == "index":
        return ""
    return (stem[: -len("/index")] if stem.endswith("/index") else stem) + "/"


# Material 9.7+ fetches <alternate>/sitemap.xml for every hreflang link on every page
# view, to redirect language switches; our chooser already links to the same page.
SITEMAP_PREFETCH = re.compile(r'function (\w+)\(\{document\$:e\}\)\{let t=new Map;e\.pipe\(\w+\(\(\)=>\w+\("link\[rel=alternate\]"\)\)')


def disable_sitemap_prefetch(site_dir: Path) -> None:
    bundles = list((site_dir / "assets" / "javascripts").glob("bundle.*.min.js"))
    for bundle in bundles:
        code = bundle.read_text(encoding="utf-8")
        match = SITEMAP_PREFETCH.search(code)
        if match is None:
            raise PluginError(f"{bundle.name}: Material's language-switch code has changed; update "
                              "SITEMAP_PREFETCH in scripts/portal_mkdocs/hooks.py so pages do not fetch sitemaps")
        call = re.compile(re.escape(match.group(1)) + r"\(\{document\$:\w+\}\);")
        patched, count = call.subn("", code)
        if count != 1:
            raise PluginError(f"{bundle.name}: expected one call of {match.group(1)}, found {count}")
        bundle.write_text(patched, encoding="utf-8")


def _rel_path(page: Page) -> str:
    src = Path(page.file.src_uri)
    return src.relative_to(src.parts[0]).as_posix() if src.parts[0] in languages.BY_CODE else src.as_posix()


def _english_path(page: Page, lang: str) -> str:
    """The English page's URL from the site root."""
    url = page.url
    if lang != languages.DEFAULT.code and url.startswith(f"{lang}/"):
        url = url[len(lang) + 1:]
    return url


def _english_url(page: Page, lang: str) -> str:
    """The English page's URL, relative to this page."""
    url = _english_path(page, lang)
    depth = page.url.count("/")
    return "../" * depth + url if url else "../" * depth or "./"
