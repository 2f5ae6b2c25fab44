"""The thin MkDocs layer: calls the portal core and hands its results to the templates."""

from __future__ import annotations

import functools
import logging
from dataclasses import replace
from pathlib import Path

from jinja2 import FileSystemBytecodeCache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page
from portal.audio.library import AudioLibrary
from portal.audio.published import PublishedAudio, PublishedClip
from portal.checks import check_all
from portal.content import languages, ui_strings
from portal.content.errors import PortalError, errors, warnings
from portal.content.pages import Content, load_content
from portal.content.settings import Site, load_site
from portal.fingerprint import inputs_fingerprint
from portal.publish import Build, PublishedPage, write_all
from portal.publish.booklets import Shelf
from portal.publish.deferred_scripts import defer_bundle
from portal.publish.finished import PageSettings
from portal.publish.headers import ScriptAllowlist, allowlist, harden
from portal.render.context import (
    Clip,
    PageFacts,
    PageView,
    page_view,
    site_name,
    with_section_notices,
)
from portal.render.html import (
    add_print_addresses,
    name_search_dialog,
    root_path,
)
from portal.render.page import (
    RenderContext,
    is_searched,
    render_markdown,
    restore_stashed,
    voiced_languages,
)
from portal.render.players import listen_label, voice_text, with_entitlement_controls
from portal.speech.cache import SpeechTexts

log = logging.getLogger("mkdocs.hooks.portal")


class State:
    site_name: str
    render_context: RenderContext
    site: Site
    content: Content
    library: AudioLibrary
    build: Build
    audio: PublishedAudio  # every clip the build publishes; see entitlement_clip()
    allowed_scripts: ScriptAllowlist | None = None
    # Page address -> its finished HTML blocks (render_markdown's stash), until the page is written.
    stashed: dict[str, dict[str, str]] = {}


state = State()


def current_language(config: MkDocsConfig) -> str:
    i18n = config.plugins.get("i18n")
    return getattr(i18n, "current_language", None) or languages.DEFAULT.code


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    # mkdocs-static-i18n re-runs on_config for every language: check once, on the first.
    lang = current_language(config)
    if lang != languages.DEFAULT.code:
        config.site_name = page_site_name(lang)
        return config
    state.site_name = config.site_name
    state.site = load_site(Path(config.config_file_path).parent)
    state.content = load_content(state.site)
    state.library = AudioLibrary(state.site.audio_dir)
    state.build = Build(state.content, state.site, Path(config.site_dir), config.site_url or "", config.site_name)
    state.allowed_scripts = None
    state.stashed = {}
    context = RenderContext(state.content, voiced_languages(state.content, state.library.recordings),
                            config.site_url or "", entitlement_clip=entitlement_clip)
    # The booklets' pages render without [[booklets]]; the site's pages list them with their sizes.
    fingerprint = inputs_fingerprint(state.content)  # of every input: what is made from all of them is kept
    state.render_context = replace(context, booklets=Shelf(context, state.build.cache_dir, fingerprint))
    state.build.render_context = state.render_context
    kept = SpeechTexts(state.site.root / ".cache" / "speech", fingerprint)
    state.audio = PublishedAudio(state.content, state.library, state.render_context, state.build.clips, kept)
    state.build.audio = state.audio
    problems = check_all(state.content)
    for problem in warnings(problems):
        log.info(str(problem))  # --strict turns MkDocs warnings into failures; make check reports these
    if errors(problems):
        raise PortalError.from_problems("The content has errors; nothing was built.", errors(problems))
    return config


def on_env(env, config: MkDocsConfig, files):
    """Keep compiled templates between builds and languages: every language build makes a new
    Jinja environment, and compiling Material's templates nine times was a third of a build."""
    folder = state.build.cache_dir / "jinja"
    folder.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = FileSystemBytecodeCache(str(folder))
    return env


@event_priority(-150)  # after mkdocs-static-i18n has arranged this language's navigation
def on_nav(nav, config: MkDocsConfig, files):
    """A folder's section is named by its index page's title, in the reader's language."""
    lang = current_language(config)
    for section in nav.items:
        if not getattr(section, "is_section", False):
            continue
        index = next((child for child in section.children if getattr(child, "is_page", False)
                      and _rel_path(child).endswith("index.md")), None)
        page = state.content.resolve(lang, _rel_path(index)) if index else None
        if page is not None and page.meta.get("title"):
            section.title = str(page.meta["title"])
    return nav


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files) -> str:
    lang = current_language(config)
    markdown = with_section_notices(markdown, state.content, PageFacts(_rel_path(page), page.url, "", ""), lang)
    stash = state.stashed[page.url] = {}  # put back in on_page_content, or in on_post_page if not searched
    return render_markdown(markdown, lang, page.url, state.render_context, stash=stash)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files) -> str:
    address = page.canonical_url or page.url
    stash = state.stashed[page.url]
    for key, made in stash.items():
        stash[key] = add_print_addresses(made, address) if not is_searched(key) else made
    return add_print_addresses(restore_stashed(html, stash, searched=True), address)


def entitlement_clip(lang: str, entitlement_id: str) -> PublishedClip | None:
    """The published clip of one entitlement for a reader of `lang` (the finder's cards and the open
    data call this): `path` is from the site root, e.g. "audio/<clip>.mp3"; None where there is
    none. Calling it publishes the clip."""
    return state.audio.entitlement_clip(lang, entitlement_id)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    language = languages.get(current_language(config))
    output = restore_stashed(output, state.stashed.pop(page.url, {}), searched=False)
    output = with_entitlement_controls(output, page.url, page.canonical_url or page.url, language.code,
                                       entitlement_clip)
    settings = PageSettings(page.canonical_url or page.url, page.file.src_uri, config.site_url or "",
                            allowed_scripts(config), None if language.script == "Latn" else language.direction)
    return state.build.finish_page(PublishedPage(language.code, _rel_path(page), page.url, page.canonical_url or "",
                                                 page.title or "", config.site_name), output, settings)


def on_post_template(output: str, template_name: str, config: MkDocsConfig) -> str:
    if not template_name.endswith(".html"):
        return output
    output = state.build.finish_html(_harden(defer_bundle(name_search_dialog(output), template_name), config,
                                             template_name))
    if template_name == "404.html" and current_language(config) == languages.DEFAULT.code:
        # Every language build writes site/404.html; the last would win, so the English one is kept.
        state.build.extra_files["404.html"] = output
    return output


def _harden(output: str, config: MkDocsConfig, where: str) -> str:
    output, hashes = harden(output, config.site_url or "", where=where, allowed=allowed_scripts(config))
    state.build.script_hashes.update(hashes)
    return output


def allowed_scripts(config: MkDocsConfig) -> ScriptAllowlist:
    """CSP by hash: only the theme's own inline scripts (config.theme.dirs) are allowed."""
    if state.allowed_scripts is None:  # the templates do not change during a build: read them once
        state.allowed_scripts = allowlist(config.theme.dirs)
    return state.allowed_scripts


def tag_alternates(config: MkDocsConfig, lang: str) -> None:
    # mkdocs-static-i18n sets extra.alternate as an attribute, per page, which is what templates read.
    for alternate in getattr(config.extra, "alternate", None) or config.extra.get("alternate") or []:
        # hreflang needs BCP 47 tags: Sorani is ckb, which mkdocs-static-i18n cannot use as a locale.
        language = languages.get(alternate.setdefault("code", alternate["lang"]))
        alternate.update(lang=language.tag, dir=language.direction, current=language.code == lang)


def on_template_context(context: dict, template_name: str, config: MkDocsConfig) -> dict:
    tag_alternates(config, current_language(config))
    context["portal_tags"] = {language.code: language.tag for language in languages.LANGUAGES}
    context["portal_default"] = languages.DEFAULT.code
    return context


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
    lang = current_language(config)
    context["portal"] = page_info(page, lang)
    tag_alternates(config, lang)
    if lang != languages.DEFAULT.code:
        # Material's search reads <base>/search/: point it at this language's own index.
        depth = page.url.count("/")
        context["base_url"] = "/".join([".."] * (depth - 1)) or "."
    return context


def page_info(page: Page, lang: str) -> PageView:
    """What the templates need to say about this page, in the reader's language."""
    facts = PageFacts(_rel_path(page), page.url, page.canonical_url or page.url, page.title or "")
    return page_view(state.content, facts, lang, state.site_name,
                     lambda voice, rel: audio_info(page, lang, voice, rel))


def page_site_name(lang: str) -> str:
    return site_name(state.content, lang, state.site_name)


def audio_info(page: Page, lang: str, voice_lang: str, rel: str) -> Clip | None:
    """The clip for the text the reader sees: the English clip on an untranslated page."""
    clip = state.audio.page_clip(voice_lang, rel)
    if clip is None:
        return None
    words = ui_strings.strings(lang)
    minutes, seconds = divmod(round(clip.duration), 60)
    duration = words["minutes_seconds"].format(minutes=minutes, seconds=seconds)
    size = f"{clip.bytes / 1_000_000:.1f} MB" if clip.bytes >= 1_000_000 else f"{round(clip.bytes / 1000)} KB"
    return Clip(url=root_path(page.url) + clip.path, english=voice_lang != lang,
                download=words["audio_download"].format(size=size, duration=duration),
                voice=voice_text(clip.voice, clip.role, words), listen=listen_label(clip.duration, words))


@event_priority(-200)  # after mkdocs-static-i18n has built every language and merged the search index
def on_post_build(config: MkDocsConfig) -> None:
    i18n = config.plugins.get("i18n")
    if i18n is not None and i18n.building:
        return  # a nested language build; the outer build, which runs last, writes for every language
    write_all(state.build)
    state.audio.kept.save()
    state.build.finished.prune()


def _rel_path(page: Page) -> str:
    src = Path(page.file.src_uri)
    return src.relative_to(src.parts[0]).as_posix() if src.parts[0] in languages.BY_CODE else src.as_posix()


def _portal_errors(handler):
    """The one place where the core's PortalError becomes MkDocs' PluginError: a one-line message
    that names the file, line, field and fix, never a traceback."""
    @functools.wraps(handler)  # keeps mkdocs_priority from @event_priority
    def handle(*args, **kwargs):
        try:
            return handler(*args, **kwargs)
        except PortalError as error:
            raise PluginError(str(error)) from None
    return handle


for _name, _handler in list(globals().items()):
    if _name.startswith("on_") and callable(_handler):
        globals()[_name] = _portal_errors(_handler)
