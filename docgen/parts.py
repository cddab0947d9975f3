"""Locate the parts of an administrative document (Decree 30 layout) in a .docx or in text.

One reader for ``check`` and ``import``: a layout learnt once serves both. A document is first
turned into *lines*: in a .docx each paragraph, cut at line breaks (Quốc hiệu and Tiêu ngữ in one
paragraph) and at the gap of a header or footer laid out with tabs and spaces instead of a table; in
text (pulled from a PDF, with or without ``pdftotext -layout``, or column by column) each line, cut at
wide gaps. Then the parts are found by what the lines say, helped by where they sit (table column) and,
in a .docx, how they look (bold):

- header: agency (chủ quản, ban hành; a name may take two lines), Quốc hiệu, Tiêu ngữ, Số, place and
  date (possibly split over lines), ``V/v`` of a công văn;
- title block: document type (tên loại) and trích yếu over one to four lines; ``Kính gửi``;
- a decision's structure lines (issuer ``CHỦ TỊCH ỦY BAN NHÂN DÂN …``, ``QUYẾT ĐỊNH:``), ``Phần thứ …``
  and ``Chương …`` headings: not body text;
- body: up to the footer, tables inside it skipped but the scan going on after them;
- footer: ``Nơi nhận:`` (on its own, with the first recipient or the signer on the same line, or in
  another table row), its items (ending with ``Lưu``), the signer's title lines and name;
- what follows the signature (appendices, ``Mẫu biểu``, footnotes) is kept apart, never taken for the
  signer.

A part that cannot be found is ``None`` (or empty): callers say so rather than guess.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from . import vn
from .ooxml import Numbering, Styles, q

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
TEN_LOAI = {vn.viet_hoa(k): v for k, v in vn.VIET_TAT_LOAI.items()}
SIGN_PREFIX = re.compile(r"^(TM|KT|TL|TUQ|Q)\.\s*")
TERRITORY = re.compile(r"^(TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|THỊ TRẤN|ĐẶC KHU)\b")
COLLECTIVE = re.compile(r"^(ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|HỘI ĐỒNG NHÂN DÂN)$")
DATE_RE = re.compile(r",\s*ngày\b")
STRUCTURE = re.compile(r"^(Phần thứ\s+\S+|PHẦN THỨ\s+\S+|Chương\s+[IVXLC]+\b|CHƯƠNG\s+[IVXLC]+\b|Mục\s+\d+\b)")
OPENING = re.compile(r"^(Căn cứ|Thực hiện|Theo đề nghị|Xét đề nghị|Theo\s+\S+\s+\S+\s+số|Trên cơ sở)\b")
PAGE_MARK = re.compile(r"(-\s*)?\d{1,3}(\s*-)?")
MARKER = re.compile(r"^([IVXLC]+\.|\d+(\.\d+)*\.|[a-zđ]\)|[-–+•]\s|\(\d+\)|Điều\s+\d+)")


def _date_rest(parts: Parts, zone: list, k: int, used: set[int]) -> None:
    """A place-date line cut over lines (``Bắc Ninh, ngày 20`` / ``tháng 11 năm 2025``): the pieces that
    follow line ``k`` until the year, taken into ``parts.ngay``."""
    j = k + 1
    while not re.search(r"năm\s+\d{4}\s*$", parts.ngay_text) and j < min(k + 5, len(zone)):
        if re.match(r"^(\d{1,2}\s*)?(tháng|năm)\b|^\d{1,2}$", zone[j].text) and j not in used:
            parts.ngay.append(zone[j])
            used.add(j)
        j += 1


def loose(s: str) -> str:
    """Upper case without diacritics, spaces or punctuation: finds a component however it is spelt."""
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    return re.sub(r"[\W_]", "", "".join(c for c in s if unicodedata.category(c) != "Mn")).upper()


def is_upper(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def norm(s: str) -> str:
    return unicodedata.normalize("NFC", s).replace("\u00a0", " ").strip()


@dataclass(eq=False)
class Line:
    """One line of the document: a paragraph, or the part of it between breaks or a column gap."""

    text: str
    p: Any = None  # the w:p it comes from (None for text)
    runs: list = field(default_factory=list)  # [(text, w:r)] of this line only
    cell: Any = None  # the w:tc holding it
    row: Any = None
    table: Any = None  # the outermost w:tbl holding it
    col: int | None = None  # 0 left / 1 right, when the line sits in a column
    whole: bool = True  # the line is its whole paragraph
    in_box: bool = False  # inside a text box
    index: int = 0
    src: int = -1  # the source line (text) or paragraph this line was cut from

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Line({self.index}, col={self.col}, {self.text[:40]!r})"


# ---- lines from a .docx ----------------------------------------------------------------------------

def _skipped(el) -> bool:
    return el.tag in (f"{{{MC}}}Fallback", q("w:txbxContent"), q("w:del"), q("w:instrText"))


def _pieces(p) -> Iterator[tuple[str, Any]]:
    """(text, run) in order; "\\n" for a line break; text boxes and fallbacks left out."""
    def walk(el, run):
        for child in el:
            if not isinstance(child.tag, str) or _skipped(child):
                continue
            tag = child.tag
            if tag == q("w:r"):
                yield from walk(child, child)
            elif tag == q("w:t"):
                yield unicodedata.normalize("NFC", child.text or "").replace("\u00a0", " "), run
            elif tag == q("w:tab"):
                yield "\t", run
            elif tag in (q("w:br"), q("w:cr")):
                yield "\n", run
            elif tag in (q("w:pPr"), q("w:rPr")):
                continue
            else:
                yield from walk(child, run)
    yield from walk(p, None)


_GAP = re.compile(r"\t+\s*|\s{3,}")


def _right_starts(text: str) -> bool:
    """Text that begins the right column of a header or footer laid out without a table."""
    t = text.strip()
    return bool(loose(t).startswith(("CONGHOA", "DOCLAP")) or re.match(r"^[A-ZĐ][^,]{1,40},\s*ngày\b", t)
                or SIGN_PREFIX.match(t) or (is_upper(t) and len(t) >= 5))


def _left_is_frame(text: str) -> bool:
    t = text.strip()
    return bool(is_upper(t) or re.match(r"^(Số\s*:|Nơi nhận|[-–]\s)", t))


def split_columns(text: str) -> tuple[str, str] | None:
    """``ỦY BAN NHÂN DÂN      CỘNG HÒA ...`` → the two columns, or None when the line is one column."""
    for m in _GAP.finditer(text):
        left, right = text[:m.start()].strip(), text[m.end():].strip()
        if left and right and _left_is_frame(left) and _right_starts(right):
            return left, right
    return None


def docx_lines(body) -> list[Line]:
    """The lines of a document body in reading order."""
    out: list[Line] = []
    top_tables: dict[int, Any] = {}

    def emit(p, in_box=False):
        tc = next(p.iterancestors(q("w:tc")), None)
        tr = tc.getparent() if tc is not None else None
        tbl = None
        for anc in p.iterancestors(q("w:tbl")):
            tbl = anc
        col = None
        if tc is not None and tr is not None:
            cells = [c for c in tr if c.tag == q("w:tc")]
            col = 0 if cells.index(tc) == 0 else 1
        if tbl is not None:
            top_tables.setdefault(id(tbl), tbl)
        segments: list[list[tuple[str, Any]]] = [[]]
        for text, run in _pieces(p):
            if text == "\n":
                segments.append([])
            else:
                segments[-1].append((text, run))
        whole = len([s for s in segments if "".join(t for t, _ in s).strip()]) <= 1
        for seg in segments:
            raw = "".join(t for t, _ in seg)
            if not raw.strip():
                continue
            split = split_columns(raw) if tc is None else None
            if split is not None:
                cut = raw.index(split[1], len(raw) - len(raw.lstrip()) + len(split[0]))
                for part_text, lo, hi, c in ((split[0], 0, cut, 0), (split[1], cut, len(raw), 1)):
                    out.append(Line(norm(part_text), p, _runs_between(seg, lo, hi), tc, tr, tbl, c, False, in_box))
                continue
            out.append(Line(norm(raw), p, seg, tc, tr, tbl, col, whole, in_box))
        for box in p.iter(q("w:txbxContent")):
            if any(a.tag == f"{{{MC}}}Fallback" for a in box.iterancestors()):
                continue
            for inner in box.iter(q("w:p")):
                if next(inner.iterancestors(q("w:txbxContent"))) is box:
                    emit(inner, True)

    for p in body.iter(q("w:p")):
        if any(_skipped(a) for a in p.iterancestors()):
            continue
        emit(p)
    for i, line in enumerate(out):
        line.index = i
    return out


def _runs_between(seg, lo: int, hi: int) -> list[tuple[str, Any]]:
    out, pos = [], 0
    for text, run in seg:
        a, b = max(lo, pos), min(hi, pos + len(text))
        if a < b:
            out.append((text[a - pos:b - pos], run))
        pos += len(text)
    return out


# ---- lines from text -------------------------------------------------------------------------------

def text_lines(text: str) -> list[Line]:
    """Lines of PDF text: page marks dropped, wide gaps cut into columns."""
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ").replace("\r\n", "\n")
    out: list[Line] = []
    after_page_break = True
    for number, raw in enumerate(text.split("\n")):
        pages = raw.split("\f")
        for k, chunk in enumerate(pages):
            if k:
                after_page_break = True
            if not chunk.strip():
                continue
            if after_page_break and re.fullmatch(r"\s*(-\s*)?\d{1,3}(\s*-)?\s*", chunk):
                after_page_break = False
                continue  # a page number at the top of a page
            after_page_break = False
            width = len(chunk)
            parts = [(m.start(), m.group()) for m in re.finditer(r"\S+(?: {1,2}\S+)*", chunk)]
            if len(parts) >= 2:
                for start, piece in parts:
                    col = 0 if start < max(width, 60) * 0.42 else 1
                    out.append(Line(norm(piece), col=col, whole=False, src=number))
            else:
                out.append(Line(norm(chunk), src=number))
    for i, line in enumerate(out):
        line.index = i
    return out


# ---- the parts -----------------------------------------------------------------------------------

@dataclass
class Parts:
    lines: list[Line]
    quoc_hieu: list[Line] = field(default_factory=list)
    tieu_ngu: Line | None = None
    so: list[Line] = field(default_factory=list)
    ngay: list[Line] = field(default_factory=list)
    chu_quan: list[Line] = field(default_factory=list)
    ban_hanh: list[Line] = field(default_factory=list)
    ten_loai: Line | None = None
    trich_yeu: list[Line] = field(default_factory=list)
    vv: list[Line] = field(default_factory=list)  # trích yếu of a công văn
    kinh_gui: list[Line] = field(default_factory=list)
    cau_truc: list[Line] = field(default_factory=list)  # structure lines, not body text
    body: list[Line] = field(default_factory=list)
    body_all: list[Line] = field(default_factory=list)  # every line of the body part: tables, structure lines too
    body_tables: int = 0
    noi_nhan: Line | None = None
    noi_nhan_items: list[Line] = field(default_factory=list)
    ky: list[Line] = field(default_factory=list)  # title lines of the signer
    ho_ten: Line | None = None
    sau: list[Line] = field(default_factory=list)  # after the signature: appendices, footnotes...
    header_end: int = 0

    # -- texts, as import wants them --
    def text(self, lines: list[Line] | Line | None, sep: str = " ") -> str:
        if lines is None:
            return ""
        if isinstance(lines, Line):
            return lines.text
        return sep.join(x.text for x in lines)

    @property
    def so_text(self) -> str:
        return re.sub(r"\s+", " ", " ".join(x.text for x in self.so)).strip()

    @property
    def ngay_text(self) -> str:
        return re.sub(r"\s+", " ", " ".join(x.text for x in self.ngay)).strip()

    def so_ky_hieu(self) -> tuple[str | None, str | None]:
        """(``so`` as written, ``ky_hieu``) from the Số line: ``Số: 0204/KH-UBND`` → ("0204", "KH-UBND")."""
        m = re.match(r"^S[ốo]\s*:?\s*([0-9]*)\s*/\s*(\S+)", self.so_text)
        if not m:
            return None, None
        return (m.group(1) or None), m.group(2).rstrip(".,;")

    def dia_danh_ngay(self) -> tuple[str | None, str | None]:
        t = self.ngay_text
        if "," not in t:
            return None, None
        place, rest = t.split(",", 1)
        return place.strip(), rest.strip()


Bold = Callable[[Line], bool | None]
Centered = Callable[[Line], bool | None]


def _none(_line: Line) -> None:
    return None


def locate(lines: list[Line], bold: Bold = _none, centered: Centered = _none) -> Parts:
    """Find the parts in ``lines``; ``bold``/``centered`` tell how a line looks (None: unknown, as in text)."""
    parts = Parts(lines)
    n = len(lines)
    head = min(n, 80)
    title = next((i for i in range(head) if _is_title(lines[i])), None)
    kg = next((i for i in range(head) if lines[i].text.startswith("Kính gửi")), None)
    ends = [i for i in (title, kg) if i is not None]
    header_end = min(ends) if ends else _table_end(lines, head)
    parts.header_end = header_end
    _header(parts, lines[:header_end], bold)
    i = header_end
    if title is not None and title == header_end:
        parts.ten_loai = lines[title]
        i = title + 1
        while i < n and len(parts.trich_yeu) < 4 and _summary_goes_on(lines, i, parts.trich_yeu, bold, centered):
            parts.trich_yeu.append(lines[i])
            i += 1
    # the footer
    nn = next((k for k in range(i, n) if loose(lines[k].text).startswith("NOINHAN")), None)
    body_end = nn if nn is not None else n
    if nn is not None and lines[nn].table is not None:
        body_end = min(k for k in range(i, nn + 1) if lines[k].table is lines[nn].table)
    if nn is None:
        sign = next((k for k in range(i, n) if SIGN_PREFIX.match(lines[k].text) and is_upper(lines[k].text)
                     and (lines[k].table is not None or lines[k].col == 1 or centered(lines[k]))), None)
        if sign is not None:
            body_end = sign
            if lines[sign].table is not None:
                body_end = min(k for k in range(i, sign + 1) if lines[k].table is lines[sign].table)
    _body(parts, lines, i, body_end, bold, centered)
    _footer(parts, lines, nn, body_end, bold)
    return parts


def _is_title(line: Line) -> bool:
    return line.text in TEN_LOAI and line.cell is None and (line.col is None or line.whole)


def _table_end(lines: list[Line], head: int) -> int:
    if lines and lines[0].table is not None:
        k = 0
        while k < len(lines) and lines[k].table is lines[0].table:
            k += 1
        return k
    return 0


def _header(parts: Parts, zone: list[Line], bold: Bold) -> None:
    used: set[int] = set()
    k = 0
    while k < len(zone):
        line = zone[k]
        t, lt = line.text, loose(line.text)
        if lt == "CONGHOAXAHOICHUNGHIAVIETNAM":
            parts.quoc_hieu = [line]
            used.add(k)
        elif lt.startswith("CONGHOA") and "CHUNGHIA" not in lt:  # "CỘNG HÒA XÃ HỘI" / "CHỦ NGHĨA VIỆT NAM"
            nxt = next((j for j in range(k + 1, len(zone)) if loose(zone[j].text).startswith("CHUNGHIA")), None)
            if nxt is not None:
                parts.quoc_hieu = [line, zone[nxt]]
                used |= {k, nxt}
        elif lt == "DOCLAPTUDOHANHPHUC":
            parts.tieu_ngu = line
            used.add(k)
        elif re.match(r"^S[ốo]\s*:", t) and not parts.so:
            m = re.match(r"^(S[ốo]\s*:\s*\d*\s*/\s*\S+)\s+(\S.*,\s*ngày\b.*)$", t)
            if m and not parts.ngay:  # "Số: 141/KH-UBND Bắc Ninh, ngày 20": two columns run together
                line = Line(m.group(1), line.p, line.runs, line.cell, line.row, line.table, 0, False, line.in_box,
                            line.index, line.src)
                date = Line(m.group(2), None, [], line.cell, line.row, line.table, 1, False, line.in_box,
                            line.index, line.src)
                parts.ngay = [date]
                _date_rest(parts, zone, k, used)
            parts.so = [line]
            used.add(k)
            if not re.search(r"/", t):  # "Số:" and "/KH-UBND" cut apart by the PDF
                nxt = next((j for j in range(k + 1, min(k + 4, len(zone))) if re.match(r"^\d*\s*/\s*\S", zone[j].text)
                            and j not in used), None)
                if nxt is not None:
                    parts.so.append(zone[nxt])
                    used.add(nxt)
        elif DATE_RE.search(t) and not parts.ngay:
            parts.ngay = [line]
            used.add(k)
            _date_rest(parts, zone, k, used)
        elif t.startswith("V/v") and not parts.vv:
            parts.vv = [line]
            used.add(k)
            j = k + 1
            while j < len(zone) and _vv_goes_on(line, zone[j]) and len(parts.vv) < 5:
                parts.vv.append(zone[j])
                used.add(j)
                j += 1
        k += 1
    so_at = next((j for j, x in enumerate(zone) if parts.so and x.index == parts.so[0].index), len(zone))
    agency = [x for j, x in enumerate(zone[:so_at]) if j not in used and is_upper(x.text) and x.col != 1
              and not re.fullmatch(r"[-_.\s]+", x.text)]
    if not agency and parts.so:  # Số before the agency in reading order (text column by column)
        agency = [x for j, x in enumerate(zone) if j not in used and is_upper(x.text) and x.col != 1]
    _agency(parts, agency, bold)


def _vv_goes_on(first: Line, line: Line) -> bool:
    t = line.text
    if line.col != first.col or line.cell is not first.cell or not t or is_upper(t):
        return False
    if re.match(r"^(Số\s*:|Kính gửi)", t) or DATE_RE.search(t) or loose(t).startswith(("CONGHOA", "DOCLAP")):
        return False
    return line.table is first.table


AGENCY_START = re.compile(r"^(SỞ|BAN|PHÒNG|CỤC|CHI CỤC|VỤ|TRUNG TÂM|VĂN PHÒNG|CÔNG AN|TRƯỜNG|BỆNH VIỆN|HỘI|ĐÀI|"
                          r"BÁO|THANH TRA|KHO BẠC|TỔNG CỤC|ĐOÀN|QUỸ|BỘ CHỈ HUY|ỦY BAN|UBND)\b")
PARENT = re.compile(r"\b(UBND|HĐND|TỈNH ỦY|THÀNH ỦY|HUYỆN ỦY|BỘ\s+\S+)\b|^(ỦY BAN NHÂN DÂN|BỘ)\s+\S")


def _agency(parts: Parts, agency: list[Line], bold: Bold) -> None:
    """Chủ quản and ban hành: a regular line over bold ones is the chủ quản; otherwise the words decide
    (``ỦY BAN NHÂN DÂN`` / ``TỈNH LÂM ĐỒNG`` is one agency on two lines, ``UBND TỈNH X`` / ``SỞ Y`` two)."""
    if not agency:
        return
    looks = [bold(x) for x in agency]
    first_bold = next((j for j, b in enumerate(looks) if b), None)
    if first_bold is not None and first_bold > 0:
        parts.chu_quan = agency[:first_bold]
        parts.ban_hanh = agency[first_bold:]
        return
    texts = [x.text for x in agency]
    if len(agency) >= 2 and COLLECTIVE.match(texts[0]) and TERRITORY.match(texts[1]):
        parts.chu_quan, parts.ban_hanh = agency[2:3] and agency[:2], agency[2:] or agency
        if len(agency) > 2:  # ỦY BAN NHÂN DÂN / TỈNH X above SỞ Y: the first two lines are the chủ quản
            parts.chu_quan, parts.ban_hanh = agency[:2], agency[2:]
        return
    if len(agency) >= 2 and not texts[0].rstrip().endswith((",", " VÀ")) and (
            PARENT.search(texts[0]) or AGENCY_START.match(texts[1])):
        parts.chu_quan = agency[:1]
        parts.ban_hanh = agency[1:]
        return
    parts.ban_hanh = agency


def _summary_goes_on(lines: list[Line], i: int, got: list[Line], bold: Bold, centered: Centered) -> bool:
    line = lines[i]
    t = line.text
    if line.cell is not None or t.startswith("Kính gửi") or STRUCTURE.match(t) or MARKER.match(t):
        return False
    if re.fullmatch(r"[-_.\s]+", t) or loose(t).startswith("NOINHAN") or t.rstrip(": ") == "QUYẾT ĐỊNH":
        return False
    if is_upper(t) and got:  # the issuer line of a decision follows the summary
        return False
    b = bold(line)
    if b is not None:  # a .docx: the summary is bold, its lines aligned alike
        return bool(b) and (not got or centered(line) == centered(got[0]))
    # text: the summary is at least one line (it may itself begin "Thực hiện ..."); more lines are short and
    # do not open the body
    if not got:
        return True
    if OPENING.match(t) or got[-1].text.endswith((".", ":", ";")):
        return False
    return len(t) <= 90 and len(got[-1].text) >= 25


def _body(parts: Parts, lines: list[Line], start: int, end: int, bold: Bold, centered: Centered) -> None:
    in_kg = False
    seen_tables = set()
    k = start
    while k < end:
        line = lines[k]
        t = line.text
        if line.table is not None and line.table is not (lines[start - 1].table if start else None):
            seen_tables.add(id(line.table))
            k += 1
            continue
        if line.in_box or line.cell is not None:
            k += 1
            continue
        if t.startswith("Kính gửi"):
            parts.kinh_gui.append(line)
            in_kg = not t.rstrip().endswith(".") or t.rstrip().endswith(":")
            in_kg = in_kg and not re.search(r":\s*\S.*[^.;,:]$", t)
            k += 1
            continue
        if parts.kinh_gui and k == parts.kinh_gui[-1].index + 1 and t.startswith("(") and len(t) < 150:
            parts.kinh_gui.append(line)  # "(Địa chỉ: ...)" under a single recipient
            k += 1
            continue
        if in_kg:
            if (re.match(r"^[-–+]\s", t) or len(t) < 90) and not OPENING.match(t) and not MARKER.match(t.lstrip("-– ")
                                                                                                     or "x"):
                parts.kinh_gui.append(line)
                if t.rstrip().endswith("."):
                    in_kg = False
                k += 1
                continue
            in_kg = False
        if _is_structure(line, bold, centered):
            parts.cau_truc.append(line)
            k += 1
            continue
        parts.body.append(line)
        k += 1
    parts.body_tables = len(seen_tables)
    greeting = set(map(id, parts.kinh_gui))
    parts.body_all = [x for x in lines[start:end] if id(x) not in greeting and not x.in_box]


def _is_structure(line: Line, bold: Bold, centered: Centered) -> bool:
    t = line.text
    if t.rstrip(": ") in ("QUYẾT ĐỊNH", "QUYẾT NGHỊ", "CHỈ THỊ") or STRUCTURE.match(t):
        return True
    if centered(line) is True and t.startswith("(") and t.endswith(")") and len(t) < 120:
        return True  # a centred note such as "(Phân công nhiệm vụ theo Phụ lục đính kèm)"
    if re.match(r"^\(?Đơn vị( tính)?\s*:", t) and len(t) < 60:
        return True  # the unit line above a table ("Đơn vị: triệu đồng")
    if is_upper(t) and not MARKER.match(t) and centered(line) is True:
        return True  # issuer line of a decision, title under "Phần thứ nhất"
    if centered(line) is None and is_upper(t) and re.match(r"^(CHỦ TỊCH|GIÁM ĐỐC|BỘ TRƯỞNG|TRƯỞNG BAN)\b", t):
        return True
    return False


def _footer(parts: Parts, lines: list[Line], nn: int | None, body_end: int, bold: Bold) -> None:
    n = len(lines)
    if nn is None:
        zone = lines[body_end:]
        if not zone:
            return
        _signer(parts, [x for x in zone if x.table is zone[0].table] if zone[0].table is not None else zone, lines)
        return
    label = lines[nn]
    parts.noi_nhan = label
    # "Nơi nhận: - Như trên;" on one line: the first item follows the label
    m = re.match(r"^(Nơi nhận\s*:?)\s*([^:\s].*)$", label.text)
    first_item = None
    if m:
        raw = "".join(t for t, _ in label.runs)
        cut = raw.rfind(m.group(2)) if m.group(2) in raw else len(raw)
        first_item = Line(m.group(2), label.p, _runs_between(label.runs, cut, len(raw)), label.cell, label.row,
                          label.table, label.col, False, label.in_box, label.index)
        parts.noi_nhan = Line(m.group(1), label.p, _runs_between(label.runs, 0, cut), label.cell, label.row,
                              label.table, label.col, label.whole, label.in_box, label.index)
    items: list[Line] = [first_item] if first_item else []
    right: list[Line] = []
    rest: list[Line] = []
    if label.cell is not None:
        cols = _column_lines(lines, label)
        items += cols[0]
        right = cols[1]
        last = max((y.index for y in lines if y.table is label.table), default=nn)
        rest = [x for x in lines[last + 1:]]  # what follows the footer table (appendices, their tables too)
    else:
        k = nn + 1
        while k < n:
            x = lines[k]
            if x.col == 1:
                k += 1
                continue
            if x.col is None and not _item_like(x, items):
                break
            items.append(x)
            k += 1
        right = [x for x in lines[nn:k] if x.col == 1 and x.table is None]  # the signer beside the recipients
        rest = lines[k:]
    # items end at "Lưu"
    items = _join_items(items)
    luu = next((j for j, x in enumerate(items) if re.match(r"^[-–]?\s*Lưu\b", x.text)), None)
    if luu is not None:
        extra = items[luu + 1:]
        items = items[:luu + 1]
        parts.sau.extend(x for x in extra if not PAGE_MARK.fullmatch(x.text))
    parts.noi_nhan_items = items
    _signer(parts, right + rest, lines, bold)


def _item_like(line: Line, items: list[Line]) -> bool:
    t = line.text
    if re.match(r"^[-–+]\s*", t) or t.startswith("Lưu"):
        return True
    # a recipient wrapped over two lines: the continuation starts in lower case
    return bool(items) and not items[-1].text.rstrip().endswith((";", ".")) and t[:1].islower()


def _join_items(items: list[Line]) -> list[Line]:
    out: list[Line] = []
    for x in items:
        if out and not re.match(r"^[-–+]\s*|^Lưu\b", x.text) and not out[-1].text.rstrip().endswith((";", ".")):
            prev = out[-1]
            out[-1] = Line(prev.text + " " + x.text, prev.p, prev.runs + x.runs, prev.cell, prev.row, prev.table,
                           prev.col, False, prev.in_box, prev.index)
        else:
            out.append(x)
    return out


def _column_lines(lines: list[Line], label: Line) -> tuple[list[Line], list[Line]]:
    """Lines under the label in its column, and the lines of the other column, from its row down the table."""
    rows = list(label.table.iter(q("w:tr")))
    wanted = set(map(id, rows[rows.index(label.row):])) if label.row in rows else set(map(id, rows))
    left: list[Line] = []
    right: list[Line] = []
    for x in lines:
        if x.table is not label.table or id(x.row) not in wanted:
            continue
        if x.col == label.col:
            if x.index > label.index:
                left.append(x)
        else:
            right.append(x)
    return left, right


def _signer(parts: Parts, zone: list[Line], lines: list[Line], bold: Bold = _none) -> None:
    titles: list[Line] = []
    zone = [x for x in zone[:3] if not PAGE_MARK.fullmatch(x.text)] + zone[3:]  # "2" of the next page
    k = 0
    cell = [x for x in zone if x.table is not None and zone and x.table is zone[0].table]
    if len(cell) >= 2 and _name_like(cell[-1].text):
        # the signer's cell of a footer table: its title lines, then the name, whatever their case
        parts.ky, parts.ho_ten = cell[:-1], cell[-1]
        parts.sau.extend(x for x in zone if x not in cell)
        return
    while k < len(zone) and is_upper(zone[k].text) and not re.match(r"^(PHỤ LỤC|Phụ lục|MẪU|Mẫu)", zone[k].text):
        titles.append(zone[k])
        k += 1
    titles = _join_titles(titles)
    parts.ky = titles
    if k < len(zone) and titles and _name_like(zone[k].text):
        parts.ho_ten = zone[k]
        k += 1
    parts.sau.extend(zone[k:])


def _join_titles(titles: list[Line]) -> list[Line]:
    """``TM. ỦY BAN NHÂN`` / ``DÂN`` → ``TM. ỦY BAN NHÂN DÂN``: a title cut by the PDF's column width."""
    out: list[Line] = []
    for x in titles:
        if out and x.p is None and not SIGN_PREFIX.match(x.text) and (
                len(x.text.split()) == 1 or out[-1].text.split()[-1] in ("NHÂN", "VÀ", "CỦA", "ỦY", "BAN", "HỘI")):
            prev = out[-1]
            out[-1] = Line(prev.text + " " + x.text, prev.p, prev.runs + x.runs, prev.cell, prev.row, prev.table,
                           prev.col, False, prev.in_box, prev.index)
        else:
            out.append(x)
    return out


def _name_like(t: str) -> bool:
    words = t.split()
    return (not is_upper(t) and 2 <= len(words) <= 6 and all(w[:1].isupper() for w in words)
            and not re.search(r"[\d:;/()\[\]]", t))


def read_docx(safe) -> tuple[list[Line], Parts, dict[Any, str]]:
    """Lines, located parts and list-numbering labels (by paragraph) of a :class:`docgen.docx_safe.SafeDocx`."""
    root = safe.xml("word/document.xml")
    body = root.find(q("w:body")) if root is not None else None
    if body is None:
        return [], Parts([]), {}
    styles = Styles(safe.raw("word/styles.xml"), safe.raw("word/theme/theme1.xml"))
    numbering = Numbering(safe.xml("word/numbering.xml"), styles)
    labels = {p: numbering.label(p) for p in body.iter(q("w:p"))}  # keyed by element: keeps the proxies alive
    lines = docx_lines(body)

    def bold(line: Line) -> bool | None:
        runs = [styles.run(line.p, r) for t, r in line.runs if any(c.isalnum() for c in t) and r is not None]
        return bool(runs) and all(bool(f.bold) for f in runs)

    def centered(line: Line) -> bool | None:
        return styles.paragraph(line.p).alignment == "center"

    return lines, locate(lines, bold, centered), labels
