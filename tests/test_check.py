"""`docgen check`: a corpus of documents each breaking exactly one rule, documents built differently,
unsafe input, and every document docgen produces."""
import io
import json
import zipfile

import docx
import pytest
import yaml
from click.testing import CliRunner
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

from docgen import vn
from docgen.checker import DAT, KHONG_DAT, RULES, check
from docgen.cli import main
from docgen.core import render_bytes
from docgen.kinds import KINDS

from .util import EXAMPLES, ROOT

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _mutate(data: bytes, part: str, fn) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == part:
                content = fn(content)
            zf.writestr(info, content)
    return out.getvalue()


def _text(old, new):
    def fn(xml: bytes) -> bytes:
        s = xml.decode("utf-8")
        assert old in s, old
        return s.replace(old, new, 1).encode("utf-8")
    return "word/document.xml", fn


def _style(name, fn_el):
    def fn(xml: bytes) -> bytes:
        root = etree.fromstring(xml)
        st = next(s for s in root.iter(f"{W}style") if s.find(f"{W}name").get(f"{W}val") == name)
        fn_el(st)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return "word/styles.xml", fn


def _set(path, attr, value):
    def fn(st):
        el = st
        for tag in path.split("/"):
            child = el.find(f"{W}{tag}")
            if child is None:
                child = etree.SubElement(el, f"{W}{tag}")
            el = child
        if value is None:
            el.getparent().remove(el)
        else:
            el.set(f"{W}{attr}", value)
    return fn


def _doc_xml(fn_root):
    def fn(xml: bytes) -> bytes:
        root = etree.fromstring(xml)
        fn_root(root)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return "word/document.xml", fn


def _line_paragraph(index):
    def fn(root):
        lines = [p for p in root.iter(f"{W}p")
                 if (s := p.find(f"{W}pPr/{W}pStyle")) is not None and s.get(f"{W}val") == "Duongkengan"]
        ind = lines[index].find(f"{W}pPr/{W}ind")
        ind.set(f"{W}left", "0")
        ind.set(f"{W}right", "0")
    return fn


def _no_title_page(root):
    sect = next(root.iter(f"{W}sectPr"))  # the first section: the document's own (appendices follow)
    sect.remove(sect.find(f"{W}titlePg"))


BREAKS = {
    "trang.a4": _text('w:w="11906"', 'w:w="12240"'),
    "trang.le": _text('w:left="1701"', 'w:left="1134"'),
    "phong_chu": _style("Gach dau dong", _set("rPr/rFonts", "ascii", "Arial")),
    "quoc_hieu.chu": _text("CỘNG HÒA XÃ HỘI", "CỘNG HOÀ XÃ HỘI"),
    "quoc_hieu.dinh_dang": _style("Quoc hieu", _set("rPr/b", "val", "0")),
    "tieu_ngu.chu": _text("Độc lập - Tự do - Hạnh phúc", "Độc Lập - Tự Do - Hạnh Phúc"),
    "tieu_ngu.dinh_dang": _style("Tieu ngu", _set("rPr/sz", "val", "24")),
    "tieu_ngu.gach": _style("Duong ke du", _set("pPr/pBdr", "", None)),
    "co_quan.chu_quan": _style("Co quan chu quan", _set("rPr/b", "val", "1")),
    "co_quan.ban_hanh": _style("Co quan ban hanh", _set("rPr/sz", "val", "28")),
    "co_quan.gach": _doc_xml(_line_paragraph(0)),
    "so_ky_hieu.dang": _text(vn.so_ky_hieu(None, "KH-BDT"), "Số: 5/KH-BDT"),
    "so_ky_hieu.dinh_dang": _style("So ky hieu", _set("rPr/i", "val", "1")),
    "ngay.dang": _text("tháng 01 năm 2023", "tháng 1 năm 2023"),
    "ngay.dinh_dang": _style("Dia danh ngay", _set("rPr/i", "val", "0")),
    "ten_loai": _style("Ten loai", _set("rPr/b", "val", "0")),
    "trich_yeu": _style("Trich yeu", _set("pPr/jc", "val", "left")),
    "trich_yeu.gach": _doc_xml(_line_paragraph(1)),
    "noi_dung.can_le": _style("Gach dau dong", _set("pPr/jc", "val", "left")),
    "noi_dung.co_chu": _style("Diem", _set("rPr/sz", "val", "24")),
    "noi_dung.thut_dong": _style("Danh so", _set("pPr/ind", "firstLine", "0")),
    "noi_dung.gian_doan": _style("Noi dung", _set("pPr/spacing", "after", "0")),
    "noi_dung.gian_dong": _style("Noi dung", _set("pPr/spacing", "line", "480")),
    "noi_dung.la_ma": _text("III. TỔ CHỨC", "IV. TỔ CHỨC"),
    "noi_dung.chu_cai": _text("b) Triển khai thực hiện kế hoạch thi", "c) Triển khai thực hiện kế hoạch thi"),
    "noi_dung.ket_thuc": _text("hiệu quả./.", "hiệu quả."),
    "noi_nhan.nhan": _style("Noi nhan nhan", _set("rPr/i", "val", "0")),
    "noi_nhan.muc": _text("- Sở Nội vụ;", "- Sở Nội vụ"),
    "ky.chuc_vu": _text(">TRƯỞNG BAN<", ">Trưởng Ban<"),
    "ky.ho_ten": _text("Trần Văn Mẫn", "TS. Trần Văn Mẫn"),
    "so_trang": _doc_xml(_no_title_page),
    "mau.sot": _text("Văn phòng Ban tham mưu", "{{ chu_tri }} tham mưu"),
}


@pytest.fixture(scope="module")
def plan_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("check") / "ke_hoach.docx"
    path.write_bytes(render_bytes(ROOT / "data" / "ke_hoach_2023.yaml"))
    return path


def test_every_rule_has_a_breaking_fixture():
    assert set(BREAKS) == {rule_id for rule_id, _, _ in RULES}


def test_correct_document_passes_every_rule(plan_file):
    findings = check(plan_file)
    assert [f.quy_tac for f in findings if f.trang_thai != DAT] == []


@pytest.mark.parametrize("rule_id", sorted(BREAKS))
def test_each_breach_is_caught_by_exactly_its_rule(plan_file, tmp_path, rule_id):
    part, fn = BREAKS[rule_id]
    broken = tmp_path / f"{rule_id}.docx"
    broken.write_bytes(_mutate(plan_file.read_bytes(), part, fn))
    findings = check(broken)
    assert [f.quy_tac for f in findings if f.trang_thai != DAT] == [rule_id], [
        f.line() for f in findings if f.trang_thai != DAT]


# ---- documents built differently: direct formatting, other widths, lines as shapes ----

LINE_SHAPE = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:drawing>'
    '<wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="0"/><wp:docPr id="{id}" name="Line"/>'
    '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
    '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
    '<wps:wsp xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:spPr>'
    '<a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="0"/></a:xfrm><a:prstGeom prst="line"><a:avLst/>'
    '</a:prstGeom><a:ln w="9525"><a:solidFill><a:srgbClr val="000000"/></a:solidFill></a:ln></wps:spPr>'
    '<wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>')


def _run(p, text, size, bold=False, italic=False):
    r = p.add_run(text)
    r.font.size, r.font.bold, r.font.italic = Pt(size), bold, italic
    r.font.name = "Times New Roman"
    fonts = r._r.get_or_add_rPr().find(qn("w:rFonts"))
    for slot in ("w:cs", "w:eastAsia"):
        fonts.set(qn(slot), "Times New Roman")
    return r


def _line_after(container, mm_length, shape_id):
    p = container.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p._p.append(parse_xml(LINE_SHAPE.format(cx=int(mm_length * 36000), id=shape_id)))


def build_direct(month="01", widths=(75, 92)):
    """A plan made by hand: direct formatting only, a 45/55 header table, lines drawn as shapes."""
    d = docx.Document()
    s = d.sections[0]
    s.page_width, s.page_height = Mm(210), Mm(297)
    s.top_margin, s.bottom_margin, s.left_margin, s.right_margin = Mm(25), Mm(20), Mm(35), Mm(20)
    s.different_first_page_header_footer = True
    hp = s.header.paragraphs[0]
    hp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = _run(hp, "", 13)
    for kind, instr in (("begin", None), (None, "PAGE"), ("end", None)):
        el = parse_xml(f'<w:fldChar xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
                       f'w:fldCharType="{kind}"/>' if kind else
                       f'<w:instrText xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                       f'{instr}</w:instrText>')
        r._r.append(el)
    t = d.add_table(rows=2, cols=2)
    for i, w in enumerate(widths):
        for c in t.columns[i].cells:
            c.width = Mm(w)
    def cell(row, col, lines):
        c = t.cell(row, col)
        first = True
        for text, size, bold, italic in lines:
            p = c.paragraphs[0] if first else c.add_paragraph()
            first = False
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(p, text, size, bold, italic)
            if text == "SỞ NỘI VỤ":
                _line_after(c, 9, 1)
            if text == "Độc lập - Tự do - Hạnh phúc":
                from docgen.metrics import text_width_pt
                _line_after(c, text_width_pt(text, 13, True) / 72 * 25.4, 2)
    cell(0, 0, [("UBND TỈNH QUẢNG NGÃI", 12, False, False), ("SỞ NỘI VỤ", 12, True, False)])
    cell(0, 1, [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, True, False),
                ("Độc lập - Tự do - Hạnh phúc", 13, True, False)])
    cell(1, 0, [("Số: 12/BC-SNV", 13, False, False)])
    cell(1, 1, [(f"Quảng Ngãi, ngày 05 tháng {month} năm 2024", 14, False, True)])
    for text in ("BÁO CÁO", "Tình hình thực hiện nhiệm vụ quý I năm 2024"):
        p = d.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(p, text, 14, True)
    _line_after(d, 35, 3)
    body = ["I. KẾT QUẢ", "1. Công tác chỉ đạo", "a) Đã ban hành kế hoạch.", "b) Đã kiểm tra.",
            "c) Đã báo cáo.", "d) Đã tổng kết.", "đ) Đã khen thưởng.", "II. PHƯƠNG HƯỚNG",
            "Tiếp tục thực hiện các nhiệm vụ còn lại./."]
    for text in body:
        p = d.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        p.paragraph_format.first_line_indent = Mm(10)
        p.paragraph_format.space_after = Pt(6)
        p.paragraph_format.line_spacing = 1.2
        _run(p, text, 13, bold=text[:2] in ("I.", "II") or text.startswith("1."))
    f = d.add_table(rows=1, cols=2)
    left, right = f.cell(0, 0), f.cell(0, 1)
    _run(left.paragraphs[0], "Nơi nhận:", 12, True, True)
    for item in ("- UBND tỉnh;", "- Lưu: VT, VP."):
        _run(left.add_paragraph(), item, 11)
    for i, (text, size) in enumerate((("KT. GIÁM ĐỐC", 14), ("PHÓ GIÁM ĐỐC", 14), ("Nguyễn Văn A", 14))):
        p = right.paragraphs[0] if i == 0 else right.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(p, text, size, True)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_document_built_differently_passes_on_its_merits(tmp_path):
    path = tmp_path / "direct.docx"
    path.write_bytes(build_direct())
    findings = check(path, kind="BC")
    assert [f.line() for f in findings if f.trang_thai == KHONG_DAT] == []
    assert {f.quy_tac for f in findings if f.trang_thai == DAT} >= {
        "quoc_hieu.chu", "tieu_ngu.gach", "co_quan.gach", "trich_yeu.gach", "noi_dung.chu_cai", "ky.chuc_vu",
        "so_trang", "trang.le", "phong_chu", "ten_loai.loai"}


@pytest.mark.parametrize("date, why", [
    ("ngày 30 tháng 02 năm 2023", "ngày '30/02/2023' không có thật (tháng 2 năm 2023 không có ngày 30)"),
    ("ngày 31 tháng 4 năm 2023", "ngày '31/4/2023' không có thật (tháng 4 năm 2023 không có ngày 31)"),
])
def test_a_date_no_calendar_has_is_not_passed(plan_file, tmp_path, date, why):
    """The ô 4 date was checked for its zeros only: "ngày 30 tháng 02 năm 2023" passed."""
    broken = tmp_path / "ngay.docx"
    broken.write_bytes(_mutate(plan_file.read_bytes(), *_text("ngày 05 tháng 01 năm 2023", date)))
    found = {f.quy_tac: f for f in check(broken)}
    assert found["ngay.dang"].trang_thai == KHONG_DAT and found["ngay.dang"].can == f"một ngày có thật ({why})"
    assert [f.quy_tac for f in found.values() if f.trang_thai == KHONG_DAT] == ["ngay.dang"]


def test_a_number_of_another_type_is_not_passed(plan_file, tmp_path):
    """A KẾ HOẠCH numbered "Số: …/BC-BDT" passed every rule, even with --kind KH (Phụ lục III: the ký hiệu opens
    with the type's abbreviation; all 31 real documents agree with their tên loại)."""
    broken = tmp_path / "so.docx"
    broken.write_bytes(_mutate(plan_file.read_bytes(), *_text("/KH-BDT", "/BC-BDT")))
    for kind in (None, "KH"):
        found = {f.quy_tac: f for f in check(broken, kind=kind)}
        assert [q for q, f in found.items() if f.trang_thai == KHONG_DAT] == ["so_ky_hieu.dang"]
        assert found["so_ky_hieu.dang"].can == "KẾ HOẠCH: ký hiệu bắt đầu bằng KH- (Số: …/KH-…)"


def test_a_summary_in_capitals_is_not_passed(plan_file, tmp_path):
    """Phụ lục I writes the trích yếu in lower case (bold); one typed in capitals passed."""
    broken = tmp_path / "ty.docx"
    broken.write_bytes(_mutate(plan_file.read_bytes(), *_text(
        ">Thực hiện công tác cải cách hành chính năm 2023<", ">THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM 2023<")))
    found = {f.quy_tac: f for f in check(broken)}
    # the capitals are wider: the line under the summary, drawn for the old text, is now too short as well
    assert [q for q, f in found.items() if f.trang_thai == KHONG_DAT] == ["trich_yeu", "trich_yeu.gach"]
    assert found["trich_yeu"].tim_thay == "in hoa cả dòng"


def test_a_signing_authority_without_the_signers_title_is_not_passed(plan_file, tmp_path):
    """"KT. TRƯỞNG BAN" with no "PHÓ TRƯỞNG BAN" under it passed ky.chuc_vu; every real document puts the
    signer's own title under KT./TL./TM. ("KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH", "TL. CHỦ TỊCH" / "CHÁNH VĂN PHÒNG")."""
    broken = tmp_path / "ky.docx"
    broken.write_bytes(_mutate(plan_file.read_bytes(), *_text(">TRƯỞNG BAN<", ">KT. TRƯỞNG BAN<")))
    found = {f.quy_tac: f for f in check(broken)}
    assert [q for q, f in found.items() if f.trang_thai == KHONG_DAT] == ["ky.chuc_vu"]
    assert found["ky.chuc_vu"].can == "dòng dưới KT. ghi chức vụ của người ký (KT. CHỦ TỊCH / PHÓ CHỦ TỊCH)"


@pytest.mark.parametrize("number, verdict", [
    ("Số: 20/2016/QĐ-UBND", DAT),          # a legal decision's number with its year, as docgen's citations write it
    ("Số:\u00a0\u00a0\u00a0\u00a0\u00a0/2026/QĐ-UBND", DAT),
    ("Số: 5/2016/QĐ-UBND", KHONG_DAT),     # the leading zero still counts
])
def test_a_number_with_its_year(plan_file, tmp_path, number, verdict):
    """"Số: 20/2016/QĐ-UBND" failed so_ky_hieu.dang (cần "Số: 05/KH-BDT") though docgen cites such numbers itself."""
    broken = tmp_path / "so.docx"
    data = _mutate(plan_file.read_bytes(), *_text(vn.so_ky_hieu(None, "KH-BDT"), number))
    broken.write_bytes(_mutate(data, *_text(">KẾ HOẠCH<", ">QUYẾT ĐỊNH<")))
    found = {f.quy_tac: f for f in check(broken)}
    assert found["so_ky_hieu.dang"].trang_thai == verdict, found["so_ky_hieu.dang"]


def test_document_built_differently_fails_on_its_merits(tmp_path):
    path = tmp_path / "direct.docx"
    path.write_bytes(build_direct(month="03"))
    findings = check(path)
    assert [f.quy_tac for f in findings if f.trang_thai == KHONG_DAT] == ["ngay.dang"]


def test_unevaluable_rule_is_never_passed(tmp_path):
    d = docx.Document()
    d.add_paragraph("Một đoạn văn không có thể thức.")
    path = tmp_path / "plain.docx"
    d.save(str(path))
    by_rule = {f.quy_tac: f.trang_thai for f in check(path)}
    assert by_rule["quoc_hieu.chu"] == "KHÔNG ĐÁNH GIÁ" and by_rule["ky.ho_ten"] == "KHÔNG ĐÁNH GIÁ"


# ---- CLI, JSON and unsafe input ----

def test_cli_text_and_json_agree(plan_file):
    runner = CliRunner()
    text_out = runner.invoke(main, ["check", str(plan_file)])
    assert text_out.exit_code == 0
    assert text_out.output.splitlines()[-1] == f"{len(RULES)} đạt, 0 không đạt, 0 không đánh giá"
    js = runner.invoke(main, ["check", str(plan_file), "--format", "json"])
    data = json.loads(js.output)
    assert [(d["tep"], d["loi"]) for d in data] == [(str(plan_file), None)]
    assert [d["quy_tac"] for d in data[0]["ket_qua"]] == [r for r, _, _ in RULES]
    assert all(d["trang_thai"] == "ĐẠT" for d in data[0]["ket_qua"])
    assert data[0]["tong_hop"] == {"dat": len(RULES), "khong_dat": 0, "khong_danh_gia": 0}


def test_cli_exit_1_on_a_breach(plan_file, tmp_path):
    broken = tmp_path / "b.docx"
    broken.write_bytes(_mutate(plan_file.read_bytes(), *BREAKS["ngay.dang"]))
    result = CliRunner().invoke(main, ["check", str(broken), "--chi-loi"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[1].startswith("KHÔNG ĐẠT | ngay.dang | ") and "thấy: Quảng Ngãi, ngày 05 tháng 1 năm 2023" in lines[1]


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_text("không phải docx"), "không phải tệp Word .docx (không đọc được dạng nén zip)"),
    (lambda p: p.write_bytes(_zip({"word/document.xml": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">'
                                                           b']><x>&a;</x>'})),
     "phần word/document.xml có khai báo DOCTYPE/thực thể XML: từ chối để an toàn"),
    (lambda p: p.write_bytes(_zip({"word/document.xml": b"\0" * (80 * 1024 * 1024)})),
     "tệp nén bất thường (phần word/document.xml giải nén ra 83886080 byte): từ chối để an toàn"),
    (lambda p: p.write_bytes(_zip({"a.txt": b"x"})), "không phải tệp Word .docx (thiếu word/document.xml)"),
])
def test_unsafe_or_foreign_files_are_refused(tmp_path, make, message):
    path = tmp_path / "x.docx"
    make(path)
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 2
    assert result.stderr == f"Lỗi: {path}: {message}\n"


def _zip(members):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_document_docgen_produces_passes(path, tmp_path):
    out = tmp_path / "x.docx"
    out.write_bytes(render_bytes(path))
    kind = KINDS[yaml.safe_load(path.read_text(encoding="utf-8"))["loai"]].check
    failures = [f.line() for f in check(out, kind) if f.trang_thai == KHONG_DAT]
    assert failures == []


def test_batch_outputs_pass(tmp_path):
    from docgen import batching as batch

    results = batch.run(ROOT / "data" / "ke_hoach_2023.yaml", ROOT / "data" / "don_vi.yaml", tmp_path, jobs=1)
    for r in results:
        assert [f.line() for f in check(r.path, "KH") if f.trang_thai == KHONG_DAT] == []


# ---- several files: exit codes 0/1/2, one report per file, JSON always valid ----

def test_exit_codes_with_several_files(plan_file, tmp_path):
    broken = tmp_path / "b.docx"
    broken.write_bytes(_mutate(plan_file.read_bytes(), *BREAKS["ngay.dang"]))
    bad = tmp_path / "hong.docx"
    bad.write_text("không phải docx")
    runner = CliRunner()
    assert runner.invoke(main, ["check", str(plan_file), str(plan_file)]).exit_code == 0
    assert runner.invoke(main, ["check", str(plan_file), str(broken)]).exit_code == 1
    result = runner.invoke(main, ["check", str(plan_file), str(bad), str(broken)])
    assert result.exit_code == 2
    assert [line for line in result.output.splitlines() if line.startswith("== ")] == [
        f"== {plan_file}", f"== {broken}"]
    assert result.stderr.splitlines() == [
        f"Lỗi: {bad}: không phải tệp Word .docx (không đọc được dạng nén zip)"]
    js = runner.invoke(main, ["check", str(plan_file), str(bad), str(broken), "--format", "json"])
    assert js.exit_code == 2
    data = json.loads(js.stdout)
    assert [(d["tep"], d["loi"] is None, len(d["ket_qua"]) == len(RULES)) for d in data] == [
        (str(plan_file), True, True), (str(bad), False, False), (str(broken), True, True)]
    assert data[1]["loi"] == f"{bad}: không phải tệp Word .docx (không đọc được dạng nén zip)"
    assert data[2]["tong_hop"]["khong_dat"] == 1
    assert all(set(d) <= {"tep", "loi", "tong_hop", "ket_qua"} for d in data)
    assert all(set(f) == {"quy_tac", "ten", "trang_thai", "tim_thay", "can", "doan"}
               for d in data for f in d["ket_qua"])


def test_a_crash_on_one_file_never_stops_the_others(plan_file, tmp_path, monkeypatch):
    from docgen import checker

    odd = tmp_path / "odd.docx"
    odd.write_bytes(plan_file.read_bytes())
    real = checker.Doc.__init__

    def init(self, path):
        if str(path) == str(odd):
            raise ValueError("cấu trúc lạ")
        real(self, path)

    monkeypatch.setattr(checker.Doc, "__init__", init)
    result = CliRunner().invoke(main, ["check", str(odd), str(plan_file), "--format", "json"])
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data[0]["loi"] == (f"{odd}: không kiểm tra được tệp này: cấu trúc tệp Word lạ hoặc hỏng; "
                              "mở tệp bằng Word, lưu lại dạng .docx rồi kiểm tra lại")
    assert data[1]["loi"] is None and data[1]["tong_hop"]["dat"] == len(RULES)
    assert "Traceback" not in result.output


# ---- layouts of real documents, built small ----

def _run(p, text, size=13, bold=False, italic=False, br=False):
    r = p.add_run(text)
    r.font.size = Pt(size)
    r.font.name = "Times New Roman"
    r.bold, r.italic = bold, italic
    if br:
        r.add_break()
    return r


def _real_layout(path, motto_in_one=True, label_with_item=True, vv_in_box=True):
    """A công văn as provincial offices lay it out: Quốc hiệu and Tiêu ngữ in one paragraph split by a line
    break, V/v in a text box, 'Nơi nhận:' on the line of the first recipient."""
    d = docx.Document()
    sec = d.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin = sec.bottom_margin = Mm(20)
    sec.left_margin, sec.right_margin = Mm(30), Mm(15)
    t = d.add_table(rows=2, cols=2)
    a = t.cell(0, 0).paragraphs[0]
    _run(a, "ỦY BAN NHÂN DÂN", bold=True, br=True)
    _run(a, "TỈNH LÂM ĐỒNG", bold=True)
    q_ = t.cell(0, 1).paragraphs[0]
    q_.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if motto_in_one:
        _run(q_, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, br=True)
        _run(q_, "Độc lập - Tự do - Hạnh phúc", size=14, bold=True)
    _run(t.cell(1, 0).paragraphs[0], "Số:      /UBND-NC")
    _run(t.cell(1, 1).paragraphs[0], "Lâm Đồng, ngày 05 tháng 3 năm 2026", size=14, italic=True)
    holder = t.cell(1, 0).add_paragraph()
    if vv_in_box:
        box = parse_xml(
            '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            'xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape style="width:200pt;height:40pt"><v:textbox>'
            '<w:txbxContent><w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:rFonts w:ascii="Times New '
            'Roman" w:hAnsi="Times New Roman"/><w:sz w:val="26"/></w:rPr><w:t>V/v triển khai Kế hoạch số '
            '600/KH-BCA</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>')
        holder._p.append(box)
    body = d.add_paragraph()
    body.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body.paragraph_format.first_line_indent = Mm(12.7)
    body.paragraph_format.space_after = Pt(6)
    _run(body, "Ủy ban nhân dân tỉnh giao Công an tỉnh nghiên cứu, tham mưu thực hiện./.", size=14)
    f = d.add_table(rows=1, cols=2)
    left = f.cell(0, 0).paragraphs[0]
    if label_with_item:
        _run(left, "Nơi nhận:", size=12, bold=True, italic=True)
        _run(left, " - Như trên;", size=11)
    for item in ("- Chủ tịch UBND tỉnh;", "- Lưu: VT, NC."):
        _run(f.cell(0, 0).add_paragraph(), item, size=11)
    right = f.cell(0, 1).paragraphs[0]
    _run(right, "TL. CHỦ TỊCH", size=14, bold=True)
    _run(f.cell(0, 1).add_paragraph(), "CHÁNH VĂN PHÒNG", size=14, bold=True)
    _run(f.cell(0, 1).add_paragraph(), "Nguyễn Nhân Bản", size=14, bold=True)
    d.save(str(path))
    return path


def test_real_layouts_motto_split_by_a_break_vv_in_a_box_label_with_first_recipient(tmp_path):
    findings = {f.quy_tac: f for f in check(_real_layout(tmp_path / "cv.docx"))}
    assert findings["quoc_hieu.chu"].trang_thai == DAT and findings["quoc_hieu.dinh_dang"].tim_thay == "13 pt, đậm"
    assert findings["tieu_ngu.chu"].trang_thai == DAT and findings["tieu_ngu.dinh_dang"].tim_thay == "14 pt, đậm"
    assert findings["co_quan.ban_hanh"].doan == "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"
    assert findings["co_quan.chu_quan"].trang_thai == "KHÔNG ĐÁNH GIÁ"  # two bold lines are one agency
    assert findings["trich_yeu"].doan == "V/v triển khai Kế hoạch số 600/KH-BCA"  # read inside its text box
    assert findings["trich_yeu"].trang_thai == DAT and findings["ten_loai"].tim_thay == "công văn: không có tên loại"
    assert findings["noi_nhan.nhan"].trang_thai == DAT
    assert findings["noi_nhan.muc"].trang_thai == DAT and findings["noi_nhan.muc"].tim_thay == "3 dòng, 11 pt"
    assert findings["ky.ho_ten"].doan == "Nguyễn Nhân Bản" and findings["noi_dung.ket_thuc"].trang_thai == DAT


def test_cong_hoa_spelt_hoa_says_the_decree_is_ambiguous(plan_file, tmp_path):
    broken = tmp_path / "hoa.docx"
    broken.write_bytes(_mutate(plan_file.read_bytes(), *BREAKS["quoc_hieu.chu"]))
    f = next(f for f in check(broken) if f.quy_tac == "quoc_hieu.chu")
    assert f.trang_thai == KHONG_DAT and "«HÒA» trong quy định thể thức nhưng «HOÀ» trong bảng mẫu" in f.tim_thay


def test_word_list_numbering_is_read_as_the_reader_sees_it():
    from docgen.ooxml import Numbering

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    numbering = etree.fromstring(
        f'<w:numbering xmlns:w="{w}"><w:abstractNum w:abstractNumId="0">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%3."/></w:lvl>'
        '</w:abstractNum><w:num w:numId="5"><w:abstractNumId w:val="0"/></w:num></w:numbering>')

    def para(level):
        return etree.fromstring(f'<w:p xmlns:w="{w}"><w:pPr><w:numPr><w:ilvl w:val="{level}"/>'
                                f'<w:numId w:val="5"/></w:numPr></w:pPr></w:p>')

    n = Numbering(numbering)
    # points go a, b, c, d, đ, e in the Vietnamese order; a new section starts them again
    assert [n.label(para(lv)) for lv in (0, 1, 1, 1, 1, 1, 1, 0, 1, 2)] == [
        "I. ", "a) ", "b) ", "c) ", "d) ", "đ) ", "e) ", "II. ", "a) ", "II.1. "]
