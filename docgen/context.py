"""Build the template context of a plan: every number, letter, date and line computed here.

The body becomes a flat list of blocks ``{"kieu", "so", "van_ban"}``: ``kieu`` picks the
template's paragraph (and so its style), ``so`` is the computed marker (``II. ``,
``1. ``, ``1.1. ``, ``a) ``, ``- ``, ``+ ``, ``(1) ``), ``van_ban`` the text. The template
never counts.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from . import model as m
from . import vn
from .domain import name_key
from .errors import Problem
from .layout import KEEP, Layout
from .loader import Source, load
from .model import Properties
from .placeholders import filled
from .units import Unit, apply_to_plan, overrides, revalidated, unit_source
from .validate import check_plan, iter_tasks, validate_model

# Paragraph kinds, one template paragraph (and one named style) each; "bang" is replaced by a table.
KIEU = ("muc", "khoan", "khoan_doan", "diem", "doan", "gach", "cong", "dem", "bang")

_FIELDS = ("chi_dao", "chu_tri", "phoi_hop", "san_pham", "thoi_gian")


def _block(kieu: str, so: str, van_ban: str, mark: str = "") -> dict[str, str]:
    """One body paragraph; ``mark`` carries layout the template cannot (see layout.py)."""
    return {"kieu": kieu, "so": so, "van_ban": van_ban, "mark": mark}


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
    def __init__(self, plan: m.KeHoach, layout: Layout | None = None) -> None:
        self.plan = plan
        self.layout = layout or Layout()
        self.out: list[dict[str, str]] = []
        # (kind, marker, text, task or None, depth) of every heading and task: the task appendix reads it
        self.outline: list[tuple[str, str, str, m.NhiemVu | None, int]] = []
        self.depth = 0
        self._plan_labels: dict[str, str] | None = None

    def emit(self, kieu: str, so: str, van_ban: str, keep: bool = False) -> dict[str, str]:
        block = _block(kieu, so, van_ban, KEEP if keep else "")
        self.out.append(block)
        return block

    def heading(self, kind: str, so: str, text: str, task: m.NhiemVu | None = None) -> None:
        self.outline.append((kind, so, text, task, self.depth))

    def nested(self, blocks: list, numbering: _Numbering) -> None:
        self.depth += 1
        self.blocks(blocks, numbering)
        self.depth -= 1

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
            elif isinstance(block, m.DoanChuThich):
                self.emit("doan", "", block.doan)["mark"] += self.layout.note_mark(block.chu_thich)
            elif isinstance(block, m.Bang):
                self.emit("bang", "", self.layout.table(table_spec(block.bang, self.layout)))
            elif isinstance(block, m.Muc):
                numbering.number += 1
                so = f"{vn.so_la_ma(numbering.number)}. "
                self.emit("muc", so, vn.viet_hoa(block.muc), keep=True)
                self.heading("muc", so, vn.viet_hoa(block.muc))
                self.nested(block.noi_dung, _Numbering(1))
            elif isinstance(block, m.Gach):
                self.list_items(block.gach, _dash, 0)
            elif isinstance(block, m.Dem):
                self.list_items(block.dem, _enumerated, 0)
            elif isinstance(block, m.Khoan):
                self.khoan(block, numbering)
            elif isinstance(block, m.Diem):
                _, so = numbering.point()
                self.emit(_heading_kind(numbering.level, numbering.decimal), so, block.diem, keep=bool(block.noi_dung))
                self.heading("diem", so, block.diem)
                self.nested(block.noi_dung, _Numbering(numbering.level + 1))
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
        self.emit(kieu, so, block.khoan, keep=bool(block.noi_dung))
        self.heading("khoan", so, block.khoan)
        child = _Numbering(numbering.level + 1, prefix=f"{num}.", decimal=block.danh_so == "thap_phan")
        self.nested(block.noi_dung, child)

    def nhiem_vu(self, task: m.NhiemVu, numbering: _Numbering) -> None:
        num, so = numbering.point()
        level = numbering.level if not numbering.decimal else 1
        self.emit(_heading_kind(numbering.level, numbering.decimal), so, task.ten, keep=True)
        self.heading("nhiem_vu", so, task.ten, task)
        self.depth += 1
        self._task_body(task, num, level)
        self.depth -= 1

    def _task_body(self, task: m.NhiemVu, num: str, level: int) -> None:
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
        if self._plan_labels is None:  # the plan's labels, dumped once (a pydantic dump per task cost more)
            self._plan_labels = self.plan.nhan.model_dump()
        labels = dict(self._plan_labels)
        if task.nhan:
            labels.update({k: v for k, v in task.nhan.model_dump().items() if v})
        return labels


def _heading_kind(level: int, decimal: bool) -> str:
    return "khoan" if level == 1 or decimal else ("diem" if level == 2 else "gach")


def _dash(_: int, depth: int) -> tuple[str, str]:
    return ("gach", "- ") if depth == 0 else ("cong", "+ ")


def _enumerated(i: int, depth: int) -> tuple[str, str]:
    return ("dem", f"({i}) ") if depth == 0 else _dash(i, depth)


def finish(blocks: list[dict[str, str]]) -> list[dict[str, str]]:
    """Close the body with ``./.``; a line ending with ``:`` keeps with what it introduces, and the
    last paragraph keeps with the signature block (never alone on a page)."""
    for block in blocks:
        if block["kieu"] != "bang" and block["van_ban"].rstrip().endswith(":") and KEEP not in block["mark"]:
            block["mark"] = KEEP + block["mark"]
    text_blocks = [b for b in blocks if b["kieu"] != "bang"]
    if text_blocks:
        last = text_blocks[-1]
        last["van_ban"] = vn.ket_thuc(last["van_ban"])
        if KEEP not in last["mark"]:
            last["mark"] = KEEP + last["mark"]
    return blocks


def body_blocks(plan: m.KeHoach, builder: _Builder | None = None) -> list[dict[str, str]]:
    """The flat, numbered body; its last block ends with ``./.``."""
    builder = builder or _Builder(plan)
    builder.blocks(plan.noi_dung, _Numbering(1))
    return finish(builder.out)


# ---- tables and appendices ----------------------------------------------------------------------------


def _value(v: str | int | float | None, header: bool = False) -> str:
    """A cell's text: numbers the Vietnamese way (a header's numbers are labels: ``2023``, not ``2.023``)."""
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    return str(v).replace(".", ",") if header else vn.so(v)


def _cells(row: list[m.OBang], layout: Layout, header: bool = False) -> list[dict[str, Any]]:
    out = []
    for c in row:
        cell: dict[str, Any] = {"van_ban": _value(c.gia_tri, header), "gop": c.gop, "gop_dong": c.gop_dong}
        if c.chu_thich:
            cell["chu_thich"] = layout.note(c.chu_thich)
        out.append(cell)
    return out


def _numeric_columns(bang: m.NoiDungBang) -> list[bool]:
    """A column whose body values are all numbers is right-aligned (unless its ``can`` says otherwise)."""
    seen: list[set[bool]] = [set() for _ in bang.cot]
    for row in bang.dong + ([bang.tong] if bang.tong else []):
        col = 0
        for c in row:
            if c.gop == 1 and c.gia_tri is not None and (not isinstance(c.gia_tri, str) or c.gia_tri.strip()):
                seen[col].add(not isinstance(c.gia_tri, str))
            col += c.gop
    return [s == {True} for s in seen]


def table_spec(bang: m.NoiDungBang, layout: Layout) -> dict[str, Any]:
    """A ``bang`` as the plain data layout.py draws: numbers written, footnotes numbered, widths relative."""
    numeric = _numeric_columns(bang)
    header = bang.tieu_de or [[m.OBang(gia_tri=c.ten) for c in bang.cot]]
    return {
        "ten": vn.viet_hoa(bang.ten) if bang.ten else None,
        "don_vi": bang.don_vi,
        "rong": [c.rong for c in bang.cot],
        "can": [c.can or ("phai" if numeric[i] else "trai") for i, c in enumerate(bang.cot)],
        "tieu_de": [_cells(row, layout, header=True) for row in header],
        "dong": [{"o": _cells(row, layout)} for row in bang.dong],
        "tong": _cells(bang.tong, layout) if bang.tong else None,
    }


def _lines(value: str | list[str] | None) -> str | list[str]:
    if value is None:
        return ""
    return value


def task_table(builder: _Builder, spec: m.BangNhiemVu) -> dict[str, Any]:
    """The plan's tasks as rows, numbered as in the body; the headings above them as bold group rows."""
    cols = spec.cot
    titles = {k: spec.ten_cot.get(k, m.COT_NHIEM_VU[k][0]) for k in cols}
    outline = builder.outline
    rows: list[dict[str, Any]] = []
    for i, (_kind, so, text, task, depth) in enumerate(outline):
        stt = so.strip().rstrip(".)").strip()
        if task is None:
            # a heading is a group row only when tasks follow inside it
            inside = []
            for later in outline[i + 1:]:
                if later[4] <= depth:
                    break
                inside.append(later)
            if not any(e[3] is not None for e in inside):
                continue
            title = text.rstrip(" :")
            if cols[0] == "stt" and len(cols) > 1:
                cells = [{"van_ban": stt, "can": "giua"}, {"van_ban": title, "gop": len(cols) - 1}]
            else:
                cells = [{"van_ban": f"{so}{title}".strip(), "gop": len(cols)}]
            rows.append({"o": cells, "nhom": True})
            continue
        cells = []
        for key in cols:
            if key == "stt":
                cells.append({"van_ban": stt})
            elif key == "nhiem_vu":
                cells.append({"van_ban": task.ten.rstrip(" :")})
            else:
                cells.append({"van_ban": _lines(getattr(task, key))})
        rows.append({"o": cells})
    return {
        "ten": None, "don_vi": None,
        "rong": [m.COT_NHIEM_VU[k][1] for k in cols],
        "can": [m.COT_NHIEM_VU[k][2] or "trai" for k in cols],
        "tieu_de": [[{"van_ban": titles[k]} for k in cols]],
        "dong": rows,
        "tong": None,
    }


def plan_outline(plan: m.KeHoach) -> _Builder:
    """A plan's body built aside (its own layout), for the task table of a document that is not the plan."""
    builder = _Builder(plan, Layout())
    builder.blocks(plan.noi_dung, _Numbering(1))
    return builder


def appendices(builder: _Builder, items: list[m.PhuLuc], kem_theo: str, default_title: str,
               computed: list[dict[str, Any]] | None = None, tasks: _Builder | None = None) -> list[dict[str, Any]]:
    """Each appendix: its section mark, heading (``Phụ lục`` / ``Phụ lục I, II``), title, the
    ``(Kèm theo ...)`` line and its blocks. ``computed`` are appendices built by the caller (a report's);
    ``tasks`` is the builder whose outline a task table lists (default: ``builder``, the plan's body)."""
    layout = builder.layout
    pending = list(computed or [])
    for item in items:
        blocks_builder = _Builder(builder.plan, layout)
        blocks_builder.blocks(item.noi_dung, _Numbering(1))
        blocks = blocks_builder.out
        if item.bang_nhiem_vu is not None:
            blocks.append(_block("bang", "", layout.table(task_table(tasks or builder, item.bang_nhiem_vu))))
        for block in blocks:
            if block["kieu"] != "bang" and block["van_ban"].rstrip().endswith(":") and KEEP not in block["mark"]:
                block["mark"] = KEEP + block["mark"]
        pending.append({"tieu_de": item.tieu_de or default_title, "ngang": item.ngang, "noi_dung": blocks})
    out = []
    for i, pl in enumerate(pending, 1):
        so = "Phụ lục" if len(pending) == 1 else f"Phụ lục {vn.so_la_ma(i)}"
        out.append({"ngat": layout.section(pl["ngang"]), "so": so, "tieu_de": vn.viet_hoa(pl["tieu_de"]),
                    "kem_theo": kem_theo, "noi_dung": pl["noi_dung"]})
    return out


def mo_dau(plan: m.KeHoach) -> list[str]:
    return vn.mo_dau(plan.mo_dau.truoc, [v.van_ban() for v in plan.can_cu], plan.mo_dau.sau, plan.mo_dau.tung_dong)


def build(plan: m.KeHoach) -> tuple[dict[str, Any], Properties]:
    """The template context of a plan and the core properties of its file."""
    ky_hieu = vn.ky_hieu("Kế hoạch", plan.co_quan.viet_tat)
    builder = _Builder(plan)
    context = {
        "co_quan": {
            "chu_quan": vn.viet_hoa(plan.co_quan.chu_quan or ""),
            "ten": vn.viet_hoa(plan.co_quan.ten),
        },
        "so_ky_hieu": vn.so_ky_hieu(plan.so, ky_hieu),
        "dia_danh_ngay": vn.dia_danh_ngay(plan.dia_danh, plan.ngay_ban_hanh, plan.nam),
        "ten_loai": "KẾ HOẠCH",
        "trich_yeu": plan.trich_yeu,
        "kem_theo_qd": "",  # filled by build_plan when a decision issues the plan
        "mo_dau": mo_dau(plan),
        "noi_dung": body_blocks(plan, builder),
        "noi_nhan": vn.noi_nhan(plan.noi_nhan, plan.luu),
        "nguoi_ky": {"dong": plan.nguoi_ky.dong(), "ho_ten": plan.nguoi_ky.ho_ten},
    }
    context["phu_luc"] = appendices(
        builder, plan.phu_luc,
        vn.kem_theo("Kế hoạch", plan.so, ky_hieu, plan.ngay_ban_hanh, plan.nam,
                    plan.co_quan.ten_goi or vn.ten_goi(plan.co_quan.ten, plan.co_quan.chu_quan)),
        m.tieu_de_bang_nhiem_vu(plan.trich_yeu))
    context["layout"] = builder.layout.as_dict()
    tasks = [t for _, t in iter_tasks(plan.noi_dung)]
    props = Properties(title=f"Kế hoạch: {plan.trich_yeu}", subject=plan.trich_yeu,
                       creator=plan.co_quan.ten, date=plan.ngay_ban_hanh,
                       ids=(("nhiem_vu", tuple(t.id for t in tasks)),
                            ("nhiem_vu_ten", tuple(name_key(t.ten) for t in tasks)),
                            ("can_cu", tuple(v.id or "-" for v in plan.can_cu))))
    return context, props


# ---- the ke_hoach kind (kinds.py) -----------------------------------------------------------


@dataclass
class LoadedPlan:
    source: Source
    plan: m.KeHoach
    kem_theo_qd: str = ""  # "(Kèm theo Quyết định số ...)" when a decision beside it issues the plan

    @cached_property
    def filled_data(self) -> dict[str, Any]:
        """The data ``plan`` was validated from (placeholders filled): a unit's copy validates what differs."""
        return filled(self.source).data


def decision_line(qd: m.QuyetDinh, plan: m.KeHoach) -> str:
    """A plan's line under its title when a decision issues it (Mẫu 1.3): ``(Kèm theo Quyết định số
    15/QĐ-BDT ngày 05 tháng 01 năm 2023 của Trưởng Ban Dân tộc tỉnh Quảng Ngãi)``."""
    co_quan = qd.co_quan or plan.co_quan
    return vn.kem_theo("Quyết định", qd.so, vn.ky_hieu("Quyết định", co_quan.viet_tat), qd.ngay_ban_hanh,
                       plan.nam, qd.tham_quyen)


def issuing_decision(source: Source) -> tuple[Source, m.QuyetDinh] | None:
    """The ``quyet_dinh`` source in the plan's folder whose ``ke_hoach`` names this plan, if any: its number
    and date go into the plan's "(Kèm theo ...)" line on every build, typed once in the decision."""
    if not source.path.name:
        return None
    folder = source.path.parent
    try:  # names as pathlib's glob("*.yaml") lists them, sorted, without a Path object per file; regular files
        # only (a pipe or a device named .yaml would block the read or never end it)
        names = sorted(entry.name for entry in os.scandir(folder) if entry.name.endswith(".yaml")
                       and entry.is_file())
        here = source.path.resolve()
    except OSError:
        return None
    for name in names:
        if name == source.path.name:  # the plan itself (same folder, same name)
            continue
        path = folder / name
        try:  # the bytes first: most files beside a plan are no decision, and need neither decoding nor resolving
            with open(path, "rb") as fh:
                raw = fh.read()
            if b"quyet_dinh" not in raw or path.resolve() == here:
                continue
            raw.decode("utf-8")  # a file that is not UTF-8 is skipped, as before
        except (OSError, UnicodeDecodeError):
            continue
        cited = load(path)
        data = cited.data if isinstance(cited.data, dict) else {}
        if data.get("loai") == "quyet_dinh" and isinstance(data.get("ke_hoach"), str) \
                and (path.parent / data["ke_hoach"]).resolve() == here:
            return cited, validate_model(cited, m.QuyetDinh)
    return None


def load_plan(source: Source) -> LoadedPlan:
    """A plan source validated ({placeholders} filled), with its cross-field checks (task ids, ...), and the
    line of the decision that issues it, if one beside it does."""
    plan = validate_model(filled(source), m.KeHoach)
    check_plan(source, plan)
    found = issuing_decision(source)
    return LoadedPlan(source, plan, decision_line(found[1], plan) if found else "")


def build_plan(loaded: LoadedPlan, unit: Unit | None = None, warnings: list[Problem] | None = None
               ) -> tuple[dict[str, Any], Properties]:
    """The context of a plan, or of a sub-unit's copy of it (the unit's own keys validated as the plan's)."""
    if unit is None or unit.model is None:
        context, props = build(loaded.plan)
        context["kem_theo_qd"] = loaded.kem_theo_qd
        return context, props
    plan = loaded.plan
    if overrides(unit):
        merged = unit_source(loaded.source, unit)
        plan, changed = revalidated(loaded.plan, loaded.filled_data, merged)
        if changed & {"noi_dung", "nam"}:  # what the checks across the document read
            check_plan(merged, plan)
    context, props = build(apply_to_plan(plan, unit.model))
    context["kem_theo_qd"] = loaded.kem_theo_qd
    return context, props
