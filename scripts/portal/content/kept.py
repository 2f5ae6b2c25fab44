"""A value worked out from files, kept in .cache/ as JSON under the hash of what it was worked out from.

For work that every build would otherwise repeat on unchanged files (parsing the translation records'
YAML, validating unchanged entitlement blocks with JSON Schema). The key is the hash of every input,
so a changed input can only miss; a missing or damaged file is a miss too, and the work is done again.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from .files import atomic_write

FOLDER = ".cache"


def key_of(*inputs: bytes | str) -> str:
    digest = hashlib.sha256()
    for part in inputs:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)  # the length first: ("ab", "c") is not ("a", "bc")
    return digest.hexdigest()[:32]


@lru_cache(maxsize=None)
def code_of(module_file: str) -> bytes:
    """A module's source, for a key that must change with the code that works the value out: read once
    a process, however many values it keys."""
    return Path(module_file).read_bytes()


class Kept:
    """One JSON value, at `.cache/<folder>/<name>.json`, valid while its key matches."""

    def __init__(self, root: Path, folder: str, name: str, key: str):
        self.path = Path(root) / FOLDER / folder / f"{name}.json"
        self.key = key

    def get(self):
        """The kept value, or None when there is none for this key."""
        try:
            kept = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return kept.get("value") if isinstance(kept, dict) and kept.get("key") == self.key else None

    def put(self, value) -> None:
        """Kept whole or not at all; a cache that cannot be written is only a slower next build."""
        try:
            atomic_write(self.path, json.dumps({"key": self.key, "value": value}, ensure_ascii=False).encode("utf-8"))
        except OSError:
            pass
