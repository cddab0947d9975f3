"""Sub-units (``don_vi``): what differs per unit, read from YAML, CSV or .xlsx, and applied to a source.

A unit overrides the header (agency, place), the signer and the recipients, and
keeps only the tasks it carries (by id, or those whose chủ trì names it). Everything
else is inherited from the base source.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from . import model as m
from .errors import DocgenError, Problem
from .inputs import MAX_UNITS
from .loader import Path_, Source, format_path, load
from .model import DanhSachDonVi, DonVi
from .placeholders import fill, names
from .tabular import HOW_TO_SAVE, SEPARATORS, describe, read_table
from .validate import iter_tasks, validate_model

M = TypeVar("M", bound=m.Base)

SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


# What picks a unit's share of the tasks; every other key of a unit overrides the source's key of that name.
CHON = ("ma", "nhiem_vu", "chu_tri")
# Keys of a source a unit cannot change.
KHONG_DOI = ("loai", "ke_hoach")


@dataclass
class Unit:
    """A unit read from the file; validated on first use (in a batch, inside the worker)."""

    ma: str
    line: int | str | None
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
# Names Windows keeps for devices: "CON.docx" cannot be created in a shared folder.
WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
TABLE_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm", ".xls")


def _table_source(path: Path) -> Source:
    """A units table (CSV in any encoding/separator, or a workbook's first sheet) as a Source: dotted headers
    nest (``co_quan.ten``), list columns split on ';'. Lines are CSV lines, or cells ``Sheet!A3``."""
    table = read_table(path)
    if "ma" not in table.header:
        seen = ", ".join(f"'{h}'" for h in table.header if h)
        sep = f" (đọc theo {table.encoding}, cột cách nhau bằng {SEPARATORS[table.separator]})" \
            if table.separator else ""
        raise DocgenError(table.problem(f"không có cột 'ma' (mã đơn vị); dòng tiêu đề có {seen}{sep}. Dòng đầu "
                                        "phải là tên cột: ma, co_quan.ten, nguoi_ky.ho_ten...; nếu tên cột dính "
                                        f"liền nhau thì {HOW_TO_SAVE}", table.header_row))
    column = {name: c for c, name in enumerate(table.header) if name}
    units: list[dict[str, Any]] = []
    lines: dict[tuple, int | str] = {(): table.where(table.header_row), ("don_vi",): table.where(table.header_row)}
    for row, record in table.records():
        if not record:
            continue
        unit: dict[str, Any] = {}
        index = len(units)
        lines[("don_vi", index)] = table.where(row.number, column["ma"])
        for key, cell in record.items():
            value: Any = [c.strip() for c in cell.split(";") if c.strip()] if key in _LIST_COLUMNS else cell
            parts = key.split(".")
            target = unit
            for part in parts[:-1]:
                target = target.setdefault(part, {})
                if not isinstance(target, dict):
                    raise DocgenError(table.problem(f"cột '{key}' và cột '{part}' không dùng cùng nhau được",
                                                    table.header_row, column[key]))
            target[parts[-1]] = value
            lines[("don_vi", index, *parts)] = table.where(row.number, column[key])
        units.append(unit)
    return Source(path, {"loai": "don_vi", "don_vi": units}, lines)


def _code_problem(ma: str) -> str | None:
    if not SAFE_ID.match(ma) or ma in (".", ".."):
        return f"mã đơn vị '{ma}' không dùng làm tên tệp được: chỉ chữ không dấu, số, '_', '-', '.'"
    if ma.split(".")[0].upper() in WINDOWS_DEVICES:
        return f"mã đơn vị '{ma}' là tên thiết bị dành riêng của Windows, không dùng làm tên tệp được; đặt mã khác"
    return None


def load_units(path: Path | str) -> list[Unit]:
    """Read units; refuse the whole file for structure or unsafe/duplicate ids, else per unit."""
    path = Path(path)
    source = _table_source(path) if path.suffix.lower() in TABLE_SUFFIXES else load(path, MAX_UNITS)
    validate_model(source, DanhSachDonVi)
    problems: list[Problem] = []
    seen: dict[str, tuple[str, int | str | None]] = {}
    raw_units = source.data["don_vi"]
    for i, raw in enumerate(raw_units):
        ma = str(raw.get("ma", "")).strip() if isinstance(raw, dict) else ""
        line = source.line_of(("don_vi", i, "ma"))
        bad = _code_problem(ma)
        if bad:
            problems.append(source.problem(("don_vi", i, "ma"), bad))
        elif ma.casefold() in seen:
            other, where = seen[ma.casefold()]
            message = f"mã đơn vị '{ma}' trùng với {describe(where)}" if other == ma else (
                f"mã đơn vị '{ma}' trùng với '{other}' ở {describe(where)} (chỉ khác chữ hoa, chữ thường: "
                "Windows coi là cùng một tệp)")
            problems.append(source.problem(("don_vi", i, "ma"), message))
        else:
            seen[ma.casefold()] = (ma, line)
    if problems:
        raise DocgenError(problems)
    by_unit: dict[int, dict[Path_, int | str]] = {}
    for key, line in source.lines.items():
        if len(key) >= 2 and key[0] == "don_vi" and isinstance(key[1], int):
            by_unit.setdefault(key[1], {})[key[2:]] = line
    units = []
    for i, raw in enumerate(raw_units):
        sub = Source(source.path, raw, by_unit.get(i, {}))
        where = source.line_of(("don_vi", i))
        if where is not None:
            sub.lines.setdefault((), where)
        units.append(Unit(str(raw["ma"]).strip(), sub.lines.get(()), sub, i))
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


def overrides(unit: Unit) -> dict[str, Any]:
    """The top-level keys a unit changes (everything but its code and its choice of tasks)."""
    data = unit.source.data if isinstance(unit.source.data, dict) else {}
    return {k: v for k, v in data.items() if k not in CHON}


def check_keys(units: list[Unit], cls: type[m.Base], label: str) -> None:
    """A key (a column) no unit may use is one problem for the whole list, not one per unit."""
    allowed = [k for k in cls.model_fields if k not in KHONG_DOI]
    first: dict[str, Unit] = {}
    for unit in units:
        for key in overrides(unit):
            if key not in allowed and key not in first:
                first[key] = unit
    problems = []
    for key, unit in first.items():
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = f"; có phải là '{close[0]}'?" if close else f"; đơn vị ghi được: {', '.join(CHON + tuple(allowed))}"
        message = f"'{key}' không đổi theo đơn vị được" if key in KHONG_DOI else (
            f"'{key}' không phải khóa của {label}{hint}")
        problems.append(Problem(message, unit.source.name, unit.source.line_of((key,)),
                                f"don_vi[{unit.index}].{key}"))
    if problems:
        raise DocgenError(problems)


class UnitSource(Source):
    """A source with a unit's keys merged in: problems in those keys point at the unit's line."""

    def __init__(self, base: Source, unit: Unit, data: Any, keys: set[str]) -> None:
        super().__init__(base.path, data, base.lines)
        self.unit, self.keys = unit, keys

    def problem(self, loc, message: str) -> Problem:
        if loc and loc[0] in self.keys:
            return Problem(message, self.unit.source.name, self.unit.source.line_of(loc),
                           f"don_vi[{self.unit.index}].{format_path(loc)}")
        return super().problem(loc, message)


def unit_source(base: Source, unit: Unit, fallback: Any = None) -> Source:
    """The base source as this unit's copy: its keys merged in, ``{ten_goi}``/``{dia_danh}`` filled with its
    names (``fallback``: where names missing from the source come from, e.g. a report's plan)."""
    keys = overrides(unit)
    if unit.source.path.suffix.lower() in TABLE_SUFFIXES:
        # a cell for a key the source writes as a list of lines (kinh_gui, phuong_huong...): lines split on ';'
        keys = {k: [c.strip() for c in v.split(";") if c.strip()]
                if isinstance(v, str) and isinstance(base.data.get(k), list) else v for k, v in keys.items()}
    data = {**base.data, **keys}
    return UnitSource(base, unit, fill(data, names(data, fallback)), set(keys))


def _same(a: Any, b: Any) -> bool:
    """Equal as validation sees them: a quoted scalar is not the plain one (``"1250"`` is text, ``1250`` a
    number in a table cell), though ``Quoted("1250") == "1250"``."""
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(v, b[k]) for k, v in a.items())
    if isinstance(a, list):
        return len(a) == len(b) and all(map(_same, a, b))
    return bool(a == b)


def revalidated(base: M, base_data: dict[str, Any], merged: Source) -> tuple[M, set[str]]:
    """A unit's copy of ``base`` (validated from ``base_data``, placeholders filled) for the merged source
    ``merged``, and the keys that differ: only those fields are validated again, the others are the base's,
    validated once for all units (validating the whole source per unit was ~0.6 ms of a ~7 ms unit). The
    models have no cross-field validators, so this equals validating ``merged`` whole; a field that is not
    valid has the whole source validated, for the same messages, located, as ever."""
    data = merged.data
    changed = {k for k, v in data.items() if k not in base_data or not _same(base_data[k], v)}
    if base_data.keys() - data.keys():  # not a copy of the base (a merge only adds or replaces keys)
        return validate_model(merged, type(base)), set(data) | set(base_data)
    copy = base.model_copy()
    try:
        for key in changed:
            type(base).__pydantic_validator__.validate_assignment(copy, key, data[key])
    except ValidationError:
        return validate_model(merged, type(base)), changed
    return copy, changed
