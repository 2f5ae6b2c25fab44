"""The Makefile's own recipes, run in this process: each `$(RUN) ...` line of a target is
`portal.cli.main` with the make variables given, in the project's folder, so a test rehearses
exactly what make and the workflows run, with the test's fakes (gTTS's address) in place."""

from __future__ import annotations

import re
import shlex
import time
from pathlib import Path

from portal.cli import main

MAKEFILE = Path(__file__).resolve().parents[2] / "Makefile"


def recipe(target: str) -> list[str]:
    """The commands of a Makefile target, as make would run them: a line ending in a backslash
    goes on on the next one."""
    lines = MAKEFILE.read_text(encoding="utf-8").splitlines()
    start = lines.index(next(line for line in lines if line.startswith(f"{target}:")))
    commands: list[str] = []
    going_on = False
    for line in lines[start + 1:]:
        if not line.startswith("\t") and not going_on:
            break
        text = line.strip()
        if going_on:
            commands[-1] = commands[-1][:-1].rstrip() + " " + text
        else:
            commands.append(text)
        going_on = text.endswith("\\")
    return commands


def run_target(target: str, project: Path, monkeypatch, capsys, timings: list | None = None,
               **variables) -> tuple[list[int], str]:
    """Each `$(RUN) ...` line of the target, in this process, with the make variables given (else the
    Makefile's `NAME ?= value` defaults, as make would use them); the package check
    (`@scripts/require-system-packages.sh`) is make's own business, not the portal's. `timings`, if
    given, gets each command's words and its seconds."""
    defaults = dict(re.findall(r"^(\w+) \?= (.*)$", MAKEFILE.read_text(encoding="utf-8"), re.M))
    variables = {**defaults, **variables}
    codes, said = [], ""
    for command in recipe(target):
        if command.startswith("@"):
            continue
        for name, value in variables.items():
            command = command.replace(f"$({name})", str(value))
        words = shlex.split(command)
        with monkeypatch.context() as env:
            while "=" in words[0]:
                name, value = words.pop(0).split("=", 1)
                env.setenv(name, value)
            assert words[0] == "$(RUN)", command
            env.chdir(project)
            started = time.perf_counter()
            codes.append(main(words[1:]))
            if timings is not None:
                timings.append((" ".join(words[1:]), time.perf_counter() - started))
        out = capsys.readouterr()
        said += out.out + out.err
        if codes[-1] != 0:
            break
    return codes, said
