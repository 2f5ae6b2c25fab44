"""Reading a page as staff wrote it: raw lines, published front matter, and the words a
reader reads (prose lines, blocks, sentences), for the checks that judge the words."""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..content.pages import SourcePage
from ..content.syntax import walk

GLOSSARY = "glossary.md"



def raw_lines(page: SourcePage, include_code: bool):
    """(line number, text) for every body line; fenced code only when include_code."""
    for number, text, is_code in walk(page.body, page.body_start_line):
        if include_code or not is_code:
            yield number, text


def published_fields(page: SourcePage):
    """(line number, text) for the front matter readers see: title and description."""
    for key in ("title", "description"):
        value = page.meta.get(key)
        if isinstance(value, str):
            yield page.line_of(key), value


INLINE_CODE = re.compile(r"(`+)(.+?)\1")
HTML_COMMENT = re.compile(r"<!--.*?(?:-->|$)")
ATTR_BLOCK = re.compile(r"\{:?\s*[#.:\w][^{}]*\}")
PLACEHOLDER = re.compile(r"\[\[[^\]]*\]\]")
IMAGE = re.compile(r"!\[([^\]]*)\]\((?:[^()\s]|\([^)]*\))*(?:\s+\"[^\"]*\")?\)")
INLINE_LINK = re.compile(r"\[([^\]]*)\]\(((?:[^()\s]|\([^)]*\))*)(?:\s+\"[^\"]*\")?\)")
REFERENCE_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
REFERENCE_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$")
AUTOLINK = re.compile(r"<(?:https?|mailto|tel):[^>]*>", re.IGNORECASE)
URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
EMAIL = re.compile(r"(?<![\w.%+-])[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")
HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
UNCLOSED_TAG = re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?$")
ADMONITION = re.compile(r"^\s*(?:!!!|\?\?\?\+?)\s*[\w-]+(?:\s+[\w-]+)*")
HEADING_MARK = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+")
QUOTE_MARK = re.compile(r"^\s*(?:>\s?)+")
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
EMPHASIS = re.compile(r"(?<![^\W_])[*_~]+|[*_~]+(?![^\W_])")


@dataclass
class ProseLine:
    line: int
    text: str                  # what a reader reads on the line
    glossary_terms: list[str]  # the text of each link to the glossary on the line
    starts_block: bool         # a new paragraph, list item, heading or table cell starts here
    cells: list[str] | None = None


def prose_lines(page: SourcePage) -> list[ProseLine]:
    """The words a reader reads, line by line: no code, link targets, {#id} blocks or HTML tags."""
    result: list[ProseLine] = []
    previous_blank = True
    in_comment = in_tag = False
    for number, raw in raw_lines(page, include_code=False):
        text = raw
        if in_comment:
            if "-->" not in text:
                continue
            text = text.split("-->", 1)[1]
            in_comment = False
        if in_tag:  # the rest of an HTML tag that started on an earlier line
            if ">" not in text:
                continue
            text = text.split(">", 1)[1]
            in_tag = False
        if "<!--" in text and "-->" not in text.split("<!--", 1)[1]:
            text = text.split("<!--", 1)[0]
            in_comment = True
        open_tag = UNCLOSED_TAG.search(text)
        if open_tag:
            text = text[:open_tag.start()]
            in_tag = True
        if not text.strip():
            previous_blank = True
            continue
        if REFERENCE_DEFINITION.match(text) or TABLE_RULE.match(text):
            previous_blank = True
            continue
        glossary = [m.group(1) for m in INLINE_LINK.finditer(INLINE_CODE.sub(" ", text))
                    if _is_glossary_link(m.group(2))]
        starts = previous_blank
        heading = HEADING_MARK.match(text)
        if heading:
            text, starts = heading.group(2), True
        admonition = ADMONITION.match(text)
        if admonition:
            text, starts = ADMONITION.sub("", text), True
        if QUOTE_MARK.match(text):
            text = QUOTE_MARK.sub("", text)
        if LIST_MARK.match(text):
            text, starts = LIST_MARK.sub("", text), True
        cleaned = clean_inline(text)
        previous_blank = False
        cells = None
        if text.lstrip().startswith("|") or text.count(" | ") >= 1:
            cells = [cell for cell in (c.strip() for c in cleaned.split("|")) if cell]
            starts = True
            previous_blank = True  # each row is its own set of blocks
        if heading or admonition:
            previous_blank = True  # a heading or an admonition's title stands alone
        result.append(ProseLine(number, cleaned, glossary, starts, cells))
    return result


def clean_inline(text: str) -> str:
    text = INLINE_CODE.sub(" ", text)
    text = HTML_COMMENT.sub(" ", text)
    text = ATTR_BLOCK.sub(" ", text)
    text = PLACEHOLDER.sub(" ", text)
    text = IMAGE.sub(lambda m: m.group(1), text)
    text = INLINE_LINK.sub(lambda m: m.group(1), text)
    text = REFERENCE_LINK.sub(lambda m: m.group(1), text)
    text = AUTOLINK.sub(" ", text)
    text = HTML_TAG.sub(" ", text)
    text = URL.sub(" ", text)
    text = EMAIL.sub(" ", text)
    text = html.unescape(text)
    text = EMPHASIS.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


def _is_glossary_link(target: str) -> bool:
    parts = urlsplit(target)
    return not parts.scheme and posixpath.basename(parts.path) == GLOSSARY and bool(parts.fragment)


@dataclass
class Block:
    """A paragraph, list item, heading or table cell: its text and the line each part starts on."""

    text: str
    starts: list[tuple[int, int]]  # (offset in text, line number)

    def line_at(self, offset: int) -> int:
        line = self.starts[0][1]
        for start, number in self.starts:
            if start > offset:
                break
            line = number
        return line


def blocks(page: SourcePage) -> list[Block]:
    found: list[Block] = []
    current: Block | None = None
    for prose in prose_lines(page):
        if prose.cells is not None:
            found += [Block(cell, [(0, prose.line)]) for cell in prose.cells]
            current = None
            continue
        if not prose.text:
            continue
        if prose.starts_block or current is None:
            current = Block(prose.text, [(0, prose.line)])
            found.append(current)
        else:
            current.starts.append((len(current.text) + 1, prose.line))
            current.text += " " + prose.text
    return found


SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]*[^\W_a-z]|\s*$)")
NOT_AN_END = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|St|No|e\.g|i\.e))[.]$", re.IGNORECASE)
WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")


@dataclass(frozen=True)
class Sentence:
    line: int
    text: str
    words: tuple[str, ...]


def sentences(block: Block) -> list[Sentence]:
    found = []
    start = 0
    text = block.text
    ends = [m.end() for m in SENTENCE_END.finditer(text) if not NOT_AN_END.search(text[:m.end()])]
    if not ends or ends[-1] < len(text.rstrip()):
        ends.append(len(text))
    for end in ends:
        piece = text[start:end].strip()
        if piece:
            lead = len(text[start:end]) - len(text[start:end].lstrip())
            words = tuple(WORD.findall(piece))
            if words:
                found.append(Sentence(block.line_at(start + lead), piece, words))
        start = end
    return found


def page_sentences(page: SourcePage) -> list[Sentence]:
    return [s for block in blocks(page) for s in sentences(block)]
