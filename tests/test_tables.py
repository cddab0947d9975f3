"""Tables, appendices, footnotes and page flow, read back from the produced .docx."""
import re
from collections import Counter

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from docgen import vn
from docgen.cli import main
from docgen.core import render_bytes
from docgen.ooxml import q, text
from docgen.validate import iter_tasks, load_plan

from .util import PLAN, REALDOCS, ROOT, Doc

KINH_PHI = ROOT / "data" / "ke_hoach_kinh_phi_2024.yaml"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


@pytest.fixture(scope="module")
def kinh_phi() -> Doc:
    return Doc(render_bytes(KINH_PHI))


def _table_with(doc: Doc, needle: str):
    return next(t for t in doc.body.iter(q("w:tbl")) if needle in text(t))


def _rows(table):
    return table.findall(q("w:tr"))


def _cells(tr):
    return [text(tc) for tc in tr.findall(q("w:tc"))]


def _tcpr(tc, tag):
    el = tc.find(f"{q('w:tcPr')}/{q(tag)}")
    return None if el is None else (el.get(q("w:val")) or "continue")


def _sections(doc: Doc):
    return list(doc.body.iter(q("w:sectPr")))


def _landscape(sect) -> bool:
    pg = sect.find(q("w:pgSz"))
    return pg.get(q("w:orient")) == "landscape" and int(pg.get(q("w:w"))) > int(pg.get(q("w:h")))


# ---- a table in the body -----------------------------------------------------------------------------


def test_header_rows_repeat_and_no_row_splits(kinh_phi):
    table = _table_with(kinh_phi, "Cải cách thể chế")
    rows = _rows(table)
    header = [tr.find(f"{q('w:trPr')}/{q('w:tblHeader')}") is not None for tr in rows]
    assert header == [True, True] + [False] * (len(rows) - 2)  # two header rows, repeated on every page
    assert all(tr.find(f"{q('w:trPr')}/{q('w:cantSplit')}") is not None for tr in rows)


def test_merged_header_cells_as_written(kinh_phi):
    first, second = _rows(_table_with(kinh_phi, "Cải cách thể chế"))[:2]
    tcs = first.findall(q("w:tc"))
    assert _cells(first) == ["STT", "Nội dung", "Năm 2023", "Dự toán năm 2024", "So sánh (%)"]
    assert [_tcpr(tc, "w:vMerge") for tc in tcs] == ["restart", "restart", None, "restart", "restart"]
    assert [_tcpr(tc, "w:gridSpan") for tc in tcs] == [None, None, "2", None, None]
    tcs = second.findall(q("w:tc"))
    assert _cells(second) == ["", "", "Dự toán", "Thực hiện", "", ""]
    assert [_tcpr(tc, "w:vMerge") for tc in tcs] == ["continue", "continue", None, None, "continue", "continue"]
    # the grid: six columns, the widths in the source's proportions, the table as wide as the text
    grid = [int(c.get(q("w:w"))) for c in _table_with(kinh_phi, "Cải cách thể chế").find(q("w:tblGrid"))]
    assert sum(grid) == 11906 - 1701 - 850 and grid[1] / grid[2] == pytest.approx(5 / 2, rel=0.01)


def test_numbers_vietnamese_right_aligned_total_kept_with_table(kinh_phi):
    table = _table_with(kinh_phi, "Cải cách thể chế")
    rows = _rows(table)
    body = {_cells(tr)[1]: tr for tr in rows[2:]}
    row = body["Xây dựng và phát triển chính quyền điện tử, chính quyền số"]
    assert _cells(row) == ["6", "Xây dựng và phát triển chính quyền điện tử, chính quyền số", "1.250", "1.187,3",
                           "1.480", "118,4"]
    paras = [tc.find(q("w:p")) for tc in row.findall(q("w:tc"))]
    assert [kinh_phi.styles.paragraph(p).alignment for p in paras] == ["center", "left", "right", "right", "right",
                                                                       "right"]
    assert all(13 <= kinh_phi.styles.run(p).size_pt <= 14 for p in paras)
    total = rows[-1]
    assert _cells(total) == ["Tổng cộng", "1.614,5", "1.537,5", "1.880", "116,4"]
    assert _tcpr(total.findall(q("w:tc"))[0], "w:gridSpan") == "2"
    assert all(kinh_phi.styles.run(p).bold for p in total.iter(q("w:p")))
    # the last body row keeps with the total row: the total never starts a page alone
    assert all(kinh_phi.styles.paragraph(p).keep_next for p in rows[-2].iter(q("w:p")))
    # caption and unit line above, kept with the table
    caption, unit = table.getprevious().getprevious(), table.getprevious()
    assert text(caption) == "DỰ TOÁN KINH PHÍ CẢI CÁCH HÀNH CHÍNH NĂM 2024" and text(unit) == "Đơn vị: triệu đồng"
    assert kinh_phi.styles.paragraph(unit).alignment == "right" and kinh_phi.styles.run(unit).italic
    assert kinh_phi.styles.paragraph(caption).keep_next and kinh_phi.styles.paragraph(unit).keep_next


def test_footnotes_are_word_footnotes_and_referenced(kinh_phi):
    notes = {int(fn.get(q("w:id"))): text(fn) for fn in kinh_phi.part("word/footnotes.xml").findall(q("w:footnote"))}
    assert notes[1].strip().startswith("Số liệu thực hiện năm 2023 tính đến ngày 30/11/2023")
    assert notes[2].strip().startswith("Gồm 312 triệu đồng mua sắm thiết bị ký số")
    assert -1 in notes and 0 in notes  # the separators Word expects
    refs = [(int(r.get(q("w:id"))), next(r.iterancestors(q("w:p")))) for r in kinh_phi.body.iter(
        q("w:footnoteReference"))]
    assert [n for n, _ in refs] == [1, 2]
    assert text(refs[0][1]).endswith("định mức chi hiện hành.")
    assert text(refs[1][1]) == "1.187,3" and next(refs[1][1].iterancestors(q("w:tc"))) is not None
    rels = kinh_phi.part("word/_rels/document.xml.rels")
    assert any(r.get("Target") == "footnotes.xml" and r.get("Type").endswith("/footnotes") for r in rels)
    assert b"footnotes+xml" in kinh_phi.zip.read("[Content_Types].xml")


# ---- appendices ---------------------------------------------------------------------------------------


def test_appendices_landscape_numbered_from_one(kinh_phi):
    sects = _sections(kinh_phi)
    assert [_landscape(s) for s in sects] == [False, True, True]
    assert sects[0].find(q("w:pgNumType")) is None
    for s in sects[1:]:
        assert s.find(q("w:pgNumType")).get(q("w:start")) == "1"  # each appendix is paginated on its own
        assert s.find(q("w:type")).get(q("w:val")) == "nextPage"
        assert s.find(q("w:titlePg")) is not None and s.find(q("w:headerReference")) is not None
    headings = [text(p) for p in kinh_phi.body_paragraphs() if text(p).startswith("Phụ lục")]
    assert headings == ["Phụ lục I", "Phụ lục II"]
    attached = [text(p) for p in kinh_phi.body_paragraphs() if text(p).startswith("(Kèm theo")]
    assert attached == ["(Kèm theo Kế hoạch số 07/KH-BDT ngày 12 tháng 01 năm 2024 của Ban Dân tộc tỉnh)"] * 2
    p = next(p for p in kinh_phi.body_paragraphs() if text(p) == "Phụ lục I")
    assert kinh_phi.styles.run(p).bold and kinh_phi.styles.paragraph(p).alignment == "center"
    assert kinh_phi.styles.run(kinh_phi.find("(Kèm theo")).italic
    # a table in a landscape appendix is as wide as the landscape text block
    grid = [int(c.get(q("w:w"))) for c in _table_with(kinh_phi, "Hội nghị, tập huấn").find(q("w:tblGrid"))]
    assert sum(grid) == 16838 - 1701 - 850


def test_draft_plan_single_appendix(plan_doc):
    assert [_landscape(s) for s in _sections(plan_doc)] == [False, True]
    assert [text(p) for p in plan_doc.body_paragraphs() if text(p).startswith("Phụ lục")] == ["Phụ lục"]
    attached = plan_doc.find("(Kèm theo Kế hoạch")
    # a draft: the number blank as in the header (Số:      /KH-BDT)
    assert text(attached) == (f"(Kèm theo Kế hoạch số {vn.SO_TRONG}/KH-BDT ngày 05 tháng 01 năm 2023 "
                              "của Ban Dân tộc tỉnh)")
    title = "DANH MỤC NHIỆM VỤ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM 2023"
    assert text(plan_doc.find("DANH MỤC NHIỆM VỤ")) == title


def _task_rows(doc: Doc):
    table = _table_with(doc, "Nội dung nhiệm vụ")
    return [_cells(tr) for tr in _rows(table)[1:]]


def _body_tasks(doc: Doc, plan):
    """(marker, name) of each task heading in the body, in order."""
    body = [text(p) for p in doc.body_paragraphs()]
    out = []
    for _, task in iter_tasks(plan.noi_dung):
        line = next(t for t in body if re.fullmatch(r"(\d+\.|[a-zđ]\)|-) " + re.escape(task.ten), t))
        out.append((line.split(" ", 1)[0].rstrip(".)"), task.ten.rstrip(" :")))
    return out


def test_task_appendix_lists_the_body_tasks(plan_doc):
    _, plan = load_plan(PLAN)
    rows = _task_rows(plan_doc)
    header = [_cells(tr) for tr in _rows(_table_with(plan_doc, "Nội dung nhiệm vụ"))[:1]][0]
    assert header == ["STT", "Nội dung nhiệm vụ", "Chỉ đạo thực hiện", "Phòng tham mưu", "Thời gian thực hiện",
                      "Sản phẩm"]
    tasks = [(r[0], r[1]) for r in rows if len(r) == 6]
    assert tasks == _body_tasks(plan_doc, plan)
    groups = [r for r in rows if len(r) == 2]
    assert groups == [["II", "NỘI DUNG TRIỂN KHAI"], ["5", "Cải cách chế độ công vụ"]]
    first = next(r for r in rows if r[0] == "1")
    assert first[2] == "Trưởng Ban." and first[4] == "Thường xuyên trong năm 2023."


def test_changing_a_task_changes_body_and_appendix(tmp_path):
    text_ = PLAN.read_text(encoding="utf-8")
    text_ = text_.replace('- nhiem_vu: "Cải cách thể chế:"', '- nhiem_vu: "Hoàn thiện thể chế:"')
    text_ = text_.replace("        chi_dao: Trưởng Ban\n        chu_tri:\n          - \"Thanh Tra Ban",
                          "        chi_dao: Phó Trưởng Ban\n        chu_tri:\n          - \"Thanh Tra Ban")
    moved = text_.replace("      - nhiem_vu: \"Cải cách thủ tục hành chính:\"", "      - nhiem_vu: \"Cải cách TTHC:\"")
    src = tmp_path / "ke_hoach.yaml"
    src.write_text(moved, encoding="utf-8")
    doc = Doc(render_bytes(src))
    _, plan = load_plan(src)
    rows = _task_rows(doc)
    assert ["2", "Hoàn thiện thể chế", "Phó Trưởng Ban"] == rows[2][:3]
    assert rows[3][:2] == ["3", "Cải cách TTHC"]
    assert "2. Hoàn thiện thể chế:" in [text(p) for p in doc.body_paragraphs()]
    assert [(r[0], r[1]) for r in rows if len(r) == 6] == _body_tasks(doc, plan)


# ---- the report's appendix ----------------------------------------------------------------------------


def test_report_appendix_landscape_centred_stt_header_repeated():
    doc = Doc(render_bytes(ROOT / "data" / "bao_cao_2023_nam.yaml"))
    assert [_landscape(s) for s in _sections(doc)] == [False, True]
    table = _table_with(doc, "Ghi chú")
    rows = _rows(table)
    assert rows[0].find(f"{q('w:trPr')}/{q('w:tblHeader')}") is not None
    assert all(tr.find(f"{q('w:trPr')}/{q('w:cantSplit')}") is not None for tr in rows)
    for tr in rows[1:-1]:
        assert doc.styles.paragraph(tr.find(f"{q('w:tc')}/{q('w:p')}")).alignment == "center"  # STT
    assert _tcpr(rows[-1].find(q("w:tc")), "w:gridSpan") == "6"
    assert all(doc.styles.paragraph(p).keep_next for p in rows[-2].iter(q("w:p")))
    widths_mm = [int(c.get(q("w:w"))) / 56.7 for c in table.find(q("w:tblGrid"))]
    # wide enough that "Ghi chú", "Kết quả" and "Thời hạn" do not wrap; the task name has the most room
    assert min(widths_mm[3:]) >= 35 and widths_mm[1] == max(widths_mm) and sum(widths_mm) == pytest.approx(252, abs=1)


# ---- page flow in the .docx ---------------------------------------------------------------------------


def test_headings_labels_and_signature_keep_with_what_follows(plan_doc):
    styles = plan_doc.styles
    body = [p for p in plan_doc.body_paragraphs() if text(p)]
    for needle in ("I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích:", "1. Công tác chỉ đạo, điều hành và tuyên truyền:",
                   "a) Nội dung:", "5. Cải cách chế độ công vụ", "a) Xây dựng Kế hoạch đào tạo",
                   "c) Phòng tham mưu:"):
        p = next(p for p in body if text(p).startswith(needle) and (not needle.endswith(":") or text(p) == needle))
        assert styles.paragraph(p).keep_next, needle
    last = next(p for p in body if text(p).endswith("./."))
    assert styles.paragraph(last).keep_next  # the body's last lines go with the signature
    plain = next(p for p in body if text(p).startswith("- Thực hiện chế độ thông tin báo cáo"))
    assert not styles.paragraph(plain).keep_next
    footer = next(t for t in plan_doc.tables() if "Nơi nhận:" in text(t))
    assert all(tr.find(f"{q('w:trPr')}/{q('w:cantSplit')}") is not None for tr in footer.findall(q("w:tr")))
    normal = next(s for s in plan_doc.zip.read("word/styles.xml").decode().split("<w:style ")
                  if 'w:styleId="Normal"' in s)
    assert "<w:widowControl/>" in normal


# ---- input errors ---------------------------------------------------------------------------------------

BANG = """
      - bang:
          cot: [{ten: A}, {ten: B}]
          dong:
            - [1, 2]
"""
ERRORS = [
    ("extra_cell", BANG.replace("[1, 2]", "[1, 2, 3]"), "noi_dung[0].noi_dung[2].bang: dong: dòng 1 có 3 cột, "
     "bảng có 2 cột"),
    ("header_overflow", BANG.replace("          dong:", "          tieu_de:\n            - [{gia_tri: X, gop: 3}]\n"
                                     "          dong:"), "noi_dung[0].noi_dung[2].bang: tieu_de[1]: các ô vượt "
     "quá 2 cột"),
    ("header_overlap", BANG.replace("          dong:", "          tieu_de:\n"
                                    "            - [X, {gia_tri: Y, gop_dong: 2}]\n"
                                    "            - [{gia_tri: Z, gop: 2}]\n          dong:"),
     "noi_dung[0].noi_dung[2].bang: tieu_de[2]: ô thứ 1 chồng lên ô gộp dòng (gop_dong) của dòng trên"),
    ("merge_down_in_body", BANG.replace("[1, 2]", "[{gia_tri: 1, gop_dong: 2}, 2]"), "noi_dung[0].noi_dung[2].bang: "
     "dong: chỉ dòng tiêu đề được gộp dòng (gop_dong)"),
    ("bad_align", BANG.replace("{ten: B}", "{ten: B, can: giữa}"), "noi_dung[0].noi_dung[2].bang.cot[1].can: giá trị "
     "'giữa' không hợp lệ"),
]


@pytest.mark.parametrize("name, block, message", ERRORS, ids=[e[0] for e in ERRORS])
def test_table_errors_located(tmp_path, minimal_text, name, block, message):
    src = tmp_path / "ke_hoach.yaml"
    src.write_text(minimal_text.replace("        id: nv2\n", "        id: nv2\n" + block), encoding="utf-8")
    result = CliRunner().invoke(main, ["render", str(src), "-o", str(tmp_path / "o.docx")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Lỗi: {src}:") and message in result.stderr, result.stderr


def test_appendix_needs_a_title(tmp_path, minimal_text):
    src = tmp_path / "ke_hoach.yaml"
    src.write_text(minimal_text + "phu_luc:\n  - noi_dung:\n      - Một đoạn.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["render", str(src), "-o", str(tmp_path / "o.docx")])
    assert result.exit_code == 1 and result.stderr == f"Lỗi: {src}:27: phu_luc[0]: phụ lục cần 'tieu_de'\n"


def test_quoted_cell_stays_text(tmp_path, minimal_text):
    src = tmp_path / "ke_hoach.yaml"
    src.write_text(minimal_text.replace("        id: nv2\n", "        id: nv2\n" + BANG.replace("[1, 2]",
                                                                                             '["2023", 2023]')),
                   encoding="utf-8")
    doc = Doc(render_bytes(src))
    table = next(t for t in doc.body.iter(q("w:tbl")) if _cells(_rows(t)[0]) == ["A", "B"])
    assert _cells(_rows(table)[1]) == ["2023", "2.023"]


@given(st.integers(min_value=-10**15, max_value=10**15))
def test_integers_group_thousands_with_dots(n):
    written = vn.so(n)
    assert int(written.replace(".", "")) == n and "," not in written
    assert all(len(g) == 3 for g in written.lstrip("-").split(".")[1:])


@given(st.decimals(min_value=-10**9, max_value=10**9, places=3, allow_nan=False, allow_infinity=False))
def test_decimals_use_a_comma(d):
    value = float(d)
    written = vn.so(value)
    back = float(written.replace(".", "").replace(",", "."))
    assert back == pytest.approx(value, abs=1e-6)
    assert written.count(",") <= 1


# ---- import ------------------------------------------------------------------------------------------------


def _words(text_: str) -> Counter:
    return Counter(text_.split())


@pytest.mark.skipif(not (REALDOCS / "KH02.docx").exists(), reason=f"no real documents at {REALDOCS} "
                    "(CI has ../shared/realdocs; DOCGEN_REALDOCS points elsewhere)")
@pytest.mark.parametrize("name", ["KH02", "KH03"])
def test_real_plans_keep_their_words_tables_included(tmp_path, name):
    """KH02 carries a 67-row landscape task table in its appendix; KH03 only the frame tables."""
    import zipfile

    from docgen.ooxml import parse

    src = REALDOCS / f"{name}.docx"
    out = tmp_path / f"{name}.yaml"
    result = CliRunner().invoke(main, ["import", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    original = parse(zipfile.ZipFile(src).read("word/document.xml"))
    words = _words(" ".join(text(p) for p in original.iter(q("w:p"))))
    rendered = _words(Doc(render_bytes(out)).text())
    kept = 1 - sum((words - rendered).values()) / sum(words.values())
    assert kept >= 0.97, (kept, (words - rendered).most_common(20))
    if name == "KH02":
        data = yaml.safe_load(out.read_text(encoding="utf-8"))
        appendix = data["phu_luc"][0]
        assert appendix["huong"] == "ngang"
        table = appendix["noi_dung"][0]["bang"]
        assert [c["ten"] for c in table["cot"]] == ["STT", "Nhiệm vụ", "Sản phẩm", "Thời gian hoàn thành",
                                                     "Chủ trì thực hiện", "Phối hợp thực hiện",
                                                     "Theo dõi, kiểm tra, đôn đốc"]
        assert len(table["dong"]) == 66


def test_produced_tables_and_appendices_import_with_every_word(tmp_path):
    produced = tmp_path / "kp.docx"
    produced.write_bytes(render_bytes(KINH_PHI))
    out = tmp_path / "kp.yaml"
    result = CliRunner().invoke(main, ["import", str(produced), "-o", str(out)])
    assert result.exit_code == 0, result.output
    _, plan = load_plan(out)
    assert [p.tieu_de for p in plan.phu_luc] == ["DỰ TOÁN CHI TIẾT THEO NHIỆM VỤ NĂM 2024", None]
    assert plan.phu_luc[0].ngang and plan.phu_luc[1].bang_nhiem_vu is not None
    body_table = next(b for b in plan.noi_dung[1].noi_dung[0].noi_dung if hasattr(b, "bang")).bang
    assert [[c.gia_tri for c in row] for row in body_table.tieu_de] == [
        ["STT", "Nội dung", "Năm 2023", "Dự toán năm 2024", "So sánh (%)"], ["Dự toán", "Thực hiện"]]
    assert [c.gop_dong for c in body_table.tieu_de[0]] == [2, 2, 1, 2, 2] and body_table.tieu_de[0][2].gop == 2
    assert [c.gia_tri for c in body_table.dong[5]][2:] == [1250, 1187.3, 1480, 118.4]
    again = Doc(render_bytes(out)).text()
    lost = _words(Doc(produced.read_bytes()).text()) - _words(again)
    # footnote texts are not body words either way; nothing else may go
    assert lost == Counter(), lost


def test_check_accepts_the_landscape_appendices(tmp_path):
    from docgen.checker import KHONG_DAT, check

    out = tmp_path / "kp.docx"
    out.write_bytes(render_bytes(KINH_PHI))
    findings = {f.quy_tac: f for f in check(out, "KH")}
    assert findings["trang.a4"].trang_thai != KHONG_DAT
    assert [f.line() for f in findings.values() if f.trang_thai == KHONG_DAT] == []



def test_pdf_text_appendix_becomes_phu_luc_with_its_words(tmp_path):
    from .util import SEED

    appendix = ("\nPHỤ LỤC\nBẢNG PHÂN CÔNG NHIỆM VỤ NĂM 2023\n(Kèm theo Kế hoạch số /KH-BDT ngày tháng năm 2023 "
                "của Ban Dân tộc tỉnh)\nSTT Nhiệm vụ Chủ trì\n1 Cải cách thể chế Thanh tra Ban\n"
                "2 Cải cách thủ tục hành chính Văn phòng\n")
    src = tmp_path / "kh.txt"
    src.write_text(SEED.read_text(encoding="utf-8") + appendix, encoding="utf-8")
    out = tmp_path / "kh.yaml"
    result = CliRunner().invoke(main, ["import", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    _, plan = load_plan(out)
    assert [p.tieu_de for p in plan.phu_luc] == ["BẢNG PHÂN CÔNG NHIỆM VỤ NĂM 2023"]
    rendered = Doc(render_bytes(out))
    appendix_words = _words(appendix.split("\n", 4)[4])  # the table's words, kept as paragraphs
    assert appendix_words - _words(rendered.text()) == Counter()
    assert plan.nguoi_ky.ho_ten == "Trần Văn Mẫn" and plan.noi_nhan[-1] == "Các phòng thuộc Ban"
