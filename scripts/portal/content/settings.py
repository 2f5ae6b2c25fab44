"""The portal's settings, read from mkdocs.yml as plain YAML so the core needs no MkDocs."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import languages
from .errors import PortalError
from .yaml_loader import read_yaml


class _TolerantLoader(yaml.SafeLoader):
    """mkdocs.yml may carry !!python/name and !ENV tags that only MkDocs resolves."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


CONTACT_GROUPS = ("local", "help-now")


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


@dataclass
class Site:
    root: Path
    docs_dir: Path
    language_codes: list[str]
    teams: list[str]
    audiences: list[str]
    contacts: list[Contact]
    review_warning_days: int = 30
    review_grace_days: int = 30
    site_url: str = ""
    audio_settings: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)

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


def load_site(root: Path, config_file: str = "mkdocs.yml") -> Site:
    root = root.resolve()
    config = read_yaml(root / config_file, root, _TolerantLoader)
    extra = config.get("extra") or {}
    portal = extra.get("portal") or {}
    codes = _language_codes(config)
    unknown = [c for c in codes if c not in languages.BY_CODE]
    if unknown:
        raise PortalError(
            f"{config_file}: plugins.i18n.languages: {', '.join(unknown)} not known to "
            "scripts/portal/languages.py; add the language there first"
        )
    return Site(
        root=root,
        docs_dir=root / config.get("docs_dir", "docs"),
        language_codes=codes,
        teams=list(portal.get("teams") or []),
        audiences=list(portal.get("audiences") or []),
        contacts=load_contacts(extra.get("contacts"), config_file),
        review_warning_days=int(portal.get("review_warning_days", 30)),
        review_grace_days=int(portal.get("review_grace_days", 30)),
        site_url=config.get("site_url") or "",
        audio_settings=dict(portal.get("audio") or {}),
        extra=extra,
    )


def _language_codes(config: dict) -> list[str]:
    """Default language first, then the others in mkdocs.yml order."""
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and "i18n" in plugin:
            entries = plugin["i18n"].get("languages") or []
            default = [e["locale"] for e in entries if e.get("default")]
            others = [e["locale"] for e in entries if not e.get("default") and e.get("build", True)]
            return default + others
    return [languages.DEFAULT.code]


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
