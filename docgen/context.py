"""Build the template context of a plan: every number, letter, date and line computed here.

The body becomes a flat list of blocks ``{"kieu", "so", "van_ban"}``: ``kieu`` picks the
template's paragraph (and so its style), ``so`` is the computed marker (``II. ``,
``1. ``, ``1.1. ``, ``a) ``, ``- ``, ``+ ``, ``(1) ``), ``van_ban`` the text. The template
never counts.
"""
from __future__ import annotations

from typing import Any

from . import model as m
from . import vn
from .errors import Problem
from .loader import Source
from .model import DonVi, Properties
from .units import apply_to_plan
from .validate import check_plan, iter_tasks, validate_model

# Paragraph kinds, one template paragraph (and one named style) each.
KIEU = ("muc", "khoan", "khoan_doan", "diem", "doan", "gach", "cong", "dem")

_FIELDS = ("chi_dao", "chu_tri", "phoi_hop", "san_pham", "thoi_gian")


def _block(kieu: str, so: str, van_ban: str) -> dict[str, str]:
    return {"kieu": kieu, "so": so, "van_ban": van_ban}


class _Numbering:
    """The markers of one container's headed children: ``1.``, ``1.1.``, ``a)`` or ``-``."""

    def __init__(self, level: int, prefix: str = "", decimal: bool = False) -> None:
        self.level, self.prefix, self.decimal = level, prefix, decimal
        self.number = 0
        self.letter = 0

    def arabic(self) -> tuple[str, str]:
        self.number += 1
        num = f"{self.prefix}{self.number}"
        return num, f"{num}. "

    def point(self) -> tuple[str, str]:
        """Next point marker: ``a)``, or decimal ``1.1.`` when the container asks for it."""
        if self.level == 1:
            return self.arabic()
        if self.decimal:
            return self.arabic()
        if self.level >= 3:
            return "", "- "
        self.letter += 1
        return "", f"{vn.chu_cai(self.letter)}) "


class _Builder:
    def __init__(self, plan: m.KeHoach) -> None:
        self.plan = plan
        self.out: list[dict[str, str]] = []

    def emit(self, kieu: str, so: str, van_ban: str) -> None:
        self.out.append(_block(kieu, so, van_ban))

    # ---- lists ----
    def list_items(self, items: list, marker_of, depth: int) -> None:
        for i, item in enumerate(items, 1):
            kieu, so = marker_of(i, depth)
            if isinstance(item, m.DongCon):
                self.emit(kieu, so, item.doan)
                self.list_items(item.gach, _dash, depth + 1)
            else:
                self.emit(kieu, so, item)

    # ---- blocks ----
    def blocks(self, blocks: list, numbering: _Numbering) -> None:
        for block in blocks:
            if isinstance(block, str):
                self.emit("doan", "", block)
            elif isinstance(block, m.Muc):
                numbering.number += 1
                self.emit("muc", f"{vn.so_la_ma(numbering.number)}. ", vn.viet_hoa(block.muc))
                self.blocks(block.noi_dung, _Numbering(1))
            elif isinstance(block, m.Gach):
                self.list_items(block.gach, _dash, 0)
            elif isinstance(block, m.Dem):
                self.list_items(block.dem, _enumerated, 0)
            elif isinstance(block, m.Khoan):
                self.khoan(block, numbering)
            elif isinstance(block, m.Diem):
                _, so = numbering.point()
                self.emit(_heading_kind(numbering.level, numbering.decimal), so, block.diem)
                self.blocks(block.noi_dung, _Numbering(numbering.level + 1))
            elif isinstance(block, m.NhiemVu):
                self.nhiem_vu(block, numbering)
            else:  # pragma: no cover - the model admits nothing else
                raise AssertionError(block)

    def khoan(self, block: m.Khoan, numbering: _Numbering) -> None:
        if numbering.level == 1:
            num, so = numbering.arabic()
        else:  # a khoan inside a khoan is numbered decimally: 1.1.
            numbering.decimal = True
            num, so = numbering.arabic()
        kieu = "khoan" if block.noi_dung else "khoan_doan"
        self.emit(kieu, so, block.khoan)
        child = _Numbering(numbering.level + 1, prefix=f"{num}.", decimal=block.danh_so == "thap_phan")
        self.blocks(block.noi_dung, child)

    def nhiem_vu(self, task: m.NhiemVu, numbering: _Numbering) -> None:
        num, so = numbering.point()
        level = numbering.level if not numbering.decimal else 1
        self.emit(_heading_kind(numbering.level, numbering.decimal), so, task.ten)
        labels = self._labels(task)
        fields = _Numbering(level + 1, prefix=f"{num}." if num else "", decimal=task.danh_so == "thap_phan")
        if task.noi_dung and level == 1:
            # "a) Nội dung:" then the content, or "a) Nội dung: <text>" when it opens with a paragraph.
            _, so = fields.point()
            first, rest = task.noi_dung[0], task.noi_dung[1:]
            if isinstance(first, str):
                self.emit("diem", so, f"{labels['noi_dung']}: {first}")
                self.blocks(rest, _Numbering(3))
            else:
                self.emit("diem", so, f"{labels['noi_dung']}:")
                self.blocks(task.noi_dung, _Numbering(3))
        elif task.noi_dung:
            self.blocks(task.noi_dung, _Numbering(level + 1))
        for name in _FIELDS:
            value = getattr(task, name)
            if value is None:
                continue
            _, so = fields.point()
            kieu = "gach" if so == "- " else "diem"
            if isinstance(value, str):
                self.emit(kieu, so, f"{labels[name]}: {value}")
            else:
                self.emit(kieu, so, f"{labels[name]}:")
                self.list_items(value, _dash, 1 if kieu == "gach" else 0)

    def _labels(self, task: m.NhiemVu) -> dict[str, str]:
        labels = self.plan.nhan.model_dump()
        if task.nhan:
            labels.update({k: v for k, v in task.nhan.model_dump().items() if v})
        return labels


def _heading_kind(level: int, decimal: bool) -> str:
    return "khoan" if level == 1 or decimal else ("diem" if level == 2 else "gach")


def _dash(_: int, depth: int) -> tuple[str, str]:
    return ("gach", "- ") if depth == 0 else ("cong", "+ ")


def _enumerated(i: int, depth: int) -> tuple[str, str]:
    return ("dem", f"({i}) ") if depth == 0 else _dash(i, depth)


def body_blocks(plan: m.KeHoach) -> list[dict[str, str]]:
    """The flat, numbered body; its last block ends with ``./.``."""
    builder = _Builder(plan)
    builder.blocks(plan.noi_dung, _Numbering(1))
    if builder.out:
        builder.out[-1]["van_ban"] = vn.ket_thuc(builder.out[-1]["van_ban"])
    return builder.out


def mo_dau(plan: m.KeHoach) -> str:
    citations = "; ".join(v.van_ban() for v in plan.can_cu)
    if not citations:
        return plan.mo_dau.sau
    return f"{plan.mo_dau.truoc} {citations}, {plan.mo_dau.sau}"


def build(plan: m.KeHoach) -> tuple[dict[str, Any], Properties]:
    """The template context of a plan and the core properties of its file."""
    ky_hieu = vn.ky_hieu("Kế hoạch", plan.co_quan.viet_tat)
    context = {
        "co_quan": {
            "chu_quan": vn.viet_hoa(plan.co_quan.chu_quan or ""),
            "ten": vn.viet_hoa(plan.co_quan.ten),
        },
        "so_ky_hieu": vn.so_ky_hieu(plan.so, ky_hieu),
        "dia_danh_ngay": vn.dia_danh_ngay(plan.dia_danh, plan.ngay_ban_hanh, plan.nam),
        "ten_loai": "KẾ HOẠCH",
        "trich_yeu": plan.trich_yeu,
        "mo_dau": mo_dau(plan),
        "noi_dung": body_blocks(plan),
        "noi_nhan": vn.noi_nhan(plan.noi_nhan, plan.luu),
        "nguoi_ky": {"dong": plan.nguoi_ky.dong(), "ho_ten": plan.nguoi_ky.ho_ten},
    }
    props = Properties(title=f"Kế hoạch: {plan.trich_yeu}", subject=plan.trich_yeu,
                       creator=plan.co_quan.ten, date=plan.ngay_ban_hanh,
                       ids=(("nhiem_vu", tuple(t.id for _, t in iter_tasks(plan.noi_dung))),
                            ("can_cu", tuple(v.id or "-" for v in plan.can_cu))))
    return context, props


# ---- the ke_hoach kind (kinds.py) -----------------------------------------------------------


def load_plan(source: Source) -> m.KeHoach:
    """A plan source validated, with its cross-field checks (task ids, ...)."""
    plan = validate_model(source, m.KeHoach)
    check_plan(source, plan)
    return plan


def build_plan(plan: m.KeHoach, unit: DonVi | None = None, warnings: list[Problem] | None = None
               ) -> tuple[dict[str, Any], Properties]:
    """The context of a plan, or of a sub-unit's copy of it."""
    return build(apply_to_plan(plan, unit) if unit is not None else plan)
