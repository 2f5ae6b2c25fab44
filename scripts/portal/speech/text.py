"""The text a listener needs from a page: title, headings and body in reading order."""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

import markdown

from ..content.files import PACKAGE_DIR, read_text
from ..content.phones import find_numbers
from ..content.syntax import replace_placeholders
from ..content.yaml_loader import load as yaml_load

PRONUNCIATIONS_DIR = Path(__file__).resolve().parent / "pronunciations"
MARKDOWN_EXTENSIONS = ["attr_list", "admonition", "tables", "md_in_html", "pymdownx.details"]
BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "dt", "dd", "summary", "blockquote", "div"}
SILENT = {"script", "style", "svg", "audio", "nav"}
SENTENCE_END = re.compile(r"[.!?:;።؟۔]$")


class _SpeechParser(HTMLParser):
    """Collects text block by block; each block becomes one spoken sentence."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.silent_depth = 0
        self.row: list[str] = []
        self.cell: list[str] | None = None
        self.headers: list[str] = []
        self.in_head = False

    def flush(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag in SILENT:
            self.silent_depth += 1
        elif tag == "br":
            self.current.append(" ")
        elif tag in ("td", "th"):
            self.cell = []
        elif tag == "thead":
            self.in_head = True
        elif tag in BLOCKS:
            self.flush()

    def handle_endtag(self, tag):
        if tag in SILENT:
            self.silent_depth = max(0, self.silent_depth - 1)
        elif tag in ("td", "th") and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr":
            self.end_row()
        elif tag == "thead":
            self.in_head = False
        elif tag in BLOCKS:
            self.flush()

    def end_row(self) -> None:
        """A table row is read as 'header: cell' pairs, so a listener knows what each value is."""
        if self.in_head:
            self.headers = self.row
        else:
            pairs = [f"{h}: {c}" if h else c for h, c in zip(self.headers + [""] * len(self.row), self.row) if c]
            if pairs:
                self.blocks.append(", ".join(pairs))
        self.row = []

    def handle_data(self, data):
        if self.silent_depth:
            return
        if self.cell is not None:
            self.cell.append(data)
        else:
            self.current.append(data)


def html_to_speech(html: str) -> list[str]:
    parser = _SpeechParser()
    parser.feed(html)
    parser.close()
    parser.flush()
    return parser.blocks


def speech_text(title: str, body_markdown: str, lang: str, pronunciations_dir: Path = PRONUNCIATIONS_DIR) -> str:
    """Normalised speech text: one sentence per block, pronunciation list applied."""
    body_markdown = replace_placeholders(body_markdown, lambda _: "")  # blocks the reader cannot hear
    html = markdown.markdown(body_markdown, extensions=MARKDOWN_EXTENSIONS)
    sentences = []
    for block in [title, *html_to_speech(html)]:
        block = block.strip()
        if block:
            sentences.append(block if SENTENCE_END.search(block) else block + ".")
    text = speak_numbers(" ".join(sentences))
    return apply_pronunciations(text, pronunciation_rules(lang, pronunciations_dir))


DIGIT_GROUP = re.compile(r"\d+")
WEB_ADDRESS = re.compile(r"\bhttps?://\S+")


def speak_numbers(text: str) -> str:
    """Phone numbers and short codes digit by digit, in the groups they are written in: "116 123"
    becomes "1 1 6, 1 2 3", "999" "9 9 9". Every voice, in every language, reads a digit standing
    alone as its digit word, where it reads "116" as a hundred and sixteen. Amounts, years and
    dates are not phone numbers (content/phones.py) and keep their natural reading."""
    out, position = [], 0
    for number in find_numbers(text):
        groups = DIGIT_GROUP.findall(number.text)
        out.append(text[position:number.start])
        out.append(", ".join(" ".join(group) for group in groups))
        position = number.end
    out.append(text[position:])
    # A service's address is said as it is written, digit by digit too: 111.nhs.uk is "one one one".
    return WEB_ADDRESS.sub(lambda m: DIGIT_GROUP.sub(lambda d: " ".join(d.group(0)), m.group(0)), "".join(out))


@lru_cache(maxsize=None)
def pronunciation_rules(lang: str, pronunciations_dir: Path = PRONUNCIATIONS_DIR) -> tuple[tuple[str, str], ...]:
    path = pronunciations_dir / f"{lang}.yml"
    if not path.exists():
        return ()
    data = yaml_load(read_text(path, PACKAGE_DIR)) or []
    return tuple((str(rule["match"]), str(rule["say"])) for rule in data)


def apply_pronunciations(text: str, rules) -> str:
    for pattern, replacement in rules:
        text = re.sub(pattern, replacement, text)
    return " ".join(text.split())


def clip_key(text: str, lang: str, engine: str, voice: dict) -> str:
    """Content address of a clip: same text, language, engine and voice, same clip."""
    material = json.dumps({"text": text, "lang": lang, "engine": engine, "voice": voice},
                          sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
