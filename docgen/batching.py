"""``docgen batch``: one document per sub-unit, in a pool of worker processes.

The base source is loaded and validated once, and the template prepared once,
before the pool forks, so workers inherit both. Each worker renders and writes
its units atomically; a unit that fails is reported and the others finish.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .core import kind
from .errors import DocgenError
from .kinds import DOCUMENTS
from .loader import load
from .pdf import to_pdf
from .rendering import prepared
from .units import Unit, load_units
from .write import write_atomic


@dataclass
class Result:
    ma: str
    path: Path | None
    problems: list[str]


class Base:
    """The base source, loaded once; renders a unit's document."""

    def __init__(self, source_path: Path, template: Path | None) -> None:
        source = load(source_path)
        self.kind = kind(source)
        if not self.kind.batch:
            raise DocgenError(source.problem(("loai",), f"không tạo theo đơn vị được loại văn bản '{self.kind.loai}'; "
                                             "chọn một trong: " + ", ".join(k.loai for k in DOCUMENTS if k.batch)))
        # the base itself must be right before any unit runs
        self.loaded = self.kind.load_source(source)
        self.template = prepared(template or self.kind.template_path())

    def render(self, unit: Unit) -> bytes:
        if unit.model is None:  # validated here, in the worker
            raise DocgenError(unit.problems)
        context, props = self.kind.context(self.loaded, unit.model)
        return self.template.render(context, props)


_STATE: dict[str, Any] = {}


def _work(index: int) -> Result:
    base: Base = _STATE["base"]
    unit: Unit = _STATE["units"][index]
    out: Path = _STATE["out_dir"] / f"{unit.ma}.docx"
    try:
        write_atomic(out, base.render(unit), durable=False)
        if _STATE["pdf"]:
            to_pdf(out)
        return Result(unit.ma, out, [])
    except DocgenError as exc:
        return Result(unit.ma, None, [str(p) for p in exc.problems])


def run(source: Path, units_path: Path, out_dir: Path, jobs: int | None = None, template: Path | None = None,
        pdf: bool = False, progress: Callable[[Iterator[Result], int], Iterator[Result]] | None = None
        ) -> list[Result]:
    """Render every unit; units are checked (ids safe, unique) before anything is written."""
    units = load_units(units_path)
    base = Base(source, template)
    _STATE.update(base=base, units=units, out_dir=Path(out_dir), pdf=pdf)
    jobs = max(1, jobs or os.cpu_count() or 1)
    results: Iterator[Result]
    try:
        if jobs == 1 or len(units) == 1:
            results = (_work(i) for i in range(len(units)))
            collected = list(progress(results, len(units)) if progress else results)
            os.sync()
            return collected
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(_work, i) for i in range(len(units))]
            try:
                done = (f.result() for f in as_completed(futures))
                collected = list(progress(done, len(units)) if progress else done)
            except BaseException:
                for f in futures:
                    f.cancel()
                raise
        order = {u.ma: i for i, u in enumerate(units)}
        os.sync()
        return sorted(collected, key=lambda r: order[r.ma])
    except BaseException:
        _sweep(Path(out_dir))
        raise
    finally:
        _STATE.clear()


def _sweep(out_dir: Path) -> None:
    """Remove temporary files an interrupted run may leave (atomic writes never leave a .docx half-done)."""
    if out_dir.is_dir():
        for tmp in out_dir.glob(".*.docx.*.tmp"):
            try:
                tmp.unlink()
            except OSError:
                pass
