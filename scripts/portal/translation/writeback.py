"""Putting translated units back into a page's Markdown: only the words change; the front matter's
other fields, ids, link targets, code fences and [[placeholders]] stay exactly as they were."""

from __future__ import annotations

import json
import re

import yaml

from ..content.errors import Problem
from ..content.pages import SourcePage, parse_page
from ..content.translation_units import Unit, split_row, units_by_key
from ..content.yaml_loader import load as yaml_load

FRONT_MATTER_FIELDS = ("title", "description")
WORDING = ("summary", "cost", "step")
UNESCAPED_BAR = re.compile(r"(?<!\\)\|")


def rewrite_units(english: SourcePage, page: SourcePage, file_text: str, texts: dict[str, str],
                  shown: str, po_lines: dict[str, int] | None = None) -> tuple[str, list[Problem]]:
    """The page's new file text with the units in `texts` (key -> words) replaced, and any problems
    (named by `shown`, the translator's file, at the unit's line in it: `po_lines`)."""
    po_lines = po_lines or {}
    lines = file_text.splitlines()
    units = units_by_key(page, english)
    edits: dict[tuple[int, int], list[str]] = {}
    inserted, problems = _insertions(english, page, units, texts, edits, shown, po_lines)
    if problems:
        return "", problems
    blocks: dict[int, dict[str, str]] = {}
    for key, text in texts.items():
        unit = units.get(key)
        if unit is None:
            continue  # placed by _insertions
        if " ".join(unit.text.split()) == " ".join(text.split()):
            continue  # the same words: the file stays byte for byte as it was
        if unit.kind in WORDING:
            blocks.setdefault(unit.start, {})[key] = text
        else:
            span = (unit.start, unit.end)
            current = edits.get(span, lines[unit.start - 1:unit.end])
            edits[span] = _replace(unit, text, current)
    for start, words in blocks.items():
        block_units = [u for u in units.values() if u.start == start and u.kind in WORDING]
        edits[(start, block_units[0].end)] = _block(lines[start - 1:block_units[0].end], block_units, words)
    for (start, end), new in sorted(edits.items(), reverse=True):
        lines[start - 1:end] = new
    text = "\n".join(lines) + "\n"
    again = units_by_key(parse_page(page.display_path, page.lang, page.rel, text), english)
    for key, words in texts.items():
        if key in again and again[key].kind == "cell":
            words = UNESCAPED_BAR.sub(r"\\|", words)
        if key not in again or " ".join(again[key].text.split()) != " ".join(words.split()):
            problems.append(Problem(shown, po_lines.get(key, 1), f"unit {page.rel}#{key}",
                                    "this translation would change the page's structure (for example a line starting "
                                    "with '-', '#' or '|'); write it as one plain paragraph of text"))
    if set(again) != set(units) | inserted:
        problems.append(Problem(shown, 1, f"page {page.rel}", "the import would change the page's structure; check the "
                                "units listed above"))
    return text, problems


def _insertions(english: SourcePage, page: SourcePage, units: dict[str, Unit], texts: dict[str, str],
                edits: dict, shown: str, po_lines: dict[str, int]) -> tuple[set[str], list[Problem]]:
    """Paragraphs and list items the English has and the translation has not yet (the English
    gained a part): each goes after the part before it, in the English order."""
    english_units = units_by_key(english)
    order = list(english_units)
    placed: dict[str, Unit] = dict(units)
    new_keys, problems = set(), []
    for key in [k for k in order if k in texts and k not in units]:
        source = english_units[key]
        before = next((placed[k] for k in reversed(order[:order.index(key)]) if k in placed), None)
        if source.kind not in ("paragraph", "item") or before is None:
            problems.append(Problem(shown, po_lines.get(key, 1), f"unit {page.rel}#{key}",
                                    f"docs/{page.lang}/{page.rel} has no {source.kind} here yet (the English page has "
                                    "gained a part); add it to the translated page, in English as a stand-in, then "
                                    "import again"))
            continue
        lead = before.lead if source.kind == "item" and before.kind == "item" else source.lead
        words = texts[key].split("\n")
        lines = [lead + words[0].strip()] + [" " * len(lead) + w.strip() for w in words[1:]]
        if not (source.kind == "item" and before.kind == "item"):
            lines = [""] + lines
        edits.setdefault((before.end + 1, before.end), []).extend(lines)
        placed[key] = Unit(key, source.kind, texts[key], source.section, source.heading,
                           start=before.start, end=before.end, lead=lead)
        new_keys.add(key)
    return new_keys, problems


def _replace(unit: Unit, text: str, current: list[str]) -> list[str]:
    if unit.kind in FRONT_MATTER_FIELDS:
        return [f"{unit.kind}: {json.dumps(text, ensure_ascii=False)}"]
    if unit.kind == "cell":
        row = current[0]
        indent = row[: len(row) - len(row.lstrip())]
        cells = split_row(row)
        cells[unit.column] = " " + UNESCAPED_BAR.sub(r"\\|", text) + " "  # a | in the words is not a border
        return [f"{indent}|{'|'.join(cells)}|"]
    words = text.split("\n")
    indent = " " * len(unit.lead) if unit.kind == "item" else unit.lead
    return [unit.lead + words[0].strip() + (unit.tail if len(words) == 1 else "")] + [
        indent + w.strip() + (unit.tail if n == len(words) - 1 else "") for n, w in enumerate(words[1:], 1)]


def _block(current: list[str], units: list[Unit], words: dict[str, str]) -> list[str]:
    """An entitlement block with its words replaced, line by line where each value is one line
    (the usual case, so the diff is the changed line); rebuilt from its YAML otherwise."""
    lines = list(current)
    body = lines[1:-1]
    step_lines = [i for i, line in enumerate(body) if re.match(r"^\s+-\s", line)]
    one_line_each = all(re.match(r"^(\w+:|\s+-\s)", line) or not line.strip() for line in body)
    data = yaml_load("\n".join(body)) or {}
    if one_line_each and len(step_lines) == len(data.get("steps") or []):
        for unit in units:
            text = words.get(unit.key)
            if text is None:
                continue
            quoted = json.dumps(text, ensure_ascii=False)
            if unit.kind == "step":
                at = step_lines[int(unit.key.rsplit("step", 1)[1]) - 1]
                body[at] = body[at][: body[at].index("-") + 2] + quoted
            else:
                at = next(i for i, line in enumerate(body) if line.startswith(f"{unit.kind}:"))
                body[at] = f"{unit.kind}: {quoted}"
        return [lines[0], *body, lines[-1]]
    return _rebuilt_block(current, units, words)


def _rebuilt_block(current: list[str], units: list[Unit], words: dict[str, str]) -> list[str]:
    """An entitlement block with its words replaced; its other lines (none, in a translation) kept."""
    fence, closing = current[0], current[-1]
    data = yaml_load("\n".join(current[1:-1])) or {}
    steps = list(data.get("steps") or [])
    for unit in units:
        text = words.get(unit.key)
        if text is None:
            continue
        if unit.kind == "step":
            steps[int(unit.key.rsplit("step", 1)[1]) - 1] = text
        else:
            data[unit.kind] = text
    if steps:
        data["steps"] = steps
    out = [fence]
    for name, value in data.items():
        if name in ("summary", "cost"):
            out.append(f"{name}: {json.dumps(value, ensure_ascii=False)}")
        elif name == "steps":
            out.append("steps:")
            out += [f"  - {json.dumps(str(step), ensure_ascii=False)}" for step in value]
        else:
            out.append(yaml.safe_dump({name: value}, allow_unicode=True, default_flow_style=None).rstrip())
    return out + [closing]
