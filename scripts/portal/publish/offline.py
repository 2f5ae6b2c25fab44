"""Offline use: site/sw.js (the service worker), site/offline-manifest.json and an offline page per language.

The manifest names every file a language needs, with a content hash and the bytes it costs to
download (compressed as a host serves it), so that "Save this language" can say how much it
downloads and a new deploy can tell which kept files changed. The worker itself is sw.js beside
this module, with the build's settings put in; its version is the hash of the manifest's files,
so any changed file makes browsers install a new worker, which replaces what changed.

`extra.portal.offline: false` in mkdocs.yml turns it off: sw.js then removes the portal's caches
and itself from browsers that had it, and pages show no "Save" control.
"""

from __future__ import annotations

import gzip
import hashlib
import html as html_escape
import json
import os
import re
from pathlib import Path
from posixpath import normpath
from urllib.parse import urlsplit

from ..audio.lock import CLIP_NAME, PUBLISHED
from ..content import languages, ui_strings
from ..content.files import atomic_write
from ..render.html import AddressResolver, root_path
from . import headers, page_file, site_path
from .finished import page_addresses

MANIFEST = "offline-manifest.json"
WORKER = "sw.js"
HASH_LENGTH = 16
COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")
# Filled in by this writer: the template cannot know the sizes until every page is written.
PAGES_SIZE = "%%PORTAL_OFFLINE_SIZE%%"
AUDIO_SIZE = "%%PORTAL_OFFLINE_AUDIO_SIZE%%"
AUDIO_BYTES = "%%PORTAL_OFFLINE_AUDIO_BYTES%%"
PLACEHOLDER = re.compile(rb"%%PORTAL_OFFLINE_(?:SIZE|AUDIO_SIZE|AUDIO_BYTES)%%")  # one pass over a page for all three

SWITCHED_OFF = """// Offline use is switched off (extra.portal.offline: false in mkdocs.yml). Browsers that installed
// the portal's worker before fetch this one: it deletes the portal's caches and unregisters itself.
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name.startsWith("portal-")) await caches.delete(name);
    await self.registration.unregister();
  })());
});
"""


def enabled(site) -> bool:
    return site.settings.offline  # MkDocs has checked that it is true or false


def human_size(count: int) -> str:
    return f"{count / 1_000_000:.1f} MB" if count >= 1_000_000 else f"{max(1, round(count / 1000))} KB"


def references(html: str | None, url: str, site_dir: Path, known: set[str] | None = None,
               resolved: dict | None = None, addresses: list[str] | None = None) -> list[str]:
    """The site files a page loads, as paths from the site root. `known`: every file in the site,
    when the caller has listed them once (a page loads about a hundred; asking the disk for each is
    slow). `resolved`: addresses already resolved for other pages, by folder (pages in one folder
    load the same stylesheets and scripts by the same relative addresses). `addresses`:
    page_addresses(html), when the build noted them (then `html` is not read)."""
    resolve = AddressResolver("https://site.invalid/" + url)
    folder = url.rsplit("/", 1)[0]
    up = root_path(url)
    resolved = {} if resolved is None else resolved
    found = []
    for address in page_addresses(html) if addresses is None else addresses:
        key = (folder, address)
        if key in resolved:
            pass
        elif address.startswith(up) and _from_root(address[len(up):]):
            resolved[key] = address[len(up):]  # "../../assets/x.css" from two folders down: assets/x.css
        else:
            target = urlsplit(resolve(html_escape.unescape(address)))
            resolved[key] = normpath(target.path).lstrip("/") if target.netloc == "site.invalid" else None
        path = resolved[key]
        if path is not None and ((path in known) if known is not None else (site_dir / path).is_file()):
            found.append(path)
    return found


def _from_root(path: str) -> bool:
    """Whether `path` is already a site path: no dot segment, query, fragment, scheme, backslash,
    character reference, doubled or trailing slash, so resolving it would not change it."""
    wrapped = f"/{path}/"
    return bool(path) and not path.endswith("/") and not path.startswith("/") and "//" not in path and \
        "/./" not in wrapped and "/../" not in wrapped and not any(mark in path for mark in "?#:&\\")


def site_files(site_dir: Path) -> set[str]:
    """Every file in the site, as a path from its root."""
    found = set()
    for folder, _, names in os.walk(site_dir):
        prefix = Path(folder).relative_to(site_dir).as_posix() + "/"
        found.update((prefix + name).removeprefix("./") for name in names)
    return found


class FileFacts:
    """Each file's content hash and compressed size, and each page's bytes, read once per build.

    Files are named by their path from the site root. A page read for its sizes is kept in memory,
    and a page rewritten with its sizes is hashed from what was written. Compressed sizes are also
    kept in .cache/ under the content hash, since compressing every page is the slow part and an
    unchanged page is byte-for-byte the same file."""

    def __init__(self, site_dir: Path, cache_file: Path | None = None):
        self.root = str(site_dir)
        self.cache_file = cache_file
        self.sizes: dict[str, int] = {}
        if cache_file is not None:
            try:
                self.sizes = {str(k): int(v) for k, v in json.loads(cache_file.read_text(encoding="utf-8")).items()}
            except (OSError, ValueError, TypeError, AttributeError):
                self.sizes = {}
        self.used: dict[str, int] = {}
        self.read: dict[str, bytes] = {}  # pages' bytes, as last read or written in this build
        self.facts: dict[str, tuple[str, int]] = {}
        self.resolved: dict[tuple[str, str], str | None] = {}  # see references()

    def path(self, rel: str) -> str:
        return os.path.join(self.root, rel)

    def data(self, rel: str) -> bytes:
        if rel not in self.read:
            with open(self.path(rel), "rb") as file:
                self.read[rel] = file.read()
        return self.read[rel]

    def text(self, rel: str) -> str:
        return self.data(rel).decode("utf-8")

    def rewrite(self, rel: str, data: bytes) -> None:
        with open(self.path(rel), "wb") as file:
            file.write(data)
        self.read[rel] = data
        self.facts.pop(rel, None)

    def hash_and_size(self, rel: str) -> tuple[str, int]:
        if rel in self.facts:  # nothing in a build changes a file after it is measured but rewrite()
            return self.facts[rel]
        folder, _, name = rel.partition("/")
        if folder == PUBLISHED and CLIP_NAME.fullmatch(name):
            # A clip's name is the key of what it says (audio/lock.py): a published name never holds
            # other words, so the name is its version. Hashing 150 MB of clips took half this writer's time.
            self.facts[rel] = (hashlib.sha256(rel.encode("utf-8")).hexdigest()[:HASH_LENGTH],
                               os.stat(self.path(rel)).st_size)
            return self.facts[rel]
        if rel in self.read:
            data = self.read[rel]
        else:
            with open(self.path(rel), "rb") as file:
                data = file.read()
        digest = hashlib.sha256(data).hexdigest()
        if not rel.endswith(COMPRESSED):
            size = len(data)
        else:
            size = self.sizes.get(digest)
            if size is None:
                size = len(gzip.compress(data, compresslevel=6))
            self.used[digest] = size
        self.facts[rel] = (digest[:HASH_LENGTH], size)
        return self.facts[rel]

    def download_bytes(self, rel: str) -> int:
        return self.hash_and_size(rel)[1]

    def save(self) -> None:
        if self.cache_file is not None:
            atomic_write(self.cache_file, json.dumps(self.used, sort_keys=True).encode("utf-8"))


def language_root(lang: str) -> str:
    return "" if lang == languages.DEFAULT.code else f"{lang}/"


def offline_page(lang: str, site_name: str, stylesheets: list[str]) -> str:
    """The page shown for a page that was not kept, in the reader's language; no script."""
    language = languages.get(lang)
    words = ui_strings.strings(lang)
    up = "../" if language_root(lang) else ""
    escape = html_escape.escape
    links = "".join(f'\n    <link rel="stylesheet" href="{up}{escape(sheet)}">' for sheet in stylesheets)
    return f"""<!doctype html>
<html lang="{language.tag}" dir="{language.direction}">
  <head>
    <meta charset="utf-8">
    <meta http-equiv="Content-Security-Policy" content="{headers.policy([])}">
    <meta name="referrer" content="{headers.REFERRER_POLICY}">
    <meta name="viewport" content="width=device-width,initial-scale=1">
    <meta name="robots" content="noindex">
    <title>{escape(words["offline_title"])} - {escape(site_name)}</title>{links}
  </head>
  <body dir="{language.direction}">
    <main class="md-main portal-offline-page">
      <div class="md-content md-typeset">
        <h1>{escape(words["offline_title"])}</h1>
        <p>{escape(words["offline_body"])}</p>
        <p><a href="./">{escape(words["offline_home"])}</a></p>
      </div>
    </main>
  </body>
</html>
"""


def language_files(build, lang: str, common: set[str], known: set[str] | None = None,
                   facts: FileFacts | None = None) -> tuple[list[str], list[str], list[str]]:
    """(pages, other files, clips) of one language: what "Save this language" keeps."""
    site_dir = build.site_dir
    facts = facts or FileFacts(site_dir)
    known = site_files(site_dir) if known is None else known
    pages, assets, audio = [], set(common), set()
    noted = getattr(build, "page_addresses", {})
    for page in (p for p in build.pages if p.lang == lang):
        if site_path(page.url) not in known:
            continue
        pages.append(page.url)
        addresses = noted.get(page.url)
        text = facts.text(site_path(page.url)) if addresses is None else None
        for path in references(text, page.url, site_dir, known, facts.resolved, addresses):
            (audio if path.endswith(".mp3") else assets).add(path)
    # Short links (/go/bus/) redirect to a page: kept too, so a poster's QR code works offline.
    for short in sorted((site_dir / language_root(lang) / "go").glob("*/index.html")):
        pages.append(short.parent.relative_to(site_dir).as_posix() + "/")
    index = language_root(lang) + "search/search_index.json"
    if index in known:
        assets.add(index)
    return sorted(set(pages)), sorted(assets), sorted(audio)


def fill_in_sizes(site_dir: Path, plan: dict, facts: FileFacts | None = None) -> dict[str, tuple[int, int]]:
    """Each language's download (pages and files, clips), written into its pages' save control.
    Sizes first, then the pages carry them, then the hashes are taken of the final files."""
    facts = facts or FileFacts(site_dir)
    sizes = {}
    for lang, (pages, assets, audio) in plan.items():
        size = sum(facts.download_bytes(site_path(url)) for url in pages) + \
            sum(facts.download_bytes(path) for path in assets)
        sizes[lang] = (size, sum(os.stat(facts.path(path)).st_size for path in audio))
        values = {PAGES_SIZE.encode(): human_size(sizes[lang][0]).encode(),
                  AUDIO_SIZE.encode(): human_size(sizes[lang][1]).encode(),
                  AUDIO_BYTES.encode(): b"%d" % sizes[lang][1]}
        for url in pages:
            data = facts.data(site_path(url))
            if PAGES_SIZE.encode() in data:
                facts.rewrite(site_path(url), PLACEHOLDER.sub(lambda match: values[match.group(0)], data))
    return sizes


def write(build) -> None:
    site_dir = build.site_dir
    if not enabled(build.site):
        (site_dir / WORKER).write_text(SWITCHED_OFF, encoding="utf-8")
        (site_dir / MANIFEST).unlink(missing_ok=True)
        return
    codes = [code for code in build.site.language_codes if any(page.lang == code for page in build.pages)]
    home = page_file(site_dir, "").read_text(encoding="utf-8")
    loaded = references(home, "", site_dir)
    stylesheets = [path for path in loaded if path.endswith(".css")]
    # Installed with the worker: what every page shows. Material's script is kept once it is used (or saved).
    shell = [path for path in loaded if path.endswith((".css", ".js")) and "/javascripts/" not in path]
    names = {page.lang: page.site_name for page in build.pages if page.url == language_root(page.lang)}
    for lang in codes:
        path = site_dir / language_root(lang) / "offline.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(offline_page(lang, names.get(lang, build.site_name), stylesheets), encoding="utf-8")
    offline_pages = {lang: language_root(lang) + "offline.html" for lang in codes}
    shell += list(offline_pages.values())
    workers = sorted(p.relative_to(site_dir).as_posix() for p in (site_dir / "assets/javascripts/workers").glob("*.js"))

    known = site_files(site_dir)
    facts = FileFacts(site_dir, build.cache_dir / "offline-sizes.json")
    plan = {lang: language_files(build, lang, set(shell) | set(workers), known, facts) for lang in codes}
    sizes = fill_in_sizes(site_dir, plan, facts)
    languages_entry = {lang: {"pages": pages, "assets": assets, "audio": audio,
                              "bytes": sizes[lang][0], "audio_bytes": sizes[lang][1]}
                       for lang, (pages, assets, audio) in plan.items()}
    stamp(site_dir, {"shell": shell, "offline": offline_pages, "languages": languages_entry}, facts)
    facts.save()


def stamp(site_dir: Path, plan: dict | None = None, facts: FileFacts | None = None) -> str:
    """Hash every file the plan lists as it is now; write the manifest and the worker; return the version.

    The build calls it with its plan; called on a built site (the plan read back from its manifest)
    it re-hashes files changed since, as a deploy that edits a file in place would need."""
    if plan is None:
        plan = json.loads((site_dir / MANIFEST).read_text(encoding="utf-8"))
    facts = facts or FileFacts(site_dir)
    listed = {}
    for entry in plan["languages"].values():
        for path in [*entry["pages"], *entry["assets"], *entry["audio"]]:
            if path not in listed:  # a file every language loads is read once
                listed[path] = list(facts.hash_and_size(site_path(path)))
    listed = dict(sorted(listed.items()))
    version = hashlib.sha256(json.dumps(listed, sort_keys=True).encode("utf-8")).hexdigest()[:HASH_LENGTH]
    manifest = {"version": version, "shell": plan["shell"], "offline": plan["offline"], "files": listed,
                "languages": plan["languages"]}
    (site_dir / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    config = {"version": version, "languages": list(plan["languages"]), "default": languages.DEFAULT.code,
              "shell": plan["shell"], "offline": plan["offline"], "manifest": MANIFEST, "hashLength": HASH_LENGTH}
    worker = Path(__file__).with_name("sw.js").read_text(encoding="utf-8")
    (site_dir / WORKER).write_text(worker.replace("__PORTAL_CONFIG__", json.dumps(config, ensure_ascii=False)),
                                   encoding="utf-8")
    return version
