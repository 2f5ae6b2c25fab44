"""A page as a listener hears it, section by section: rendered from the same Markdown as the page a
reader sees (entitlement facts and contacts included), then made into speech text by speech/.
The audio stage takes its text from here and renders nothing itself."""

from __future__ import annotations

from ..content.pages import Content
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
