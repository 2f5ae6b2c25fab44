"""services.yml: which entitlements are discrete services that a directory can list (a health card,
a group, a workshop), as opposed to a right or a policy. services.json (Open Referral UK) is made
from these entitlements' facts; this file only chooses them."""

from __future__ import annotations

from pathlib import Path

import yaml

from .errors import Problem
from .files import link_problem, read_text
from .yaml_loader import node_and_data, yaml_problem

SERVICES_FILE = "services.yml"


def read_services(path: Path, shown: str) -> tuple[list[tuple[str, int]], list[Problem]]:
    """(entitlement id, line) for each entry; a missing file lists no services."""
    if not path.exists() and not path.is_symlink():
        return [], []
    if refused := link_problem(path, shown):
        return [], [refused]
    text = read_text(path, shown=shown)
    try:
        node, _ = node_and_data(text)
    except yaml.YAMLError as error:
        line, message = yaml_problem(error, fix="write one '- entitlement-id' a line")
        return [], [Problem(shown, line, "", message)]
    if node is None:
        return [], []
    if not isinstance(node, yaml.SequenceNode):
        return [], [Problem(shown, 1, "", "must be a list: one '- entitlement-id' a line")]
    entries, problems = [], []
    for item in node.value:
        line = item.start_mark.line + 1
        if not isinstance(item, yaml.ScalarNode) or not item.value:
            problems.append(Problem(shown, line, "", "write one '- entitlement-id' a line"))
        elif any(item.value == seen for seen, _ in entries):
            problems.append(Problem(shown, line, item.value, "is listed twice; remove one line"))
        else:
            entries.append((item.value, line))
    return entries, problems
