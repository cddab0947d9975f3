"""The paper trail around a plan: Tờ trình, Quyết định and Công văn (kinds ``to_trinh``, ``quyet_dinh``,
``cong_van``), each drawn from the plan or report its source names, so nothing is typed twice.

Layouts follow Nghị định 30/2020/NĐ-CP, Phụ lục III: Mẫu 1.4 (văn bản có tên loại) for the Tờ trình,
Mẫu 1.3 (quyết định ban hành văn bản kèm theo) for the Quyết định, Mẫu 1.5 for the Công văn.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import model as m
from . import vn
from .context import _Builder, _Numbering, finish
from .errors import Problem
from .loader import Source
from .model import Properties
from .placeholders import filled
from .reporting import Loaded, compute, default_trich_yeu, load_sources, ten_goi
from .validate import check_plan, cited_source, validate_model


@dataclass
class Cited:
    """A source of the trail and the plan (and report) it is about."""

    source: Source
    doc: Any  # ToTrinh | QuyetDinh | CongVan
    plan: m.KeHoach
    report: Loaded | None = None


def _plan(source: Source) -> m.KeHoach:
    cited = cited_source(source, "ke_hoach", "ke_hoach")
    plan = validate_model(filled(cited), m.KeHoach)
    check_plan(cited, plan)
    return plan


def plan_citation(plan: m.KeHoach, day_du: bool = True, dang_dai: bool = False) -> str:
    """``Kế hoạch số 05/KH-BDT ngày 05/3/2023 của Ban Dân tộc tỉnh Quảng Ngãi về ...``; ``dang_dai``: the date
    written long (``ngày 05 tháng 3 năm 2023``), as a decision writes every date."""
    so = vn.so_hieu(plan.so, vn.ky_hieu("Kế hoạch", plan.co_quan.viet_tat))
    day = plan.ngay_ban_hanh
    when = "" if day is None else f" {vn.ngay_dai(day)}" if dang_dai else f" ngày {vn.ngay_ngan(day)}"
    tail = f" của {ten_goi(plan.co_quan)} về {vn.giua_cau(plan.trich_yeu)}" if day_du else ""
    return f"Kế hoạch số {so}{when}{tail}"


def _header(doc: Any, plan: m.KeHoach, loai: str) -> dict[str, Any]:
    co_quan = doc.co_quan or plan.co_quan
    ky_hieu = vn.ky_hieu(loai, co_quan.viet_tat) if loai in vn.VIET_TAT_LOAI else \
        vn.ky_hieu_cong_van(co_quan.viet_tat, doc.luu)
    return {
        "co_quan": {"chu_quan": vn.viet_hoa(co_quan.chu_quan or ""), "ten": vn.viet_hoa(co_quan.ten)},
        "so_ky_hieu": vn.so_ky_hieu(doc.so, ky_hieu),
        "dia_danh_ngay": vn.dia_danh_ngay(doc.dia_danh or plan.dia_danh, doc.ngay_ban_hanh, plan.nam),
        "noi_nhan": vn.noi_nhan(doc.noi_nhan, doc.luu, nhu_tren=loai != "Quyết định"),
        "nguoi_ky": {"dong": (doc.nguoi_ky or plan.nguoi_ky).dong(),
                     "ho_ten": (doc.nguoi_ky or plan.nguoi_ky).ho_ten},
        "layout": {},
    }


def _props(kind: str, title: str, doc: Any, plan: m.KeHoach) -> Properties:
    return Properties(title=f"{kind}: {title}", subject=title, creator=(doc.co_quan or plan.co_quan).ten,
                      date=doc.ngay_ban_hanh)


# ---- to_trinh ---------------------------------------------------------------------------------------


def load_to_trinh(source: Source) -> Cited:
    return Cited(source, validate_model(source, m.ToTrinh), _plan(source))


def build_to_trinh(c: Cited, unit: Any = None, warnings: list[Problem] | None = None
                   ) -> tuple[dict[str, Any], Properties]:
    """Căn cứ (the plan's), sự cần thiết, nội dung chính (the plan's sections), đề nghị; the draft attached."""
    doc, plan = c.doc, c.plan
    agency = ten_goi(doc.co_quan or plan.co_quan)
    builder = _Builder(plan)
    sections: list[Any] = []
    if plan.can_cu:
        cites = [v.van_ban().rstrip(" ;.") for v in plan.can_cu]
        sections.append(m.Muc(muc="Căn cứ xây dựng Kế hoạch", noi_dung=[m.Gach(gach=[
            c + (";" if i < len(cites) - 1 else ".") for i, c in enumerate(cites)])]))
    sections.append(m.Muc(muc="Sự cần thiết ban hành Kế hoạch", noi_dung=list(doc.su_can_thiet)))
    outline = [b.muc for b in plan.noi_dung if isinstance(b, m.Muc)]
    tasks = sum(1 for _ in _tasks(plan.noi_dung))
    main: list[Any] = [f"Dự thảo Kế hoạch gồm {len(outline)} phần, {tasks} nhiệm vụ:"] if outline else []
    if outline:
        main.append(m.Gach(gach=[f"{vn.so_la_ma(i)}. {vn.giua_cau(t) if t.isupper() else t}"
                                 for i, t in enumerate(outline, 1)]))
    sections.append(m.Muc(muc="Nội dung chính của Kế hoạch", noi_dung=main or [plan.trich_yeu]))
    ask = doc.de_nghi or (f"{agency} kính trình {doc.kinh_gui[0]} xem xét, ban hành Kế hoạch "
                          f"{vn.giua_cau(plan.trich_yeu)}.")
    attached = f"Hồ sơ kèm theo: dự thảo Kế hoạch {vn.giua_cau(plan.trich_yeu)}."
    sections.append(m.Muc(muc="Đề nghị", noi_dung=[ask, attached]))
    builder.blocks(sections, _Numbering(1))
    body = finish(builder.out)
    context = _header(doc, plan, "Tờ trình")
    context.update({
        "ten_loai": "TỜ TRÌNH",
        "trich_yeu": f"Về việc ban hành Kế hoạch {vn.giua_cau(plan.trich_yeu)}",
        "kinh_gui": vn.kinh_gui(doc.kinh_gui),
        "noi_dung": body,
    })
    return context, _props("Tờ trình", context["trich_yeu"], doc, plan)


def _tasks(blocks: list) -> Any:
    for b in blocks:
        if isinstance(b, m.NhiemVu):
            yield b
        if isinstance(b, (m.Muc, m.Khoan, m.Diem, m.NhiemVu)):
            yield from _tasks(b.noi_dung)


# ---- quyet_dinh ------------------------------------------------------------------------------------


def load_quyet_dinh(source: Source) -> Cited:
    return Cited(source, validate_model(source, m.QuyetDinh), _plan(source))


def build_quyet_dinh(c: Cited, unit: Any = None, warnings: list[Problem] | None = None
                     ) -> tuple[dict[str, Any], Properties]:
    doc, plan = c.doc, c.plan
    agency = ten_goi(doc.co_quan or plan.co_quan)
    # a decision writes its dates long ("ngày 13 tháng 5 năm 2016"): all nine decisions of the province do
    can_cu = [f"Căn cứ {vn.trich_dan(v.loai, v.so_ky_hieu, v.ngay, v.co_quan, v.trich_yeu, dang_dai=True)}"
              .rstrip(" ;.") + ";" for v in doc.can_cu]
    can_cu.append(f"Theo đề nghị của {doc.theo_de_nghi}.")
    thi_hanh = ", ".join(doc.thi_hanh)
    plan_cited = plan_citation(plan, day_du=False, dang_dai=True)
    dieu = [
        {"so": "Điều 1. ", "van_ban": f"Ban hành kèm theo Quyết định này {plan_cited} "
                                     f"{vn.giua_cau(plan.trich_yeu)} của {agency}."},
        {"so": "Điều 2. ", "van_ban": doc.hieu_luc},
        {"so": "Điều 3. ", "van_ban": f"{thi_hanh} chịu trách nhiệm thi hành Quyết định này./."},
    ]
    context = _header(doc, plan, "Quyết định")
    context["noi_nhan"] = vn.noi_nhan(["Như Điều 3", *doc.noi_nhan], doc.luu)
    context.update({
        "ten_loai": "QUYẾT ĐỊNH",
        "trich_yeu": f"Về việc ban hành Kế hoạch {vn.giua_cau(plan.trich_yeu)}",
        "tham_quyen": vn.viet_hoa(doc.tham_quyen),
        "can_cu": can_cu,
        "dieu": dieu,
    })
    return context, _props("Quyết định", context["trich_yeu"], doc, plan)


# ---- cong_van ---------------------------------------------------------------------------------------


def load_cong_van(source: Source) -> Cited:
    doc = validate_model(source, m.CongVan)
    if doc.bao_cao:
        loaded = load_sources(cited_source(source, "bao_cao", "bao_cao"))
        return Cited(source, doc, loaded.plan, loaded)
    return Cited(source, doc, _plan(source))


def build_cong_van(c: Cited, unit: Any = None, warnings: list[Problem] | None = None
                   ) -> tuple[dict[str, Any], Properties]:
    """``V/v gửi báo cáo ...`` under the number; Kính gửi; the opening cites the report (and its plan)."""
    doc, plan = c.doc, c.plan
    agency = ten_goi(doc.co_quan or plan.co_quan)
    if c.report is not None:
        r = compute(c.report)
        rep = r.report
        rep_co_quan = rep.co_quan or plan.co_quan
        so = vn.so_hieu(rep.so, vn.ky_hieu("Báo cáo", rep_co_quan.viet_tat))
        when = f" ngày {vn.ngay_ngan(rep.ngay_ban_hanh)}" if rep.ngay_ban_hanh else ""
        title = rep.trich_yeu or default_trich_yeu(plan, rep.ky) or f"Kết quả thực hiện {plan.trich_yeu}"
        period = vn.giua_cau(title)
        subject = doc.trich_yeu or f"gửi báo cáo {period}"
        opening = (f"Thực hiện {plan_citation(plan)}, {agency} gửi Báo cáo số {so}{when} về {period} "
                   f"(gửi kèm theo Công văn này).")
    else:
        subject = doc.trich_yeu or f"gửi Kế hoạch {vn.giua_cau(plan.trich_yeu)}"
        opening = f"{agency} gửi {plan_citation(plan)} (gửi kèm theo Công văn này)."
    builder = _Builder(plan)
    builder.blocks([opening, *doc.noi_dung], _Numbering(1))
    context = _header(doc, plan, "Công văn")
    context.update({
        "trich_yeu": f"V/v {subject[0].lower()}{subject[1:]}" if not subject.startswith("V/v") else subject,
        "kinh_gui": vn.kinh_gui(doc.kinh_gui),
        "noi_dung": finish(builder.out),
    })
    return context, _props("Công văn", context["trich_yeu"], doc, plan)
