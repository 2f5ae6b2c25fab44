"""YAML as staff write it, read without a traceback: a date that does not exist stays text (the
checks then name the field and the fix), and a broken file is a PortalError naming its line."""

from __future__ import annotations

from pathlib import Path

import yaml

from ..files import display, read_text
from .errors import PortalError

TIMESTAMP = "tag:yaml.org,2002:timestamp"


# libyaml's loader when PyYAML was built with it: parsing front matter is most of loading the content.
FAST_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class PortalLoader(FAST_SAFE_LOADER):
    """SafeLoader, except that 2026-02-30 is the text '2026-02-30' instead of a ValueError."""


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode):
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)


PortalLoader.add_constructor(TIMESTAMP, _timestamp_or_text)


def node_and_data(text: str, loader=FAST_SAFE_LOADER):
    """The document's YAML node (for each entry's line) and its data, from one parse, as yaml.load
    does; YAMLError as yaml.load raises it."""
    parser = loader(text)
    try:
        node = parser.get_single_node()
        return node, (parser.construct_document(node) if node is not None else None)
    finally:
        parser.dispose()


def load_front_matter(text: str):
    """A page's front matter: yaml.safe_load, with impossible dates kept as text."""
    return yaml.load(text, Loader=PortalLoader)


def read_yaml(path: Path, root: Path, loader=PortalLoader) -> dict:
    """A YAML file inside the repository as a mapping; PortalError naming the line otherwise."""
    shown = display(Path(path).absolute(), Path(root).absolute())
    if not Path(path).exists() and not Path(path).is_symlink():
        raise PortalError(f"{shown}:1: file: there is no {Path(path).name} in {Path(root).absolute()}; run the "
                          "command in the project folder (the one holding mkdocs.yml), or pass --root")
    text = read_text(path, root)
    try:
        data = yaml.load(text, Loader=loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 1 if mark else 1
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        context, started = getattr(error, "context", None), getattr(error, "context_mark", None)
        if context and started is not None and started.line + 1 != line:
            reason += f", {context} that starts on line {started.line + 1}"
        elif context:
            reason += f", {context}"
        raise PortalError(f"{shown}:{line}: YAML: the file is not valid YAML ({reason}); check the indentation, "
                          "the colon after each name and the brackets on that line and the lines before it, and "
                          "put text that holds a colon in quotes") from None
    except (ValueError, TypeError) as error:
        raise PortalError(f"{shown}:1: YAML: a value cannot be read ({error}); check the dates and numbers "
                          "in the file") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise PortalError(f"{shown}:1: YAML: the file must be a list of 'name: value' lines")
    return data
