"""Link-preview images: the size, the colours, the title drawn in each language's script and direction."""

from __future__ import annotations

import unicodedata

import pytest
from conftest import REPO
from PIL import Image, ImageChops, features
from portal.configuration import load_site
from portal.content import languages
from portal.content.pages import load_content
from portal.publish import previews, text_layout
from portal.publish.previews import PREVIEW_BUDGET, PREVIEW_SIZE, preview_png
from portal.publish.text_layout import PreviewError

SITE = "City of London care leaver offer"
TITLES = {
    "en": "Support for young people leaving the City of London's care",
    "ar": "دعم الشباب الذين يغادرون رعاية مدينة لندن",
    "am": "ከለንደን ከተማ እንክብካቤ ለሚወጡ ወጣቶች የሚሰጥ ድጋፍ",
}


def ink(image: Image.Image, box=None) -> Image.Image:
    """1 where a pixel is not background, as an L image."""
    rgb = image.convert("RGB")
    if box:
        rgb = rgb.crop(box)
    background = Image.new("RGB", rgb.size, previews.BACKGROUND)
    return ImageChops.difference(rgb, background).convert("L").point(lambda v: 255 if v > 60 else 0)


def ink_share(image: Image.Image, box=None) -> float:
    mask = ink(image, box)
    return mask.histogram()[255] / (mask.width * mask.height)


def contrast(a, b) -> float:
    def luminance(rgb):
        c = [v / 255 for v in rgb]
        c = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_preview_colours_have_high_contrast():
    assert contrast(previews.TITLE_COLOUR, previews.BACKGROUND) >= 12
    assert contrast(previews.SITE_COLOUR, previews.BACKGROUND) >= 7


def test_text_layout_has_raqm():
    assert features.check("raqm"), "Pillow needs libraqm with FriBiDi: apt-get install libfribidi0"


@pytest.mark.parametrize("lang", ["en", "ar", "am"])
def test_preview_is_the_right_size_small_and_shows_its_title(tmp_path, lang):
    path = preview_png(TITLES[lang], SITE, lang, tmp_path / f"{lang}.png")
    size = path.stat().st_size
    assert size < PREVIEW_BUDGET, f"{lang}: {size} bytes"
    with Image.open(path) as image:
        assert image.size == PREVIEW_SIZE
        assert image.format == "PNG" and image.mode == "P"
        assert len(image.getcolors()) <= 16
        title_band = (0, 40, 1200, 470)
        share = ink_share(image, title_band)
        assert 0.08 < share < 0.5, f"{lang}: title ink covers {share:.1%} of the title area"
        assert ink_share(image, (0, 520, 1200, 600)) > 0.02, "the site name is there"
        # big text: the ink spans several text lines of at least 64 px type
        rows = [y for y in range(title_band[1], title_band[3]) if ink(image, (0, y, 1200, y + 1)).getbbox()]
        assert len(rows) > 150


def test_arabic_preview_is_right_aligned_and_english_left_aligned(tmp_path):
    with Image.open(preview_png("المال", SITE, "ar", tmp_path / "ar.png")) as arabic:
        left, _, right, _ = ink(arabic, (0, 40, 1200, 470)).getbbox()
        assert right > 1100 and left > 600, "a short Arabic title starts at the right margin"
    with Image.open(preview_png("Money", SITE, "en", tmp_path / "en.png")) as english:
        left, _, right, _ = ink(english, (0, 40, 1200, 470)).getbbox()
        assert left < 100 and right < 600


def isolated_forms(text: str) -> str:
    """Each Arabic letter as its isolated presentation form: what an unshaped renderer draws."""
    forms = {}
    for code in range(0xFE70, 0xFEFF):
        parts = unicodedata.decomposition(chr(code)).split()
        if len(parts) == 2 and parts[0] == "<isolated>":
            forms[chr(int(parts[1], 16))] = chr(code)
    return "".join(forms.get(ch, ch) for ch in text)


def test_arabic_preview_is_shaped(tmp_path):
    title = "دعم الشباب في مدينة لندن"
    assert isolated_forms(title) != title
    box = (0, 40, 1200, 470)
    with Image.open(preview_png(title, SITE, "ar", tmp_path / "shaped.png")) as shaped, \
            Image.open(preview_png(isolated_forms(title), SITE, "ar", tmp_path / "unshaped.png")) as unshaped:
        difference = ImageChops.difference(ink(shaped, box), ink(unshaped, box))
        assert difference.histogram()[255] / (difference.width * difference.height) > 0.02
    # joined letters make a narrower word than the same letters standing alone
    word = "الشباب"
    with Image.open(preview_png(word, SITE, "ar", tmp_path / "word.png")) as shaped, \
            Image.open(preview_png(isolated_forms(word), SITE, "ar", tmp_path / "letters.png")) as unshaped:
        left, _, right, _ = ink(shaped, box).getbbox()
        alone_left, _, alone_right, _ = ink(unshaped, box).getbbox()
        assert right - left < 0.85 * (alone_right - alone_left)
        assert abs(right - alone_right) <= 3, "both start at the right margin"


@pytest.mark.parametrize(
    ("line", "lang", "expected"),
    [
        ("Free bus", "en", [("Free bus", "Latn", "ltr")]),
        ("ጤና እና ደህንነት", "am", [("ጤና እና ደህንነት", "Ethi", "ltr")]),
        ("ጤና…", "ti", [("ጤና", "Ethi", "ltr"), ("…", "Latn", "ltr")]),
        ("لندن 16-25", "ar", [("لندن 16-25", "Arab", "rtl")]),
        ("بطاقة Oyster", "ar", [("Oyster", "Latn", "ltr"), ("بطاقة ", "Arab", "rtl")]),
        ("بطاقة (Oyster) للسفر", "ar",
         [("للسفر", "Arab", "rtl"), (") ", "Latn", "rtl"), ("Oyster", "Latn", "ltr"), (" (", "Latn", "rtl"),
          ("بطاقة", "Arab", "rtl")]),
        ("لندن…", "fa", [("…", "Latn", "rtl"), ("لندن", "Arab", "rtl")]),
        ("Card بطاقة", "en", [("Card ", "Latn", "ltr"), ("بطاقة", "Arab", "rtl")]),
    ],
)
def test_mixed_scripts_are_drawn_in_bidi_order_with_the_right_font(line, lang, expected):
    assert text_layout.visual_runs(line, lang) == expected


@pytest.mark.parametrize("lang", [language.code for language in languages.LANGUAGES])
def test_every_language_titles_have_glyphs(lang):
    site = load_site(REPO)
    content = load_content(site)
    for page in content.pages.get(lang, {}).values():
        title = str(page.meta.get("title", ""))
        assert text_layout.missing_glyphs(title) == [], f"{page.display_path}: {title}"


def test_long_title_is_cut_to_three_lines_with_an_ellipsis(tmp_path):
    title = " ".join(["Education, training and work for young people leaving care"] * 4)
    layout = text_layout._Layout("en", previews.TITLE_SIZES[-1])
    lines, cut = text_layout.wrap(title, layout, 1200 - 2 * previews.MARGIN, previews.MAX_LINES)
    assert cut and len(lines) == 3 and lines[-1].endswith("…")
    assert all(layout.width(line) <= 1200 - 2 * previews.MARGIN for line in lines)
    path = preview_png(title, SITE, "en", tmp_path / "long.png")
    assert path.stat().st_size < PREVIEW_BUDGET


def test_a_word_longer_than_a_line_is_broken():
    layout = text_layout._Layout("en", 96)
    lines, _ = text_layout.wrap("A" * 60, layout, 1040, 3)
    assert len(lines) >= 2 and all(layout.width(line) <= 1040 for line in lines)


def test_preview_is_the_same_every_time(tmp_path):
    one = preview_png(TITLES["ar"], SITE, "ar", tmp_path / "one.png").read_bytes()
    two = preview_png(TITLES["ar"], SITE, "ar", tmp_path / "two.png").read_bytes()
    assert one == two


def test_preview_is_not_drawn_again_when_it_exists(tmp_path, monkeypatch):
    out = tmp_path / "site" / "en.png"
    cache = tmp_path / "cache"
    preview_png(TITLES["en"], SITE, "en", out, cache_dir=cache)
    made = out.read_bytes()
    assert [p.name for p in cache.iterdir()] == [f"{previews.preview_key(TITLES['en'], SITE, 'en')}.png"]

    def no_drawing(*args, **kwargs):
        raise AssertionError("drew the image again")

    monkeypatch.setattr(previews, "render_preview", no_drawing)
    preview_png(TITLES["en"], SITE, "en", out)  # out already holds it
    fresh = tmp_path / "fresh-site" / "en.png"
    preview_png(TITLES["en"], SITE, "en", fresh, cache_dir=cache)  # a new build: from the cache
    assert fresh.read_bytes() == made
    with pytest.raises(AssertionError, match="again"):
        preview_png("Another title", SITE, "en", out)


def test_missing_font_names_the_debian_package(tmp_path, monkeypatch):
    monkeypatch.setattr(text_layout, "FONT_DIRS", (tmp_path,))
    monkeypatch.delenv("PORTAL_FONT_DIR", raising=False)
    with pytest.raises(PreviewError, match="apt-get install fonts-noto-core"):
        preview_png("Money", SITE, "en", tmp_path / "x.png")
