"""The one registry of language facts: folder code, HTML tag, direction, script, voices,
search stemmer, Open Graph locale. A new fact about a language is one field here."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import PortalError


@dataclass(frozen=True)
class Script:
    code: str  # ISO 15924
    font_file: str  # one bold Noto face per script, designed to sit together on one baseline
    line_step: float  # distance between baselines in link previews, in font sizes


SCRIPTS: dict[str, Script] = {
    "Latn": Script("Latn", "NotoSans-Bold.ttf", 1.2),  # Latin, incl. Vietnamese and Albanian, and punctuation
    "Arab": Script("Arab", "NotoSansArabic-Bold.ttf", 1.45),  # Arabic, Persian, Pashto and Sorani letters
    "Ethi": Script("Ethi", "NotoSansEthiopic-Bold.ttf", 1.3),  # Tigrinya and Amharic
}


@dataclass(frozen=True)
class Language:
    code: str  # folder under docs/ and URL prefix; mkdocs-static-i18n rejects 3-letter codes
    tag: str  # BCP 47 tag for lang="" and hreflang
    name: str  # the language's own name, in its own script
    english_name: str
    direction: str
    script: str  # ISO 15924: where it is not Latin, English words in the text are marked as English
    gtts: str | None  # gTTS language, None where Google has no voice
    espeak: str | None  # espeak-ng voice, None where espeak-ng has none
    og_locale: str  # Open Graph locale for link previews
    lunr: str | None  # lunr-languages stemmer, None where it ships none (exact words only)
    date_locale: str | None = None  # Babel locale for dates and months, where it differs from tag

    @property
    def babel_locale(self) -> str:
        return (self.date_locale or self.tag).replace("-", "_")

    @property
    def rtl(self) -> bool:
        return self.direction == "rtl"

    @property
    def font_file(self) -> str:
        return SCRIPTS[self.script].font_file


LANGUAGES: tuple[Language, ...] = (
    Language("en", "en-GB", "English", "English", "ltr", "Latn", "en", "en-gb", "en_GB", "en"),
    # Facebook's umbrella locale for Arabic; it has no ar_SA-style regional ones
    Language("ar", "ar", "العربية", "Arabic", "rtl", "Arab", "ar", "ar", "ar_AR", "ar"),
    # fa_IR is the only Persian locale Facebook knows; Dari speakers read it too
    Language("fa", "fa", "دری / فارسی", "Dari / Farsi", "rtl", "Arab", None, "fa", "fa_IR", None,
             # Afghan month names (مارچ, not مارس): most Dari/Farsi readers here are from Afghanistan
             date_locale="fa_AF"),
    Language("ps", "ps", "پښتو", "Pashto", "rtl", "Arab", None, None, "ps_AF", None),
    # espeak-ng's "ku" voice is Kurmanji, not Sorani, so Sorani has no generated voice.
    # cb_IQ is Facebook's own code for Central Kurdish (ckb); ku_TR is Kurmanji, in Latin script.
    Language("ku", "ckb", "کوردیی ناوەندی (سۆرانی)", "Sorani Kurdish", "rtl", "Arab", None, None, "cb_IQ", None),
    # Facebook lists no Tigrinya; most young Tigrinya speakers in UK care come from Eritrea
    # espeak-ng has a Tigrinya voice from 1.52 (the bundled build, audio/espeak_library.py), not in Debian's 1.51
    Language("ti", "ti", "ትግርኛ", "Tigrinya", "ltr", "Ethi", None, "ti", "ti_ER", None),
    Language("am", "am", "አማርኛ", "Amharic", "ltr", "Ethi", "am", "am", "am_ET", None),
    Language("sq", "sq", "Shqip", "Albanian", "ltr", "Latn", "sq", "sq", "sq_AL", None),
    Language("vi", "vi", "Tiếng Việt", "Vietnamese", "ltr", "Latn", "vi", "vi", "vi_VN", "vi"),
)

DEFAULT = LANGUAGES[0]
BY_CODE = {language.code: language for language in LANGUAGES}


def get(code: str) -> Language:
    try:
        return BY_CODE[code]
    except KeyError:
        known = ", ".join(BY_CODE)
        raise PortalError(f"unknown language code {code!r}; use one of: {known}") from None


def og_locale_alternates(code: str, codes: list[str]) -> list[str]:
    """og:locale:alternate values: every other language of the site, in site order."""
    return [get(other).og_locale for other in codes if other != code]
