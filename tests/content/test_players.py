"""Each entitlement's player and share link, added under its heading on the page as it is written."""

from __future__ import annotations

import pytest
from portal.audio.published import PublishedClip
from portal.content.ui_strings import strings
from portal.render.players import with_entitlement_controls

HEADING = '<h2 class="entitlement" id="bus-travel">Free <em>bus</em> travel</h2>'
PAGE = f"<article>{HEADING}<p>Facts.</p></article>"
ADDRESS = "https://example.org/ar/offer/travel/"


def clip_of(voice_lang: str):
    return lambda lang, ident: PublishedClip(f"audio/{ident}.{voice_lang}.mp3", voice_lang, "computer", "", 12.0, 4000)


@pytest.mark.parametrize("lang, url, clip, src, english", [
    ("ar", "ar/offer/travel/", clip_of("ar"), "../../../audio/bus-travel.ar.mp3", False),
    ("ar", "ar/offer/travel/", clip_of("en"), "../../../audio/bus-travel.en.mp3", True),
    ("en", "offer/travel/", clip_of("en"), "../../audio/bus-travel.en.mp3", False),
    ("en", "", clip_of("en"), "audio/bus-travel.en.mp3", False),
    ("ti", "ti/offer/travel/", lambda lang, ident: None, None, False),
])
def test_a_player_and_a_share_link_under_each_entitlement(lang, url, clip, src, english):
    words = strings(lang)
    page = with_entitlement_controls(PAGE, url, ADDRESS, lang, clip)
    share = f'<a href="{ADDRESS}#bus-travel" data-portal-share class="portal-share__link">{words["share_entitlement"]}</a>'
    assert share in page
    assert page.index(HEADING) < page.index(share) < page.index("<p>Facts.</p>")
    if src is None:
        assert "<audio" not in page, "no clip, no player"
        return
    label = words["audio_entitlement_label"].format(title="Free bus travel")
    marked = ' lang="en"' if english else ""
    assert f'<audio controls preload="none" src="{src}" aria-label="{label}"{marked}>' in page
    assert page.index(share) < page.index("<audio") < page.index("<p>Facts.</p>"), "the share link, then the player"
    assert (words["audio_english"] in page) == english
