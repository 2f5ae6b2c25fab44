"""services.yml: which entitlements are discrete services that a directory can list (a health card,
a group, a workshop), as opposed to a right or a policy. services.json (Open Referral UK) is made
from these entitlements' facts; this file only chooses them."""

from __future__ import annotations

from pathlib import Path

import yaml

from .errors import Problem

SERVICES_FILE = "services.yml"


def read_services(path: Path, shown: str) -> tuple[list[tuple[str, int]], list[Problem]]:
    """(entitlement id, line) for each entry; a missing file lists no services."""
    if not path.exists():
        return [], []
    text = path.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return [], [Problem(shown, mark.line + 1 if mark else 1, "", f"this is not valid YAML ({error}); write one "
                                                                     "'- entitlement-id' a line")]
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
