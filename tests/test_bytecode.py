"""make compiles the portal's own code to bytecode, as pip compiles every package it installs, and
compiles it again when a module changes: with PYTHONDONTWRITEBYTECODE set, Python would otherwise
compile the editable install's modules on every command."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
COMPILE = "compileall -q scripts/portal scripts/portal_mkdocs"


@pytest.mark.parametrize("target", ["build", "test", "site-for-release", "benchmark"])
@pytest.mark.parametrize("changed", ["scripts/portal/cli.py", "scripts/portal/content/pages.py",
                                     "scripts/portal_mkdocs/plugin.py"])
def test_a_changed_module_is_compiled_again_before_the_command_runs(target, changed):
    # -n: print what make would run; -W: as if the module had just been edited.
    plan = subprocess.run(["make", "-n", "-W", changed, target], cwd=REPO, capture_output=True, text=True,
                          check=True).stdout.splitlines()
    compiled = next(i for i, line in enumerate(plan) if COMPILE in line)
    runs = [i for i, line in enumerate(plan) if "-m portal" in line or "pytest" in line or "benchmark_build" in line]
    assert runs and compiled < runs[0], plan
