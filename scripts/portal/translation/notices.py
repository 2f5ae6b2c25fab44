""""The English has changed" where it has: a notice under each heading whose section holds a unit
translated from older English, not over the whole page."""

from __future__ import annotations

from html import escape

from ..content.pages import HEADING, Content
from ..content.syntax import walk
from ..content.translation_records import CURRENT, unit_states
from ..content.translation_units import TOP


def changed_sections(content: Content, lang: str, rel: str) -> list[str] | None:
    """English anchors of the sections with a unit behind the English ("top" for the title, the
    description and the text before the first heading); None when the page has no unit record."""
    if lang == content.site.default_language or rel not in content.english() or rel not in content.pages.get(lang, {}):
        return None
    states = unit_states(content, lang, rel)
    if states is None:
        return None
    return sorted({s.unit.section for s in states if s.state != CURRENT})


def mark_changed_sections(markdown: str, content: Content, lang: str, rel: str, notice: str, link_text: str,
                          english_url: str) -> str:
    """The page's Markdown (no front matter) with a notice after each changed section's heading.

    A translated page's headings are matched to the English ones in order, as its units are."""
    changed = changed_sections(content, lang, rel)
    if not changed:
        return markdown
    english = content.english()[rel]
    anchors = [h.anchor for h in english.headings()]
    lines = markdown.splitlines()
    heading_lines = [number - 1 for number, line, is_code in walk(markdown) if not is_code and HEADING.match(line)]

    def box(anchor: str) -> list[str]:
        target = escape(english_url + ("" if anchor == TOP else f"#{anchor}"), quote=True)
        return ["", f'<div class="portal-notice portal-notice--stale portal-notice--part" role="note">'
                    f'<p>{escape(notice)} <a href="{target}" hreflang="en">{escape(link_text)}</a></p></div>', ""]

    for index in reversed(range(min(len(anchors), len(heading_lines)))):
        if anchors[index] in changed:
            at = heading_lines[index] + 1
            lines[at:at] = box(anchors[index])
    if TOP in changed:
        lines[0:0] = box(TOP)[1:]
    return "\n".join(lines) + ("\n" if markdown.endswith("\n") else "")
