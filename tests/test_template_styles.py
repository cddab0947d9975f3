"""Templates a person can restyle: body levels inherit from `Noi dung`; Nơi nhận wraps under its text."""
import io
import re
import zipfile

from docgen.core import default_template, render_bytes
from docgen.ooxml import q, text

from .util import PLAN, Doc

BODY = ("Noi dung", "Muc", "Khoan", "Khoan van ban", "Diem", "Doan", "Gach dau dong", "Dau cong", "Danh so")


def _restyled(template, tmp_path, size_half_points: int):
    """A copy of ``template`` whose `Noi dung` style is set to another size (as Word would save it)."""
    with zipfile.ZipFile(template) as zf:
        members = [(i, zf.read(i)) for i in zf.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in members:
            if info.filename == "word/styles.xml":
                xml = data.decode("utf-8")
                m = re.search(r'<w:style [^>]*w:styleId="Noidung".*?</w:style>', xml, re.S)
                assert m, "no Noi dung style"
                new = re.sub(r'<w:sz w:val="\d+"/>', f'<w:sz w:val="{size_half_points}"/>', m.group())
                assert new != m.group()
                data = xml.replace(m.group(), new).encode("utf-8")
            zf.writestr(info, data)
    path = tmp_path / template.name
    path.write_bytes(out.getvalue())
    return path


def test_body_styles_set_only_what_differs_from_noi_dung():
    doc = Doc(render_bytes(PLAN))
    styles = doc.part("word/styles.xml")
    for st in styles.iter(q("w:style")):
        name = st.find(q("w:name")).get(q("w:val"))
        if name in BODY[1:]:
            assert st.find(q("w:basedOn")).get(q("w:val")) == "Noidung", name
            rpr, ppr = st.find(q("w:rPr")), st.find(q("w:pPr"))
            assert rpr is None or rpr.find(q("w:sz")) is None, name
            assert ppr is None or (ppr.find(q("w:spacing")) is None and ppr.find(q("w:ind")) is None), name


def test_noi_dung_at_13_pt_makes_every_body_paragraph_13_pt(tmp_path):
    template = _restyled(default_template("ke_hoach"), tmp_path, 26)
    doc = Doc(render_bytes(PLAN, template))
    body = [p for p in doc.body_paragraphs() if doc.styles.name(doc.styles.para_style_id(p)) in BODY and text(p)]
    assert len(body) > 100
    sizes = {f.size_pt for p in body for _, f in doc.styles.runs(p)}
    assert sizes == {13}
    spacing = {doc.styles.paragraph(p).after for p in body}
    assert spacing == {120}  # 6 pt after, inherited too


def test_recipients_wrap_with_a_hanging_indent():
    doc = Doc(render_bytes(PLAN))
    cell = doc.find("Nơi nhận:").getparent()
    items = [p for p in cell.iter(q("w:p")) if text(p).startswith("- ")]
    assert items
    for p in items:
        fmt = doc.styles.paragraph(p)
        assert fmt.left == 130 and fmt.first_line == -130  # 6.5 pt: the width of "- " at 11 pt
