"""The one exception for problems a user can fix (data, template, file).

``DocgenError`` does not depend on click: the library raises it, and the CLI
(``cli.py``) prints each problem as ``Lỗi: FILE:LINE: field: message`` and exits
with ``exit_code`` (1; 2 when a file cannot be read), never with a traceback.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem, located as precisely as we know."""

    message: str
    file: str | None = None
    line: int | str | None = None  # a line number, or a workbook cell such as ``Tiến độ!C12``
    field: str | None = None

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "") + ": "
        field = f"{self.field}: " if self.field else ""
        return f"{where}{field}{self.message}"


class DocgenError(Exception):
    """A problem the user can fix; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem] | Problem | str, exit_code: int = 1) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        self.exit_code = exit_code
        super().__init__("\n".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        """The messages as the CLI prints them: ``Lỗi: FILE:LINE: field: message``."""
        return [f"Lỗi: {p}" for p in self.problems]
