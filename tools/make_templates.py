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
R = WD_ALIGN_PARAGRAPH.RIGHT
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
    # Tables: 13 pt, the low end of the decree's 13-14 pt for the body (ô 6); restyle here or in Word.
    ("Bang", 13, False, False, L, 0, 0),
    ("Bang tieu de", 13, True, False, C, 0, 0),
    ("Bang nhom", 13, True, False, L, 0, 0),
    ("Bang ten", 14, True, False, C, 6, 3),
    ("Bang don vi", 13, False, True, R, 0, 3),
    ("Chu thich", 11, False, False, J, 0, 0),
    ("Ngat phan", 1, False, False, L, 0, 0),
]
# Styles of the paper trail only (Phụ lục III: Mẫu 1.3 quyết định, Mẫu 1.5 công văn), so the plan's and the
# report's templates keep their bytes.
TRAIL_STYLES = [
    ("Trich yeu cong van", 12, False, False, C, 6, 0),
    ("Tham quyen", 14, True, False, C, 12, 6),
    ("Quyet dinh", 14, True, False, C, 6, 6),
]
# Width of "- " in Times New Roman 11 pt (hyphen 0.333 em + space 0.25 em): the Nơi nhận hanging indent.
NOI_NHAN_TREO = 6.5
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
    pf.widow_control = True  # no single first or last line of a paragraph alone on a page


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


def _child_style(doc, name, base, bold=None):
    """A style that inherits everything from ``base`` and sets only what differs (so restyling
    ``Noi dung`` in Word restyles every body level)."""
    st = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    st.base_style = doc.styles[base]
    st.quick_style = True
    if bold is not None and bold:
        st.font.bold = True
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
        _child_style(doc, name, "Noi dung", bold=bold)
    # Nơi nhận: a long recipient wraps under its text, not under the dash (hanging indent = width of "- ")
    recipients = doc.styles["Noi nhan"].paragraph_format
    recipients.left_indent, recipients.first_line_indent = Pt(NOI_NHAN_TREO), Pt(-NOI_NHAN_TREO)
    _line_style(doc, "Duong ke ngan")
    _line_style(doc, "Duong ke du")
    # page flow: headings and the appendix heading lines stay with what follows them
    for name in ("Muc", "Khoan", "Phu luc", "Phu luc tieu de", "Phu luc kem theo", "Bang ten", "Bang don vi"):
        doc.styles[name].paragraph_format.keep_with_next = True
    ref = doc.styles.add_style("Tham chieu chu thich", WD_STYLE_TYPE.CHARACTER)
    ref.font.superscript = True


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


def _header_block(doc, kem_theo: bool = False) -> None:
    table = _table(doc, [67, 100], rows=2, indent_mm=-1)
    _fill_cell(table.cell(0, 0), [("{{ co_quan.chu_quan }}", "Co quan chu quan"),
                                  ("{{ co_quan.ten }}", "Co quan ban hanh"), ("", "Duong ke ngan")])
    _fill_cell(table.cell(0, 1), [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Quoc hieu"),
                                  ("Độc lập - Tự do - Hạnh phúc", "Tieu ngu"), ("", "Duong ke du")])
    _fill_cell(table.cell(1, 0), [("{{ so_ky_hieu }}", "So ky hieu")])
    _fill_cell(table.cell(1, 1), [("{{ dia_danh_ngay }}", "Dia danh ngay")])
    _para(doc, "{{ ten_loai }}", "Ten loai")
    _para(doc, "{{ trich_yeu }}", "Trich yeu")
    if kem_theo:  # a plan issued by a Quyết định: "(Kèm theo Quyết định số ...)" under its title (Mẫu 1.3)
        _para(doc, "{%p if kem_theo_qd %}", "Phu luc kem theo")
        _para(doc, "{{ kem_theo_qd }}", "Phu luc kem theo")
        _para(doc, "{%p endif %}", "Phu luc kem theo")
    _para(doc, "", "Duong ke ngan")


def _body_loop(doc, var="noi_dung") -> None:
    """One paragraph per block kind; ``b.mark`` carries keep-with-next and footnotes (docgen/layout.py)."""
    _para(doc, "{%p for b in " + var + " %}", "Noi dung")
    first = True
    for kieu, (style, _) in BODY_LEVELS.items():
        _para(doc, ("{%p if " if first else "{%p elif ") + f'b.kieu == "{kieu}" %}}', "Noi dung")
        _para(doc, "{{ b.so }}{{ b.van_ban }}{{ b.mark }}", style)
        first = False
    _para(doc, '{%p elif b.kieu == "bang" %}', "Noi dung")
    _para(doc, "{{ b.van_ban }}", "Noi dung")  # replaced by the table it marks
    _para(doc, "{%p endif %}", "Noi dung")
    _para(doc, "{%p endfor %}", "Noi dung")


def _footer_block(doc) -> None:
    table = _table(doc, [56, 111], indent_mm=-1, top_margin_pt=12)
    _fill_cell(table.cell(0, 0), [("Nơi nhận:", "Noi nhan nhan"), ("{%p for d in noi_nhan %}", "Noi nhan"),
                                  ("{{ d }}", "Noi nhan"), ("{%p endfor %}", "Noi nhan")])
    _fill_cell(table.cell(0, 1), [("{%p for d in nguoi_ky.dong %}", "Chuc vu ky"), ("{{ d }}", "Chuc vu ky"),
                                  ("{%p endfor %}", "Chuc vu ky"), ("{{ nguoi_ky.ho_ten }}", "Ho ten ky")])
    # the signature block is one unsplittable row (and the body's last paragraph keeps with it)
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _appendices(doc) -> None:
    """Each Phụ lục: a section break (docgen sets its orientation and page numbering), its heading
    lines, a short line, then its blocks like the body's."""
    _para(doc, "{%p for pl in phu_luc %}", "Noi dung")
    _para(doc, "{{ pl.ngat }}", "Ngat phan")
    _para(doc, "{{ pl.so }}", "Phu luc")
    _para(doc, "{{ pl.tieu_de }}", "Phu luc tieu de")
    _para(doc, "{{ pl.kem_theo }}", "Phu luc kem theo")
    _para(doc, "", "Duong ke ngan")
    _body_loop(doc, "pl.noi_dung")
    _para(doc, "{%p endfor %}", "Noi dung")


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
    ours = {name for name, *_ in HEADER_STYLES + TRAIL_STYLES} | {n for n, _ in BODY_LEVELS.values()} | {
        "Noi dung", "Duong ke ngan", "Duong ke du", "Tham chieu chu thich", "Dieu", "Can cu"}
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
    _header_block(doc, kem_theo=True)
    _para(doc, "{%p for d in mo_dau %}", "Noi dung")
    _para(doc, "{{ d }}", "Noi dung")
    _para(doc, "{%p endfor %}", "Noi dung")
    _body_loop(doc)
    _footer_block(doc)
    _appendices(doc)
    _slim(doc)
    doc.save(path)


def _set_widths(table, widths_mm) -> None:
    """Fixed column widths: Word reads the cell widths, LibreOffice the grid; set both."""
    for i, col in enumerate(table.columns):
        col.width = Mm(widths_mm[i])
        for cell in col.cells:
            cell.width = Mm(widths_mm[i])


def bao_cao(path: Path) -> None:
    doc = _new_document()
    _header_block(doc)
    _para(doc, "{%p for d in kinh_gui %}", "Kinh gui")
    _para(doc, "{{ d }}", "Kinh gui")
    _para(doc, "{%p endfor %}", "Kinh gui")
    _para(doc, "{{ mo_dau }}", "Noi dung")
    _body_loop(doc)
    _footer_block(doc)
    _appendices(doc)
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
    path.write_bytes(zip_bytes(_with_footnotes(members), dt.datetime(2023, 1, 1)))


def _with_footnotes(members: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """Add word/footnotes.xml (separators only; docgen adds the notes) with its relation, content type
    and the settings Word expects."""
    from docgen.layout import footnotes_xml

    class _NoStyles:
        def __getitem__(self, role):
            return None

    out = []
    for name, data in members:
        text = data.decode("utf-8") if name.endswith((".xml", ".rels")) else None
        if name == "[Content_Types].xml":
            text = text.replace("</Types>", '<Override PartName="/word/footnotes.xml" ContentType="application/'
                                'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>')
        elif name == "word/_rels/document.xml.rels":
            text = text.replace("</Relationships>", '<Relationship Id="rIdFootnotes" Type="http://schemas.'
                                'openxmlformats.org/officeDocument/2006/relationships/footnotes" '
                                'Target="footnotes.xml"/></Relationships>')
        elif name == "word/settings.xml":
            text = text.replace("<w:compat>", '<w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/>'
                                "</w:footnotePr><w:compat>", 1)
        out.append((name, text.encode("utf-8") if text is not None else data))
    out.append(("word/footnotes.xml", footnotes_xml([], _NoStyles())))
    return out


def _kinh_gui(doc) -> None:
    _para(doc, "{%p for d in kinh_gui %}", "Kinh gui")
    _para(doc, "{{ d }}", "Kinh gui")
    _para(doc, "{%p endfor %}", "Kinh gui")


def _trail_document():
    doc = _new_document()
    for name, size, bold, italic, align, before, after in TRAIL_STYLES:
        _style(doc, name, size, bold, italic, align, before, after)
    _child_style(doc, "Dieu", "Noi dung")  # Điều 1. (bold label run) and its text
    _child_style(doc, "Can cu", "Noi dung").font.italic = True  # căn cứ ban hành of a decision: italic
    return doc


def to_trinh(path: Path) -> None:
    """Tờ trình (Mẫu 1.4): tên loại, trích yếu, Kính gửi, the body, what is attached, signature."""
    doc = _trail_document()
    _header_block(doc)
    _kinh_gui(doc)
    _body_loop(doc)
    _footer_block(doc)
    _slim(doc)
    doc.save(path)


def quyet_dinh(path: Path) -> None:
    """Quyết định ban hành văn bản kèm theo (Mẫu 1.3): issuer title, căn cứ (italic), QUYẾT ĐỊNH:, Điều 1-3
    with bold labels, signature; the plan is rendered as its attachment from its own source."""
    doc = _trail_document()
    _header_block(doc)
    _para(doc, "{{ tham_quyen }}", "Tham quyen")
    _para(doc, "{%p for d in can_cu %}", "Can cu")
    _para(doc, "{{ d }}", "Can cu")
    _para(doc, "{%p endfor %}", "Can cu")
    _para(doc, "QUYẾT ĐỊNH:", "Quyet dinh")
    _para(doc, "{%p for d in dieu %}", "Dieu")
    p = _para(doc, "", "Dieu")
    p.add_run("{{ d.so }}").bold = True
    p.add_run("{{ d.van_ban }}")
    _para(doc, "{%p endfor %}", "Dieu")
    _footer_block(doc)
    _slim(doc)
    doc.save(path)


def cong_van(path: Path) -> None:
    """Công văn (Mẫu 1.5): no tên loại; ``V/v ...`` 12 pt under the number; Kính gửi; body; signature."""
    doc = _trail_document()
    table = _table(doc, [67, 100], rows=2, indent_mm=-1)
    _fill_cell(table.cell(0, 0), [("{{ co_quan.chu_quan }}", "Co quan chu quan"),
                                  ("{{ co_quan.ten }}", "Co quan ban hanh"), ("", "Duong ke ngan")])
    _fill_cell(table.cell(0, 1), [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Quoc hieu"),
                                  ("Độc lập - Tự do - Hạnh phúc", "Tieu ngu"), ("", "Duong ke du")])
    _fill_cell(table.cell(1, 0), [("{{ so_ky_hieu }}", "So ky hieu"), ("{{ trich_yeu }}", "Trich yeu cong van")])
    _fill_cell(table.cell(1, 1), [("{{ dia_danh_ngay }}", "Dia danh ngay")])
    _kinh_gui(doc)
    _body_loop(doc)
    _footer_block(doc)
    _slim(doc)
    doc.save(path)


def main() -> None:
    out = ROOT / "docgen" / "templates"
    out.mkdir(exist_ok=True)
    for name, make in (("ke_hoach", ke_hoach), ("bao_cao", bao_cao), ("to_trinh", to_trinh),
                       ("quyet_dinh", quyet_dinh), ("cong_van", cong_van)):
        make(out / f"{name}.docx")
        _fixed_zip(out / f"{name}.docx")
        print(f"wrote {out / name}.docx", file=sys.stderr)


if __name__ == "__main__":
    main()
