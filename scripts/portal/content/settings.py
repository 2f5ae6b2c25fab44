"""The portal's settings as one frozen object, built from what MkDocs validated (`plugins: -
portal:` in mkdocs.yml, with !ENV resolved): the core needs no MkDocs and reads no mkdocs.yml
itself. `portal.configuration` loads them for the command line; the plugin builds them from its
own configuration."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from . import languages
from .errors import PortalError

CONFIG_FILE = "mkdocs.yml"
SETTINGS_KEY = "plugins.portal"  # where staff find the settings in mkdocs.yml, for messages


@dataclass(frozen=True)
class Settings:
    """`plugins: - portal:` in mkdocs.yml; the plugin's config_options give the types and defaults."""

    teams: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()
    review_warning_days: int = 30
    review_grace_days: int = 30
    reading_ease_min: float = 60
    sentence_words_max: int = 25
    short_links: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    audio: Mapping = field(default_factory=lambda: MappingProxyType({}))
    offline: bool = True

    @classmethod
    def from_mapping(cls, values: Mapping) -> Settings:
        known = {f.name for f in dataclasses.fields(cls)}
        given = {k: v for k, v in values.items() if k in known}
        for name in ("teams", "audiences"):
            if name in given:
                given[name] = tuple(given[name] or ())
        for name in ("short_links", "audio"):
            if name in given:
                given[name] = MappingProxyType(dict(given[name] or {}))
        return cls(**given)


CONTACT_GROUPS = ("local", "help-now")
# The words of a contact a translator translates, in this order on the page.
CONTACT_WORDS = ("name", "hours", "cost", "note", "instead")


@dataclass
class Contact:
    id: str
    name: str
    phone: str | None = None
    email: str | None = None
    url: str | None = None
    hours: str | None = None
    cost: str | None = None  # what it costs to call or text, such as 'Free to call.'
    note: str | None = None
    group: str = "local"  # local: [[contacts]]; help-now: [[contacts: help-now]]
    confirmed: bool = True  # False blocks a release until the service confirms the number
    instead: str | None = None  # what to do until it is confirmed


@dataclass(frozen=True)
class Site:
    root: Path
    docs_dir: Path
    language_codes: list[str]
    contacts: list[Contact]
    settings: Settings = field(default_factory=Settings)
    site_url: str = ""
    extra: Mapping = field(default_factory=dict)  # mkdocs.yml's extra: contacts, generator, edit_base
    config_file: str = CONFIG_FILE

    @property
    def teams(self) -> tuple[str, ...]:
        return self.settings.teams

    @property
    def audiences(self) -> tuple[str, ...]:
        return self.settings.audiences

    @property
    def review_warning_days(self) -> int:
        return self.settings.review_warning_days

    @property
    def review_grace_days(self) -> int:
        return self.settings.review_grace_days

    @property
    def audio_settings(self) -> Mapping:
        return self.settings.audio

    @property
    def default_language(self) -> str:
        return self.language_codes[0]

    @property
    def translated_languages(self) -> list[str]:
        return self.language_codes[1:]

    @property
    def entitlements_file(self) -> Path:
        return self.root / "entitlements.yml"

    @property
    def audio_dir(self) -> Path:
        return self.root / "audio"

    def display(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else str(path)


def site_from_config(root: Path, config: Mapping, settings: Mapping, config_file: str = CONFIG_FILE) -> Site:
    """The site from MkDocs' validated configuration (a mapping: docs_dir, site_url, plugins, extra)
    and the portal plugin's validated settings."""
    root = Path(root).resolve()
    extra = dict(config.get("extra") or {})
    codes = language_codes(config.get("plugins"))
    unknown = [c for c in codes if c not in languages.BY_CODE]
    if unknown:
        raise PortalError(
            f"{config_file}: plugins.i18n.languages: {', '.join(unknown)} not known to "
            "scripts/portal/content/languages.py; add the language there first"
        )
    return Site(
        root=root,
        docs_dir=Path(config.get("docs_dir") or root / "docs"),
        language_codes=codes,
        contacts=load_contacts(extra.get("contacts"), config_file),
        settings=Settings.from_mapping(settings),
        site_url=config.get("site_url") or "",
        extra=extra,
        config_file=config_file,
    )


def language_codes(plugins) -> list[str]:
    """Default language first, then the others in mkdocs.yml order, from the i18n plugin's settings."""
    i18n = plugins.get("i18n") if plugins is not None and hasattr(plugins, "get") else None
    entries = getattr(i18n, "config", {}).get("languages") if i18n is not None else None
    if not entries:
        return [languages.DEFAULT.code]
    entries = [dict(e) for e in entries]
    default = [e["locale"] for e in entries if e.get("default")]
    others = [e["locale"] for e in entries if not e.get("default") and e.get("build", True)]
    return default + others


def load_contacts(entries, config_file: str) -> list[Contact]:
    """extra.contacts, every problem in one error that names the contact and the field."""
    known = [f.name for f in dataclasses.fields(Contact)]
    problems, contacts = [], []
    for index, entry in enumerate(entries or []):
        where = f"{config_file}: extra.contacts[{index}]"
        if not isinstance(entry, dict):
            problems.append(f"{where}: must be fields such as 'id:' and 'name:' on indented lines")
            continue
        where = f"{config_file}: extra.contacts ({entry.get('id', index)})"
        bad = [key for key in entry if key not in known]
        for key in bad:
            problems.append(f"{where}: '{key}' is not a contact field; check the spelling. "
                            f"The fields are: {', '.join(known)}")
        for key in ("id", "name"):
            if not entry.get(key):
                problems.append(f"{where}: '{key}' is missing; every contact needs an id and a name")
        if entry.get("group", "local") not in CONTACT_GROUPS:
            problems.append(f"{where}: group '{entry.get('group')}' is not known; use {' or '.join(CONTACT_GROUPS)}")
        if not isinstance(entry.get("confirmed", True), bool):
            problems.append(f"{where}: confirmed must be true or false")
        if entry.get("confirmed", True) is False and not entry.get("instead"):
            problems.append(f"{where}: an unconfirmed contact needs 'instead:', what to do until it is confirmed")
        if not bad:
            contacts.append(Contact(**{k: (str(v) if k not in ("confirmed",) and v is not None else v)
                                       for k, v in entry.items()}))
    if problems:
        raise PortalError("\n".join(problems))
    return contacts
