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
    script: str  # ISO 15924: where it is not Latin, English words in the text are marked as English
    gtts: str | None  # gTTS language, None where Google has no voice
    espeak: str | None  # espeak-ng voice, None where espeak-ng has none


LANGUAGES: tuple[Language, ...] = (
    Language("en", "en-GB", "English", "English", "ltr", "Latn", "en", "en-gb"),
    Language("ar", "ar", "العربية", "Arabic", "rtl", "Arab", "ar", "ar"),
    Language("fa", "fa", "دری / فارسی", "Dari / Farsi", "rtl", "Arab", None, "fa"),
    Language("ps", "ps", "پښتو", "Pashto", "rtl", "Arab", None, None),
    # espeak-ng's "ku" voice is Kurmanji, not Sorani, so Sorani has no generated voice.
    Language("ku", "ckb", "کوردیی ناوەندی (سۆرانی)", "Sorani Kurdish", "rtl", "Arab", None, None),
    Language("ti", "ti", "ትግርኛ", "Tigrinya", "ltr", "Ethi", None, None),
    Language("am", "am", "አማርኛ", "Amharic", "ltr", "Ethi", "am", "am"),
    Language("sq", "sq", "Shqip", "Albanian", "ltr", "Latn", "sq", "sq"),
    Language("vi", "vi", "Tiếng Việt", "Vietnamese", "ltr", "Latn", "vi", "vi"),
)

DEFAULT = LANGUAGES[0]
BY_CODE = {language.code: language for language in LANGUAGES}


def get(code: str) -> Language:
    try:
        return BY_CODE[code]
    except KeyError:
        known = ", ".join(BY_CODE)
        raise KeyError(f"unknown language code {code!r}; use one of: {known}") from None
