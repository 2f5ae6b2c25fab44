"""1200 x 630 link-preview images, shaped and ordered right for Arabic script and Ethiopic,
using Noto fonts from Debian's fonts-noto-core."""

from __future__ import annotations

import hashlib
import io
import json
from functools import lru_cache
from pathlib import Path

from ..content import languages
from ..content.files import atomic_write, publish_copy
from .text_layout import FONT_FILES, _Layout, check_text_layout, font_path, wrap

PREVIEW_SIZE = (1200, 630)
PREVIEW_BUDGET = 60_000  # bytes
PREVIEW_VERSION = "1"  # the key also holds a hash of this file, so any change here makes images again
PREVIEW_KEY_CHUNK = "portal-preview-key"

BACKGROUND = (0x1A, 0x23, 0x7E)  # indigo 900: the site's colour, dark enough for white text
TITLE_COLOUR = (0xFF, 0xFF, 0xFF)  # contrast 13:1 on the background
SITE_COLOUR = (0xE8, 0xEA, 0xF6)  # 11:1; the palette makes it the nearest shade between background and white
ACCENT = (0xFF, 0xD5, 0x4F)  # amber rule above the site name

MARGIN = 80
TITLE_SIZES = (96, 88, 80, 72, 64)  # largest that fits in MAX_LINES wins; still readable at 400 px wide
MAX_LINES = 3
SITE_SIZE = 40

@lru_cache(maxsize=1)
def _renderer() -> list:
    """What every image depends on, found once per build: drawing code, fonts, layout libraries."""
    import PIL
    from PIL import features

    from . import text_layout

    fonts = {s: [font_path(s).name, font_path(s).stat().st_size] for s in FONT_FILES}
    code = hashlib.sha256(Path(__file__).read_bytes() + Path(text_layout.__file__).read_bytes()).hexdigest()[:16]
    return [PREVIEW_VERSION, code, fonts, PIL.__version__, features.version("raqm"), features.version("fribidi"),
            features.version("harfbuzz")]


def preview_key(title: str, site_name: str, lang_code: str) -> str:
    """What an image depends on: words, language, drawing code, fonts and text-layout libraries."""
    parts = [*_renderer(), title, site_name, lang_code]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()[:24]


def _stored_key(path: Path) -> str | None:
    from PIL import Image

    try:
        with Image.open(path) as image:
            return image.text.get(PREVIEW_KEY_CHUNK)
    except (OSError, ValueError, SyntaxError):
        return None


def render_preview(title: str, site_name: str, lang_code: str):
    """The preview as a Pillow RGB image (before quantising), for preview_png and tests."""
    from PIL import Image, ImageDraw

    check_text_layout()
    width, height = PREVIEW_SIZE
    title = " ".join(str(title).split())
    site_name = " ".join(str(site_name).split())
    image = Image.new("RGB", PREVIEW_SIZE, BACKGROUND)
    draw = ImageDraw.Draw(image)
    left, right = MARGIN, width - MARGIN
    text_width = right - left
    rtl = languages.get(lang_code).direction == "rtl"

    # footer: amber rule and the site name, on the side where the language's lines start
    site = _Layout(lang_code, SITE_SIZE)
    site_lines, _ = wrap(site_name, site, text_width, 1)
    footer_baseline = height - 64
    rule_y = footer_baseline - site.metrics()[0] - 28
    rule_x = right - 120 if rtl else left
    draw.rectangle([rule_x, rule_y, rule_x + 120, rule_y + 8], fill=ACCENT)
    for line in site_lines:
        site.draw(draw, line, footer_baseline, SITE_COLOUR, left, right)

    # title: the largest size at which it fits in MAX_LINES and in the space above the rule,
    # else the smallest size, cut with an ellipsis; centred on its ink, which for Arabic
    # script lies well inside the font's tall ascent and descent
    top_area, bottom_area = 48, rule_y - 32
    for size in TITLE_SIZES:
        layout = _Layout(lang_code, size)
        lines, cut = wrap(title, layout, text_width, MAX_LINES)
        block = _title_block(layout, lines, width)
        if block is not None and not cut and block.height <= bottom_area - top_area:
            break
    if block is not None:
        y = top_area + max(0, (bottom_area - top_area - block.height) // 2)
        image.paste(TITLE_COLOUR, (0, y), block)
    return image


def _title_block(layout: _Layout, lines: list[str], width: int):
    """The title's lines drawn as a coverage mask, cropped to the ink; None for an empty title."""
    from PIL import Image, ImageDraw

    if not lines:
        return None
    step = round(layout.size * languages.SCRIPTS[layout.own].line_step)
    ascent, descent = layout.metrics()
    mask = Image.new("L", (width, 2 * ascent + descent + step * len(lines)), 0)
    draw = ImageDraw.Draw(mask)
    for index, line in enumerate(lines):
        layout.draw(draw, line, ascent + index * step, 255, MARGIN, width - MARGIN)
    box = mask.getbbox()
    if box is None:
        return None
    return mask.crop((0, box[1], width, box[3]))


def _palette(steps: int):
    """The background, steps shades from it to white (text and its anti-aliased edges), the accent."""
    from PIL import Image

    colours = [tuple(round(b + (w - b) * i / (steps - 1)) for b, w in zip(BACKGROUND, TITLE_COLOUR))
               for i in range(steps)] + [ACCENT]
    flat = [value for colour in colours for value in colour]
    palette = Image.new("P", (1, 1))
    palette.putpalette(flat + flat[-3:] * (256 - len(colours)))  # spare entries repeat the accent
    return palette


def _encode(image, key: str) -> bytes:
    """A small PNG: a fixed palette of at most 16 colours, no dithering, maximum compression."""
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text(PREVIEW_KEY_CHUNK, key)
    data = b""
    for steps in (15, 7, 3):
        small = image.quantize(palette=_palette(steps), dither=Image.Dither.NONE)
        buffer = io.BytesIO()
        small.save(buffer, format="PNG", optimize=True, bits=4 if steps > 3 else 2, pnginfo=info)
        data = buffer.getvalue()
        if len(data) <= PREVIEW_BUDGET:
            break
    return data


def preview_png(title: str, site_name: str, lang_code: str, out: Path, *, cache_dir: Path | None = None) -> Path:
    """Write a 1200 x 630 PNG link preview of title to out, atomically, and return out.

    Work is skipped when out already holds the same image (its key is stored in the PNG), or
    when cache_dir holds it under its key; a new image is also stored there.
    """
    out = Path(out)
    key = preview_key(title, site_name, lang_code)
    if out.is_file() and _stored_key(out) == key:
        return out
    cached = Path(cache_dir) / f"{key}.png" if cache_dir else None
    # A cached file is named by its key and written atomically, so its name vouches for it.
    if cached and cached.is_file():
        publish_copy(cached, out)
        return out
    data = _encode(render_preview(title, site_name, lang_code), key)
    atomic_write(out, data)
    if cached:
        atomic_write(cached, data)
    return out


def write(build) -> None:
    """Every page's preview.png, the picture a messaging app shows beside a shared link."""
    for page in build.pages:
        preview_png(page.title or page.site_name, page.site_name, page.lang,
                    build.site_dir / page.url / "preview.png", cache_dir=build.cache_dir / "previews")
