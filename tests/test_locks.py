"""The pinned environments agree: every pin in pyproject.toml is the one requirements.lock installs (a
Dependabot pull request changes pyproject.toml only, and must fail until the lock follows), and the ProperDocs
environment's lock is requirements.lock with mkdocs replaced by properdocs."""

from __future__ import annotations

import re
import tomllib

from conftest import REPO


def name(package: str) -> str:
    return re.sub(r"[-_.]+", "-", package).lower()


def pins(lock: str) -> dict[str, str]:
    lines = (REPO / lock).read_text(encoding="utf-8").splitlines()
    return {name(line.split("==")[0]): line.split("==")[1] for line in lines if line and not line.startswith("#")}


def test_every_lock_line_is_an_exact_pin():
    for lock in ("requirements.lock", "requirements-properdocs.lock"):
        lines = [line for line in (REPO / lock).read_text(encoding="utf-8").splitlines() if line and line[0] != "#"]
        assert all(re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*==[A-Za-z0-9.+!-]+", line) for line in lines), lock


def test_pyproject_pins_are_the_locked_versions():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    locked = pins("requirements.lock")
    assert len(wanted) > 20
    assert {requirement: locked.get(name(requirement.split("==")[0])) for requirement in wanted} \
        == {requirement: requirement.split("==")[1] for requirement in wanted}


def test_properdocs_lock_is_requirements_lock_with_mkdocs_replaced():
    ours, theirs = pins("requirements.lock"), pins("requirements-properdocs.lock")
    assert "mkdocs" in ours and "mkdocs" not in theirs and "properdocs" in theirs
    assert {package: version for package, version in theirs.items() if package != "properdocs"} \
        == {package: version for package, version in ours.items() if package != "mkdocs"}
