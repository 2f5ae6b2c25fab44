"""The core's one error type, and a problem found in content, worded for the member of staff
who must fix it. The MkDocs layer turns PortalError into PluginError in one place; the command
line prints it as one line. No traceback reaches a user."""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    field: str
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}"
        field = f" {self.field}:" if self.field else ""
        prefix = "" if self.severity == ERROR else " warning:"
        return f"{where}:{prefix}{field} {self.message}"


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == ERROR]


def warnings(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == WARNING]


def format_report(problems: list[Problem]) -> str:
    ordered = sorted(problems)
    lines = [str(p) for p in ordered]
    n_err, n_warn = len(errors(ordered)), len(warnings(ordered))
    lines.append(f"{n_err} error(s), {n_warn} warning(s)")
    return "\n".join(lines)


class PortalError(Exception):
    """Anything the portal cannot go on with. Its text names the file, the line where known, the
    field and the fix; `problems` holds every problem found, when there were several."""

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.problems = list(problems or [])

    @classmethod
    def from_problems(cls, headline: str, problems: list[Problem]) -> PortalError:
        return cls(headline + "\n" + format_report(problems), problems)
