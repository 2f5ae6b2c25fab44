"""True statements about the site, made from data for [[site-status]]: which languages have
audio, and whether the pages and translations are drafts."""

from __future__ import annotations

import html

from ..content import languages


def site_status_markdown(content, audio_languages: set[str], lang: str, words: dict[str, str],
                         coverage: dict | None = None) -> str:
    """`coverage` (audio/coverage.json, for readers; the spoken page leaves it out, so its words do not
    change with every recording): each language's share of sections with a voice, and which kinds."""
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
    shares = [code for code in codes if code in (coverage or {})]
    if shares:
        items = "".join(f"<li>{names([code])}: {int(coverage[code].get('percent', 0))} %"
                        f"{_kinds(coverage[code].get('kinds', []), words)}</li>" for code in shares)
        lines.append(f'<ul class="portal-site-status__voices">{items}</ul>')
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
    return ('<div class="portal-site-status">\n' + "\n".join(line if line.startswith("<ul") else f"<p>{line}</p>"
                                                              for line in lines) + "\n</div>")


def _kinds(kinds: list[str], words: dict[str, str]) -> str:
    """"Recorded by a person." and/or "Read by a computer voice.", in the reader's language."""
    said = [words["audio_voice_recording"].format(role=words["audio_role_person"]) if kind == "recorded"
            else words["audio_voice_computer"] for kind in kinds if kind in ("recorded", "computer")]
    return (" · " + html.escape(" ".join(said))) if said else ""
