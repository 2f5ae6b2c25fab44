"""The thin MkDocs layer: a plugin whose events call the portal core and hand its results to the
templates. State lives on the plugin instance; PortalError becomes PluginError in one place.

`portal build` loads, checks and voices the content once, then runs MkDocs in the same process and
hands the plugin that content (`prepare`); under plain `mkdocs build` or `mkdocs serve` the plugin
loads it itself."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, replace
from pathlib import Path

from jinja2 import FileSystemBytecodeCache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.pages import Page
from portal.audio.coverage import load as load_coverage
from portal.audio.library import AudioLibrary
from portal.audio.published import PublishedAudio, PublishedClip
from portal.checks import check_all
from portal.configuration import site_of
from portal.content import languages, ui_strings
from portal.content.errors import PortalError, errors, warnings
from portal.content.pages import Content, load_content
from portal.content.settings import Site
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
from portal.render.html import add_print_addresses, name_search_dialog, root_path
from portal.render.page import (
    RenderContext,
    is_searched,
    render_markdown,
    restore_stashed,
    voiced_languages,
)
from portal.render.players import listen_label, voice_text, with_entitlement_controls
from portal.render.speech import SiteSpeech

from .config import PortalConfig

log = get_plugin_logger(__name__)


@dataclass(frozen=True)
class Prepared:
    """What `portal build` made before MkDocs started: the site, its content, checked, and the speech
    text its audio step made (every page's, which the pages' players are checked against)."""

    site: Site
    content: Content
    speech: SiteSpeech | None = None


def _portal_errors(handler):
    """The one place where an error becomes MkDocs' PluginError: the core's PortalError as it is
    (the file, line, field and fix), anything else as one line naming the event, never a traceback
    (PORTAL_DEBUG=1 shows it)."""
    @functools.wraps(handler)  # keeps mkdocs_priority from @event_priority
    def handle(*args, **kwargs):
        try:
            return handler(*args, **kwargs)
        except PortalError as error:
            raise PluginError(str(error)) from None
        except OSError as error:
            raise PluginError(f"{error.filename or 'site/'}:1: {handler.__name__}: could not be read or written "
                              f"({error.strerror or error}); check the file and the disk, then build again") from None
        except Exception as error:
            if os.environ.get("PORTAL_DEBUG"):
                raise
            raise PluginError(f"portal plugin: {handler.__name__}: stopped ({type(error).__name__}: {error}); nothing "
                              "was published. Build again with PORTAL_DEBUG=1 to see where, and report it") from None
    return handle


class PortalPlugin(BasePlugin[PortalConfig]):
    supports_multiple_instances = False

    def __init__(self):
        super().__init__()
        self.prepared: Prepared | None = None
        self.lang = languages.DEFAULT.code
        self.allowed: ScriptAllowlist | None = None
        # Page address -> its finished HTML blocks (render_markdown's stash), until the page is written.
        self.stashed: dict[str, dict[str, str]] = {}

    def prepare(self, site: Site, content: Content, speech: SiteSpeech | None = None) -> None:
        """Use this content, already loaded and checked, and this speech text, instead of making them
        in on_config."""
        self.prepared = Prepared(site, content, speech)

    # --- Setting up, once per build (and once more, cheaply, per language) ---------------------

    @_portal_errors
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # mkdocs-static-i18n re-runs on_config for every language: set up once, on the first.
        self.lang = current_language(config)
        if self.lang != languages.DEFAULT.code:
            config.site_name = site_name(self.content, self.lang, self.site_name)
            return config
        self.site_name = config.site_name
        speech = None
        if self.prepared is not None:
            self.site, self.content, speech = self.prepared.site, self.prepared.content, self.prepared.speech
        else:
            self.site = site_of(config)
            self.content = load_content(self.site)
            problems = check_all(self.content)
            for problem in warnings(problems):
                log.warning(str(problem))
            if errors(problems):
                raise PortalError.from_problems("The content has errors; nothing was built.", errors(problems))
        self.library = AudioLibrary(self.site.audio_dir)
        self.build = Build(self.content, self.site, Path(config.site_dir), config.site_url or "", config.site_name)
        self.allowed = None
        self.stashed = {}
        context = RenderContext(self.content, voiced_languages(self.content, self.library.recordings),
                                config.site_url or "", entitlement_clip=self.entitlement_clip,
                                audio_coverage=load_coverage(self.site.audio_dir))
        # The booklets' pages render without [[booklets]]; the site's pages list them with their sizes.
        speech = speech or SiteSpeech.for_site(self.content)
        # Of every input: what is made from all of them (booklets, speech text) is kept between builds.
        self.render_context = replace(context, booklets=Shelf(context, self.build.cache_dir, speech.fingerprint))
        self.build.render_context = self.render_context
        self.audio = PublishedAudio(self.content, self.library, speech, self.build.clips)
        self.build.audio = self.audio
        return config

    @_portal_errors
    def on_env(self, env, config: MkDocsConfig, files):
        """Keep compiled templates between builds and languages: every language build makes a new
        Jinja environment, and compiling Material's templates nine times was a third of a build."""
        folder = self.build.cache_dir / "jinja"
        folder.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = FileSystemBytecodeCache(str(folder))
        return env

    @event_priority(-150)  # after mkdocs-static-i18n has arranged this language's navigation
    @_portal_errors
    def on_nav(self, nav, config: MkDocsConfig, files):
        """A folder's section is named by its index page's title, in the reader's language."""
        for section in nav.items:
            if not getattr(section, "is_section", False):
                continue
            index = next((child for child in section.children if getattr(child, "is_page", False)
                          and rel_path(child).endswith("index.md")), None)
            page = self.content.resolve(self.lang, rel_path(index)) if index else None
            if page is not None and page.meta.get("title"):
                section.title = str(page.meta["title"])
        return nav

    # --- Each page ------------------------------------------------------------------------------

    @_portal_errors
    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files) -> str:
        markdown = with_section_notices(markdown, self.content, PageFacts(rel_path(page), page.url, "", ""), self.lang)
        stash = self.stashed[page.url] = {}  # put back in on_page_content, or in on_post_page if not searched
        return render_markdown(markdown, self.lang, page.url, self.render_context, stash=stash)

    @_portal_errors
    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files) -> str:
        address = page.canonical_url or page.url
        stash = self.stashed[page.url]
        for key, made in stash.items():
            stash[key] = add_print_addresses(made, address) if not is_searched(key) else made
        return add_print_addresses(restore_stashed(html, stash, searched=True), address)

    @_portal_errors
    def on_page_context(self, context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
        context["portal"] = self.page_info(page)
        context["portal_offline"] = self.site.settings.offline
        tag_alternates(config, self.lang)
        if self.lang != languages.DEFAULT.code:
            # Material's search reads <base>/search/: point it at this language's own index.
            depth = page.url.count("/")
            context["base_url"] = "/".join([".."] * (depth - 1)) or "."
        return context

    @_portal_errors
    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        language = languages.get(self.lang)
        output = restore_stashed(output, self.stashed.pop(page.url, {}), searched=False)
        output = with_entitlement_controls(output, page.url, page.canonical_url or page.url, language.code,
                                           self.entitlement_clip)
        settings = PageSettings(page.canonical_url or page.url, page.file.src_uri, config.site_url or "",
                                self.allowed_scripts(config), None if language.script == "Latn" else language.direction)
        return self.build.finish_page(PublishedPage(language.code, rel_path(page), page.url, page.canonical_url or "",
                                                    page.title or "", config.site_name), output, settings)

    # --- Templates ------------------------------------------------------------------------------

    @_portal_errors
    def on_template_context(self, context: dict, template_name: str, config: MkDocsConfig) -> dict:
        tag_alternates(config, self.lang)
        context["portal_tags"] = {language.code: language.tag for language in languages.LANGUAGES}
        context["portal_default"] = languages.DEFAULT.code
        context["portal_offline"] = self.site.settings.offline
        return context

    @_portal_errors
    def on_post_template(self, output: str, template_name: str, config: MkDocsConfig) -> str:
        if not template_name.endswith(".html"):
            return output
        output = defer_bundle(name_search_dialog(output), template_name)
        output, hashes = harden(output, config.site_url or "", where=template_name, allowed=self.allowed_scripts(config))
        self.build.script_hashes.update(hashes)
        output = self.build.finish_html(output)
        if template_name == "404.html" and self.lang == languages.DEFAULT.code:
            # Every language build writes site/404.html; the last would win, so the English one is kept.
            self.build.extra_files["404.html"] = output
        return output

    # --- The end of the build: every writer ----------------------------------------------------

    @event_priority(-200)  # after mkdocs-static-i18n has built every language and merged the search index
    @_portal_errors
    def on_post_build(self, config: MkDocsConfig) -> None:
        i18n = config.plugins.get("i18n")
        if i18n is not None and i18n.building:
            return  # a nested language build; the outer build, which runs last, writes for every language
        write_all(self.build)
        self.audio.speech.save()
        self.build.finished.prune()

    # --- What the events share ------------------------------------------------------------------

    def entitlement_clip(self, lang: str, entitlement_id: str) -> PublishedClip | None:
        """The published clip of one entitlement for a reader of `lang` (the finder's cards and the
        open data call this): `path` is from the site root, e.g. "audio/<clip>.mp3"; None where there
        is none. Calling it publishes the clip."""
        return self.audio.entitlement_clip(lang, entitlement_id)

    def allowed_scripts(self, config: MkDocsConfig) -> ScriptAllowlist:
        """CSP by hash: only the theme's own inline scripts (config.theme.dirs) are allowed."""
        if self.allowed is None:  # the templates do not change during a build: read them once
            self.allowed = allowlist(config.theme.dirs)
        return self.allowed

    def page_info(self, page: Page) -> PageView:
        """What the templates need to say about this page, in the reader's language."""
        facts = PageFacts(rel_path(page), page.url, page.canonical_url or page.url, page.title or "")
        return page_view(self.content, facts, self.lang, self.site_name,
                         lambda voice, rel: self.audio_info(page, voice, rel))

    def audio_info(self, page: Page, voice_lang: str, rel: str) -> Clip | None:
        """The clip for the text the reader sees: the English clip on an untranslated page."""
        clip = self.audio.page_clip(voice_lang, rel)
        if clip is None:
            return None
        words = ui_strings.strings(self.lang)
        minutes, seconds = divmod(round(clip.duration), 60)
        duration = words["minutes_seconds"].format(minutes=minutes, seconds=seconds)
        size = f"{clip.bytes / 1_000_000:.1f} MB" if clip.bytes >= 1_000_000 else f"{round(clip.bytes / 1000)} KB"
        return Clip(url=root_path(page.url) + clip.path, english=voice_lang != self.lang,
                    download=words["audio_download"].format(size=size, duration=duration),
                    voice=voice_text(clip.voice, clip.role, words), listen=listen_label(clip.duration, words))


def current_language(config: MkDocsConfig) -> str:
    i18n = config.plugins.get("i18n")
    return getattr(i18n, "current_language", None) or languages.DEFAULT.code


def tag_alternates(config: MkDocsConfig, lang: str) -> None:
    # mkdocs-static-i18n sets extra.alternate as an attribute, per page, which is what templates read.
    for alternate in getattr(config.extra, "alternate", None) or config.extra.get("alternate") or []:
        # hreflang needs BCP 47 tags: Sorani is ckb, which mkdocs-static-i18n cannot use as a locale.
        language = languages.get(alternate.setdefault("code", alternate["lang"]))
        alternate.update(lang=language.tag, dir=language.direction, current=language.code == lang)


def rel_path(page: Page) -> str:
    src = Path(page.file.src_uri)
    return src.relative_to(src.parts[0]).as_posix() if src.parts[0] in languages.BY_CODE else src.as_posix()
