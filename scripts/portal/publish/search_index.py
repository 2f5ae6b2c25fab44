"""One search index per language, so a reader searching in Arabic gets Arabic pages only.

mkdocs-static-i18n merges every language into one index at the site root and drops
entries of untranslated pages; each language gets its own index at <lang>/search/,
with its translated pages and the English text of pages not yet translated.
"""

from __future__ import annotations

import copy

from ..content import languages as registry

# Words end at spaces and at Arabic-script and Ethiopic punctuation as well as Latin.
SEPARATOR = r"[\s\-.,:;!?()\"'،؛؟፡።]+"


def page_url(location: str) -> str:
    return location.split("#", 1)[0]


def language_of(location: str, languages: list[str], default: str) -> str:
    head = location.split("/", 1)[0]
    return head if head in languages and head != default else default


def split_index(index: dict, languages: list[str], default: str, translated: dict[str, set[str]]) -> dict[str, dict]:
    """`translated[lang]` holds the page URLs (e.g. "offer/travel/") that lang has its own text for."""
    by_lang: dict[str, list[dict]] = {lang: [] for lang in languages}
    for doc in index.get("docs", []):
        lang = language_of(doc["location"], languages, default)
        entry = dict(doc)
        if lang != default:
            entry["location"] = doc["location"][len(lang) + 1:]
        by_lang[lang].append(entry)
    result = {}
    for lang in languages:
        docs = by_lang[lang]
        if lang != default:
            docs = [d for d in docs if page_url(d["location"]) in translated.get(lang, set())]
            docs += [d for d in by_lang[default] if page_url(d["location"]) not in translated.get(lang, set())]
        config = copy.deepcopy(index.get("config", {}))
        config["lang"] = [registry.BY_CODE[lang].lunr or "en"] if lang in registry.BY_CODE else ["en"]
        config["separator"] = SEPARATOR
        config["pipeline"] = ["stopWordFilter"] if lang == default else []
        result[lang] = {"config": config, "docs": docs}
    return result


def write(build) -> None:
    """Split the index mkdocs-static-i18n merged at search/ into one per language."""
    import json

    from ..content.pages import page_url as source_url

    index_path = build.site_dir / "search" / "search_index.json"
    if not index_path.exists():
        return
    index = json.loads(index_path.read_text(encoding="utf-8"))
    translated = {lang: {source_url(rel) for rel in pages} for lang, pages in build.content.pages.items()}
    codes, default = build.site.language_codes, build.site.default_language
    for lang, own in split_index(index, codes, default, translated).items():
        target = index_path if lang == default else build.site_dir / lang / "search" / "search_index.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(own, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
