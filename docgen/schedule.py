"""The calendar of a plan: each task's deadline, and the report periods with their words.

Shared by reports (which tasks are due, late), progress workbooks and rollover.
"""
from __future__ import annotations

import datetime as dt

from . import model as m
from .deadline import MA_HAN, Han, HanError, tu_loi, tu_ma
from .errors import DocgenError, Problem
from .loader import Source
from .validate import iter_tasks

# period → its words and its last day (the year is the plan's)
KY = {"quy_1": ("quý I", dt.date(1, 3, 31)), "6_thang": ("6 tháng đầu", dt.date(1, 6, 30)),
      "9_thang": ("9 tháng", dt.date(1, 9, 30)), "nam": ("năm", dt.date(1, 12, 31))}
# the next period, as running text writes it (a heading upper-cases it: "PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ IV")
KY_TOI = {"quy_1": ("quý II", dt.date(1, 6, 30)), "6_thang": ("6 tháng cuối năm", dt.date(1, 12, 31)),
          "9_thang": ("quý IV", dt.date(1, 12, 31)), "nam": ("năm {next}", None)}


def ky_label(ky: str, nam: int) -> str:
    """``quý I năm 2023``, ``6 tháng đầu năm 2023``, ``9 tháng năm 2023``, ``năm 2023``."""
    return f"năm {nam}" if ky == "nam" else f"{KY[ky][0]} năm {nam}"


def text_of(value: str | list[str] | None) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else "; ".join(v.rstrip(";.") for v in value)


def deadlines(source: Source, plan: m.KeHoach) -> dict[str, Han]:
    """Every task's deadline; what cannot be read is an error with the plan's file:line."""
    problems: list[Problem] = []
    out: dict[str, Han] = {}
    for loc, task in iter_tasks(plan.noi_dung):
        try:
            if task.han:
                out[task.id] = tu_ma(task.han, plan.nam)
            elif task.thoi_gian:
                out[task.id] = tu_loi(text_of(task.thoi_gian), plan.nam)
            elif task.noi_dung and any(isinstance(b, m.NhiemVu) for b in task.noi_dung):
                continue  # a group of sub-tasks: its sub-tasks carry the deadlines
            else:
                raise HanError("nhiệm vụ không có 'thoi_gian' hay 'han'")
        except HanError as exc:
            where = loc + (("han",) if task.han else ("thoi_gian",) if task.thoi_gian else ("id",))
            problems.append(source.problem(where, f"{exc}; ghi rõ 'han' ({MA_HAN})"))
    if problems:
        raise DocgenError(problems)
    return out
