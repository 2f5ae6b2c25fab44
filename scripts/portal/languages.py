"""The portal's languages: folder code, HTML language tag, direction and voices."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str  # folder under docs/ and URL prefix; mkdocs-static-i18n rejects 3-letter codes
    tag: str  # BCP 47 tag for lang="" and hreflang
    name: str  # the language's own name, in its own script
    english_name: str
    direction: str
    gtts: str | None  # gTTS language, None where Google has no voice
    espeak: str | None  # espeak-ng voice, None where espeak-ng has none


LANGUAGES: tuple[Language, ...] = (
    Language("en", "en-GB", "English", "English", "ltr", "en", "en-gb"),
    Language("ar", "ar", "العربية", "Arabic", "rtl", "ar", "ar"),
    Language("fa", "fa", "دری / فارسی", "Dari / Farsi", "rtl", None, "fa"),
    Language("ps", "ps", "پښتو", "Pashto", "rtl", None, None),
    # espeak-ng's "ku" voice is Kurmanji, not Sorani, so Sorani has no generated voice.
    Language("ku", "ckb", "کوردیی ناوەندی (سۆرانی)", "Sorani Kurdish", "rtl", None, None),
    Language("ti", "ti", "ትግርኛ", "Tigrinya", "ltr", None, None),
    Language("am", "am", "አማርኛ", "Amharic", "ltr", "am", "am"),
    Language("sq", "sq", "Shqip", "Albanian", "ltr", "sq", "sq"),
    Language("vi", "vi", "Tiếng Việt", "Vietnamese", "ltr", "vi", "vi"),
)

DEFAULT = LANGUAGES[0]
BY_CODE = {language.code: language for language in LANGUAGES}


def get(code: str) -> Language:
    try:
        return BY_CODE[code]
    except KeyError:
        known = ", ".join(BY_CODE)
        raise KeyError(f"unknown language code {code!r}; use one of: {known}") from None
