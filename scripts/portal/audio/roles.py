"""Who recorded a page: audio/recordings/roles.yml, `<lang>/<page>.mp3: <role>`, a role, never a
person's name. Read by the generator (checked before anything is made) and by the published audio
(the player's label)."""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from ..content.errors import PortalError
from ..content.files import read_text, refuse_unsafe_file
from ..content.yaml_loader import load as yaml_load
from ..content.yaml_loader import yaml_problem

ROLES = ("personal-adviser", "care-leaver", "staff", "person")  # who may record a page; see CONTRIBUTING


def role_key(lang: str, rel: str, ident: str | None = None) -> str:
    """A recording's line in roles.yml: `ps/offer/travel.mp3` (the page) or `ps/offer/travel/intro.mp3`
    (a section, audio/recordings.py)."""
    stem = f"{lang}/{rel[: -len('.md')]}"
    return f"{stem}.mp3" if ident is None else f"{stem}/{ident}.mp3"


def read_roles(path: Path, root: Path) -> dict[str, str]:
    """`<lang>/<page>.mp3: <role>` lines; an unknown role is an error naming its line and the roles."""
    if not os.path.lexists(path):
        return {}
    refuse_unsafe_file(path, root)
    shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    text = read_text(path, root)
    try:
        data = yaml_load(text) or {}
    except yaml.YAMLError as error:
        line, message = yaml_problem(error, fix="write one `<language>/<page>.mp3: <role>` line for each recording")
        raise PortalError(f"{shown}:{line}: roles: {message}") from None
    if not isinstance(data, dict):
        raise PortalError(f"{shown}:1: roles: write one `<language>/<page>.mp3: <role>` line for each recording")
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        key, _, value = line.partition(":")
        if key.strip() in data and data[key.strip()] not in ROLES:
            problems.append(f"{shown}:{number}: {key.strip()}: {value.strip()!r} is not a role; "
                            f"use one of {', '.join(ROLES)}")
    if problems:
        raise PortalError("\n".join(problems))
    return {str(key): str(value) for key, value in data.items()}
