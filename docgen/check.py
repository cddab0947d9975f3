"""``docgen check``: the Decree 30 rules on any .docx, ours or not.

Each rule has an id, a Vietnamese name and one function. A rule that cannot be
evaluated (its component is not found) says so (KHÔNG ĐÁNH GIÁ) and is never
reported as passed. Formatting is read effective (styles, defaults, theme).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from lxml import etree

from . import vn
from .docx_safe import SafeDocx
from .lines import page_text_width
from .metrics import text_width_pt
from .ooxml import ParaFormat, RunFormat, Styles, q, text

DAT, KHONG_DAT, KHONG_DANH_GIA = "ĐẠT", "KHÔNG ĐẠT", "KHÔNG ĐÁNH GIÁ"
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
TNR = "Times New Roman"
MM = 1440 / 25.4  # twips per millimetre
TEN_LOAI = {vn.viet_hoa(k): v for k, v in vn.VIET_TAT_LOAI.items()}
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
V = "urn:schemas-microsoft-com:vml"


@dataclass
class Finding:
    quy_tac: str
    ten: str
    trang_thai: str
    tim_thay: str = ""
    can: str = ""
    doan: str = ""

    def line(self) -> str:
        parts = [f"{self.trang_thai}", self.quy_tac, self.ten]
        if self.tim_thay:
            parts.append(f"thấy: {self.tim_thay}")
        if self.can and self.trang_thai != DAT:
            parts.append(f"cần: {self.can}")
        if self.doan:
            parts.append(f"đoạn: «{self.doan[:60]}»")
        return " | ".join(parts)


def _loose(s: str) -> str:
    """Upper case without diacritics or spaces: finds a component however it is spelt."""
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    return re.sub(r"[\W_]", "", "".join(c for c in s if unicodedata.category(c) != "Mn")).upper()


def _t(p: etree._Element | None) -> str:
    return unicodedata.normalize("NFC", text(p)).strip() if p is not None else ""


class Doc:
    """The located components of one .docx."""

    def __init__(self, path: Path | str) -> None:
        self.safe = SafeDocx(path)
        self.root = self.safe.xml("word/document.xml")
        self.body = self.root.find(q("w:body"))
        self.styles = Styles(self.safe.raw("word/styles.xml"), self.safe.raw("word/theme/theme1.xml"))
        self.paras = list(self.body.iter(q("w:p")))
        self.sections = list(self.body.iter(q("w:sectPr")))
        self.text_width = page_text_width(self.sections[-1] if self.sections else None)
        rels = self.safe.xml("word/_rels/document.xml.rels")
        self.rels = {r.get("Id"): r.get("Target") for r in rels} if rels is not None else {}
        self._locate()

    # ---- formatting helpers ----
    def pf(self, p) -> ParaFormat:
        return self.styles.paragraph(p)

    def rfs(self, p) -> list[tuple[str, RunFormat]]:
        return self.styles.runs(p)

    def rf(self, p) -> RunFormat:
        runs = self.rfs(p)
        return runs[0][1] if runs else self.styles.run(p)

    def header(self, sect, kind: str) -> etree._Element | None:
        for ref in sect.findall(q("w:headerReference")):
            if ref.get(q("w:type")) == kind:
                target = self.rels.get(ref.get(f"{{{R}}}id"), "")
                return self.safe.xml("word/" + target.lstrip("/").removeprefix("word/"))
        return None

    # ---- locating ----
    def _first(self, pred, start=0, limit=None) -> etree._Element | None:
        for p in self.paras[start:limit]:
            if pred(p):
                return p
        return None

    def _cell(self, p):
        return next(p.iterancestors(q("w:tc")), None)

    def _locate(self) -> None:
        head = 40
        self.quoc_hieu = self._first(lambda p: _loose(_t(p)) == "CONGHOAXAHOICHUNGHIAVIETNAM", 0, head)
        self.tieu_ngu = self._first(lambda p: _loose(_t(p)) == "DOCLAPTUDOHANHPHUC", 0, head)
        self.so = self._first(lambda p: re.match(r"(?i)^s[ốo]\s*:", _t(p)) is not None, 0, head)
        self.ngay = self._first(lambda p: re.search(r"ngày.*tháng.*năm", _t(p), re.I) is not None
                                and "," in _t(p), 0, head)
        self.chu_quan = self.ban_hanh = None
        if self.so is not None:
            cell = self._cell(self.so)
            scope = list(cell.iter(q("w:p"))) if cell is not None else self.paras[:self.paras.index(self.so)]
            row = next(self.so.iterancestors(q("w:tr")), None)
            if cell is not None and row is not None:
                # agency lines are in the same column of the rows above, or in the same cell above
                col = list(row.findall(q("w:tc"))).index(cell)
                table = row.getparent()
                scope = []
                for tr in table.findall(q("w:tr")):
                    cells = tr.findall(q("w:tc"))
                    if col < len(cells):
                        scope.extend(cells[col].iter(q("w:p")))
            upto = scope.index(self.so) if self.so in scope else 0
            before = [p for p in scope[:upto] if _t(p)]
            before = [p for p in before if p not in (self.quoc_hieu, self.tieu_ngu)][-2:]
            if before:
                self.ban_hanh = before[-1]
                self.chu_quan = before[0] if len(before) == 2 else None
        start = max((self.paras.index(p) for p in (self.so, self.ngay) if p is not None), default=0)
        self.ten_loai = self._first(lambda p: _t(p) in TEN_LOAI and self._cell(p) is None, start)
        self.trich_yeu = None
        if self.ten_loai is not None:
            i = self.paras.index(self.ten_loai)
            self.trich_yeu = self._first(lambda p: bool(_t(p)), i + 1)
        self.noi_nhan = self._first(lambda p: _loose(_t(p)) == "NOINHAN")
        self.noi_nhan_items: list = []
        self.ky: list = []
        if self.noi_nhan is not None:
            cell = self._cell(self.noi_nhan)
            if cell is not None:
                ps = list(cell.iter(q("w:p")))
                self.noi_nhan_items = [p for p in ps[ps.index(self.noi_nhan) + 1:] if _t(p)]
                row = next(cell.iterancestors(q("w:tr")))
                for other in row.findall(q("w:tc")):
                    if other is not cell:
                        self.ky.extend(p for p in other.iter(q("w:p")) if _t(p))
        self.body_paras = self._body()

    def _body(self) -> list:
        if self.trich_yeu is None:
            return []
        out = []
        started = False
        for el in self.body:
            if el is self.trich_yeu:
                started = True
                continue
            if not started:
                continue
            if el.tag == q("w:tbl"):
                if any(p is self.noi_nhan for p in el.iter(q("w:p"))) or out:
                    break
                continue
            if el.tag != q("w:p"):
                continue
            if el is self.noi_nhan:
                break
            t = _t(el)
            if t and not t.startswith("Kính gửi"):
                out.append(el)
            if el.find(f"{q('w:pPr')}/{q('w:sectPr')}") is not None:
                break
        # Kính gửi lists ("- A;") directly under the title belong to the heading, not the body
        while out and _t(out[0]).startswith("- ") and self._kinh_gui_before(out[0]):
            out.pop(0)
        return out

    def _kinh_gui_before(self, p) -> bool:
        prev = p.getprevious()
        while prev is not None and prev.tag == q("w:p") and (not _t(prev) or _t(prev).startswith("- ")):
            prev = prev.getprevious()
        return prev is not None and _t(prev).startswith("Kính gửi")

    # ---- lines ----
    def container_width(self, p) -> int:
        tc = self._cell(p)
        if tc is None:
            return self.text_width
        tcw = tc.find(f"{q('w:tcPr')}/{q('w:tcW')}")
        if tcw is not None and (tcw.get(q("w:type")) in (None, "dxa")):
            return int(float(tcw.get(q("w:w")))) - 216
        return self.text_width

    def text_width_twips(self, p) -> float:
        width = sum(text_width_pt(t, f.size_pt or 11, bool(f.bold), bool(f.italic)) for t, f in self.rfs(p)) * 20
        return min(width, self.container_width(p))

    def line_under(self, p) -> float | None:
        """Length (twips) of a line drawn under ``p``: a border, or a line shape; None if none."""
        candidates = [(p, "bottom")]
        nxt = p.getnext()
        if nxt is not None and nxt.tag == q("w:p") and not _t(nxt):
            candidates += [(nxt, "top"), (nxt, "bottom")]
        for para, edge in candidates:
            pf = self.pf(para)
            if edge in pf.borders and pf.borders[edge].get("val") not in (None, "nil", "none"):
                return self.container_width(para) - pf.left - pf.right
        for para in [p] + ([nxt] if nxt is not None and nxt.tag == q("w:p") else []):
            length = _shape_line(para)
            if length:
                return length
        return None


def _shape_line(p) -> float | None:
    for geom in p.iter(f"{{{A}}}prstGeom"):
        if geom.get("prst") in ("line", "straightConnector1"):
            holder = next((a for a in geom.iterancestors() if a.tag in (f"{{{WP}}}anchor", f"{{{WP}}}inline")),
                          None)
            ext = holder.find(f"{{{WP}}}extent") if holder is not None else None
            if ext is not None:
                return int(ext.get("cx")) / 635
    for line in p.iter(f"{{{V}}}line"):
        try:
            x1 = float(line.get("from", "0,0").split(",")[0].rstrip("pt"))
            x2 = float(line.get("to", "0,0").split(",")[0].rstrip("pt"))
            return abs(x2 - x1) * 20
        except ValueError:
            return None
    return None


# ---- rules ----------------------------------------------------------------------------------------

RULES: list[tuple[str, str, Callable[[Doc], Finding | tuple[str, str, str, str]]]] = []


def rule(rule_id: str, ten: str):
    def register(fn):
        RULES.append((rule_id, ten, fn))
        return fn
    return register


def _ok(found: str, need: str = "", p=None):
    return (DAT, found, need, _t(p))


def _bad(found: str, need: str, p=None):
    return (KHONG_DAT, found, need, _t(p))


def _na(why: str):
    return (KHONG_DANH_GIA, why, "", "")


def _size(f: RunFormat) -> str:
    return f"{f.size_pt:g} pt" if f.size_pt else "không rõ cỡ chữ"


def _fmt_check(doc: Doc, p, lo: float, hi: float, bold: bool | None = None, italic: bool | None = None,
               upper: bool = False, align: str | None = None):
    problems = []
    for _, f in doc.rfs(p):
        if f.size_pt is None or not lo <= f.size_pt <= hi:
            problems.append(f"cỡ {_size(f)}")
        if bold is not None and bool(f.bold) != bold:
            problems.append("in đậm" if f.bold else "không in đậm")
        if italic is not None and bool(f.italic) != italic:
            problems.append("in nghiêng" if f.italic else "không in nghiêng")
    if upper and _t(p) != vn.viet_hoa(_t(p)):
        problems.append("không in hoa")
    if align and doc.pf(p).alignment not in ((align,) if align != "center" else ("center",)):
        problems.append(f"căn lề {doc.pf(p).alignment or 'trái'}")
    need = f"{lo:g}–{hi:g} pt" + ("" if bold is None else (", đậm" if bold else ", không đậm")) + (
        "" if italic is None else (", nghiêng" if italic else ", đứng")) + (", in hoa" if upper else "") + (
        ", căn giữa" if align == "center" else "")
    if problems:
        return _bad(", ".join(dict.fromkeys(problems)), need, p)
    f = doc.rf(p)
    return _ok(f"{_size(f)}" + (", đậm" if f.bold else "") + (", nghiêng" if f.italic else ""), need, p)


@rule("trang.a4", "Khổ giấy A4, trang dọc")
def _a4(doc):
    for s in doc.sections:
        pg = s.find(q("w:pgSz"))
        if pg is None:
            return _na("không có khổ giấy")
        w, h = int(pg.get(q("w:w"))), int(pg.get(q("w:h")))
        if abs(w - 11906) > 20 or abs(h - 16838) > 20 or pg.get(q("w:orient")) == "landscape":
            return _bad(f"{w / MM:.0f}×{h / MM:.0f} mm", "210×297 mm, dọc")
    return _ok("210×297 mm")


@rule("trang.le", "Lề trang (trên 20–25, dưới 20–25, trái 30–35, phải 15–20 mm)")
def _margins(doc):
    ranges = {"top": (20, 25), "bottom": (20, 25), "left": (30, 35), "right": (15, 20)}
    names = {"top": "trên", "bottom": "dưới", "left": "trái", "right": "phải"}
    for s in doc.sections:
        mar = s.find(q("w:pgMar"))
        if mar is None:
            return _na("không có lề trang")
        got = {k: abs(int(mar.get(q(f"w:{k}")))) / MM for k in ranges}
        bad = [f"{names[k]} {v:.1f} mm" for k, v in got.items() if not ranges[k][0] - 0.05 <= v <= ranges[k][1] + 0.05]
        if bad:
            return _bad(", ".join(bad), "trên 20–25, dưới 20–25, trái 30–35, phải 15–20 mm")
    return _ok(", ".join(f"{names[k]} {v:.0f}" for k, v in got.items()) + " mm")


@rule("phong_chu", "Phông Times New Roman, chữ đen")
def _font(doc):
    for p in doc.paras:
        for _, f in doc.rfs(p):
            for slot in ("ascii", "hAnsi"):
                if f.fonts.get(slot) != TNR:
                    return _bad(f"phông {f.fonts.get(slot) or 'mặc định'}", TNR, p)
            for slot in ("cs", "eastAsia"):
                if slot in f.fonts and f.fonts[slot] != TNR:
                    return _bad(f"phông {slot} {f.fonts[slot]}", TNR, p)
            if f.color not in (None, "auto", "000000"):
                return _bad(f"màu {f.color}", "đen", p)
    return _ok(TNR)


@rule("quoc_hieu.chu", "Quốc hiệu đúng chữ")
def _qh_text(doc):
    p = doc.quoc_hieu
    if p is None:
        return _na("không tìm thấy Quốc hiệu")
    return _ok(_t(p), QUOC_HIEU, p) if _t(p) == QUOC_HIEU else _bad(_t(p), QUOC_HIEU, p)


@rule("quoc_hieu.dinh_dang", "Quốc hiệu: 12–13 pt, đậm, in hoa")
def _qh_fmt(doc):
    return _fmt_check(doc, doc.quoc_hieu, 12, 13, bold=True, upper=True) if doc.quoc_hieu is not None else _na(
        "không tìm thấy Quốc hiệu")


@rule("tieu_ngu.chu", "Tiêu ngữ đúng chữ (cách hai bên gạch nối)")
def _tn_text(doc):
    p = doc.tieu_ngu
    if p is None:
        return _na("không tìm thấy Tiêu ngữ")
    return _ok(_t(p), TIEU_NGU, p) if _t(p) == TIEU_NGU else _bad(_t(p), TIEU_NGU, p)


@rule("tieu_ngu.dinh_dang", "Tiêu ngữ: 13–14 pt, đậm")
def _tn_fmt(doc):
    return _fmt_check(doc, doc.tieu_ngu, 13, 14, bold=True) if doc.tieu_ngu is not None else _na(
        "không tìm thấy Tiêu ngữ")


def _ratio_rule(doc, p, lo, hi, need):
    if p is None:
        return _na("không tìm thấy đoạn chữ")
    length = doc.line_under(p)
    if length is None:
        return _bad("không có đường kẻ", need, p)
    ratio = length / max(doc.text_width_twips(p), 1)
    found = f"đường kẻ dài {ratio:.0%} độ dài chữ"
    return _ok(found, need, p) if lo <= ratio <= hi else _bad(found, need, p)


@rule("tieu_ngu.gach", "Đường kẻ dưới Tiêu ngữ dài bằng dòng chữ")
def _tn_line(doc):
    return _ratio_rule(doc, doc.tieu_ngu, 0.9, 1.1, "90–110 % độ dài chữ")


@rule("co_quan.chu_quan", "Cơ quan chủ quản: 12–13 pt, đứng, không đậm, in hoa")
def _cq(doc):
    if doc.chu_quan is None:
        return _na("không có dòng cơ quan chủ quản")
    return _fmt_check(doc, doc.chu_quan, 12, 13, bold=False, upper=True)


@rule("co_quan.ban_hanh", "Cơ quan ban hành: 12–13 pt, đậm, in hoa")
def _bh(doc):
    if doc.ban_hanh is None:
        return _na("không tìm thấy tên cơ quan ban hành")
    return _fmt_check(doc, doc.ban_hanh, 12, 13, bold=True, upper=True)


@rule("co_quan.gach", "Đường kẻ dưới tên cơ quan ban hành dài 1/3–1/2 dòng chữ")
def _bh_line(doc):
    return _ratio_rule(doc, doc.ban_hanh, 0.30, 0.53, "1/3–1/2 độ dài chữ")


SO_RE = re.compile(r"^Số: (?:(\d+)|\s*)/([A-ZĐ][A-Za-zĐđ]*(?:-[A-ZĐ0-9][A-Za-zĐđ0-9.]*)+)$")


@rule("so_ky_hieu.dang", "Số, ký hiệu: 'Số:' chữ thường, số dưới 10 có số 0, ký hiệu in hoa nối bằng '-'")
def _so(doc):
    p = doc.so
    if p is None:
        return _na("không tìm thấy dòng Số")
    t = _t(p)
    m = SO_RE.match(t)
    need = "Số: 05/KH-BDT (hoặc Số:      /KH-BDT khi là dự thảo)"
    if not m:
        return _bad(t, need, p)
    if m.group(1) and len(m.group(1)) < 2:
        return _bad(t, "số dưới 10 viết thêm số 0 phía trước", p)
    return _ok(t, need, p)


@rule("so_ky_hieu.dinh_dang", "Số, ký hiệu: 13 pt, đứng, không đậm")
def _so_fmt(doc):
    return _fmt_check(doc, doc.so, 13, 13, bold=False, italic=False) if doc.so is not None else _na(
        "không tìm thấy dòng Số")


NGAY_RE = re.compile(r"^(?P<place>[^,]+), ngày (?P<d>\d{2}|\s*\.*\s*) tháng (?P<m>\d{1,2}|\s*\.*\s*) năm (?P<y>\d{4})$")


@rule("ngay.dang", "Địa danh, ngày tháng: ngày dưới 10 và tháng 1, 2 có số 0")
def _ngay(doc):
    p = doc.ngay
    if p is None:
        return _na("không tìm thấy dòng địa danh, ngày tháng")
    t = _t(p)
    m = NGAY_RE.match(t)
    need = "Quảng Ngãi, ngày 05 tháng 01 năm 2023 / ngày 05 tháng 3 năm 2023"
    if not m:
        return _bad(t, need, p)
    month = m.group("m").strip()
    if month.isdigit():
        n = int(month)
        if not 1 <= n <= 12 or (n < 3 and len(month) != 2) or (n >= 3 and month.startswith("0")):
            return _bad(t, "tháng 1, 2 viết 01, 02; tháng 3 đến 12 không có số 0", p)
    return _ok(t, need, p)


@rule("ngay.dinh_dang", "Địa danh, ngày tháng: 13–14 pt, nghiêng")
def _ngay_fmt(doc):
    return _fmt_check(doc, doc.ngay, 13, 14, italic=True) if doc.ngay is not None else _na(
        "không tìm thấy dòng ngày tháng")


@rule("ten_loai", "Tên loại văn bản: 13–14 pt, đậm, in hoa, căn giữa")
def _tl(doc):
    return _fmt_check(doc, doc.ten_loai, 13, 14, bold=True, upper=True, align="center") \
        if doc.ten_loai is not None else _na("không tìm thấy tên loại văn bản")


@rule("trich_yeu", "Trích yếu: 13–14 pt, đậm, căn giữa")
def _ty(doc):
    return _fmt_check(doc, doc.trich_yeu, 13, 14, bold=True, align="center") if doc.trich_yeu is not None else _na(
        "không tìm thấy trích yếu")


@rule("trich_yeu.gach", "Đường kẻ dưới trích yếu dài 1/3–1/2 dòng chữ")
def _ty_line(doc):
    return _ratio_rule(doc, doc.trich_yeu, 0.30, 0.53, "1/3–1/2 độ dài chữ")


def _each_body(doc, check, need):
    if not doc.body_paras:
        return _na("không tìm thấy phần nội dung")
    bad = [(p, found) for p in doc.body_paras if (found := check(p))]
    if bad:
        p, found = bad[0]
        return _bad(f"{found} ({len(bad)} đoạn)", need, p)
    return _ok(f"{len(doc.body_paras)} đoạn", need)


@rule("noi_dung.can_le", "Nội dung: căn đều hai lề")
def _just(doc):
    return _each_body(doc, lambda p: None if doc.pf(p).alignment in ("both", "distribute")
                      else f"căn {doc.pf(p).alignment or 'trái'}", "căn đều hai lề")


@rule("noi_dung.co_chu", "Nội dung: cỡ chữ 13–14 pt")
def _body_size(doc):
    def check(p):
        for _, f in doc.rfs(p):
            if f.size_pt is None or not 13 <= f.size_pt <= 14:
                return _size(f)
        return None
    return _each_body(doc, check, "13–14 pt")


@rule("noi_dung.thut_dong", "Nội dung: lùi đầu dòng 1–1,27 cm")
def _indent(doc):
    return _each_body(doc, lambda p: None if 557 <= doc.pf(p).first_line <= 730
                      else f"lùi {doc.pf(p).first_line / 567:.2f} cm", "1–1,27 cm")


@rule("noi_dung.gian_doan", "Nội dung: cách đoạn tối thiểu 6 pt")
def _para_space(doc):
    return _each_body(doc, lambda p: None if doc.pf(p).before + doc.pf(p).after >= 120
                      else f"cách {(doc.pf(p).before + doc.pf(p).after) / 20:g} pt", "≥ 6 pt")


@rule("noi_dung.gian_dong", "Nội dung: giãn dòng từ đơn đến 1,5 dòng (hoặc chính xác từ 15 pt)")
def _line_space(doc):
    def check(p):
        pf = doc.pf(p)
        rule_, line = pf.line_rule or "auto", pf.line if pf.line is not None else 240
        if rule_ == "auto" and 240 <= line <= 360:
            return None
        if rule_ in ("exact", "atLeast") and line >= 300:
            return None
        return f"giãn {line / 240:.2f} dòng" if rule_ == "auto" else f"{rule_} {line / 20:g} pt"
    return _each_body(doc, check, "1–1,5 dòng hoặc ≥ 15 pt")


ROMAN_RE = re.compile(r"^([IVXLC]+)\.\s")
ARABIC_RE = re.compile(r"^(\d+(?:\.\d+)*)\.\s")
LETTER_RE = re.compile(r"^([a-zđ]{1,2})\)\s")


@rule("noi_dung.la_ma", "Mục đánh số La Mã liên tục (I, II, III...)")
def _roman(doc):
    found = [m.group(1) for p in doc.body_paras if (m := ROMAN_RE.match(_t(p)))]
    if not found:
        return _na("không có mục số La Mã")
    expected = [vn.so_la_ma(i) for i in range(1, len(found) + 1)]
    return _ok(", ".join(found)) if found == expected else _bad(", ".join(found), ", ".join(expected))


@rule("noi_dung.chu_cai", "Điểm đánh chữ cái theo thứ tự tiếng Việt (a b c d đ e g h...), không nhảy chữ")
def _letters(doc):
    runs: list[list[tuple[str, etree._Element]]] = [[]]
    for p in doc.body_paras:
        t = _t(p)
        if ROMAN_RE.match(t) or ARABIC_RE.match(t):
            runs.append([])
        elif m := LETTER_RE.match(t):
            runs[-1].append((m.group(1), p))
    runs = [r for r in runs if r]
    if not runs:
        return _na("không có điểm a), b)...")
    for r in runs:
        letters = [x for x, _ in r]
        expected = [vn.chu_cai(i) for i in range(1, len(letters) + 1)]
        if letters != expected:
            bad = next(i for i, (a, b) in enumerate(zip(letters, expected, strict=True)) if a != b)
            return _bad(", ".join(letters), ", ".join(expected), r[bad][1])
    return _ok(f"{len(runs)} dãy điểm")


@rule("noi_dung.ket_thuc", "Nội dung kết thúc bằng './.'")
def _end(doc):
    if not doc.body_paras:
        return _na("không tìm thấy phần nội dung")
    last = doc.body_paras[-1]
    return _ok("./.", "./.", last) if _t(last).endswith("./.") else _bad(_t(last)[-20:], "./.", last)


@rule("noi_nhan.nhan", "'Nơi nhận:' 12 pt, đậm, nghiêng")
def _nn(doc):
    p = doc.noi_nhan
    if p is None:
        return _na("không tìm thấy Nơi nhận")
    if _t(p) != "Nơi nhận:":
        return _bad(_t(p), "Nơi nhận:", p)
    return _fmt_check(doc, p, 12, 12, bold=True, italic=True)


@rule("noi_nhan.muc", "Nơi nhận: 11 pt, mỗi dòng '- ...;', dòng cuối '- Lưu: ....'")
def _nn_items(doc):
    items = doc.noi_nhan_items
    if not items:
        return _na("không tìm thấy các dòng nơi nhận")
    for i, p in enumerate(items):
        t = _t(p)
        last = i == len(items) - 1
        if not t.startswith("- "):
            return _bad(t, "bắt đầu bằng '- '", p)
        if last and not (t.startswith("- Lưu:") and t.endswith(".")):
            return _bad(t, "- Lưu: VT, ... (kết thúc bằng '.')", p)
        if not last and not t.endswith(";"):
            return _bad(t, "kết thúc bằng ';'", p)
        for _, f in doc.rfs(p):
            if f.size_pt != 11:
                return _bad(_size(f), "11 pt", p)
    return _ok(f"{len(items)} dòng, 11 pt")


@rule("ky.chuc_vu", "Quyền hạn, chức vụ người ký: in hoa, đậm, 13–14 pt")
def _ky(doc):
    if len(doc.ky) < 2:
        return _na("không tìm thấy khối chữ ký")
    for p in doc.ky[:-1]:
        t = _t(p)
        if t != vn.viet_hoa(t):
            return _bad(t, "in hoa", p)
        m = re.match(r"^([A-ZĐ]+)\. ", t)
        if m and m.group(1) not in ("TM", "KT", "Q", "TL", "TUQ"):
            return _bad(t, "TM./KT./Q./TL./TUQ.", p)
        result = _fmt_check(doc, p, 13, 14, bold=True)
        if result[0] != DAT:
            return result
    return _ok(" / ".join(_t(p) for p in doc.ky[:-1]))


@rule("ky.ho_ten", "Họ tên người ký: đậm, 13–14 pt, không kèm học hàm, học vị")
def _ho_ten(doc):
    if len(doc.ky) < 2:
        return _na("không tìm thấy khối chữ ký")
    p = doc.ky[-1]
    if re.match(r"^(TS|ThS|PGS|GS|KS|BS|CN)\b\.?", _t(p)):
        return _bad(_t(p), "chỉ họ tên", p)
    return _fmt_check(doc, p, 13, 14, bold=True)


def _has_page_field(part) -> bool:
    if part is None:
        return False
    instr = "".join(t.text or "" for t in part.iter(q("w:instrText")))
    simple = [f.get(q("w:instr"), "") for f in part.iter(q("w:fldSimple"))]
    return "PAGE" in instr.upper() or any("PAGE" in s.upper() for s in simple)


@rule("so_trang", "Số trang: giữa phần đầu trang, 13–14 pt, không hiện ở trang 1")
def _pages(doc):
    if not doc.sections:
        return _na("không có thông tin trang")
    sect = doc.sections[0]
    default = doc.header(sect, "default")
    if not _has_page_field(default):
        return _bad("không có số trang ở đầu trang", "trường PAGE ở đầu trang")
    first = doc.header(sect, "first")
    if sect.find(q("w:titlePg")) is None or (first is not None and _has_page_field(first)):
        return _bad("trang 1 có số trang", "không hiện số trang ở trang 1")
    p = next(p for p in default.iter(q("w:p")) if p.find(f".//{q('w:instrText')}") is not None
             or p.find(f".//{q('w:fldSimple')}") is not None)
    pf, f = doc.pf(p), doc.styles.run(p, next(p.iter(q("w:r")), None))
    if pf.alignment != "center" or f.size_pt is None or not 13 <= f.size_pt <= 14:
        return _bad(f"căn {pf.alignment or 'trái'}, {_size(f)}", "căn giữa, 13–14 pt")
    return _ok("từ trang 2, giữa, " + _size(f))


@rule("mau.sot", "Không còn thẻ mẫu ({{ }}, {% %}) hay chữ None")
def _leftovers(doc):
    for p in doc.paras:
        t = _t(p)
        if re.search(r"\{\{|\}\}|\{%|%\}|\bNone\b", t):
            return _bad(t, "không có thẻ mẫu", p)
    return _ok("không có")


def check(path: Path | str, kind: str | None = None) -> list[Finding]:
    """Evaluate every rule on one file; ``kind`` (KH, BC, ...) also requires that document type."""
    doc = Doc(path)
    findings = []
    if kind is not None:
        found = TEN_LOAI.get(_t(doc.ten_loai)) if doc.ten_loai is not None else None
        status = DAT if found == kind else (KHONG_DANH_GIA if found is None and doc.ten_loai is None else KHONG_DAT)
        findings.append(Finding("ten_loai.loai", f"Loại văn bản là {kind}", status, found or _t(doc.ten_loai),
                                kind, _t(doc.ten_loai)))
    for rule_id, ten, fn in RULES:
        status, found, need, para = fn(doc)
        findings.append(Finding(rule_id, ten, status, found, need, para))
    return findings


def as_dicts(findings: list[Finding]) -> Iterator[dict]:
    for f in findings:
        yield asdict(f)
