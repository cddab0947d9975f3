"""Generate templates/ke_hoach.docx: the Decree 30 layout as a Word file for docxtpl.

The templates are committed and meant to be restyled in Word; this script is how
their first version was made (and how to rebuild them after a change here).
Everything a user may restyle lives in named paragraph styles.
"""
from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

ROOT = Path(__file__).resolve().parent.parent
FONT = "Times New Roman"

# name, based on, size, bold, italic, alignment, first-line indent (cm), before, after (pt)
C, L, J = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.JUSTIFY
HEADER_STYLES = [
    ("Co quan chu quan", 13, False, False, C, 0, 0),
    ("Co quan ban hanh", 13, True, False, C, 0, 0),
    ("So ky hieu", 13, False, False, C, 6, 0),
    ("Quoc hieu", 12, True, False, C, 0, 0),
    ("Tieu ngu", 13, True, False, C, 0, 0),
    ("Dia danh ngay", 14, False, True, C, 6, 0),
    ("Ten loai", 14, True, False, C, 18, 0),
    ("Trich yeu", 14, True, False, C, 0, 0),
    ("Noi nhan nhan", 12, True, True, L, 0, 0),
    ("Noi nhan", 11, False, False, L, 0, 0),
    ("Chuc vu ky", 14, True, False, C, 0, 0),
    ("Ho ten ky", 14, True, False, C, 72, 0),
    ("So trang", 14, False, False, C, 0, 0),
    ("Phu luc", 14, True, False, C, 0, 0),
    ("Phu luc tieu de", 14, True, False, C, 0, 0),
    ("Phu luc kem theo", 14, False, True, C, 0, 0),
    ("Kinh gui", 14, False, False, C, 6, 6),
    ("Bang", 12, False, False, L, 0, 0),
    ("Bang tieu de", 12, True, False, C, 0, 0),
]
# Body levels: one style each, based on "Noi dung" (justified, 1.27 cm first line, 6 pt after).
# Most frequent kinds first: the template's if/elif chain is evaluated for every block.
BODY_LEVELS = {
    "gach": ("Gach dau dong", False), "diem": ("Diem", False), "khoan": ("Khoan", True),
    "dem": ("Danh so", False), "doan": ("Doan", False), "muc": ("Muc", True),
    "cong": ("Dau cong", False), "khoan_doan": ("Khoan van ban", False),
}


def _fonts(rpr) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), FONT)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(theme), None)


def _setup_defaults(doc) -> None:
    styles = doc.styles.element
    rpr_default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(rpr_default)
    for tag, val in (("w:sz", "28"), ("w:szCs", "28")):
        el = rpr_default.find(qn(tag))
        if el is None:
            el = OxmlElement(tag)
            rpr_default.append(el)
        el.set(qn("w:val"), val)
    lang = rpr_default.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr_default.append(lang)
    lang.set(qn("w:val"), "vi-VN")
    lang.set(qn("w:eastAsia"), "en-US")
    lang.set(qn("w:bidi"), "ar-SA")
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    _fonts(normal.element.get_or_add_rPr())
    pf = normal.paragraph_format
    pf.space_before, pf.space_after, pf.line_spacing = Pt(0), Pt(0), 1.0


def _style(doc, name, size, bold, italic, align, before, after, base="Normal", first_line=None,
           line_spacing=1.0):
    st = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    st.base_style = doc.styles[base]
    st.quick_style = True
    st.font.size = Pt(size)
    st.font.bold = bold
    st.font.italic = italic
    st.font.name = FONT
    _fonts(st.element.get_or_add_rPr())
    pf = st.paragraph_format
    pf.alignment = align
    pf.space_before, pf.space_after = Pt(before), Pt(after)
    pf.line_spacing = line_spacing
    pf.first_line_indent = first_line if first_line is not None else Mm(0)
    pf.left_indent = Mm(0)
    pf.right_indent = Mm(0)
    return st


def _line_style(doc, name) -> None:
    """An empty paragraph whose top border is the line; docgen sizes it from the text above."""
    # 3 pt above keeps the line off the descenders; 6 pt below before what follows.
    st = _style(doc, name, 2, False, False, C, 3, 6)
    ppr = st.element.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(k), v)
    bdr.append(top)
    ppr.insert(0, bdr)


def _add_styles(doc) -> None:
    _setup_defaults(doc)
    for name, size, bold, italic, align, before, after in HEADER_STYLES:
        _style(doc, name, size, bold, italic, align, before, after)
    _style(doc, "Noi dung", 14, False, False, J, 0, 6, first_line=Mm(12.7), line_spacing=1.15)
    doc.styles["Phu luc"].paragraph_format.page_break_before = False
    doc.styles["Bang"].paragraph_format.space_before = Pt(3)
    doc.styles["Bang"].paragraph_format.space_after = Pt(3)
    doc.styles["Bang tieu de"].paragraph_format.space_before = Pt(3)
    doc.styles["Bang tieu de"].paragraph_format.space_after = Pt(3)
    for _, (name, bold) in BODY_LEVELS.items():
        _style(doc, name, 14, bold, False, J, 0, 6, base="Noi dung", first_line=Mm(12.7), line_spacing=1.15)
    _line_style(doc, "Duong ke ngan")
    _line_style(doc, "Duong ke du")


def _no_borders(table) -> None:
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tblpr.append(borders)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblpr.append(layout)


def _table(doc, widths_mm, rows=1, indent_mm=0.0, top_margin_pt=0):
    table = doc.add_table(rows=rows, cols=len(widths_mm))
    _no_borders(table)
    table.autofit = False
    tblpr = table._tbl.tblPr
    tblw = tblpr.find(qn("w:tblW"))
    if tblw is None:
        tblw = OxmlElement("w:tblW")
        tblpr.append(tblw)
    tblw.set(qn("w:w"), str(int(Mm(sum(widths_mm)).twips)))
    tblw.set(qn("w:type"), "dxa")
    if indent_mm:
        ind = OxmlElement("w:tblInd")
        ind.set(qn("w:w"), str(int(Mm(indent_mm).twips)))
        ind.set(qn("w:type"), "dxa")
        tblpr.append(ind)
    _set_widths(table, widths_mm)
    for col in table.columns:
        for cell in col.cells:
            if top_margin_pt:
                tcpr = cell._tc.get_or_add_tcPr()
                mar = OxmlElement("w:tcMar")
                top = OxmlElement("w:top")
                top.set(qn("w:w"), str(int(Pt(top_margin_pt).twips)))
                top.set(qn("w:type"), "dxa")
                mar.append(top)
                tcpr.append(mar)
    return table


def _para(container, text, style):
    p = container.add_paragraph(style=style)
    if text:
        p.add_run(text)
    return p


def _fill_cell(cell, lines) -> None:
    """lines: (text, style) pairs; the cell's first (empty) paragraph is reused."""
    first = True
    for text, style in lines:
        if first:
            p = cell.paragraphs[0]
            p.style = style
            if text:
                p.add_run(text)
            first = False
        else:
            _para(cell, text, style)


def _page_number(paragraph) -> None:
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), ("t", "2"), ("end", None)):
        run = paragraph.add_run()
        if kind in ("begin", "separate", "end"):
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        elif kind == "t":
            run.text = text
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)


def _page_setup(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    section.gutter = Mm(0)
    section.different_first_page_header_footer = True
    header = section.header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    p.style = doc.styles["So trang"]
    _page_number(p)
    first = section.first_page_header
    first.is_linked_to_previous = False
    first.paragraphs[0].style = doc.styles["So trang"]


def _header_block(doc) -> None:
    table = _table(doc, [67, 100], rows=2, indent_mm=-1)
    _fill_cell(table.cell(0, 0), [("{{ co_quan.chu_quan }}", "Co quan chu quan"),
                                  ("{{ co_quan.ten }}", "Co quan ban hanh"), ("", "Duong ke ngan")])
    _fill_cell(table.cell(0, 1), [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Quoc hieu"),
                                  ("Độc lập - Tự do - Hạnh phúc", "Tieu ngu"), ("", "Duong ke du")])
    _fill_cell(table.cell(1, 0), [("{{ so_ky_hieu }}", "So ky hieu")])
    _fill_cell(table.cell(1, 1), [("{{ dia_danh_ngay }}", "Dia danh ngay")])
    _para(doc, "{{ ten_loai }}", "Ten loai")
    _para(doc, "{{ trich_yeu }}", "Trich yeu")
    _para(doc, "", "Duong ke ngan")


def _body_loop(doc, var="noi_dung") -> None:
    _para(doc, "{%p for b in " + var + " %}", "Noi dung")
    first = True
    for kieu, (style, _) in BODY_LEVELS.items():
        _para(doc, ("{%p if " if first else "{%p elif ") + f'b.kieu == "{kieu}" %}}', "Noi dung")
        _para(doc, "{{ b.so }}{{ b.van_ban }}", style)
        first = False
    _para(doc, "{%p endif %}", "Noi dung")
    _para(doc, "{%p endfor %}", "Noi dung")


def _footer_block(doc) -> None:
    table = _table(doc, [56, 111], indent_mm=-1, top_margin_pt=12)
    _fill_cell(table.cell(0, 0), [("Nơi nhận:", "Noi nhan nhan"), ("{%p for d in noi_nhan %}", "Noi nhan"),
                                  ("{{ d }}", "Noi nhan"), ("{%p endfor %}", "Noi nhan")])
    _fill_cell(table.cell(0, 1), [("{%p for d in nguoi_ky.dong %}", "Chuc vu ky"), ("{{ d }}", "Chuc vu ky"),
                                  ("{%p endfor %}", "Chuc vu ky"), ("{{ nguoi_ky.ho_ten }}", "Ho ten ky")])


def _new_document():
    doc = Document()
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    _add_styles(doc)
    _page_setup(doc)
    doc.core_properties.title = ""
    doc.core_properties.author = "docgen"
    doc.core_properties.comments = ""
    return doc


KEEP_STYLES = {"Normal", "Default Paragraph Font", "Normal Table", "No List", "Table Grid"}


def _slim(doc) -> None:
    """Drop what python-docx's default template carries and a plan never uses.

    Unused styles, latent styles, stylesWithEffects, custom XML and the thumbnail make
    up 95 % of its size; every produced file would copy them.
    """
    ours = {name for name, *_ in HEADER_STYLES} | {n for n, _ in BODY_LEVELS.values()} | {
        "Noi dung", "Duong ke ngan", "Duong ke du"}
    styles = doc.styles.element
    for st in list(styles.findall(qn("w:style"))):
        name = st.find(qn("w:name")).get(qn("w:val"))
        if name not in KEEP_STYLES | ours and name.lower() not in {k.lower() for k in KEEP_STYLES}:
            styles.remove(st)
    latent = styles.find(qn("w:latentStyles"))
    if latent is not None:
        styles.remove(latent)
    for rel_id, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith(("/stylesWithEffects", "/customXml", "/numbering")):
            doc.part.drop_rel(rel_id)
    pkg_rels = doc.part.package.rels
    for rel_id, rel in list(pkg_rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            pkg_rels.pop(rel_id)


def ke_hoach(path: Path) -> None:
    doc = _new_document()
    _header_block(doc)
    _para(doc, "{{ mo_dau }}", "Noi dung")
    _body_loop(doc)
    _footer_block(doc)
    _slim(doc)
    doc.save(path)


def _grid_table(doc, widths_mm):
    """A bordered table (the appendix's), fixed column widths."""
    table = doc.add_table(rows=4, cols=len(widths_mm))
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    tblpr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblpr.append(layout)
    _set_widths(table, widths_mm)
    return table


def _set_widths(table, widths_mm) -> None:
    """Fixed column widths: Word reads the cell widths, LibreOffice the grid; set both."""
    for i, col in enumerate(table.columns):
        col.width = Mm(widths_mm[i])
        for cell in col.cells:
            cell.width = Mm(widths_mm[i])


def _appendix(doc) -> None:
    """Phụ lục on a new page, in its own section numbered from 1, with a row loop."""
    from docx.enum.section import WD_SECTION

    new = doc.add_section(WD_SECTION.NEW_PAGE)
    sect = new._sectPr
    pg = OxmlElement("w:pgNumType")
    pg.set(qn("w:start"), "1")
    sect.append(pg)
    _para(doc, "Phụ lục", "Phu luc")
    _para(doc, "{{ phu_luc.tieu_de }}", "Phu luc tieu de")
    _para(doc, "{{ phu_luc.kem_theo }}", "Phu luc kem theo")
    _para(doc, "", "Duong ke ngan")
    headers = ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Kết quả", "Ghi chú"]
    cells = ["{{ r.stt }}", "{{ r.ten }}", "{{ r.chu_tri }}", "{{ r.thoi_han }}", "{{ r.ket_qua }}",
             "{{ r.ghi_chu }}"]
    table = _grid_table(doc, [12, 55, 30, 25, 25, 18])
    for i, h in enumerate(headers):
        _fill_cell(table.cell(0, i), [(h, "Bang tieu de")])
        _fill_cell(table.cell(2, i), [(cells[i], "Bang")])
    _fill_cell(table.cell(1, 0), [("{%tr for r in phu_luc.dong %}", "Bang")])
    _fill_cell(table.cell(3, 0), [("{%tr endfor %}", "Bang")])
    total = table.add_row()
    merged = total.cells[0].merge(total.cells[-1])
    _fill_cell(merged, [("{{ phu_luc.tong }}", "Bang tieu de")])
    # header row repeats on each page
    trpr = table.rows[0]._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:tblHeader"))


def bao_cao(path: Path) -> None:
    doc = _new_document()
    _header_block(doc)
    _para(doc, "{%p for d in kinh_gui %}", "Kinh gui")
    _para(doc, "{{ d }}", "Kinh gui")
    _para(doc, "{%p endfor %}", "Kinh gui")
    _para(doc, "{{ mo_dau }}", "Noi dung")
    _body_loop(doc)
    _footer_block(doc)
    _appendix(doc)
    _slim(doc)
    doc.save(path)


def _fixed_zip(path: Path) -> None:
    """Rewrite the saved file with fixed zip timestamps, so regenerating gives the same bytes."""
    import datetime as dt
    import zipfile

    sys.path.insert(0, str(ROOT))
    from docgen.rendering import zip_bytes

    with zipfile.ZipFile(path) as zf:
        members = [(i.filename, zf.read(i)) for i in zf.infolist()]
    path.write_bytes(zip_bytes(members, dt.datetime(2023, 1, 1)))


def main() -> None:
    out = ROOT / "docgen" / "templates"
    out.mkdir(exist_ok=True)
    for name, make in (("ke_hoach", ke_hoach), ("bao_cao", bao_cao)):
        make(out / f"{name}.docx")
        _fixed_zip(out / f"{name}.docx")
        print(f"wrote {out / name}.docx", file=sys.stderr)


if __name__ == "__main__":
    main()
