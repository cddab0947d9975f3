"""Periodic reports (``loai: bao_cao``): the plan plus a short progress file.

Every count (due, done, in progress, not started, late, share done) is computed
from the plan's deadlines and the progress entries, and the same rows feed the
text of section I and the appendix table, so they cannot disagree.
"""
from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import model as m
from . import vn
from .context import _Builder, _Numbering, appendices, finish, plan_outline
from .deadline import Han
from .domain import CHUA_THUC_HIEN, DANG_THUC_HIEN, HOAN_THANH, TRANG_THAI, trang_thai_bang
from .errors import DocgenError, Problem
from .loader import Source, load
from .model import BaoCao, DeMuc, Properties, TienDo
from .placeholders import fill, filled, has_placeholders, names
from .progress import missing_warnings, read_progress
from .schedule import KY, KY_TOI, deadlines, ky_label, text_of
from .units import Unit, apply_to_plan, overrides, unit_source
from .validate import check_plan, iter_tasks, validate_model

DE_MUC: dict[DeMuc, str] = {
    "chi_dao": "Công tác chỉ đạo, điều hành",
    "ket_qua": "Kết quả thực hiện các nhiệm vụ",
    "danh_gia": "Đánh giá chung",
    "phuong_huong": "Phương hướng, nhiệm vụ {ky_toi}",
    "kien_nghi": "Đề xuất, kiến nghị",
}


@dataclass
class Dong:
    """One task in the report: the appendix row and what the text says of it."""

    stt: int
    id: str
    ten: str
    linh_vuc: str
    chu_tri: str
    han: Han
    trang_thai: str
    ket_qua: str | None
    van_ban: list[m.VanBan] = field(default_factory=list)
    cham: bool = False
    ghi_chu: str = ""
    trong_han: bool = False  # due in the period, not done, deadline not yet reached at the cut-off


@dataclass
class ThongKe:
    den_han: int
    hoan_thanh: int
    dang_thuc_hien: int
    chua_thuc_hien: int
    cham: int

    @property
    def ty_le(self) -> str:
        """Share done in %, one decimal in Vietnamese notation (``66,7``)."""
        if not self.den_han:
            return "0"
        pct = round(100 * self.hoan_thanh / self.den_han, 1)
        return (f"{pct:.1f}".rstrip("0").rstrip(".")).replace(".", ",")





def _areas(plan: m.KeHoach) -> dict[str, str]:
    """Task id → area name: the khoản (or khoản-level task) it belongs to."""
    out: dict[str, str] = {}

    def walk(blocks, area):
        for b in blocks:
            if isinstance(b, m.Muc):
                walk(b.noi_dung, None)
            elif isinstance(b, m.Khoan):
                walk(b.noi_dung, area or b.khoan.rstrip(":.; "))
            elif isinstance(b, m.NhiemVu):
                here = area or b.ten.rstrip(":.; ")
                out[b.id] = here
                walk(b.noi_dung, here)
            elif isinstance(b, m.Diem):
                walk(b.noi_dung, area or b.diem.rstrip(":.; "))

    walk(plan.noi_dung, None)
    return out


@dataclass
class Report:
    source: Source
    report: BaoCao
    plan_source: Source
    plan: m.KeHoach
    rows: list[Dong]
    stats: ThongKe
    next_rows: list[Dong]
    ky_end: dt.date
    tong: int  # tasks in the plan (those with a deadline; groups of sub-tasks excluded)
    moc_cat: dt.date  # the cut-off: a task is late only when its deadline lies before this day
    bo_sot: list[Problem] = field(default_factory=list)  # due tasks the progress file forgot (warnings)
    chua_bao_cao: list[str] = field(default_factory=list)  # units that sent no progress workbook (their names)


@dataclass
class Loaded:
    """A report and its plan, loaded and validated, before any computing."""

    source: Source
    report: BaoCao  # its tien_do: what the YAML says, merged over what the workbooks say
    plan_source: Source
    plan: m.KeHoach
    progress: Any = None  # progress.Progress when the report reads workbooks (tien_do_tu)
    tien_do_yaml: dict[str, TienDo] = field(default_factory=dict)

    def for_unit(self, report: BaoCao, ma: str) -> BaoCao:
        """A unit's own report: only the rows its workbook gave (and the YAML's), not the other units'."""
        if self.progress is None:
            return report
        return report.model_copy(update={"tien_do": {**self.progress.for_unit(ma), **self.tien_do_yaml}})


def load_sources(path: Path | str | Source) -> Loaded:
    """The report (a path, or a source already read) and its plan, validated."""
    source = path if isinstance(path, Source) else load(path)
    report = validate_model(source, BaoCao)
    plan_path = source.path.parent / report.ke_hoach
    shown = report.ke_hoach if len(report.ke_hoach) <= 120 else report.ke_hoach[:60] + "…" + report.ke_hoach[-59:]
    if plan_path.suffix.lower() not in (".yaml", ".yml"):
        raise DocgenError(source.problem(("ke_hoach",), f"'{shown}' không phải tệp nguồn kế hoạch (tệp .yaml có "
                                         "loai: ke_hoach)"))
    try:
        found = plan_path.is_file()
    except (OSError, ValueError):  # a name too long for the system, a NUL byte
        found = False
    if not found:
        raise DocgenError(source.problem(("ke_hoach",), f"không tìm thấy kế hoạch '{shown}' "
                                         f"(đường dẫn tính từ thư mục của tệp báo cáo)"))
    plan_source = load(plan_path)
    loai = plan_source.data.get("loai") if isinstance(plan_source.data, dict) else None
    if loai != "ke_hoach":
        # another kind of file: say so without echoing any of its content
        raise DocgenError(source.problem(("ke_hoach",), f"'{shown}' không phải tệp nguồn kế hoạch (cần "
                                         "loai: ke_hoach ở đầu tệp)"))
    plan = validate_model(filled(plan_source), m.KeHoach)
    check_plan(plan_source, plan)
    with_names = filled(source, plan_source.data)  # {ten_goi}, {dia_danh}: the report's own, else the plan's
    if with_names is not source:
        report = validate_model(with_names, BaoCao)
    if not report.tien_do_tu:
        return Loaded(source, report, plan_source, plan)
    progress = read_progress(source, report.tien_do_tu, plan, report.ky, report.ke_hoach)
    # the merge rule: an entry written in the YAML wins over the workbooks for that task
    merged = report.model_copy(update={"tien_do": {**progress.merged, **report.tien_do}})
    return Loaded(source, merged, plan_source, plan, progress, dict(report.tien_do))


def load_report(path: Path | str) -> Report:
    """Load and check a report and its plan; compute rows and statistics."""
    return compute(load_sources(path))


def compute(loaded: Loaded, plan: m.KeHoach | None = None, report: BaoCao | None = None,
            don_vi: str | None = None) -> Report:
    """Rows and statistics; ``plan``/``report`` replace the loaded ones (a sub-unit's share); ``don_vi``: the
    unit whose own report this is (with workbooks, only its rows count)."""
    source, plan_source = loaded.source, loaded.plan_source
    report = report or loaded.report
    if don_vi is not None:
        report = loaded.for_unit(report, don_vi)
    plan = plan or loaded.plan
    dl = deadlines(plan_source, plan)
    tasks = {t.id: t for _, t in iter_tasks(plan.noi_dung)}
    known = {t.id: t for _, t in iter_tasks(loaded.plan.noi_dung)}
    problems: list[Problem] = []
    for task_id, entry in report.tien_do.items():
        if task_id in known and task_id not in tasks:
            continue  # a task of another unit's share
        if task_id not in tasks:
            close = difflib.get_close_matches(task_id, list(known), n=1, cutoff=0.5)
            hint = f"; có phải là '{close[0]}'?" if close else ""
            problems.append(source.problem(("tien_do", task_id), f"kế hoạch {report.ke_hoach} không có nhiệm vụ "
                                           f"mã '{task_id}'{hint}"))
        elif entry.ten and entry.ten.rstrip(":.") != tasks[task_id].ten.rstrip(":."):
            problems.append(source.problem(("tien_do", task_id, "ten"), f"nhiệm vụ '{task_id}' trong kế hoạch nay "
                                           f"tên là '{tasks[task_id].ten}', báo cáo ghi '{entry.ten}'"))
    end = KY[report.ky][1].replace(year=plan.nam)
    cutoff = cut_off(report, end)
    due = [tid for tid in dl if dl[tid].den_han(end)]
    if report.ky == "nam":
        missing = [tid for tid in dl if tid not in report.tien_do]
        if missing:
            problems.append(source.problem(("tien_do",), "báo cáo năm phải ghi tiến độ mọi nhiệm vụ; còn thiếu: "
                                           + ", ".join(missing)))
    if problems:
        raise DocgenError(problems)

    areas = _areas(plan)

    progress = loaded.progress
    silent = {ma for ma in progress.missing if don_vi is None or ma == don_vi} if progress else set()

    def row(i: int, tid: str) -> Dong:
        task, entry = tasks[tid], report.tien_do.get(tid)
        status = entry.trang_thai if entry else CHUA_THUC_HIEN
        late = status != HOAN_THANH and dl[tid].qua_han(cutoff)
        in_time = status != HOAN_THANH and not late and bool(dl[tid].moc) and dl[tid].moc[0] <= end
        notes = (["Chậm tiến độ"] if late else ["Đang trong hạn"] if in_time else []) + (
            [entry.ghi_chu] if entry and entry.ghi_chu else [])
        if progress and progress.lead.get(tid) in silent and tid not in loaded.tien_do_yaml:
            notes.append("Đơn vị chủ trì chưa báo cáo")
        note = "; ".join(notes)
        # with workbooks, the appendix names the lead unit the sheet went to rather than the plan's long text
        lead = progress.lead_name(tid) if progress else None
        return Dong(i, tid, task.ten.rstrip(":.; "), areas.get(tid, ""), lead or text_of(task.chu_tri).rstrip("."),
                    dl[tid],
                    status, entry.ket_qua if entry else None, list(entry.van_ban) if entry else [], late, note,
                    in_time)

    rows = [row(i, tid) for i, tid in enumerate(due, 1)]
    stats = ThongKe(len(rows), sum(r.trang_thai == HOAN_THANH for r in rows),
                    sum(r.trang_thai == DANG_THUC_HIEN for r in rows),
                    sum(r.trang_thai == CHUA_THUC_HIEN for r in rows), sum(r.cham for r in rows))
    next_end = KY_TOI[report.ky][1]
    next_end = next_end.replace(year=plan.nam) if next_end else dt.date(plan.nam + 1, 12, 31)
    next_ids = [tid for tid in dl if tid not in due and dl[tid].den_han(next_end)]
    next_rows = [row(0, tid) for tid in next_ids]
    locs = {t.id: loc for loc, t in iter_tasks(plan.noi_dung)}
    period = ky_label(report.ky, plan.nam)

    def forgot(tid: str) -> Problem:
        in_sheet = progress.blank_warning(tid, period) if progress else None  # the sheet's cell to fill
        return in_sheet or plan_source.problem(
            locs[tid] + ("id",), f"nhiệm vụ '{tid}' ({tasks[tid].ten.rstrip(':.; ')}) đến hạn trong {period} nhưng "
            "báo cáo không ghi tiến độ: được tính là chưa thực hiện; ghi vào 'tien_do' nếu đã làm")

    forgotten = [forgot(tid) for tid in due if tid not in report.tien_do
                 and not (progress and progress.lead.get(tid) in silent)]  # said once per unit, below
    if progress:
        forgotten = missing_warnings(progress, source) + forgotten if don_vi is None else forgotten
    unheard = [progress.names[ma] for ma in progress.missing if ma in silent] if progress else []
    return Report(source, report, plan_source, plan, rows, stats, next_rows, end, len(dl), cutoff, forgotten,
                  unheard)


def cut_off(report: BaoCao, end: dt.date) -> dt.date:
    """The day from which an unfinished task counts as late.

    A report speaks of the day it is signed: a deadline before that day has passed. A deadline
    inside the period but on or after the report's date is still running (*đang trong hạn*). An
    undated draft speaks of the whole period: the day after it ends.
    """
    after_period = end + dt.timedelta(days=1)
    if report.ngay_ban_hanh is None:
        return after_period
    return min(report.ngay_ban_hanh, after_period)


# ---- context -------------------------------------------------------------------------------------





def _ky_label(r: Report) -> str:
    return ky_label(r.report.ky, r.plan.nam)


def default_trich_yeu(plan: m.KeHoach, ky: str) -> str | None:
    """``Thực hiện công tác X năm 2023`` → ``Kết quả thực hiện công tác X quý I năm 2023``."""
    topic = plan.trich_yeu
    if topic.lower().startswith("thực hiện "):
        topic = topic[len("thực hiện "):]
    suffix = f" năm {plan.nam}"
    if not topic.endswith(suffix):
        return None
    return f"Kết quả thực hiện {vn.giua_cau(topic[: -len(suffix)])} {ky_label(ky, plan.nam)}"


def _plan_citation(r: Report) -> str:
    """``Kế hoạch số 05/KH-BDT ngày 05/01/2023 về ...``; ``của <agency>`` only when another agency issued it."""
    plan = r.plan
    ky_hieu = vn.ky_hieu("Kế hoạch", plan.co_quan.viet_tat)
    when = f" ngày {vn.ngay_ngan(plan.ngay_ban_hanh)}" if plan.ngay_ban_hanh else ""
    issuer = ten_goi(plan.co_quan)
    of = "" if issuer == _agency_name(r) else f" của {issuer}"
    return f"Kế hoạch số {vn.so_hieu(plan.so, ky_hieu)}{when}{of} về {vn.giua_cau(plan.trich_yeu)}"


def ten_goi(co_quan: m.CoQuan) -> str:
    """The agency as running text names it: ``ten_goi`` when given, else derived from the header name."""
    return co_quan.ten_goi or vn.ten_goi(co_quan.ten, co_quan.chu_quan)


def _agency_name(r: Report) -> str:
    """The reporting agency in running text (``Ban Dân tộc tỉnh Quảng Ngãi``)."""
    return ten_goi(r.report.co_quan or r.plan.co_quan)


def _status_text(row: Dong) -> str:
    text = TRANG_THAI[row.trang_thai]
    return text + (" (chậm tiến độ)" if row.cham else " (đang trong hạn)" if row.trong_han else "")


def report_blocks(r: Report) -> list:
    """The report's body as plan blocks, in the outline of ``de_muc`` (default: the common CCHC one)."""
    rep, s = r.report, r.stats
    ky_toi = KY_TOI[rep.ky][0].format(next=r.plan.nam + 1)
    outline: dict[DeMuc, str] = rep.de_muc or DE_MUC
    sections = []
    for key, title in outline.items():
        title = title.replace("{ky_toi}", ky_toi)  # the one documented field; never str.format on data
        content: list = []
        if key == "chi_dao":
            # a plan without tasks (one imported from a real plan) or a period with none due: no "0 nhiệm vụ (đạt 0%)"
            content.append(f"{_agency_name(r)} ban hành {_plan_citation(r)}"
                           + (f" với {r.tong} nhiệm vụ." if r.tong else "."))
            content.append(
                f"Trong {_ky_label(r)}, có {s.den_han} nhiệm vụ đến hạn thực hiện; đã hoàn thành {s.hoan_thanh} "
                f"nhiệm vụ (đạt {s.ty_le}%), đang thực hiện {s.dang_thuc_hien} nhiệm vụ, chưa thực hiện "
                f"{s.chua_thuc_hien} nhiệm vụ; {s.cham} nhiệm vụ chậm tiến độ." if s.den_han else
                f"Trong {_ky_label(r)}, không có nhiệm vụ nào của Kế hoạch đến hạn thực hiện.")
            if r.chua_bao_cao:
                content.append(f"Đơn vị chưa báo cáo: {', '.join(r.chua_bao_cao)} (các nhiệm vụ do đơn vị chủ trì "
                               "được tính là chưa thực hiện).")
            content.extend(rep.chi_dao)
        elif key == "ket_qua":
            by_area: dict[str, list[Dong]] = {}
            for row in r.rows:
                by_area.setdefault(row.linh_vuc, []).append(row)
            for area, rows in by_area.items():
                items: list = []
                for row in rows:
                    status = _status_text(row)
                    # a khoản-level task is its own area: do not repeat its name under its heading
                    lead = f"{status[0].upper()}{status[1:]}." if row.ten == area else f"{row.ten}: {status}."
                    line = lead + (f" {row.ket_qua}" if row.ket_qua else "")
                    if row.van_ban:
                        items.append(m.DongCon(doan=line, gach=[v.van_ban() for v in row.van_ban]))
                    else:
                        items.append(line)
                content.append(m.Khoan(khoan=area, noi_dung=[m.Gach(gach=items)]))
        elif key == "danh_gia":
            for label, values in (("Ưu điểm", rep.danh_gia.uu_diem), ("Tồn tại, hạn chế", rep.danh_gia.han_che),
                                  ("Nguyên nhân", rep.danh_gia.nguyen_nhan)):
                if values:
                    content.append(m.Khoan(khoan=f"{label}:", noi_dung=[m.Gach(gach=list(values))]))
        elif key == "phuong_huong":
            late = [row for row in r.rows if row.cham]
            items = []
            if late:
                items.append(m.DongCon(doan="Tiếp tục thực hiện các nhiệm vụ chậm tiến độ:",
                                       gach=[row.ten for row in late]))
            if r.next_rows:
                items.append(m.DongCon(doan=f"Triển khai các nhiệm vụ đến hạn trong {ky_toi}:",
                                       gach=[row.ten for row in r.next_rows]))
            items.extend(rep.phuong_huong)
            if items:
                content.append(m.Gach(gach=items))
        elif key == "kien_nghi":
            content.append(m.Gach(gach=list(rep.kien_nghi)) if rep.kien_nghi else "Không có.")
        sections.append(m.Muc(muc=title, noi_dung=content or ["Không có."]))
    return sections


def build(r: Report) -> tuple[dict[str, Any], Properties]:
    rep, plan = r.report, r.plan
    co_quan = rep.co_quan or plan.co_quan
    trich_yeu = rep.trich_yeu or default_trich_yeu(plan, rep.ky)
    if not trich_yeu:
        raise DocgenError(r.source.problem(("trich_yeu",), "không suy ra được trích yếu từ kế hoạch; "
                                           "ghi 'trich_yeu' cho báo cáo"))
    builder = _Builder(plan)
    builder.blocks(report_blocks(r), _Numbering(1))
    closing = rep.ket_luan or f"Trên đây là báo cáo {vn.giua_cau(trich_yeu)} của {_agency_name(r)}."
    builder.emit("doan", "", vn.ket_thuc(closing))
    opening = rep.mo_dau or (f"Thực hiện {_plan_citation(r)}, {_agency_name(r)} báo cáo kết quả thực hiện "
                             f"{_ky_label(r)} như sau:")
    kinh_gui = vn.kinh_gui(rep.kinh_gui)
    signer = rep.nguoi_ky or plan.nguoi_ky
    ky_hieu = vn.ky_hieu("Báo cáo", co_quan.viet_tat)
    so_ky_hieu = vn.so_ky_hieu(rep.so, ky_hieu)
    date = rep.ngay_ban_hanh
    s = r.stats
    cells = [[{"van_ban": str(row.stt), "can": "giua"}, {"van_ban": row.ten}, {"van_ban": row.chu_tri or ""},
              {"van_ban": row.han.mo_ta()}, {"van_ban": trang_thai_bang(row.trang_thai)}, {"van_ban": row.ghi_chu}]
             for row in r.rows]
    progress = {
        "ten": None, "don_vi": None,
        # landscape: 252 mm of text; "Ghi chú" and "Kết quả" fit on one line, task names on few
        "rong": [1.1, 6.0, 3.2, 2.6, 2.6, 2.6],
        "can": ["giua", "trai", "trai", "trai", "trai", "trai"],
        "tieu_de": [[{"van_ban": t} for t in ("STT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Kết quả",
                                               "Ghi chú")]],
        "dong": [{"o": c} for c in cells],
        "tong": [{"van_ban": f"Tổng cộng: {s.den_han} nhiệm vụ; đã hoàn thành {s.hoan_thanh} ({s.ty_le}%); "
                             f"đang thực hiện {s.dang_thuc_hien}; chưa thực hiện {s.chua_thuc_hien}; "
                             f"chậm tiến độ {s.cham}", "gop": 6}],
    }
    computed = {"tieu_de": f"Kết quả thực hiện nhiệm vụ {_ky_label(r)}", "ngang": True,
                "noi_dung": [{"kieu": "bang", "so": "", "van_ban": builder.layout.table(progress), "mark": ""}]}
    phu_luc = appendices(builder, rep.phu_luc, vn.kem_theo("Báo cáo", rep.so, ky_hieu, date, plan.nam, _agency_name(r)),
                         f"Phụ lục báo cáo {_ky_label(r)}", computed=[computed],
                         tasks=plan_outline(plan) if any(p.bang_nhiem_vu for p in rep.phu_luc) else None)
    context = {
        "co_quan": {"chu_quan": vn.viet_hoa(co_quan.chu_quan or ""), "ten": vn.viet_hoa(co_quan.ten)},
        "so_ky_hieu": so_ky_hieu,
        "dia_danh_ngay": vn.dia_danh_ngay(rep.dia_danh or plan.dia_danh, date, plan.nam),
        "ten_loai": "BÁO CÁO",
        "trich_yeu": trich_yeu,
        "kinh_gui": kinh_gui,
        "mo_dau": opening,
        "noi_dung": finish(builder.out),
        "noi_nhan": vn.noi_nhan(rep.noi_nhan, rep.luu, nhu_tren=bool(rep.kinh_gui)),
        "nguoi_ky": {"dong": signer.dong(), "ho_ten": signer.ho_ten},
        "phu_luc": phu_luc,
        "layout": builder.layout.as_dict(),
    }
    props = Properties(title=f"Báo cáo: {trich_yeu}", subject=trich_yeu, creator=co_quan.ten, date=date)
    return context, props


# ---- the bao_cao kind (kinds.py) ------------------------------------------------------------


def load_report_source(source: Source) -> Loaded:
    """A report and its plan (and progress workbooks), validated; figures are computed when built."""
    return load_sources(source)


def _unit_plan(loaded: Loaded, unit: Unit) -> m.KeHoach:
    """A report's plan as the unit sees it: ``{ten_goi}``/``{dia_danh}`` in the plan's text get the unit's names."""
    plan_source = loaded.plan_source
    if not has_placeholders(plan_source.data):
        return loaded.plan
    header = {k: plan_source.data.get(k) for k in ("co_quan", "dia_danh")}
    header.update({k: v for k, v in overrides(unit).items() if k in ("co_quan", "dia_danh")})
    data = fill(plan_source.data, names(header))
    return validate_model(Source(plan_source.path, data, plan_source.lines), m.KeHoach)


def build_report(loaded: Loaded, unit: Unit | None = None, warnings: list[Problem] | None = None
                 ) -> tuple[dict[str, Any], Properties]:
    """The context of a report, or of a sub-unit's share of it; forgotten due tasks go to ``warnings``."""
    if unit is None or unit.model is None:
        r = compute(loaded)
    else:
        plan = apply_to_plan(_unit_plan(loaded, unit), unit.model)
        report = loaded.report
        if overrides(unit):  # the unit's keys, validated as the report's own
            report = validate_model(unit_source(loaded.source, unit, loaded.plan_source.data), BaoCao)
            if "tien_do" not in overrides(unit):  # keep what the workbooks added at load
                report = report.model_copy(update={"tien_do": loaded.report.tien_do})
        r = compute(loaded, plan, report, unit.ma)
    if warnings is not None:
        warnings.extend(r.bo_sot)
    return build(r)
