"""Where generated clips live between deploys: outside git, in the published site itself.

A clip is named by its key (a hash of its text, language, engine and voice), so a clip a deploy
needs has the same name as the one the last deploy published. The site carries every clip its
pages are joined from under audio/ and a list of them, audio/store.json: the next deploy reads
that list and fetches by name what it needs, and asks a speech service only for sections whose
key is new. Why the site: it is durable (unlike a cache evicted after 7 days unused), it needs
no credentials (the clips are public anyway), and it works for a repository that staff edit only
in the browser. A first deploy, or one after the site is lost, finds an empty store: it makes what
its budget allows and the next deploy improves on it.

A store is named by an address: https://... (the published site), a folder (the last deployment's
site/, as the tests and a local rehearsal use), or nothing. Fetching never fails a run: a clip the
store cannot give is made as if there were no store."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from urllib.parse import urljoin

from .lock import CLIP_NAME, PUBLISHED, published_path
from .synthesis_error import SynthesisError

MANIFEST = f"{PUBLISHED}/store.json"
MAX_CLIP_BYTES = 40_000_000  # a recording's limit: no clip the portal makes is larger
TIMEOUT = 20  # seconds for one clip; the store is a static host


class ClipStore:
    """No store: every clip is made."""

    address = ""

    def names(self) -> frozenset[str]:
        return frozenset()

    def fetch(self, name: str) -> bytes | None:
        return None

    def __bool__(self) -> bool:
        return bool(self.address)


class FolderStore(ClipStore):
    """A published site in a folder: the last deployment's site/."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.address = str(folder)
        self._names: frozenset[str] | None = None

    def names(self) -> frozenset[str]:
        if self._names is None:
            self._names = _listed(self._read(MANIFEST))
        return self._names

    def fetch(self, name: str) -> bytes | None:
        if name not in self.names():
            return None
        return self._read(published_path(name), MAX_CLIP_BYTES)

    def _read(self, path: str, limit: int = 5_000_000) -> bytes | None:
        file = self.folder / path
        try:
            if file.is_symlink() or not file.is_file() or file.stat().st_size > limit:
                return None
            return file.read_bytes()
        except OSError:
            return None


class SiteStore(ClipStore):
    """The published site on the web, read over HTTPS with verified certificates."""

    def __init__(self, address: str, session=None):
        self.address = address if address.endswith("/") else address + "/"
        self._session = session
        self._names: frozenset[str] | None = None
        self._guard = threading.Lock()

    def names(self) -> frozenset[str]:
        with self._guard:
            if self._names is None:
                self._names = _listed(self._get(MANIFEST, 5_000_000))
            return self._names

    def fetch(self, name: str) -> bytes | None:
        return self._get(published_path(name), MAX_CLIP_BYTES) if name in self.names() else None

    def _get(self, path: str, limit: int) -> bytes | None:
        import requests

        session = self._session or requests
        try:
            with session.get(urljoin(self.address, path), timeout=TIMEOUT, stream=True) as answer:
                if answer.status_code != 200:
                    return None
                data = answer.raw.read(limit + 1, decode_content=True)
                return data if len(data) <= limit else None
        except (requests.RequestException, OSError):
            return None  # unreachable or refused: the clip is made as if there were no store


def _listed(data: bytes | None) -> frozenset[str]:
    try:
        names = json.loads(data or b"{}").get("clips", [])
    except (ValueError, AttributeError):
        return frozenset()
    return frozenset(name for name in names if isinstance(name, str) and CLIP_NAME.fullmatch(name))


def store_at(address: str | None) -> ClipStore:
    address = (address or "").strip()
    if not address:
        return ClipStore()
    if address.startswith(("https://", "http://")):
        return SiteStore(address)
    return FolderStore(Path(address))


def manifest(names) -> bytes:
    return (json.dumps({"clips": sorted(names)}, indent=0) + "\n").encode("utf-8")


class Budget:
    """How many clips a run may ask a speech service on the network for: a deploy's requests are
    bounded by what changed and by a hard cap, so a new site cannot ask for thousands at once."""

    def __init__(self, clips: int | None):
        self.left = clips
        self.spent = 0
        self._guard = threading.Lock()

    def spend(self) -> None:
        with self._guard:
            if self.left is not None and self.left <= 0:
                raise SynthesisError("this run's budget of requests is spent; the next deploy makes it")
            if self.left is not None:
                self.left -= 1
            self.spent += 1
