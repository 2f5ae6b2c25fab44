"""The portal plugin's settings in mkdocs.yml (`plugins: - portal:`), typed once here and
validated by MkDocs; the core receives them as one frozen portal.content.settings.Settings."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class PortalConfig(base.Config):
    # Who may own a page: always a team, never a person.
    teams = c.ListOfItems(c.Type(str), default=[])
    # Who a page may be for (front matter `audience:`).
    audiences = c.ListOfItems(c.Type(str), default=[])
    # Days before a page's review date that the check warns, and after it that it still only warns.
    review_warning_days = c.Type(int, default=30)
    review_grace_days = c.Type(int, default=30)
    # Plain English on English pages: the Flesch reading ease (60 and above is plain English), and the
    # longest sentence without a warning. The checks say what a value out of range should be.
    reading_ease_min = c.Type((int, float), default=60)
    sentence_words_max = c.Type(int, default=25)
    # Memorable links for posters and text messages: /go/<name>/ leads to the page (and heading).
    short_links = c.DictOfItems(c.Type(str), default={})
    # Voices: engines in order of preference, per language, and each engine's settings; the audio
    # library checks each name and value and says which are known.
    audio = c.Type(dict, default={})
    # The service worker and "save for offline use".
    offline = c.Type(bool, default=True)
