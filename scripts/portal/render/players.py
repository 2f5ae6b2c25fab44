"""Audio players in the reader's language: what kind of voice it is, and the speed buttons.

The native <audio controls> plays without JavaScript; the speed buttons are shown once portal.js
runs (portal.css; an entitlement's player gets them from portal.js) and set the player's playbackRate. Nothing loads before the reader presses play.
A finder card or any other page part can use `entitlement_player` as it is.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from ..content import ui_strings
from .html import ENTITLEMENT_HEADING, add_entitlement_share_links, root_path

SPEEDS = ("0.75", "1", "1.25")


def voice_text(voice: str, role: str, words: dict[str, str]) -> str:
    """"Read by a computer voice." or "Recorded by a personal adviser." in the reader's language."""
    if voice == "computer":
        return words["audio_voice_computer"]
    recorded = words["audio_voice_recording"].format(role=words["audio_role_" + (role or "person").replace("-", "_")])
    if voice == "recording":
        return recorded
    if voice == "mixed":  # some sections recorded, the others read by a computer: both are said
        return f"{recorded} {words['audio_voice_computer']}"
    return words["audio_voice_computer"]


def listen_label(duration: float, words: dict[str, str]) -> str:
    """The page player's one-line label, "Listen · 3 min": whole minutes, at least one."""
    return words["audio_listen"].format(minutes=max(1, round(duration / 60)))


def speed_buttons(words: dict[str, str]) -> str:
    """A group of three toggle buttons; 1x is pressed at first."""
    buttons = "".join(
        f'<button type="button" class="portal-speed__button" data-portal-speed="{speed}" '
        f'aria-pressed="{"true" if speed == "1" else "false"}">{speed}×</button>'
        for speed in SPEEDS)
    return (f'<div class="portal-speed" role="group" aria-label="{html.escape(words["audio_speed"])}">'
            f'<span class="portal-speed__label" aria-hidden="true">{html.escape(words["audio_speed"])}:</span> '
            f'{buttons}</div>')


def entitlement_player(url: str, title: str, english: bool, voice: str, words: dict[str, str]) -> str:
    """The player under an entitlement's heading: its own short clip."""
    label = html.escape(words["audio_entitlement_label"].format(title=title))
    lang = ' lang="en"' if english else ""
    note = f'<p class="portal-audio__note">{html.escape(words["audio_english"])}</p>' if english else ""
    # The speed buttons (speed_buttons) are made by assets/portal.js from data-portal-speed-label: they
    # are shown only with it, and the finder's many cards then weigh less on the first load. Search never
    # reads a player: it is added after Material's search has read the page (with_entitlement_controls,
    # and the finder's block is put back after it too), so it needs no data-search-exclude.
    return (f'<div class="portal-audio portal-audio--entitlement" data-portal-player '
            f'data-portal-speed-label="{html.escape(words["audio_speed"])}">'
            f'<audio controls preload="none" src="{html.escape(url)}" aria-label="{label}"{lang}></audio>'
            f'<p class="portal-audio__voice">{html.escape(voice)}</p>{note}</div>')


def add_entitlement_players(page_html: str, player: callable) -> str:
    """After each entitlement heading, `player(id, heading text)`'s HTML, if it gives one."""
    def insert(match: re.Match) -> str:
        title = html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()
        made = player(match.group(2), title)
        return f"{match.group(1)}\n{made}" if made else match.group(1)
    return ENTITLEMENT_HEADING.sub(insert, page_html)


def with_entitlement_controls(page_html: str, page_url: str, page_address: str, lang: str,
                              clip: Callable[[str, str], object | None]) -> str:
    """Each entitlement's player and share link under its heading, on the page as it is written.

    Added after Material's search has read the page: "Share a link to this" or "Speed: 0.75×" is no
    answer to a search, and the search reads less. `clip(lang, id)`: the entitlement's published
    clip (its `path` from the site root, `voice_lang`, `voice` and `role`), or None."""
    words = ui_strings.strings(lang)
    up = root_path(page_url)

    def player(ident: str, title: str) -> str:
        found = clip(lang, ident)
        if found is None:
            return ""
        return entitlement_player(up + found.path, title, found.voice_lang != lang,
                                  voice_text(found.voice, found.role, words), words)

    return add_entitlement_share_links(add_entitlement_players(page_html, player), page_address,
                                       words["share_entitlement"])
