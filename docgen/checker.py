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
from .errors import DocgenError, Problem
from .lines import DECISION_LINE, page_text_width
from .metrics import text_width_pt
from .ooxml import Numbering, ParaFormat, RunFormat, Styles, q, text
from .parts import Line, docx_lines, locate

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
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


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


def _t(x) -> str:
    """Text of a located line (or paragraph), NFC, stripped."""
    if x is None:
        return ""
    if isinstance(x, Line):
        return x.text
    if isinstance(x, list):
        return " ".join(_t(y) for y in x)
    return unicodedata.normalize("NFC", text(x)).strip()


def _visible(t: str) -> bool:
    """Text whose look a reader can judge: a bold space or a 16 pt full stop is not bold or big text."""
    return any(c.isalnum() for c in t)


def _first_line(x) -> Line | None:
    if isinstance(x, list):
        return x[0] if x else None
    return x


def _last_line(x) -> Line | None:
    if isinstance(x, list):
        return x[-1] if x else None
    return x


class Doc:
    """The located components of one .docx (see :mod:`docgen.parts`)."""

    def __init__(self, path: Path | str) -> None:
        self.safe = SafeDocx(path)
        root = self.safe.xml("word/document.xml")
        body = root.find(q("w:body")) if root is not None else None
        if root is None or body is None:
            raise DocgenError(Problem("không phải tệp Word .docx (word/document.xml không có phần thân)", str(path)))
        self.root, self.body = root, body
        self.styles = Styles(self.safe.raw("word/styles.xml"), self.safe.raw("word/theme/theme1.xml"))
        self.paras = list(self.body.iter(q("w:p")))
        self.sections = list(self.body.iter(q("w:sectPr")))
        self.text_width = page_text_width(self.sections[0] if self.sections else None)
        rels = self.safe.xml("word/_rels/document.xml.rels")
        self.rels = {r.get("Id"): r.get("Target") for r in rels} if rels is not None else {}
        numbering = Numbering(self.safe.xml("word/numbering.xml"), self.styles)
        self.labels = {p: numbering.label(p) for p in self.paras}
        self.lines = docx_lines(self.body)
        self.parts = locate(self.lines, self.is_bold, self.is_centered)
        pt = self.parts
        self.quoc_hieu = pt.quoc_hieu or None
        self.tieu_ngu = pt.tieu_ngu
        self.so = pt.so[0] if pt.so else None
        self.ngay = pt.ngay or None
        self.chu_quan = pt.chu_quan or None
        self.ban_hanh = pt.ban_hanh or None
        self.ten_loai = pt.ten_loai
        self.trich_yeu = pt.trich_yeu or None
        self.vv = pt.vv or None
        self.noi_nhan = pt.noi_nhan
        self.noi_nhan_items = pt.noi_nhan_items
        self.ky = pt.ky + ([pt.ho_ten] if pt.ho_ten is not None else [])
        self.ky_titles, self.ho_ten = pt.ky, pt.ho_ten
        seen: set[int] = set()
        self.body_paras = []
        for line in pt.body:
            if line.whole and id(line.p) not in seen:
                seen.add(id(line.p))
                self.body_paras.append(line)

    # ---- formatting helpers ----
    def pf(self, x) -> ParaFormat:
        return self.styles.paragraph(x.p if isinstance(x, Line) else x)

    def rfs(self, x) -> list[tuple[str, RunFormat]]:
        """(text, format) of the runs that draw something (a bold space is not bold text)."""
        if isinstance(x, list):
            return [r for y in x for r in self.rfs(y)]
        if isinstance(x, Line):
            if x.p is None:
                return []
            return [(t, self.styles.run(x.p, r)) for t, r in x.runs if _visible(t) and r is not None]
        return [(t, f) for t, f in self.styles.runs(x) if _visible(t)]

    def rf(self, x) -> RunFormat:
        runs = self.rfs(x)
        line = _first_line(x)
        return runs[0][1] if runs else self.styles.run(line.p if isinstance(line, Line) else line)

    def is_bold(self, line: Line) -> bool | None:
        runs = self.rfs(line)
        return bool(runs) and all(bool(f.bold) for _, f in runs)

    def is_centered(self, line: Line) -> bool | None:
        return line.p is not None and self.styles.paragraph(line.p).alignment == "center"

    def header(self, sect, kind: str) -> etree._Element | None:
        for ref in sect.findall(q("w:headerReference")):
            if ref.get(q("w:type")) == kind:
                target = self.rels.get(ref.get(f"{{{R}}}id"), "")
                return self.safe.xml("word/" + target.lstrip("/").removeprefix("word/"))
        return None

    def pages(self) -> int | None:
        """Pages as Word last counted them (docProps/app.xml), if it says."""
        app = self.safe.xml("docProps/app.xml")
        if app is None:
            return None
        for el in app:
            if etree.QName(el).localname == "Pages" and (el.text or "").strip().isdigit():
                return int(el.text.strip())
        return None

    def estimated_height(self) -> float:
        """Height (twips) the body takes when laid out, roughly: lines × leading plus paragraph spacing;
        a table row as tall as its tallest cell."""
        def para_height(p) -> float:
            runs = self.styles.runs(p)
            pf = self.pf(p)
            size = max((f.size_pt or 11 for _, f in runs), default=(self.styles.run(p).size_pt or 11))
            width = sum(text_width_pt(t, f.size_pt or 11, bool(f.bold), bool(f.italic)) for t, f in runs) * 20
            avail = max(self.container_width(p) - pf.left - pf.right, 1000)
            n = max(1, -(-int(width + max(pf.first_line, 0)) // int(avail)))
            if pf.line_rule in ("exact", "atLeast") and pf.line:
                lead = max(pf.line, size * 20 * 1.15) if pf.line_rule == "atLeast" else pf.line
            else:
                lead = size * 20 * 1.15 * ((pf.line or 240) / 240)
            return n * lead + pf.before + pf.after

        texts = [p for p in self.paras if _t(p)]
        last_text = texts[-1] if texts else None
        order = {id(p): i for i, p in enumerate(self.paras)}

        def block(el, in_table: bool = False) -> float:
            total = 0.0
            for child in el:
                if child.tag == q("w:p"):
                    total += para_height(child)
                    if child.find(f".//{q('w:br')}[@{q('w:type')}='page']") is not None and last_text is not None \
                            and 0 < order.get(id(child), 0) < order[id(last_text)] and not in_table:
                        total += 10**6  # a page break with text after it
                elif child.tag == q("w:tbl"):
                    for tr in child.findall(q("w:tr")):
                        total += max((block(tc, True) for tc in tr.findall(q("w:tc"))), default=0.0)
                elif child.tag == q("w:sdt"):
                    content = child.find(q("w:sdtContent"))
                    total += block(content, in_table) if content is not None else 0.0
            return total
        return block(self.body)

    def one_page(self) -> bool:
        """Word counted one page (docProps/app.xml) and the text fits one page by our own estimate."""
        sect = self.sections[0] if self.sections else None
        pg, mar = (sect.find(q("w:pgSz")), sect.find(q("w:pgMar"))) if sect is not None else (None, None)
        try:
            height = (int(pg.get(q("w:h"))) - int(mar.get(q("w:top")))  # type: ignore[union-attr]
                      - int(mar.get(q("w:bottom"))))  # type: ignore[union-attr]
        except (AttributeError, TypeError, ValueError):
            height = 16838 - 2 * 1134
        return len(self.sections) <= 1 and self.pages() == 1 and self.estimated_height() <= height * 1.05

    # ---- lines ----
    def container_width(self, p) -> int:
        p = p.p if isinstance(p, Line) else p
        tc = next(p.iterancestors(q("w:tc")), None)
        if tc is None:
            return self.text_width
        tcw = tc.find(f"{q('w:tcPr')}/{q('w:tcW')}")
        if tcw is not None and (tcw.get(q("w:type")) in (None, "dxa")):
            try:
                return int(float(tcw.get(q("w:w")))) - 216
            except (TypeError, ValueError):
                return self.text_width
        return self.text_width

    def text_width_twips(self, x) -> float:
        lines = x if isinstance(x, list) else [x]
        widest = 0.0
        for line in lines:
            width = sum(text_width_pt(t.strip() if len(self.rfs(line)) == 1 else t, f.size_pt or 11, bool(f.bold),
                                      bool(f.italic)) for t, f in self.rfs(line)) * 20
            widest = max(widest, min(width, self.container_width(line)))
        return widest

    def line_under(self, x) -> float | None:
        """Length (twips) of a line drawn under a component: a paragraph or cell border, a shape or a VML
        line, in its paragraph, the next paragraph(s) of its container, or the next row of its column."""
        line = _last_line(x)
        if line is None or line.p is None:
            return None
        p = line.p
        pf = self.pf(p)
        if _edge(pf.borders, "bottom"):
            return self.container_width(p) - pf.left - pf.right
        found = _drawn_lines(p)
        candidates = []
        nxt = p.getnext()
        steps = 0
        while nxt is not None and steps < 2:
            if nxt.tag != q("w:p"):
                break
            candidates.append(nxt)
            if _t(nxt) and not _t(nxt).startswith(DECISION_LINE):  # an attached plan's line (Mẫu 1.3)
                break
            nxt = nxt.getnext()
            steps += 1
        tc = next(p.iterancestors(q("w:tc")), None)
        if tc is not None and not any(_t(c) for c in candidates) and _last_text_para(tc) is p:
            below = _cell_below(tc)
            if below is not None:
                first = below.find(q("w:p"))
                if first is not None:
                    candidates.append(first)
            if _edge(_cell_borders(tc), "bottom"):
                return self.container_width(p)
        for para in candidates:
            cf = self.pf(para)
            if _edge(cf.borders, "top") or (not _t(para) and _edge(cf.borders, "bottom")):
                return self.container_width(para) - cf.left - cf.right
            found += _drawn_lines(para)
        if not found:
            return None
        if line.col is not None and line.cell is None and len(found) > 1:
            # header laid out with tabs: both lines hang on one paragraph, tell them apart by position
            half = self.text_width / 2
            side = [f for f in found if f[1] is not None and ((f[1] + f[0] / 2 < half) == (line.col == 0))]
            found = side or found
        return found[0][0]


def _edge(borders: dict, edge: str) -> bool:
    b = borders.get(edge)
    return b is not None and b.get("val") not in (None, "nil", "none")


def _cell_borders(tc) -> dict:
    out = {}
    bdr = tc.find(f"{q('w:tcPr')}/{q('w:tcBorders')}")
    if bdr is not None:
        for edge in bdr:
            out[etree.QName(edge).localname] = {etree.QName(k).localname: v for k, v in edge.attrib.items()}
    return out


def _last_text_para(tc):
    last = None
    for p in tc.iter(q("w:p")):
        if _t(p):
            last = p
    return last


def _cell_below(tc):
    tr = tc.getparent()
    cells = [c for c in tr if c.tag == q("w:tc")]
    col = cells.index(tc)
    nxt = tr.getnext()
    while nxt is not None and nxt.tag != q("w:tr"):
        nxt = nxt.getnext()
    if nxt is None:
        return None
    below = [c for c in nxt if c.tag == q("w:tc")]
    return below[col] if col < len(below) else None


def _drawn_lines(p) -> list[tuple[float, float | None]]:
    """(length, left offset) in twips of each line shape drawn in ``p`` (DrawingML or VML, not both copies)."""
    out: list[tuple[float, float | None]] = []
    for geom in p.iter(f"{{{A}}}prstGeom"):
        if geom.get("prst") not in ("line", "straightConnector1"):
            continue
        if any(a.tag == f"{{{MC}}}Fallback" for a in geom.iterancestors()):
            continue
        holder = next((a for a in geom.iterancestors() if a.tag in (f"{{{WP}}}anchor", f"{{{WP}}}inline")), None)
        ext = holder.find(f"{{{WP}}}extent") if holder is not None else None
        if holder is None or ext is None:
            continue
        try:
            length = int(ext.get("cx")) / 635
        except (TypeError, ValueError):
            continue
        off = None
        pos = holder.find(f"{{{WP}}}positionH/{{{WP}}}posOffset") if holder is not None else None
        if pos is not None and (pos.text or "").lstrip("-").isdigit():
            off = int(pos.text) / 635
        out.append((length, off))
    for line in p.iter(f"{{{V}}}line"):
        if any(a.tag == f"{{{MC}}}Fallback" for a in line.iterancestors()):
            continue
        try:
            x1 = _pt(line.get("from", "0,0").split(",")[0])
            x2 = _pt(line.get("to", "0,0").split(",")[0])
        except ValueError:
            continue
        out.append((abs(x2 - x1) * 20, min(x1, x2) * 20))
    for shape in p.iter(f"{{{V}}}shape"):
        if any(a.tag == f"{{{MC}}}Fallback" for a in shape.iterancestors()):
            continue
        style = shape.get("style", "")
        w = re.search(r"width:([\d.]+)pt", style)
        h = re.search(r"height:([\d.]+)pt", style)
        if w and (not h or float(h.group(1)) < 2) and shape.get("type", "").endswith("_x0000_t32"):
            out.append((float(w.group(1)) * 20, None))
    return out


def _pt(v: str) -> float:
    v = v.strip()
    for unit, factor in (("pt", 1.0), ("in", 72.0), ("mm", 72 / 25.4), ("cm", 72 / 2.54)):
        if v.endswith(unit):
            return float(v[:-len(unit)]) * factor
    return float(v) / 20 if v else 0.0  # VML bare numbers are in twentieths of a point? treat as EMU-free twips


# ---- rules ----------------------------------------------------------------------------------------

RULES: list[tuple[str, str, Callable[[Doc], tuple[str, str, str, str]]]] = []


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


def _so_do(value: float, digits: int = 2) -> str:
    """A measure as the clerk reads it: ``17,5``, ``1,47``, ``18`` (a decimal comma, vn.so), never ``17.5``."""
    return vn.so(round(float(value), digits))


def _khoang(lo: float, hi: float) -> str:
    """``13–14``; a single size as itself (``12``, not ``12–12``)."""
    return _so_do(lo) if lo == hi else f"{_so_do(lo)}–{_so_do(hi)}"


# Word's alignment and line-spacing words (w:jc, w:lineRule) in the clerk's words
CAN_LE = {"center": "giữa", "right": "phải", "end": "phải", "both": "đều hai lề", "distribute": "đều hai lề",
          "left": "trái", "start": "trái"}
GIAN_DONG = {"exact": "chính xác", "atLeast": "tối thiểu"}


def _can(alignment: str | None) -> str:
    return f"căn {CAN_LE.get(alignment or 'left', alignment)}"


def _size(f: RunFormat) -> str:
    return f"{_so_do(f.size_pt)} pt" if f.size_pt else "không rõ cỡ chữ"


def _fmt_check(doc: Doc, p, lo: float, hi: float, bold: bool | None = None, italic: bool | None = None,
               upper: bool = False, align: str | None = None):
    problems = []
    runs = doc.rfs(p)
    for _, f in runs:
        if f.size_pt is None or not lo <= f.size_pt <= hi:
            problems.append(f"cỡ {_size(f)}")
        if bold is not None and bool(f.bold) != bold:
            problems.append("in đậm" if f.bold else "không in đậm")
        if italic is not None and bool(f.italic) != italic:
            problems.append("in nghiêng" if f.italic else "không in nghiêng")
    if upper and _t(p) != vn.viet_hoa(_t(p)):
        problems.append("không in hoa")
    lines = p if isinstance(p, list) else [p]
    if align:
        for line in lines:
            al = doc.pf(line).alignment
            if al != align and not (align == "center" and _visually_centred(doc, line)):
                problems.append(_can(al))
                break
    need = f"{_khoang(lo, hi)} pt" + ("" if bold is None else (", đậm" if bold else ", không đậm")) + (
        "" if italic is None else (", nghiêng" if italic else ", đứng")) + (", in hoa" if upper else "") + (
        ", căn giữa" if align == "center" else "")
    if problems:
        return _bad(", ".join(dict.fromkeys(problems)), need, p)
    f = doc.rf(p)
    return _ok(f"{_size(f)}" + (", đậm" if f.bold else "") + (", nghiêng" if f.italic else ""), need, p)


def _visually_centred(doc: Doc, line) -> bool:
    """A justified or left paragraph that fills its line (wrapped) reads as centred text."""
    if not isinstance(line, Line) or line.p is None:
        return False
    pf = doc.pf(line)
    return pf.alignment in ("both", "distribute") and doc.text_width_twips(line) >= 0.97 * (
        doc.container_width(line) - pf.left - pf.right) or abs(pf.left - pf.right) < 60 and pf.left > 0


def _portrait(sect) -> bool:
    pg = sect.find(q("w:pgSz"))
    return pg is None or pg.get(q("w:orient")) != "landscape"


@rule("trang.a4", "Khổ giấy A4, trang dọc (trang ngang chỉ cho bảng, phụ lục)")
def _a4(doc):
    landscape = 0
    for i, s in enumerate(doc.sections):
        pg = s.find(q("w:pgSz"))
        if pg is None:
            return _na("không có khổ giấy")
        try:
            w, h = int(pg.get(q("w:w"))), int(pg.get(q("w:h")))
        except (TypeError, ValueError):
            return _na("khổ giấy không đọc được")
        wide = pg.get(q("w:orient")) == "landscape" or w > h
        short, long_ = sorted((w, h))
        if abs(short - 11906) > 20 or abs(long_ - 16838) > 20:
            return _bad(f"{w / MM:.0f}×{h / MM:.0f} mm" + (" (trang ngang)" if wide else ""), "A4 210×297 mm")
        if wide:
            if i == 0:
                return _bad("trang đầu khổ ngang", "trang dọc; chỉ trang bảng, phụ lục được xoay ngang")
            landscape += 1
    return _ok("210×297 mm" + (f", {landscape} phần trang ngang (bảng, phụ lục)" if landscape else ""))


@rule("trang.le", "Lề trang (trên 20–25, dưới 20–25, trái 30–35, phải 15–20 mm)")
def _margins(doc):
    ranges = {"top": (20, 25), "bottom": (20, 25), "left": (30, 35), "right": (15, 20)}
    names = {"top": "trên", "bottom": "dưới", "left": "trái", "right": "phải"}
    got = {}
    portrait = [s for s in doc.sections if _portrait(s)] or doc.sections[:1]
    for s in portrait:
        mar = s.find(q("w:pgMar"))
        if mar is None:
            return _na("không có lề trang")
        try:
            got = {k: abs(int(mar.get(q(f"w:{k}")))) / MM for k in ranges}
        except (TypeError, ValueError):
            return _na("lề trang không đọc được")
        bad = [f"{names[k]} {_so_do(v, 1)} mm" for k, v in got.items()
               if not ranges[k][0] - 0.05 <= v <= ranges[k][1] + 0.05]
        if bad:
            return _bad(", ".join(bad), "trên 20–25, dưới 20–25, trái 30–35, phải 15–20 mm")
    if not got:
        return _na("không có thông tin trang")
    note = "" if len(portrait) == len(doc.sections) else " (trang ngang của bảng, phụ lục không xét)"
    return _ok(", ".join(f"{names[k]} {v:.0f}" for k, v in got.items()) + " mm" + note)


def _font_ok(name: str | None) -> bool:
    return name == TNR


@rule("phong_chu", "Phông Times New Roman, chữ đen")
def _font(doc):
    for p in doc.paras:
        for r in p.iter(q("w:r")):
            t = "".join(x.text or "" for x in r.findall(q("w:t")))  # its own text, not a text box inside it
            if not _visible(t):
                continue
            f = doc.styles.run(p, r)
            fonts = r.find(f"{q('w:rPr')}/{q('w:rFonts')}")
            hint = fonts.get(q("w:hint")) if fonts is not None else None
            slots = ["ascii", "hAnsi"] + (["eastAsia"] if hint == "eastAsia" else []) + (
                ["cs"] if hint == "cs" else [])
            for slot in slots:
                if not _font_ok(f.fonts.get(slot)):
                    return _bad(f"phông {f.fonts.get(slot) or 'mặc định'}", TNR, p)
            if f.color not in (None, "auto", "000000"):
                return _bad(f"màu {f.color}", "đen", p)
    return _ok(TNR)


@rule("quoc_hieu.chu", "Quốc hiệu đúng chữ")
def _qh_text(doc):
    p = doc.quoc_hieu
    if p is None:
        return _na("không tìm thấy Quốc hiệu")
    t = _t(p)
    if t == QUOC_HIEU:
        return _ok(t, QUOC_HIEU, p)
    if t == QUOC_HIEU.replace("HÒA", "HOÀ"):
        return _bad(t + " (Nghị định 30 viết «HÒA» trong quy định thể thức nhưng «HOÀ» trong bảng mẫu: docgen theo "
                        "quy định; nếu đơn vị dùng «HOÀ» theo mẫu thì bỏ qua dòng này)", QUOC_HIEU, p)
    return _bad(t, QUOC_HIEU, p)


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


# a legal document's number carries its year ("Số: 20/2016/QĐ-UBND", as docgen's own citations write it)
SO_RE = re.compile(r"^Số: (?:(\d+)|\s*)(?:/(?:19|20)\d\d)?/"
                   r"([A-ZĐ][A-Za-zĐđ0-9&.]*(?:-[A-ZĐ0-9][A-Za-zĐđ0-9&.]*)*(?:\([A-ZĐ0-9]+\))?)$")


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
    # Phụ lục III: the ký hiệu opens with the abbreviation of the document's type ("KẾ HOẠCH" → KH-...)
    loai = TEN_LOAI.get(_t(doc.ten_loai)) if doc.ten_loai is not None else None
    if loai and m.group(2).split("-", 1)[0] != loai:
        return _bad(t, f"{_t(doc.ten_loai)}: ký hiệu bắt đầu bằng {loai}- (Số: …/{loai}-…)", p)
    return _ok(t, need, p)


@rule("so_ky_hieu.dinh_dang", "Số, ký hiệu: 13 pt, đứng, không đậm")
def _so_fmt(doc):
    return _fmt_check(doc, doc.so, 13, 13, bold=False, italic=False) if doc.so is not None else _na(
        "không tìm thấy dòng Số")


NGAY_RE = re.compile(r"^(?P<place>[^,]+), ngày\s+(?P<d>\d{2}\s+|[.…\s]*)tháng\s+(?P<m>\d{1,2}\s+|[.…\s]*)"
                     r"năm (?P<y>\d{4})$")


@rule("ngay.dang", "Địa danh, ngày tháng: ngày dưới 10 và tháng 1, 2 có số 0")
def _ngay(doc):
    p = doc.ngay
    if p is None:
        return _na("không tìm thấy dòng địa danh, ngày tháng")
    t = _t(p)
    m = NGAY_RE.match(t)  # a draft leaves the day (and month) blank for the hand, however wide
    need = "Quảng Ngãi, ngày 05 tháng 01 năm 2023 / ngày 05 tháng 3 năm 2023"
    if not m:
        return _bad(t, need, p)
    month = m.group("m").strip()
    if month.isdigit():
        n = int(month)
        if not 1 <= n <= 12 or (n < 3 and len(month) != 2) or (n >= 3 and month.startswith("0")):
            return _bad(t, "tháng 1, 2 viết 01, 02; tháng 3 đến 12 không có số 0", p)
    day = m.group("d").strip()
    if day.isdigit() and month.isdigit():
        try:
            vn.doc_ngay(f"{day}/{month}/{m.group('y')}")
        except ValueError as e:  # "ngày 30 tháng 02": a date no calendar has
            return _bad(re.sub(r"\s+", " ", t), f"một ngày có thật ({e})", p)
    return _ok(re.sub(r"\s+", " ", t), need, p)


@rule("ngay.dinh_dang", "Địa danh, ngày tháng: 13–14 pt, nghiêng")
def _ngay_fmt(doc):
    return _fmt_check(doc, doc.ngay, 13, 14, italic=True) if doc.ngay is not None else _na(
        "không tìm thấy dòng ngày tháng")


@rule("ten_loai", "Tên loại văn bản: 13–14 pt, đậm, in hoa, căn giữa")
def _tl(doc):
    if doc.ten_loai is None:
        return _na("công văn: không có tên loại" if doc.vv is not None else "không tìm thấy tên loại văn bản")
    return _fmt_check(doc, doc.ten_loai, 13, 14, bold=True, upper=True, align="center")


@rule("trich_yeu", "Trích yếu: 13–14 pt, đậm, căn giữa (công văn: V/v 12–13 pt, đứng, căn giữa)")
def _ty(doc):
    if doc.trich_yeu is not None:
        words = _t(doc.trich_yeu)
        if sum(c.isalpha() for c in words) > 3 and words == vn.viet_hoa(words):  # Phụ lục I: chữ in thường
            return _bad("in hoa cả dòng", "chữ in thường (chỉ viết hoa chữ đầu và tên riêng), 13–14 pt, đậm, căn "
                        "giữa", doc.trich_yeu)
        return _fmt_check(doc, doc.trich_yeu, 13, 14, bold=True, align="center")
    if doc.vv is not None:
        return _fmt_check(doc, doc.vv, 12, 13, bold=False, italic=False, align="center")
    return _na("không tìm thấy trích yếu")


@rule("trich_yeu.gach", "Đường kẻ dưới trích yếu dài 1/3–1/2 dòng chữ")
def _ty_line(doc):
    if doc.trich_yeu is None and doc.vv is not None:
        return _na("công văn: trích yếu V/v không có đường kẻ")
    return _ratio_rule(doc, doc.trich_yeu, 0.30, 0.53, "1/3–1/2 độ dài chữ")


def _each_body(doc, check, need):
    if not doc.body_paras:
        return _na("không tìm thấy phần nội dung")
    bad = [(p, found) for p in doc.body_paras if (found := check(p))]
    if bad:
        p, found = bad[0]
        return _bad(f"{found} ({len(bad)} đoạn)", need, p)
    return _ok(f"{len(doc.body_paras)} đoạn", need)


def _one_line(doc, line) -> bool:
    """A paragraph that fits on one line reads the same justified or left-aligned."""
    pf = doc.pf(line)
    return doc.text_width_twips(line) + max(pf.first_line, 0) + pf.left + pf.right <= doc.container_width(line)


@rule("noi_dung.can_le", "Nội dung: căn đều hai lề")
def _just(doc):
    return _each_body(doc, lambda p: None if doc.pf(p).alignment in ("both", "distribute") or (
        doc.pf(p).alignment in (None, "left", "start") and _one_line(doc, p))
        else _can(doc.pf(p).alignment), "căn đều hai lề")


@rule("noi_dung.co_chu", "Nội dung: cỡ chữ 13–14 pt")
def _body_size(doc):
    def check(p):
        for _, f in doc.rfs(p):
            if f.size_pt is None or not 13 <= f.size_pt <= 14:
                return _size(f)
        return None
    return _each_body(doc, check, "13–14 pt")


def _first_indent(doc, line) -> int:
    """First-line indent as the reader sees it: a leading tab is an indent (one default tab stop)."""
    pf = doc.pf(line)
    first = pf.first_line
    raw = "".join(t for t, _ in line.runs)
    if first <= 0 and raw[:1] == "\t":
        return 720 + first
    return first


@rule("noi_dung.thut_dong", "Nội dung: lùi đầu dòng 1–1,27 cm")
def _indent(doc):
    return _each_body(doc, lambda p: None if 557 <= _first_indent(doc, p) <= 730
                      else f"lùi {_so_do(_first_indent(doc, p) / 567)} cm", "1–1,27 cm")


@rule("noi_dung.gian_doan", "Nội dung: cách đoạn tối thiểu 6 pt")
def _para_space(doc):
    return _each_body(doc, lambda p: None if doc.pf(p).before + doc.pf(p).after >= 120
                      else f"cách {_so_do((doc.pf(p).before + doc.pf(p).after) / 20)} pt", "≥ 6 pt")


@rule("noi_dung.gian_dong", "Nội dung: giãn dòng từ đơn đến 1,5 dòng (hoặc chính xác từ 15 pt)")
def _line_space(doc):
    def check(p):
        pf = doc.pf(p)
        rule_, line = pf.line_rule or "auto", pf.line if pf.line is not None else 240
        if rule_ == "auto" and 240 <= line <= 360:
            return None
        if rule_ in ("exact", "atLeast") and line >= 300:
            return None
        if rule_ == "auto":
            return f"giãn {_so_do(line / 240)} dòng"
        return f"{GIAN_DONG.get(rule_, rule_)} {_so_do(line / 20)} pt"
    return _each_body(doc, check, "1–1,5 dòng hoặc ≥ 15 pt")


ROMAN_RE = re.compile(r"^([IVXLC]+)\.\s")
ARABIC_RE = re.compile(r"^(\d+(?:\.\d+)*)\.\s")
LETTER_RE = re.compile(r"^([a-zđ]{1,2})\)\s")


def _numbered(doc) -> list[tuple[str, Line]]:
    """Body lines with the marker Word's list numbering (numPr) draws in front of them."""
    out = []
    for line in doc.body_paras:
        out.append((doc.labels.get(line.p, "") + _t(line), line))
    return out


@rule("noi_dung.la_ma", "Mục đánh số La Mã liên tục (I, II, III...)")
def _roman(doc):
    found = [m.group(1) for t, _ in _numbered(doc) if (m := ROMAN_RE.match(t))]
    if not found:
        return _na("không có mục số La Mã")
    expected = [vn.so_la_ma(i) for i in range(1, len(found) + 1)]
    return _ok(", ".join(found)) if found == expected else _bad(", ".join(found), ", ".join(expected))


@rule("noi_dung.chu_cai", "Điểm đánh chữ cái theo thứ tự tiếng Việt (a b c d đ e g h...), không nhảy chữ")
def _letters(doc):
    runs: list[list[tuple[str, Line]]] = [[]]
    for t, p in _numbered(doc):
        if ROMAN_RE.match(t) or ARABIC_RE.match(t) or re.match(r"^Điều \d+", t):
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
    last = doc.parts.body[-1]
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


_QUYEN_HAN = ("TM", *vn.QUYEN_HAN)


@rule("ky.chuc_vu", "Quyền hạn, chức vụ người ký: in hoa, đậm, 13–14 pt")
def _ky(doc):
    if not doc.ky_titles:
        return _na("không tìm thấy khối chữ ký")
    for p in doc.ky_titles:
        t = _t(p)
        if t != vn.viet_hoa(t):
            return _bad(t, "in hoa", p)
        m = re.match(r"^([A-ZĐ]+)\. ", t)
        if m and m.group(1) not in _QUYEN_HAN:
            return _bad(t, "TM./KT./Q./TL./TUQ.", p)
        if re.match(rf"^(?:{'|'.join(_QUYEN_HAN)})\.\s*(?:{'|'.join(_QUYEN_HAN)})\.", t):
            return _bad(t, "một quyền hạn mỗi dòng (TM. trên dòng tập thể, KT./Q./TL./TUQ. trên dòng chức vụ)", p)
        result = _fmt_check(doc, p, 13, 14, bold=True)
        if result[0] != DAT:
            return result
    last = doc.ky_titles[-1]
    m = re.match(r"^(TM|KT|TL|TUQ)\.", _t(last))
    if m:  # "KT. CHỦ TỊCH" alone: the deputy's own title ("PHÓ CHỦ TỊCH") must follow, as in every real document
        return _bad(" / ".join(_t(p) for p in doc.ky_titles),
                    f"dòng dưới {m.group(1)}. ghi chức vụ của người ký (KT. CHỦ TỊCH / PHÓ CHỦ TỊCH)", last)
    return _ok(" / ".join(_t(p) for p in doc.ky_titles))


@rule("ky.ho_ten", "Họ tên người ký: đậm, 13–14 pt, không kèm học hàm, học vị")
def _ho_ten(doc):
    if doc.ho_ten is None:
        return _na("không tìm thấy họ tên người ký" + (" (dự thảo chưa ghi tên)" if doc.ky_titles else ""))
    p = doc.ho_ten
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
    one_page = doc.one_page()
    if one_page and not _has_page_field(default):
        return _ok("văn bản một trang: không cần số trang")
    if not _has_page_field(default):
        return _bad("không có số trang ở đầu trang", "trường PAGE ở đầu trang")
    first = doc.header(sect, "first")
    if not one_page and (sect.find(q("w:titlePg")) is None or (first is not None and _has_page_field(first))):
        return _bad("trang 1 có số trang", "không hiện số trang ở trang 1")
    p = next(p for p in default.iter(q("w:p")) if p.find(f".//{q('w:instrText')}") is not None
             or p.find(f".//{q('w:fldSimple')}") is not None)
    pf = doc.pf(p)
    field_run = next((r for r in p.iter(q("w:r")) if r.find(q("w:instrText")) is not None), None)
    f = doc.styles.run(p, field_run if field_run is not None else next(p.iter(q("w:r")), None))
    if pf.alignment != "center" or f.size_pt is None or not 13 <= f.size_pt <= 14:
        return _bad(f"{_can(pf.alignment)}, {_size(f)}", "căn giữa, 13–14 pt")
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
        if kind == "CV" and doc.ten_loai is None and doc.vv is not None:
            found = "CV"  # a công văn has no tên loại: its V/v line says what it is
        status = DAT if found == kind else (KHONG_DANH_GIA if found is None and doc.ten_loai is None else KHONG_DAT)
        findings.append(Finding("ten_loai.loai", f"Loại văn bản là {kind}", status, found or _t(doc.ten_loai),
                                kind, _t(doc.ten_loai)))
    for rule_id, ten, fn in RULES:
        status, found, need, para = fn(doc)
        findings.append(Finding(rule_id, ten, status, found, need, para))
    for rule_id, ten, fn in KIND_RULES.get(kind or "", []):
        status, found, need, para = fn(doc)
        findings.append(Finding(rule_id, ten, status, found, need, para))
    return findings


# ---- what `check --kind` adds for a kind (Phụ lục I and the samples of Phụ lục III) ------------------

KIND_RULES: dict[str, list[tuple[str, str, Callable[[Doc], tuple[str, str, str, str]]]]] = {}


def kind_rule(kind: str, rule_id: str, ten: str):
    def register(fn):
        KIND_RULES.setdefault(kind, []).append((rule_id, ten, fn))
        return fn
    return register


@kind_rule("CV", "cong_van.vv", "Công văn: trích yếu 'V/v ...' dưới số, ký hiệu, không có tên loại")
def _cv_vv(doc):
    if doc.vv is None:
        return _bad("không có dòng V/v", "V/v ... dưới số, ký hiệu")
    if doc.ten_loai is not None:
        return _bad(f"có tên loại {_t(doc.ten_loai)}", "công văn không có tên loại", doc.ten_loai)
    return _ok(" ".join(_t(line) for line in doc.vv)[:80], "V/v ... dưới số, ký hiệu")


@kind_rule("CV", "cong_van.kinh_gui", "Công văn: có 'Kính gửi:'")
def _cv_kinh_gui(doc):
    return _kinh_gui(doc)


@kind_rule("TTr", "to_trinh.kinh_gui", "Tờ trình: có 'Kính gửi:'")
def _ttr_kinh_gui(doc):
    return _kinh_gui(doc)


def _kinh_gui(doc):
    p = next((p for p in doc.paras if _t(p).startswith("Kính gửi")), None)
    return _ok(_t(p)[:60], "Kính gửi: ...", p) if p is not None else _bad("không có dòng Kính gửi", "Kính gửi: ...")


def _after_title(doc) -> etree._Element | None:
    """The first text paragraph after the trích yếu (and an attached plan's line)."""
    last = _last_line(doc.trich_yeu)
    if last is None or last.p is None:
        return None
    seen = False
    for p in doc.paras:
        if p is last.p:
            seen = True
        elif seen and _t(p) and not _t(p).startswith(DECISION_LINE):
            return p
    return None


@kind_rule("QĐ", "quyet_dinh.tham_quyen", "Quyết định: thẩm quyền ban hành (CHỦ TỊCH ..., TRƯỞNG BAN ...) in hoa, "
           "đậm, căn giữa dưới trích yếu")
def _qd_tham_quyen(doc):
    p = _after_title(doc)
    if p is None:
        return _na("không tìm thấy trích yếu")
    if _t(p).startswith("Căn cứ"):
        return _bad("không có dòng thẩm quyền ban hành", "dòng thẩm quyền trước các căn cứ", p)
    return _fmt_check(doc, p, 13, 14, bold=True, upper=True, align="center")


@kind_rule("QĐ", "quyet_dinh.quyet_dinh", "Quyết định: dòng 'QUYẾT ĐỊNH:' riêng, đậm, căn giữa")
def _qd_line(doc):
    p = next((p for p in doc.paras if _t(p) == "QUYẾT ĐỊNH:"), None)
    if p is None:
        return _bad("không có dòng 'QUYẾT ĐỊNH:'", "QUYẾT ĐỊNH:")
    return _fmt_check(doc, p, 13, 14, bold=True, upper=True, align="center")


_DIEU = re.compile(r"^Điều (\d+)\.")


@kind_rule("QĐ", "quyet_dinh.dieu", "Quyết định: Điều 1., Điều 2.... đánh số liên tục, nhãn in đậm")
def _qd_dieu(doc):
    dieu = [p for p in doc.paras if _DIEU.match(_t(p))]
    if not dieu:
        return _bad("không có Điều", "Điều 1. ...")
    numbers = [int(_DIEU.match(_t(p)).group(1)) for p in dieu]  # type: ignore[union-attr]
    if numbers != list(range(1, len(numbers) + 1)):
        return _bad("đánh số " + ", ".join(map(str, numbers)), "1, 2, 3...", dieu[0])
    for p in dieu:
        runs = doc.rfs(p)
        label = _DIEU.match(_t(p)).group()  # type: ignore[union-attr]
        covered, bold = "", True
        for run_text, f in runs:
            if len(covered) >= len(label):
                break
            covered += run_text
            bold = bold and bool(f.bold)
        if not bold:
            return _bad(f"nhãn '{label}' không in đậm", "nhãn Điều in đậm", p)
    return _ok(f"Điều 1 đến Điều {len(numbers)}", "đánh số liên tục, nhãn in đậm", dieu[0])


def as_dicts(findings: list[Finding]) -> Iterator[dict]:
    for f in findings:
        yield asdict(f)
