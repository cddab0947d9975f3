"""The library API: one function per command, re-exported from ``docgen``.

    from docgen import render, build, check
    render("data/ke_hoach_2023.yaml", "output/ke_hoach_2023.docx")
    for finding in check("output/ke_hoach_2023.docx", kind="KH"):
        print(finding.line())

Every function returns a small dataclass (or a list of them) and raises
``docgen.DocgenError`` (``errors.py``) for anything the user can fix; the CLI is one
caller and maps that exception to its ``Lỗi: ...`` lines and exit status.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import batching, checker, core, importer, next_year, reporting
from .batching import Result as BatchResult
from .checker import Finding
from .core import Rendered
from .errors import DocgenError, Problem

__all__ = ["BatchResult", "DocgenError", "Finding", "ImportResult", "Problem", "Rendered", "ReportFigures",
           "RolloverResult", "batch", "build", "check", "import_", "render", "report", "rollover"]

PathLike = Path | str


def render(source: PathLike, out: PathLike | None = None, *, template: PathLike | None = None, pdf: bool = False,
           strict: bool = False) -> Rendered:
    """Render one source (any kind, by its ``loai``) to ``out`` (default ``output/<stem>.docx``), atomically.

    ``pdf`` also writes a PDF beside it (LibreOffice); ``strict`` refuses a source that still has
    ``# TODO(...)`` notes.
    """
    return core.render_file(source, out, template, pdf, strict)


def build(directory: PathLike = "data", out_dir: PathLike = "output", *, pdf: bool = False) -> list[Rendered]:
    """Render every document source under ``directory`` into ``out_dir``; nothing is written if one fails.

    ``pdf`` also converts every document (one LibreOffice for all of them).
    """
    return core.build_all(directory, out_dir, pdf)


@dataclass(frozen=True)
class ReportFigures:
    """What a periodic report computes from its plan and progress file."""

    tong: int  # tasks in the plan that carry a deadline
    den_han: int
    hoan_thanh: int
    dang_thuc_hien: int
    chua_thuc_hien: int
    cham: int
    ty_le: str  # share done, Vietnamese notation ("66,7")


def report(source: PathLike) -> ReportFigures:
    """The figures of a report source (nothing written): tasks due in the period, done, late..."""
    r = reporting.load_report(source)
    s = r.stats
    return ReportFigures(r.tong, s.den_han, s.hoan_thanh, s.dang_thuc_hien, s.chua_thuc_hien, s.cham, s.ty_le)


@dataclass(frozen=True)
class RolloverResult:
    path: Path  # the new draft plan
    changes: list[next_year.Change] = field(default_factory=list)  # years moved
    flags: list[next_year.Flag] = field(default_factory=list)  # marked "# TODO(rollover)"
    kept: list[next_year.Change] = field(default_factory=list)  # years of cited documents, spans...
    carried: list[str] = field(default_factory=list)  # ids of unfinished tasks carried over
    shifts: list[tuple[int, int]] = field(default_factory=list)  # (old 0-based line, lines inserted above it)

    def dong_moi(self, line: int) -> int:
        """The 1-based line in the new file of what was on ``line`` of the old one (notes are inserted)."""
        return line + sum(delta for at, delta in self.shifts if at <= line - 1)


def rollover(plan: PathLike, year: int, *, from_report: PathLike | None = None, out: PathLike | None = None,
             force: bool = False) -> RolloverResult:
    """Write next year's draft plan from ``plan``; the old file is never touched."""
    path, result = next_year.rollover(Path(plan), year, Path(from_report) if from_report else None,
                                      Path(out) if out else None, force)
    return RolloverResult(path, result.changes, result.flags, result.kept, result.carried, result.shifts)


def batch(source: PathLike, units: PathLike, out_dir: PathLike = "output/don_vi", *, jobs: int | None = None,
          template: PathLike | None = None, pdf: bool = False,
          progress: Callable[[Iterator[BatchResult], int], Iterator[BatchResult]] | None = None
          ) -> list[BatchResult]:
    """One document per sub-unit of ``units``; a failing unit is reported in its result, the others finish."""
    return batching.run(Path(source), Path(units), Path(out_dir), jobs, Path(template) if template else None, pdf,
                        progress)


def check(path: PathLike, kind: str | None = None) -> list[Finding]:
    """The Decree 30 rules on any .docx; ``kind`` (KH, BC, TTr, QĐ, CV...) adds that kind's own rules."""
    return checker.check(path, kind)


@dataclass(frozen=True)
class ImportResult:
    path: Path  # the source written
    counts: dict[str, int]  # muc, nhiem_vu, can_cu found
    todos: dict[tuple, str]  # place in the source → what a person should look at ("# TODO(import)")


def import_(file: PathLike, out: PathLike | None = None, *, force: bool = False) -> ImportResult:
    """An existing plan (.docx, or .txt from a PDF) into an editable source (default ``data/<stem>.yaml``)."""
    file = Path(file)
    path, imported = importer.import_to(file, Path(out) if out else Path("data") / (file.stem + ".yaml"), force)
    return ImportResult(path, imported.counts, imported.todos)
