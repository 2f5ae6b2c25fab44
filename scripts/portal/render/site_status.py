"""True statements about the site, made from data for [[site-status]]: which languages have
audio, and whether the pages and translations are drafts."""

from __future__ import annotations

import html

from ..content import languages


def site_status_markdown(content, audio_languages: set[str], lang: str, words: dict[str, str]) -> str:
    codes = content.site.language_codes
    with_audio = [c for c in codes if c in audio_languages]
    without = [c for c in codes if c not in audio_languages]

    def names(group: list[str]) -> str:
        return ", ".join(f'<span lang="{languages.get(c).tag}" dir="{languages.get(c).direction}">'
                         f"{html.escape(languages.get(c).name)}</span>" for c in group)

    lines = []
    if with_audio:
        lines.append(words["status_audio"].format(languages=names(with_audio)))
    if without:
        lines.append(words["status_no_audio"].format(languages=names(without)))
    english = content.english()
    drafts = sum(1 for page in english.values() if page.meta.get("status") != "approved")
    if drafts == len(english):
        lines.append(html.escape(words["status_all_draft"]))
    elif drafts:
        lines.append(html.escape(words["status_some_draft"].format(drafts=drafts, pages=len(english))))
    else:
        lines.append(html.escape(words["status_approved"]))
    translations = [page for code in codes[1:] for page in content.pages.get(code, {}).values()]
    if any((page.meta.get("translation") or {}).get("status") != "reviewed" for page in translations):
        lines.append(html.escape(words["status_translations"]))
    return '<div class="portal-site-status">\n' + "\n".join(f"<p>{line}</p>" for line in lines) + "\n</div>"
