"""The portal's two bits of syntax inside Markdown, each parsed here and nowhere else.

- Code fences (``` or ~~~): `walk` says for every line whether it is code; `fenced_blocks`
  returns the blocks with their info word, such as the ```entitlement blocks of facts.
- Placeholders: a line `[[name]]` or `[[name: argument]]` that the build replaces with a
  generated block (contacts, the professionals' directory, the site's status).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

FENCE = re.compile(r"^\s{0,3}(?P<mark>`{3,}|~{3,})\s*(?P<info>[\w-]*)")
PLACEHOLDER = re.compile(r"^\[\[(?P<name>[a-z-]+)(?::\s*(?P<argument>[a-z0-9-]+))?\]\]\s*$")


@dataclass(frozen=True)
class FencedBlock:
    info: str  # the word after the opening fence, such as "entitlement"
    line: int  # the opening fence's line number in the file
    text: str  # the lines between the fences
    end_line: int  # the closing fence's line number (the last line of the file if it is never closed)
    closed: bool


def walk(text: str, first_line: int = 1) -> Iterator[tuple[int, str, bool]]:
    """(line number, line, is_code) for every line; fence lines themselves count as code."""
    mark = ""
    for offset, line in enumerate(text.splitlines()):
        match = FENCE.match(line)
        if match and not mark:
            mark = match.group("mark")
            yield first_line + offset, line, True
        elif match and line.strip().startswith(mark[0] * len(mark)) and not match.group("info"):
            mark = ""
            yield first_line + offset, line, True
        else:
            yield first_line + offset, line, bool(mark)


def fenced_blocks(text: str, first_line: int = 1, info: str | None = None) -> list[FencedBlock]:
    blocks: list[FencedBlock] = []
    opening: tuple[int, str] | None = None
    body: list[str] = []
    last = first_line
    for number, line, is_code in walk(text, first_line):
        last = number
        if is_code and opening is None and FENCE.match(line):
            opening, body = (number, FENCE.match(line).group("info")), []
        elif opening is not None and (not is_code or _closes(line)):
            blocks.append(FencedBlock(opening[1], opening[0], "\n".join(body), number, True))
            opening = None
        elif opening is not None:
            body.append(line)
    if opening is not None:
        blocks.append(FencedBlock(opening[1], opening[0], "\n".join(body), last, False))
    return [block for block in blocks if info is None or block.info == info]


def _closes(line: str) -> bool:
    match = FENCE.match(line)
    return bool(match) and not match.group("info")


def replace_fenced_blocks(text: str, info: str, render: Callable[[FencedBlock], str]) -> str:
    """The text with each block of this info word replaced by what `render` makes of it."""
    lines = text.splitlines()
    for block in reversed(fenced_blocks(text, 1, info)):
        lines[block.line - 1:block.end_line] = render(block).splitlines()
    return "\n".join(lines) + ("\n" if text.endswith("\n") else "")


@dataclass(frozen=True)
class Placeholder:
    name: str
    argument: str | None
    line: int


def placeholders(text: str, first_line: int = 1) -> list[Placeholder]:
    """Placeholders outside code; a line that looks like one but is not known is returned too."""
    found = []
    for number, line, is_code in walk(text, first_line):
        match = None if is_code else PLACEHOLDER.match(line)
        if match:
            found.append(Placeholder(match.group("name"), match.group("argument"), number))
    return found


def replace_placeholders(text: str, render: Callable[[Placeholder], str | None]) -> str:
    """Each placeholder line replaced by `render(placeholder)`; None keeps the line as it is."""
    lines = text.splitlines()
    for placeholder in placeholders(text):
        made = render(placeholder)
        if made is not None:
            lines[placeholder.line - 1] = made
    return "\n".join(lines) + ("\n" if text.endswith("\n") else "")
