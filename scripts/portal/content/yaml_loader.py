"""YAML as staff write it, read without a traceback and without surprises: one parse per text,
a date that does not exist stays text (the checks then name the field and the fix), anchors and
aliases are refused (staff never need them, and a few lines of them expand into gigabytes), a
name given twice in one mapping is refused (the last would win silently), and a broken file is a
PortalError naming its line."""

from __future__ import annotations

from pathlib import Path

import yaml

from .errors import PortalError
from .files import display, read_text

TIMESTAMP = "tag:yaml.org,2002:timestamp"
MERGE = "tag:yaml.org,2002:merge"


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


class RefusedYAML(yaml.MarkedYAMLError):
    """Valid YAML that the portal refuses; a YAMLError with its line, so every reader's existing
    handling names the file and line."""

    def __init__(self, problem: str, mark, earlier=None):
        super().__init__(problem=problem, problem_mark=mark)
        self.earlier = earlier  # where a name given twice was first given


ALIAS_PROBLEM = ("anchors and aliases (&name, *name) are not allowed: write each value out in full "
                 "where it is used")


def _refuse_anchors(text: str, loader) -> None:
    """Anchors and aliases, found from the parser's events before anything is built from them.
    Only texts holding '&' or '*' are parsed twice: every anchor and alias starts with one."""
    if "&" not in text and "*" not in text:
        return
    parser = loader(text)
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise RefusedYAML(ALIAS_PROBLEM, event.start_mark)
    finally:
        parser.dispose()


def _refuse_repeated_names(root) -> None:
    """A name given twice in one mapping, found by walking the composed nodes once."""
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            first: dict[tuple[str, str], yaml.error.Mark] = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.tag == MERGE:
                        raise RefusedYAML(ALIAS_PROBLEM, key.start_mark)
                    name = (key.tag, key.value)
                    if name in first:
                        raise RefusedYAML(f"the name '{key.value}' is given twice; keep one of them",
                                          key.start_mark, first[name])
                    first[name] = key.start_mark
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def refuse_anchors_and_repeats(text: str, loader=FAST_SAFE_LOADER) -> None:
    """RefusedYAML for anchors, aliases or a name given twice, in YAML another program will load
    (mkdocs.yml); other tags are left to that program."""
    _refuse_anchors(text, loader)
    parser = loader(text)
    try:
        _refuse_repeated_names(parser.get_single_node())
    finally:
        parser.dispose()


def node_and_data(text: str, loader=PortalLoader):
    """The document's YAML node (for each entry's line) and its data, from one parse, as yaml.load
    does, after refusing anchors, aliases and repeated names; YAMLError otherwise."""
    _refuse_anchors(text, loader)
    parser = loader(text)
    try:
        node = parser.get_single_node()
        _refuse_repeated_names(node)
        return node, (parser.construct_document(node) if node is not None else None)
    finally:
        parser.dispose()


def load(text: str, loader=PortalLoader):
    """yaml.safe_load for the portal's files: the data of node_and_data."""
    return node_and_data(text, loader)[1]


def error_line(error: yaml.YAMLError, first_line: int = 1) -> int:
    """The line in the file that a YAMLError names, for YAML that starts on `first_line`."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    return mark.line + first_line if mark else first_line


def error_reason(error: yaml.YAMLError, first_line: int = 1) -> str:
    """What is wrong, worded for staff; a name given twice also says where it was first given."""
    reason = getattr(error, "problem", None) or str(error).splitlines()[0]
    earlier = getattr(error, "earlier", None)
    if earlier is not None:
        reason = reason.replace(" twice;", f" twice (first on line {earlier.line + first_line});")
    return reason


def yaml_problem(error: yaml.YAMLError, first_line: int = 1, fix: str = "") -> tuple[int, str]:
    """(line, message) for a YAMLError in YAML starting on `first_line`: a refusal says its own fix;
    YAML that does not parse is said so, with `fix`."""
    reason = error_reason(error, first_line)
    if isinstance(error, RefusedYAML):
        return error_line(error, first_line), reason
    return error_line(error, first_line), f"this is not valid YAML ({reason})" + (f"; {fix}" if fix else "")


def file_error(shown: str, error: yaml.YAMLError) -> PortalError:
    """One line for a YAML file that is refused or does not parse, naming the line and the fix."""
    if isinstance(error, RefusedYAML):
        return PortalError(f"{shown}:{error_line(error)}: YAML: {error_reason(error)}")
    line = error_line(error)
    reason = error_reason(error)
    context, started = getattr(error, "context", None), getattr(error, "context_mark", None)
    if context and started is not None and started.line + 1 != line:
        reason += f", {context} that starts on line {started.line + 1}"
    elif context:
        reason += f", {context}"
    return PortalError(f"{shown}:{line}: YAML: the file is not valid YAML ({reason}); check the indentation, "
                       "the colon after each name and the brackets on that line and the lines before it, and "
                       "put text that holds a colon in quotes")


def read_yaml(path: Path, root: Path, loader=PortalLoader) -> dict:
    """A YAML file inside the repository as a mapping; PortalError naming the line otherwise."""
    shown = display(Path(path).absolute(), Path(root).absolute())
    if not Path(path).exists() and not Path(path).is_symlink():
        raise PortalError(f"{shown}:1: file: there is no {Path(path).name} in {Path(root).absolute()}; run the "
                          "command in the project folder (the one holding mkdocs.yml), or pass --root")
    text = read_text(path, root)
    try:
        data = load(text, loader)
    except yaml.YAMLError as error:
        raise file_error(shown, error) from None
    except (ValueError, TypeError) as error:
        raise PortalError(f"{shown}:1: YAML: a value cannot be read ({error}); check the dates and numbers "
                          "in the file") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise PortalError(f"{shown}:1: YAML: the file must be a list of 'name: value' lines")
    return data
