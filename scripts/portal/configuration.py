"""The site's settings for the command line, loaded once through MkDocs' own config loader (so
!ENV, defaults and the portal plugin's typed settings are exactly what a build sees). Beside the
command line, on the top floor: the core below never imports MkDocs.

Before MkDocs reads mkdocs.yml, its YAML is refused if it holds anchors, aliases or a name given
twice: MkDocs' loader would take them, and an alias bomb under `extra` would build gigabytes."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import yaml

from .content.errors import PortalError
from .content.files import display, read_text
from .content.settings import CONFIG_FILE, Site, site_from_config
from .content.yaml_loader import file_error, refuse_anchors_and_repeats

PLUGIN = "portal"


def load_mkdocs_config(root: Path, config_file: str = CONFIG_FILE, **overrides):
    """MkDocs' validated configuration of the project at `root`; PortalError, one line a problem."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    root = Path(root).resolve()
    path = root / config_file
    shown = display(path, root)
    if not path.exists() and not path.is_symlink():
        raise PortalError(f"{shown}:1: file: there is no {config_file} in {root}; run the command in the project "
                          "folder (the one holding mkdocs.yml), or pass --root")
    text = read_text(path, root)  # refuses a symbolic link or a file outside the project
    try:
        # The pure-Python parser: its messages name the line as staff can act on it (and the file is small).
        refuse_anchors_and_repeats(text, yaml.SafeLoader)
    except yaml.YAMLError as error:
        raise file_error(shown, error) from None
    logger = logging.getLogger("mkdocs")
    caught = _Caught()
    level, propagate = logger.level, logger.propagate
    # MkDocs logs each problem with the settings, then raises Abort: catch the lines, say them once.
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    logger.addHandler(caught)
    try:
        config = load_config(str(path), **overrides)
        if caught.lines:  # a misspelt portal setting is only a warning to MkDocs; staff need to fix it
            raise PortalError("\n".join(f"{shown}: {line}{_where_described(line)}" for line in caught.lines))
        return config
    except PortalError:
        raise
    except ConfigurationError as error:
        raise PortalError(f"{shown}: {' '.join(str(error).split())}") from None
    except Exception as error:
        if caught.lines:
            raise PortalError("\n".join(f"{shown}: {line}{_where_described(line)}" for line in caught.lines)) from None
        # a YAML error: MkDocs raises it unwrapped, with the line in its text
        raise PortalError(f"{shown}: the file cannot be read ({' '.join(str(error).split())}); check the "
                          "indentation and the colon after each name on that line") from None
    finally:
        logger.removeHandler(caught)
        logger.setLevel(level)
        logger.propagate = propagate


def _where_described(line: str) -> str:
    if line.startswith(f"plugins.{PLUGIN}."):
        return "; the portal's settings are described in scripts/portal_mkdocs/config.py"
    return "; see MkDocs' documentation of that setting, and README.md"


class _Caught(logging.Handler):
    """MkDocs' errors about the settings, and its warnings about the portal's own, one line each,
    named as staff find them in mkdocs.yml: plugins.portal.audio, not "Config value 'plugins'..."."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = " ".join(record.getMessage().split())
        named = OPTION.sub(lambda m: f"plugins.{m['plugin']}.{m['option']}:", text)
        if record.levelno >= logging.ERROR or named != text and f"plugins.{PLUGIN}." in named:
            self.lines.append(named.replace("Config value ", "", 1))


# "Config value 'plugins': Plugin 'portal' option 'offlin': Unrecognised configuration name: offlin"
OPTION = re.compile(r"Config value 'plugins': Plugin '(?P<plugin>[^']+)' (?:option|value) '(?P<option>[^']+)':")


def site_of(config, root: Path | None = None) -> Site:
    """The Site from a loaded MkDocs configuration, with the portal plugin's validated settings."""
    plugin = config.plugins.get(PLUGIN) if config.plugins else None
    if plugin is None:
        raise PortalError(f"{CONFIG_FILE}: plugins: the portal plugin is not listed; add '- {PLUGIN}' under "
                          "plugins:, after i18n")
    root = Path(root) if root is not None else Path(config.config_file_path).parent
    return site_from_config(root, config, dict(plugin.config), Path(config.config_file_path).name)


def load_site(root: Path, config_file: str = CONFIG_FILE) -> Site:
    return site_of(load_mkdocs_config(root, config_file), root)
