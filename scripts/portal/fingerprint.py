"""One fingerprint of everything a build reads: the pages in every language, the settings and
contacts, the entitlement registry, which recordings exist, and this package's own code and data.

What a build makes from all of them together (every page's speech text, every booklet) is kept
under it between builds: any change to any input makes all of it again, exactly as a build without
the cache would, and an unchanged site costs one pass of hashing.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def package_fingerprint() -> str:
    """Of this package's own code and data (read once per process: a build does not change them)."""
    digest = hashlib.sha256()
    for path in sorted([*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.yml"), *PACKAGE.rglob("*.json"),
                        *PACKAGE.rglob("*.txt"), *PACKAGE.rglob("*.js")]):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def inputs_fingerprint(content) -> str:
    digest = hashlib.sha256(package_fingerprint().encode())
    site = content.site
    settings = [site.language_codes, site.contacts, site.extra, site.settings, site.site_url]
    digest.update(json.dumps(settings, default=repr, sort_keys=True).encode("utf-8"))
    digest.update(site.entitlements_file.read_bytes() if site.entitlements_file.is_file() else b"-")
    recordings = site.audio_dir / "recordings"
    for path in sorted(recordings.rglob("*")) if recordings.is_dir() else []:
        digest.update(path.relative_to(recordings).as_posix().encode() + str(path.stat().st_size).encode())
    for lang in sorted(content.pages):
        for rel, page in sorted(content.pages[lang].items()):
            material = json.dumps([lang, rel, page.meta, page.body], default=str, sort_keys=True)
            digest.update(material.encode("utf-8"))
    return digest.hexdigest()[:32]
