"""Speech text kept between builds in .cache/speech/.

Checking that a page's clip is current needs the page's speech text, and making it renders the
page's Markdown a second time: on a no-change build that cost more than anything else the portal
adds. The text depends on the pages (an English page lends its facts and contacts to its
translations), the settings, the interface words, the pronunciations, which recordings exist and
this package's code, so one fingerprint of all of them keys the whole file: any change to any of
them makes every text again, exactly as a build without the cache would.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from ..content.files import atomic_write


class SpeechTexts:
    """(language, page) -> its speech (text, or its sections as JSON), for one fingerprint of the inputs."""

    def __init__(self, folder: Path | None, fingerprint: str):
        self.folder = folder
        self.fingerprint = fingerprint
        self.texts: dict[str, object] = {}
        self.changed = False
        if folder is not None:
            try:
                self.texts = json.loads((folder / f"{fingerprint}.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.texts = {}  # none yet, or damaged: make the texts again

    def get(self, lang: str, rel: str, make: Callable[[], object]) -> object:
        key = f"{lang}/{rel}"
        if key not in self.texts:
            self.texts[key] = make()
            self.changed = True
        return self.texts[key]

    def save(self) -> None:
        """Keep only this fingerprint's file: older ones can never match again."""
        if self.folder is None or not self.changed:
            return
        atomic_write(self.folder / f"{self.fingerprint}.json",
                     json.dumps(self.texts, ensure_ascii=False, sort_keys=True).encode("utf-8"))
        for old in self.folder.glob("*.json"):
            if old.name != f"{self.fingerprint}.json":
                old.unlink(missing_ok=True)
        self.changed = False
