"""A page as a listener hears it, section by section: rendered from the same Markdown as the page a
reader sees (entitlement facts and contacts included), then made into speech text by speech/.
The audio stage takes its text from here and renders nothing itself."""

from __future__ import annotations

from pathlib import Path

from ..content.pages import Content
from ..fingerprint import inputs_fingerprint
from ..speech.cache import SpeechTexts
from ..speech.sections import Section, joined_text
from ..speech.sections import page_sections as sections_of
from .page import RenderContext, render_markdown, voiced_languages


def speech_context(content: Content) -> RenderContext:
    """Made once per run: which languages have audio is read from the recordings folder."""
    return RenderContext(content, voiced_languages(content, content.site.audio_dir / "recordings"))


def page_sections(content: Content, lang: str, rel: str, context: RenderContext | None = None) -> list[Section]:
    """What a listener hears, section by section: the page as a reader sees it, entitlement facts
    and contacts included."""
    page = content.pages[lang][rel]
    context = context or speech_context(content)
    body = render_markdown(page.body, lang, "", context, for_speech=True)
    return sections_of(str(page.meta.get("title", "")), body, lang)


def page_speech(content: Content, lang: str, rel: str, context: RenderContext | None = None) -> str:
    """The whole page as heard: its sections one after another."""
    return joined_text(page_sections(content, lang, rel, context))


class SiteSpeech:
    """Every page's sections as heard, for one run: made at most once per page, and kept between runs
    in `folder` (.cache/speech/) under the fingerprint of every input. The audio step, the speech
    reports and the published pages all ask this one object: on a no-change build no page is rendered
    for speech at all, where each of the three used to render every page again."""

    def __init__(self, content: Content, folder: Path | None = None, fingerprint: str | None = None):
        self.content = content
        self.context = speech_context(content)
        self.fingerprint = fingerprint or inputs_fingerprint(content)
        self.kept = SpeechTexts(folder, self.fingerprint)
        self._sections: dict[tuple[str, str], list[Section]] = {}

    @classmethod
    def for_site(cls, content: Content, fingerprint: str | None = None) -> SiteSpeech:
        return cls(content, content.site.root / ".cache" / "speech", fingerprint)

    def sections(self, lang: str, rel: str) -> list[Section]:
        key = (lang, rel)
        if key not in self._sections:
            kept = self.kept.get(lang, rel, lambda: [
                [s.entitlement, s.text] for s in page_sections(self.content, lang, rel, self.context)])
            self._sections[key] = [Section(entitlement, text) for entitlement, text in kept]
        return self._sections[key]

    def save(self) -> None:
        self.kept.save()
