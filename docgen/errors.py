"""The one exception for problems a user can fix (data, template, file).

It subclasses click's exception so that an error escaping a command prints
``Lỗi: FILE:LINE: field: message`` lines and exits with status 1, with no
try/except in the CLI and no traceback.
"""
from __future__ import annotations

from dataclasses import dataclass

import click


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


class DocgenError(click.ClickException):
    """A problem the user can fix; carries every problem found, not just the first."""

    exit_code = 1

    def __init__(self, problems: list[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def show(self, file=None) -> None:  # noqa: D102 - click's API
        for p in self.problems:
            click.echo(f"Lỗi: {p}", err=True, file=file)
