"""Progress workbooks: ``docgen tien-do`` sends each unit a sheet of the tasks it carries; the filled
sheets come back into a report (``tien_do_tu``).

Out: one .xlsx per unit (the same selection of tasks as ``batch``) or one for the whole agency, the plan's
columns locked, Trạng thái a drop-down, tasks due in the period highlighted, and a hidden sheet recording
what the workbook is (plan, period, unit, every unit it went to, the lead unit of each task) so that what
comes back can be checked and merged without any other file.

Back: each row is checked against the plan (task id, task name, status word) with its cell named
(``FILE:Tiến độ!E7``); several units' rows on one task are merged by one rule (:func:`merge`).
"""
from __future__ import annotations

import difflib
import glob
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from . import model as m
from . import vn
from .domain import CHUA_THUC_HIEN, DANG_THUC_HIEN, TRANG_THAI, TRANG_THAI_CHON, TrangThai
from .errors import DocgenError, Problem
from .importer import parse_citation
from .loader import Source
from .model import Properties, TienDo
from .rendering import core_xml, fixed_time, zip_bytes
from .schedule import KY, deadlines, ky_label
from .tabular import column_letter, read_grid
from .units import apply_to_plan, load_units
from .validate import iter_tasks, load_plan
from .write import write_atomic

SHEET = "Tiến độ"
META = "docgen"  # the hidden sheet
COLUMNS = [("Mã", 14), ("Nhiệm vụ", 44), ("Chủ trì", 22), ("Thời hạn", 13), ("Trạng thái", 17), ("Kết quả", 40),
           ("Văn bản đã ban hành", 30), ("Ghi chú", 20)]
LINE_HEIGHT = 15.75  # points per wrapped line at 12 pt; rows are sized here since Calc does not on opening
EDITABLE = 4  # columns from Trạng thái on are the unit's to fill
HEADER_ROW = 5
DUE_FILL = "FFF2CC"
HEADER_FILL = "D9D9D9"
FONT = "Times New Roman"


# ---- the tasks a workbook carries ----------------------------------------------------------------


@dataclass
class Recipient:
    """Whom a workbook goes to: a unit (``ma``), or the whole agency (``ma`` empty)."""

    ma: str
    ten: str
    plan: m.KeHoach  # the plan as this recipient carries it (its share of the tasks)


def unit_name(unit, fallback: str) -> str:
    """A unit as people name it: ``ten_goi``, else the header name, else its chủ trì word, else its code."""
    co_quan = unit.co_quan
    if co_quan is not None:
        return co_quan.ten_goi or vn.ten_goi(co_quan.ten, co_quan.chu_quan)
    return unit.chu_tri or fallback


def _holder(task: m.NhiemVu) -> str:
    return task.chu_tri if isinstance(task.chu_tri, str) else " ".join(task.chu_tri or [])


def lead_units(tasks: dict[str, m.NhiemVu], carriers: dict[str, list[tuple[str, list[str]]]]) -> dict[str, str]:
    """Task id → code of its lead unit: among the units carrying the task, the one named earliest in the task's
    Chủ trì text; units not named there come after, in the order of the units file."""
    lead = {}
    for tid, units in carriers.items():
        text = _holder(tasks[tid]).casefold()
        ranked = []
        for order, (ma, names) in enumerate(units):
            found = [text.find(n.casefold()) for n in names if n and n.casefold() in text]
            ranked.append((min(found) if found else len(text) + 1, order, ma))
        lead[tid] = min(ranked)[2]
    return lead


# ---- writing ------------------------------------------------------------------------------------


@dataclass
class Workbook:
    path: Path
    data: bytes
    rows: int
    due: int


def write_workbooks(plan_path: Path | str, ky: str, units_path: Path | str | None, out_dir: Path | str
                    ) -> list[Workbook]:
    """Build every workbook (all checked first), then write them atomically; nothing is written on an error."""

    plan_source, plan = load_plan(Path(plan_path))
    dl = deadlines(plan_source, plan)
    tasks = {t.id: t for _, t in iter_tasks(plan.noi_dung) if t.id in dl}
    end = KY[ky][1].replace(year=plan.nam)
    recipients: list[Recipient] = []
    names: dict[str, list[str]] = {}
    if units_path is None:
        recipients.append(Recipient("", unit_name(plan, ""), plan))
    else:
        problems: list[Problem] = []
        for unit in load_units(units_path):
            if unit.model is None:
                problems.extend(unit.problems)
                continue
            try:
                share = apply_to_plan(plan, unit.model, unit.source)
            except DocgenError as exc:
                problems.extend(exc.problems)
                continue
            recipients.append(Recipient(unit.ma, unit_name(unit.model, unit.ma), share))
            model = unit.model
            names[unit.ma] = [model.chu_tri or "", *((model.co_quan.ten_goi or "", model.co_quan.ten)
                                                      if model.co_quan else ())]
        if problems:
            raise DocgenError(problems)
    carriers: dict[str, list[tuple[str, list[str]]]] = {}
    shares: dict[str, list[str]] = {}
    for r in recipients:
        shares[r.ma] = [t.id for _, t in iter_tasks(r.plan.noi_dung) if t.id in tasks]
        for tid in shares[r.ma]:
            carriers.setdefault(tid, []).append((r.ma, names.get(r.ma, [r.ten])))
    lead = lead_units(tasks, carriers)
    out_dir = Path(out_dir)
    books = []
    for r in recipients:
        name = f"{r.ma}.xlsx" if r.ma else f"{Path(plan_path).stem}_{ky}.xlsx"
        rows = [(tasks[tid], dl[tid], dl[tid].den_han(end)) for tid in shares[r.ma]]
        data = workbook_bytes(plan, ky, r, rows, recipients, lead)
        books.append(Workbook(out_dir / name, data, len(rows), sum(due for *_, due in rows)))
    for book in books:
        write_atomic(book.path, book.data)
    return books


def _lines(text: str, width: float) -> int:
    """Wrapped lines of ``text`` in a column ``width`` characters wide (Times New Roman 12 pt, with a margin)."""
    per_line = max(1, int(width * 1.15) - 1)
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


def plan_title(plan: m.KeHoach) -> str:
    """``Kế hoạch số 05/KH-BDT ngày 05/01/2023 về thực hiện ...`` (number left blank on a draft)."""
    ky_hieu = vn.ky_hieu("Kế hoạch", plan.co_quan.viet_tat)
    so = f"{plan.so:02d}" if plan.so else "..."
    when = f" ngày {vn.ngay_ngan(plan.ngay_ban_hanh)}" if plan.ngay_ban_hanh else ""
    return f"Kế hoạch số {so}/{ky_hieu}{when} về {plan.trich_yeu[0].lower()}{plan.trich_yeu[1:]}"


def workbook_bytes(plan: m.KeHoach, ky: str, r: Recipient, rows: list, recipients: list[Recipient],
                   lead: dict[str, str]) -> bytes:
    """One recipient's workbook; the same inputs give the same bytes (fixed zip times and properties)."""
    from openpyxl import Workbook as OpenpyxlWorkbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.worksheet.datavalidation import DataValidation


    period = ky_label(ky, plan.nam)
    wb = OpenpyxlWorkbook()
    ws = wb.active
    ws.title = SHEET
    last = column_letter(len(COLUMNS) - 1)
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    title = f"TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH {vn.viet_hoa(period)}"
    lines = [(title, Font(name=FONT, size=14, bold=True), 24),
             (f"Đơn vị: {r.ten}", Font(name=FONT, size=12, bold=True), 18),
             (f"Kế hoạch: {plan_title(plan)}", Font(name=FONT, size=12), 32),
             ("Chọn Trạng thái trong danh sách; ghi Kết quả, Văn bản đã ban hành (mỗi văn bản một dòng, ví dụ: "
              "Kế hoạch số 35/KH-BDT ngày 16/01/2023 về ...), Ghi chú. Dòng tô vàng: nhiệm vụ đến hạn trong "
              f"{period}. Các cột Mã, Nhiệm vụ, Chủ trì, Thời hạn được khóa.", Font(name=FONT, size=11, italic=True),
              44)]
    for i, (text, font, height) in enumerate(lines, 1):
        ws.cell(i, 1, text).font = font
        ws.cell(i, 1).alignment = Alignment(wrap_text=True, vertical="center",
                                            horizontal="center" if i == 1 else "left")
        ws.merge_cells(f"A{i}:{last}{i}")
        ws.row_dimensions[i].height = height
    for c, (name, width) in enumerate(COLUMNS, 1):
        cell = ws.cell(HEADER_ROW, c, name)
        cell.font = Font(name=FONT, size=12, bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = border
        ws.column_dimensions[column_letter(c - 1)].width = width
    body = Font(name=FONT, size=12)
    due_fill = PatternFill("solid", fgColor=DUE_FILL)
    for i, (task, han, due) in enumerate(rows, HEADER_ROW + 1):
        values = [task.id, task.ten.rstrip(":.; "), _holder(task).rstrip("."), han.mo_ta()]
        ws.row_dimensions[i].height = LINE_HEIGHT * max(2, *(_lines(v, COLUMNS[c][1]) for c, v in enumerate(values)))
        for c in range(1, len(COLUMNS) + 1):
            cell = ws.cell(i, c, values[c - 1] if c <= len(values) else None)
            cell.font = body
            cell.alignment = wrap
            cell.border = border
            if due:
                cell.fill = due_fill
            if c > EDITABLE:
                cell.protection = Protection(locked=False)
    status_col = column_letter(EDITABLE)
    first, end_row = HEADER_ROW + 1, HEADER_ROW + max(len(rows), 1)
    choices = list(TRANG_THAI_CHON.values())
    dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                        showErrorMessage=True, errorTitle="Trạng thái",
                        error="Chọn một trong: " + ", ".join(choices), showInputMessage=True,
                        promptTitle="Trạng thái", prompt="Chọn trong danh sách")
    dv.add(f"{status_col}{first}:{status_col}{end_row}")
    ws.add_data_validation(dv)
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # people may widen columns and rows
    ws.protection.formatRows = False
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    meta = wb.create_sheet(META)
    meta.sheet_state = "hidden"
    record = [("loai", "tien_do", ""), ("ke_hoach", plan.trich_yeu, ""), ("nam", str(plan.nam), ""), ("ky", ky, ""),
              ("don_vi", r.ma, r.ten)]
    record += [("don_vi_nhan", x.ma, x.ten) for x in recipients]
    record += [("chu_tri_chinh", tid, ma) for tid, ma in lead.items()]
    for row in record:
        meta.append(list(row))
    meta.protection.sheet = True

    buf = io.BytesIO()
    wb.save(buf)
    when = fixed_time(plan.ngay_ban_hanh)
    props = Properties(title=f"Tiến độ {period}: {r.ten}", subject=plan.trich_yeu,
                       creator=plan.co_quan.ten, date=plan.ngay_ban_hanh)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zf:
        members = [(i.filename, core_xml(props, when) if i.filename == "docProps/core.xml" else zf.read(i))
                   for i in zf.infolist()]
    return zip_bytes(members, when)


# ---- reading back -------------------------------------------------------------------------------


@dataclass
class Received:
    """One workbook as filled in by a unit."""

    path: str
    ma: str
    ten: str
    entries: dict[str, object]  # task id → report.TienDo
    recipients: dict[str, str]  # code → name, of every unit the round went to
    lead: dict[str, str]  # task id → lead unit's code
    blank: dict[str, str] = field(default_factory=dict)  # task id → status cell of a row left blank


@dataclass
class Progress:
    """Every workbook of a report, merged."""

    received: list[Received]
    merged: dict[str, object]  # task id → report.TienDo
    lead: dict[str, str] = field(default_factory=dict)  # task id → lead unit's code
    names: dict[str, str] = field(default_factory=dict)  # unit code → name
    missing: list[str] = field(default_factory=list)  # codes of units that sent nothing

    def blank_warning(self, tid: str, period: str) -> Problem | None:
        """A due task its lead unit's sheet left blank: the warning points at the cell to fill."""
        sheet = next((r for r in self.received if r.ma == self.lead.get(tid) and tid in r.blank), None)
        if sheet is None:
            return None
        return Problem(f"nhiệm vụ '{tid}' đến hạn trong {period} nhưng đơn vị chưa chọn Trạng thái: được tính là "
                       "chưa thực hiện", sheet.path, sheet.blank[tid])

    def for_unit(self, ma: str) -> dict[str, object]:
        """Only what this unit wrote (its own report in ``batch``)."""
        return next((dict(r.entries) for r in self.received if r.ma == ma), {})

    def lead_name(self, tid: str) -> str | None:
        ma = self.lead.get(tid)
        return self.names.get(ma) if ma else None


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _status(word: str) -> TrangThai | None:

    key = _fold(word).casefold()
    for code in TRANG_THAI_CHON:
        if key in (code, TRANG_THAI_CHON[code].casefold(), TRANG_THAI[code].casefold()):
            return code  # type: ignore[return-value]  # a key of TRANG_THAI_CHON
    return None


def _citations(text: str) -> tuple[list[m.VanBan], list[str]]:
    """Documents typed one per line (or separated by ';'): those read as citations, and the rest as text."""

    found, rest = [], []
    for part in re.split(r"[\n;]+", text):
        part = _fold(part).lstrip("-–+• ").strip()
        if not part:
            continue
        parsed = parse_citation(part)
        if parsed:
            try:
                found.append(m.VanBan(**parsed))
                continue
            except ValueError:
                pass
        rest.append(part)
    return found, rest


def read_workbook(path: str, plan: m.KeHoach, ky: str, tasks: dict[str, m.NhiemVu], plan_name: str
                  ) -> Received:
    """One filled workbook → its entries; every problem at once, each with its cell."""

    found = read_grid(path, META, optional=True)
    if found is None:
        raise DocgenError(Problem(f"không phải bảng tiến độ do docgen tạo (thiếu trang ẩn '{META}'); tạo bảng "
                                  "bằng lệnh docgen tien-do", path))
    _, meta_rows = found
    meta: dict[str, tuple[int, list[str]]] = {}
    recipients: dict[str, str] = {}
    lead: dict[str, str] = {}
    for row in meta_rows:
        cells = row.cells + ["", "", ""]
        if cells[0] == "don_vi_nhan":
            recipients[cells[1]] = cells[2]
        elif cells[0] == "chu_tri_chinh":
            lead[cells[1]] = cells[2]
        elif cells[0]:
            meta[cells[0]] = (row.number, cells[1:3])

    def meta_problem(key: str, message: str) -> Problem:
        return Problem(message, path, f"{META}!B{meta.get(key, (1, []))[0]}")

    if meta.get("loai", (0, [""]))[1][0] != "tien_do":
        raise DocgenError(meta_problem("loai", "không phải bảng tiến độ do docgen tạo; tạo bảng bằng lệnh "
                                       "docgen tien-do"))
    problems = []
    their_ky = meta.get("ky", (0, [""]))[1][0]
    if their_ky != ky:
        theirs = ky_label(their_ky, plan.nam) if their_ky in ("quy_1", "6_thang", "9_thang", "nam") else their_ky
        problems.append(meta_problem("ky", f"bảng tính là tiến độ {theirs}, báo cáo là {ky_label(ky, plan.nam)}"))
    their_plan = (meta.get("ke_hoach", (0, [""]))[1][0], meta.get("nam", (0, [""]))[1][0])
    if their_plan != (plan.trich_yeu, str(plan.nam)):
        problems.append(meta_problem("ke_hoach", f"bảng tính là của kế hoạch '{their_plan[0]}' "
                                     f"(năm {their_plan[1]}), không phải kế hoạch {plan_name}"))
    if problems:
        raise DocgenError(problems)
    ma, ten = (meta["don_vi"][1] + ["", ""])[:2] if "don_vi" in meta else ("", "")

    sheet_name, rows = read_grid(path, SHEET) or (SHEET, [])
    where = lambda row, col: f"{sheet_name}!{column_letter(col)}{row}"  # noqa: E731
    names = [n for n, _ in COLUMNS]
    header = next((r for r in rows if r.cells[:2] == names[:2]), None)
    if header is None or header.cells[: len(names)] != names:
        raise DocgenError(Problem(f"không thấy dòng tiêu đề {' | '.join(names)} (bảng đã bị sửa cột?); gửi lại "
                                  "bảng tính mới tạo bằng docgen tien-do", path,
                                  where(header.number if header else HEADER_ROW, 0)))
    entries: dict[str, object] = {}
    blank: dict[str, str] = {}
    seen: dict[str, int] = {}
    for row in rows:
        if row.number <= header.number:
            continue
        cells = (row.cells + [""] * len(names))[: len(names)]
        extra = [(c, v) for c, v in enumerate(row.cells[len(names):], len(names)) if v]
        if extra:
            c, v = extra[0]
            problems.append(Problem(f"ô có dữ liệu '{v[:40]}' nằm ngoài bảng (cột {column_letter(c)} không có "
                                    "tên); chép vào cột Kết quả hoặc Ghi chú", path, where(row.number, c)))
        tid, ten_nv, _, _, status_word, ket_qua, van_ban, ghi_chu = cells
        filled = any((status_word, ket_qua, van_ban, ghi_chu))
        if not tid:
            if filled or ten_nv:
                problems.append(Problem("dòng không có mã nhiệm vụ (cột Mã): không biết là nhiệm vụ nào; chép nội "
                                        "dung vào đúng dòng của nhiệm vụ", path, where(row.number, 0)))
            continue
        if tid not in tasks:
            close = difflib.get_close_matches(tid, list(tasks), n=1, cutoff=0.5)
            hint = f"; có phải là '{close[0]}'?" if close else ""
            problems.append(Problem(f"kế hoạch {plan_name} không có nhiệm vụ mã '{tid}'{hint}", path,
                                    where(row.number, 0)))
            continue
        if tid in seen:
            problems.append(Problem(f"nhiệm vụ '{tid}' đã có ở dòng {seen[tid]}", path, where(row.number, 0)))
            continue
        seen[tid] = row.number
        plan_ten = tasks[tid].ten.rstrip(":.; ")
        if _fold(ten_nv).rstrip(":.; ") != _fold(plan_ten):
            problems.append(Problem(f"nhiệm vụ '{tid}' trong kế hoạch nay tên là '{plan_ten}', bảng tính ghi "
                                    f"'{ten_nv}'; gửi lại bảng tính mới (docgen tien-do) hoặc sửa kế hoạch", path,
                                    where(row.number, 1)))
            continue
        if not status_word:
            if filled:
                problems.append(Problem("chưa chọn Trạng thái cho nhiệm vụ đã ghi kết quả; chọn một trong: "
                                        + ", ".join(TRANG_THAI_CHON.values()), path, where(row.number, EDITABLE)))
            else:
                blank[tid] = where(row.number, EDITABLE)
            continue
        code = _status(status_word)
        if code is None:
            problems.append(Problem(f"trạng thái '{status_word}' không hợp lệ; chọn một trong: "
                                    + ", ".join(TRANG_THAI_CHON.values()), path, where(row.number, EDITABLE)))
            continue
        docs, loose = _citations(van_ban)
        text = _fold(ket_qua)
        if loose:
            text = (text.rstrip(".") + ". " if text else "") + "Văn bản: " + "; ".join(loose) + "."
        entries[tid] = TienDo.model_validate({"trang_thai": code, "ket_qua": text or None, "van_ban": docs,
                                              "ghi_chu": _fold(ghi_chu) or None})
    if problems:
        raise DocgenError(problems)
    return Received(path, ma, ten, entries, recipients, lead, blank)


def workbooks_of(source: Source, patterns: list[str]) -> list[str]:
    """The files the report's ``tien_do_tu`` patterns name (relative to the report), sorted; Excel's lock files
    (``~$x.xlsx``) left out. A pattern that matches nothing is an error."""
    base = source.path.parent
    found: list[str] = []
    problems = []
    for i, pattern in enumerate(patterns):
        matches = sorted(p for p in glob.glob(str(base / pattern))
                         if not Path(p).name.startswith(("~$", ".~lock")) and Path(p).is_file())
        if not matches:
            problems.append(source.problem(("tien_do_tu", i), f"không có tệp nào khớp '{pattern}' (tính từ thư "
                                           "mục của tệp báo cáo)"))
        found.extend(p for p in matches if p not in found)
    if problems:
        raise DocgenError(problems)
    return found


def read_progress(source: Source, patterns: list[str], plan: m.KeHoach, ky: str, plan_name: str) -> Progress:
    """Every workbook read and checked (all problems at once), then merged."""

    tasks = {t.id: t for _, t in iter_tasks(plan.noi_dung)}
    received: list[Received] = []
    problems: list[Problem] = []
    by_unit: dict[str, str] = {}
    for path in workbooks_of(source, patterns):
        try:
            got = read_workbook(path, plan, ky, tasks, plan_name)
        except DocgenError as exc:
            problems.extend(exc.problems)
            continue
        if got.ma in by_unit:
            who = f"đơn vị {got.ma} ({got.ten})" if got.ma else "bảng của cả cơ quan"
            problems.append(Problem(f"{who} đã có trong tệp {by_unit[got.ma]}; bỏ bớt một tệp", path))
            continue
        by_unit[got.ma] = path
        received.append(got)
    if problems:
        raise DocgenError(problems)
    return merge(received)


def merge(received: list[Received]) -> Progress:
    """Several units on one task: the task's status is its lead unit's (when the lead unit did not report it,
    the task is in progress if any unit says it is done or in progress, else not started); results, documents
    and notes of all units are kept, each result prefixed with its unit's name when more than one unit wrote
    one."""

    names: dict[str, str] = {}
    lead: dict[str, str] = {}
    for r in received:
        names.update(r.recipients)
        lead.update(r.lead)
        names[r.ma] = r.ten
    order = {ma: i for i, ma in enumerate(names)}
    received = sorted(received, key=lambda r: order.get(r.ma, len(order)))
    by_task: dict[str, list[tuple[Received, TienDo]]] = {}
    for r in received:
        for tid, entry in r.entries.items():
            by_task.setdefault(tid, []).append((r, entry))  # type: ignore[arg-type]
    merged: dict[str, object] = {}
    for tid, reports in by_task.items():
        reports.sort(key=lambda x: x[0].ma != lead.get(tid, x[0].ma))  # the lead unit first
        own = next((e for r, e in reports if r.ma == lead.get(tid, r.ma)), None)
        if own is not None:
            status = own.trang_thai
        elif any(e.trang_thai != CHUA_THUC_HIEN for _, e in reports):
            status = DANG_THUC_HIEN
        else:
            status = CHUA_THUC_HIEN
        several = sum(bool(e.ket_qua) for _, e in reports) > 1
        results = [f"{r.ten}: {e.ket_qua}" if several else e.ket_qua for r, e in reports if e.ket_qua]
        notes = [f"{r.ten}: {e.ghi_chu}" if len(reports) > 1 else e.ghi_chu for r, e in reports if e.ghi_chu]
        docs: list[m.VanBan] = []
        for _, e in reports:
            docs.extend(d for d in e.van_ban if d not in docs)
        merged[tid] = TienDo(trang_thai=status, ket_qua=" ".join(x if x.endswith(".") else x + "." for x in results)
                             or None, van_ban=docs, ghi_chu="; ".join(notes) or None)
    missing = [ma for ma in names if ma not in {r.ma for r in received}]
    return Progress(received, merged, lead, names, missing)


def missing_warnings(progress: Progress, source: Source) -> list[Problem]:
    """A unit that sent nothing: a warning naming it (the report's text says "chưa báo cáo")."""
    return [source.problem(("tien_do_tu",), f"đơn vị {ma} ({progress.names[ma]}) chưa gửi bảng tiến độ: các nhiệm "
                           "vụ đơn vị chủ trì được tính là chưa thực hiện, báo cáo ghi đơn vị chưa báo cáo")
            for ma in progress.missing]
