"""Sub-units (``don_vi``): what differs per unit, read from YAML or CSV, and applied to a source.

A unit overrides the header (agency, place), the signer and the recipients, and
keeps only the tasks it carries (by id, or those whose chủ trì names it). Everything
else is inherited from the base source.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import model as m
from .errors import DocgenError, Problem
from .loader import _XML_ILLEGAL, Path_, Source, _illegal_char_message, load
from .model import DanhSachDonVi, DonVi
from .validate import iter_tasks, validate_model
from .vn import nfc

SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


@dataclass
class Unit:
    """A unit read from the file; validated on first use (in a batch, inside the worker)."""

    ma: str
    line: int | None
    source: Source
    index: int
    _model: DonVi | None = None
    _problems: list[Problem] | None = None

    def _validate(self) -> None:
        if self._problems is not None:
            return
        try:
            self._model, self._problems = validate_model(self.source, DonVi), []
        except DocgenError as exc:
            self._problems = [Problem(p.message, p.file, p.line, f"don_vi[{self.index}]"
                                      + (f".{p.field}" if p.field else "")) for p in exc.problems]

    @property
    def model(self) -> DonVi | None:
        self._validate()
        return self._model

    @property
    def problems(self) -> list[Problem]:
        self._validate()
        return self._problems or []


_LIST_COLUMNS = {"noi_nhan", "luu", "nhiem_vu"}


def _csv_source(path: Path) -> Source:
    """A CSV of units as a Source: dotted headers nest (``co_quan.ten``), lists split on ';'."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DocgenError(Problem("không tìm thấy tệp", str(path))) from None
    text = nfc(text)
    bad = [Problem(_illegal_char_message(mm.group()), str(path), n)
           for n, line in enumerate(text.split("\n"), 1) if (mm := _XML_ILLEGAL.search(line))]
    if bad:
        raise DocgenError(bad)
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise DocgenError(Problem("tệp CSV rỗng", str(path), 1))
    header = [h.strip() for h in rows[0]]
    units: list[dict[str, Any]] = []
    lines: dict[Path_, int] = {(): 1, ("don_vi",): 1}
    for n, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue
        unit: dict[str, Any] = {}
        index = len(units)
        lines[("don_vi", index)] = n
        for key, cell in zip(header, row, strict=False):  # short rows: missing cells are empty
            cell = cell.strip()
            if not cell or not key:
                continue
            value: Any = [c.strip() for c in cell.split(";") if c.strip()] if key in _LIST_COLUMNS else cell
            parts = key.split(".")
            target = unit
            for part in parts[:-1]:
                target = target.setdefault(part, {})
            target[parts[-1]] = value
            lines[("don_vi", index, *parts)] = n
        units.append(unit)
    return Source(path, {"loai": "don_vi", "don_vi": units}, lines)


def load_units(path: Path | str) -> list[Unit]:
    """Read units; refuse the whole file for structure or unsafe/duplicate ids, else per unit."""
    path = Path(path)
    source = _csv_source(path) if path.suffix.lower() == ".csv" else load(path)
    validate_model(source, DanhSachDonVi)
    problems: list[Problem] = []
    seen: dict[str, int | None] = {}
    raw_units = source.data["don_vi"]
    for i, raw in enumerate(raw_units):
        ma = str(raw.get("ma", "")).strip() if isinstance(raw, dict) else ""
        line = source.line_of(("don_vi", i, "ma"))
        if not SAFE_ID.match(ma) or ma in (".", ".."):
            problems.append(source.problem(("don_vi", i, "ma"), f"mã đơn vị '{ma}' không dùng làm tên tệp được: "
                                           "chỉ chữ không dấu, số, '_', '-', '.'"))
        elif ma in seen:
            problems.append(source.problem(("don_vi", i, "ma"), f"mã đơn vị '{ma}' trùng với dòng {seen[ma]}"))
        else:
            seen[ma] = line
    if problems:
        raise DocgenError(problems)
    by_unit: dict[int, dict[Path_, int]] = {}
    for key, line in source.lines.items():
        if len(key) >= 2 and key[0] == "don_vi" and isinstance(key[1], int):
            by_unit.setdefault(key[1], {})[key[2:]] = line
    units = []
    for i, raw in enumerate(raw_units):
        sub = Source(source.path, raw, by_unit.get(i, {}))
        sub.lines.setdefault((), source.line_of(("don_vi", i)) or 1)
        units.append(Unit(str(raw["ma"]).strip(), sub.lines[()], sub, i))
    return units


def _carries(unit: DonVi, task: m.NhiemVu) -> bool:
    if unit.nhiem_vu is not None and task.id in unit.nhiem_vu:
        return True
    if unit.chu_tri:
        holder = task.chu_tri if isinstance(task.chu_tri, str) else " ".join(task.chu_tri or [])
        return unit.chu_tri.lower() in holder.lower()
    return False


def _has_task(block: Any) -> bool:
    return any(True for _ in iter_tasks([block]))


def _filter(blocks: list, unit: DonVi) -> list:
    out: list[Any] = []
    for b in blocks:
        if isinstance(b, m.NhiemVu):
            if _carries(unit, b):
                out.append(b)
            elif any(isinstance(c, m.NhiemVu) or _has_task(c) for c in b.noi_dung if not isinstance(c, str)):
                kept = _filter(b.noi_dung, unit)
                if any(_has_task(c) for c in kept if not isinstance(c, str)):
                    out.append(b.model_copy(update={"noi_dung": kept}))
        elif isinstance(b, (m.Muc, m.Khoan, m.Diem)) and _has_task(b):
            kept = _filter(b.noi_dung, unit)
            if any(_has_task(c) for c in kept if not isinstance(c, str)):
                out.append(b.model_copy(update={"noi_dung": kept}))
        else:
            out.append(b)
    return out


def apply_to_plan(plan: m.KeHoach, unit: DonVi, where: Source | None = None) -> m.KeHoach:
    """The unit's copy of a plan: its header, signer, recipients and share of the tasks."""
    ids = {t.id for _, t in iter_tasks(plan.noi_dung)}
    unknown = [t for t in unit.nhiem_vu or [] if t not in ids]
    if unknown:
        raise DocgenError(Problem(f"kế hoạch không có nhiệm vụ mã {', '.join(unknown)}",
                                  str(where.path) if where else None, where.line_of(("nhiem_vu",)) if where else None,
                                  "nhiem_vu"))
    update: dict[str, Any] = {k: getattr(unit, k) for k in ("co_quan", "dia_danh", "nguoi_ky", "noi_nhan", "luu")
                              if getattr(unit, k) is not None}
    if unit.nhiem_vu is not None or unit.chu_tri:
        update["noi_dung"] = _filter(plan.noi_dung, unit)
    return plan.model_copy(update=update)



def apply_to_report(report: Any, unit: DonVi) -> Any:
    """The unit's header, signer and recipients on a report."""
    update = {k: getattr(unit, k) for k in ("co_quan", "dia_danh", "nguoi_ky", "noi_nhan", "luu")
              if getattr(unit, k) is not None}
    return report.model_copy(update=update)
