"""Reading audio/lock.json: page and language -> text hash, engine, clip, duration, bytes.
A damaged lock is reported by name and line, never as a traceback.

Keys: `<lang>/<page>` for a page's clip, `<lang>/<page>#<entitlement id>` for an entitlement's.
A page's clip made of section clips lists them in `parts`: its own `clip` is not committed but
joined from them when the site is published."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

CLIP_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}\.mp3")  # a lock entry never names a file outside audio/clips/
# Where a build publishes the clips inside the site (site/audio/<clip>.mp3): the clips writer puts them
# there; the pages, the open data, the offline manifest and the next deploy's store find them there.
PUBLISHED = "audio"


def published_path(clip: str) -> str:
    """A clip's address from the site root."""
    return f"{PUBLISHED}/{clip}"


@dataclass
class Entry:
    page: str
    lang: str
    text_hash: str
    engine: str
    clip: str
    duration: float
    bytes: int
    provisional: bool
    parts: list[str] = field(default_factory=list)  # the section clips joined into `clip`, in order
    # Who speaks each part, where a person recorded some sections: "recording" or the engine's name.
    voices: list[str] = field(default_factory=list)


class LockDamaged(Exception):
    def __init__(self, line: int, reason: str):
        super().__init__(reason)
        self.line, self.reason = line, reason


ENTRY_TYPES = {"page": str, "lang": str, "text_hash": str, "engine": str, "clip": str, "duration": (int, float),
               "bytes": int, "provisional": bool}
OPTIONAL_TYPES = {"parts": list, "voices": list}


def parse_lock(text: str) -> dict[str, Entry]:
    """lock.json's entries, or LockDamaged saying where and why."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise LockDamaged(error.lineno, f"not valid JSON: {error.msg}") from None
    if not isinstance(data, dict):
        raise LockDamaged(1, "it must be one JSON object of page entries")
    entries = {}
    for key, value in data.items():
        problem = _problem_at(text, key)
        if not isinstance(value, dict):
            raise problem(f"the entry {key!r} is not an object")
        missing = [name for name in ENTRY_TYPES if name not in value]
        extra = [name for name in value if name not in ENTRY_TYPES and name not in OPTIONAL_TYPES]
        wrong = [name for name, kind in {**ENTRY_TYPES, **OPTIONAL_TYPES}.items() if name in value and
                 (not isinstance(value[name], kind) or (kind is int and isinstance(value[name], bool)))]
        if missing or extra or wrong:
            what = "; ".join(filter(None, [missing and "missing " + ", ".join(missing),
                                           extra and "unknown " + ", ".join(extra),
                                           wrong and "wrong type of " + ", ".join(wrong)]))
            raise problem(f"the entry {key!r}: {what}")
        if not CLIP_NAME.fullmatch(value["clip"]):
            raise problem(f"the entry {key!r} names {value['clip']!r}, which is not a clip in audio/clips/")
        bad_parts = [part for part in value.get("parts", [])
                     if not isinstance(part, str) or not CLIP_NAME.fullmatch(part)]
        if bad_parts:
            raise problem(f"the entry {key!r} joins {bad_parts[0]!r}, which is not a clip in audio/clips/")
        entries[key] = Entry(**value)
    return entries


def _problem_at(text: str, key: str):
    """LockDamaged at the entry's line: found only for an entry that is wrong, since searching the
    text for every key made reading a large lock quadratic."""
    return lambda message: LockDamaged(_line_of_key(text, key), message)


def _line_of_key(text: str, key: str) -> int:
    offset = text.find(json.dumps(key, ensure_ascii=False) + ":")
    if offset < 0:
        offset = text.find(json.dumps(key) + ":")
    return text.count("\n", 0, offset) + 1 if offset >= 0 else 1


