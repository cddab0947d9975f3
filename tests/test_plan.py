"""The seed plan rendered end to end: text, layout on effective formatting, reproducibility, PDF."""
import hashlib
import os
import re
import shutil
import subprocess
import sys
import zipfile
from io import BytesIO

import pytest

from docgen.context import body_blocks
from docgen.metrics import text_width_pt
from docgen.ooxml import q, text
from docgen.validate import load_plan

from .util import PLAN, ROOT, SEED, recall_in_order

TWIPS_PER_MM = 1440 / 25.4
SHORT_LINE = (1 / 3, 1 / 2)  # nd30: the line under the agency and the summary is 1/3 to 1/2 of the text
# Differences from the seed that the data file lists as corrections (see its header comment).
CORRECTIONS = {"dung", "dụng", "c)", "đ)", "e)", "g)", "trong", "-", "Lưu", "04-", "NQ/TU", "151/KH-", "UBND"}


def test_seed_text_in_order(plan_doc):
    recall, missing = recall_in_order(SEED.read_text(encoding="utf-8"), plan_doc.text())
    assert recall >= 0.99, (recall, missing)
    assert set(missing) <= CORRECTIONS, set(missing) - CORRECTIONS


def test_lettering_is_computed():
    _, plan = load_plan(PLAN)
    blocks = body_blocks(plan)
    start = next(i for i, b in enumerate(blocks) if b["van_ban"] == "Cải cách chế độ công vụ")
    end = next(i for i, b in enumerate(blocks) if b["van_ban"].startswith("Cải cách tài chính công"))
    letters = [b["so"] for b in blocks[start:end] if b["kieu"] == "diem"]
    assert letters == ["a) ", "b) ", "c) ", "d) ", "đ) "]


def test_page_setup(plan_doc):
    sect = next(plan_doc.body.iter(q("w:sectPr")))  # the document's own section (its appendix follows)
    size, mar = sect.find(q("w:pgSz")), sect.find(q("w:pgMar"))
    assert (int(size.get(q("w:w"))), int(size.get(q("w:h")))) == (11906, 16838)  # A4 portrait
    assert size.get(q("w:orient")) in (None, "portrait")
    mm = {k: int(mar.get(q(f"w:{k}"))) / TWIPS_PER_MM for k in ("top", "bottom", "left", "right")}
    assert mm == pytest.approx({"top": 20, "bottom": 20, "left": 30, "right": 15}, abs=0.1)


def test_every_run_is_times_new_roman(plan_doc):
    for p in plan_doc.paragraphs():
        for t, fmt in plan_doc.styles.runs(p):
            assert fmt.fonts == {s: "Times New Roman" for s in ("ascii", "hAnsi", "cs", "eastAsia")}, t
            assert fmt.color in (None, "000000", "auto")


def _fmt(doc, needle):
    p = doc.find(needle)
    runs = doc.styles.runs(p)
    assert runs, needle
    return p, doc.styles.paragraph(p), runs[0][1]


def _line_ratio(doc, needle):
    """Length of the line under the paragraph containing needle, over the text's width."""
    p = doc.find(needle)
    line = p.getnext()
    if text(line).startswith("(Kèm theo Quyết định"):  # the plan issued by the decision beside it (Mẫu 1.3)
        line = line.getnext()
    pf = doc.styles.paragraph(line)
    assert "top" in pf.borders and pf.borders["top"]["val"] == "single"
    assert text(line) == ""
    tc = next(line.iterancestors(q("w:tc")), None)
    if tc is not None:
        width = int(tc.find(f"{q('w:tcPr')}/{q('w:tcW')}").get(q("w:w"))) - 216
    else:
        width = 11906 - 1701 - 850
    length = width - pf.left - pf.right
    assert abs(pf.left - pf.right) <= 1  # centred
    t_width = sum(text_width_pt(t, f.size_pt, f.bold, f.italic) for t, f in doc.styles.runs(p)) * 20
    return length / min(t_width, width)


def test_header(plan_doc):
    header = plan_doc.tables()[0]
    grid = [int(c.get(q("w:w"))) for c in header.find(q("w:tblGrid"))]
    assert len(grid) == 2 and 0.38 <= grid[0] / sum(grid) <= 0.42
    assert 160 <= sum(grid) / TWIPS_PER_MM <= 170
    borders = header.find(f"{q('w:tblPr')}/{q('w:tblBorders')}")
    assert all(b.get(q("w:val")) in ("nil", "none") for b in borders)

    p, pf, rf = _fmt(plan_doc, "CỘNG HÒA XÃ HỘI")
    assert text(p) == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and 12 <= rf.size_pt <= 13 and rf.bold
    assert pf.alignment == "center"
    p, pf, rf = _fmt(plan_doc, "Độc lập")
    assert text(p) == "Độc lập - Tự do - Hạnh phúc" and 13 <= rf.size_pt <= 14 and rf.bold
    assert _line_ratio(plan_doc, "Độc lập") == pytest.approx(1.0, abs=0.02)

    p, pf, rf = _fmt(plan_doc, "UBND TỈNH QUẢNG NGÃI")
    assert 12 <= rf.size_pt <= 13 and not rf.bold and pf.alignment == "center"
    p, pf, rf = _fmt(plan_doc, "BAN DÂN TỘC")
    assert text(p) == "BAN DÂN TỘC" and 12 <= rf.size_pt <= 13 and rf.bold and pf.alignment == "center"
    assert SHORT_LINE[0] <= _line_ratio(plan_doc, "BAN DÂN TỘC") <= SHORT_LINE[1]

    p, pf, rf = _fmt(plan_doc, "Số:")
    assert text(p) == "Số: \u00a0\u00a0\u00a0\u00a0\u00a0/KH-BDT" and rf.size_pt == 13 and not rf.italic and not rf.bold
    p, pf, rf = _fmt(plan_doc, "Quảng Ngãi, ngày")
    assert text(p) == "Quảng Ngãi, ngày 05 tháng 01 năm 2023"
    assert 13 <= rf.size_pt <= 14 and rf.italic and not rf.bold
    # số and the date share a row
    assert next(plan_doc.find("Số:").iterancestors(q("w:tr"))) is next(
        plan_doc.find("Quảng Ngãi, ngày").iterancestors(q("w:tr")))


def test_title(plan_doc):
    p, pf, rf = _fmt(plan_doc, "KẾ HOẠCH")
    assert text(p) == "KẾ HOẠCH" and rf.bold and 13 <= rf.size_pt <= 14 and pf.alignment == "center"
    p, pf, rf = _fmt(plan_doc, "Thực hiện công tác cải cách hành chính năm 2023")
    assert rf.bold and 13 <= rf.size_pt <= 14 and pf.alignment == "center"
    assert SHORT_LINE[0] <= _line_ratio(plan_doc, "Thực hiện công tác cải cách hành chính năm 2023") <= SHORT_LINE[1]


def _body(doc):
    """From the opening to the end of the body (the appendix after the signature is not body)."""
    paras = doc.body_paragraphs()
    start = next(i for i, p in enumerate(paras) if text(p).startswith("Thực hiện Quyết định"))
    end = next(i for i, p in enumerate(paras) if p.find(f"{q('w:pPr')}/{q('w:sectPr')}") is not None)
    return [p for p in paras[start:end] if text(p)]


def test_body_paragraphs(plan_doc):
    body = _body(plan_doc)
    assert len(body) > 80
    for p in body:
        pf = plan_doc.styles.paragraph(p)
        assert pf.alignment == "both", text(p)
        assert 567 <= pf.first_line <= 720, text(p)  # 1 to 1.27 cm
        assert pf.after + pf.before >= 120, text(p)  # ≥ 6 pt between paragraphs
        assert (pf.line_rule == "auto" and 240 <= pf.line <= 360) or (
            pf.line_rule == "exact" and pf.line >= 300)
        for _, rf in plan_doc.styles.runs(p):
            assert 13 <= rf.size_pt <= 14 and not rf.italic
    assert text(body[-1]).endswith("./.")


def test_levels(plan_doc):
    body = _body(plan_doc)
    romans = [text(p) for p in body if re.match(r"^[IVX]+\. ", text(p))]
    assert romans == ["I. MỤC ĐÍCH, YÊU CẦU", "II. NỘI DUNG TRIỂN KHAI", "III. TỔ CHỨC THỰC HIỆN"]
    for p in body:
        t = text(p)
        rf = plan_doc.styles.runs(p)[0][1]
        if re.match(r"^[IVX]+\. ", t):
            assert rf.bold and t == t.upper()
        elif re.match(r"^\d+\. ", t):
            # bold when a heading, regular when running text (III.2)
            assert rf.bold == (not t.startswith("2. Trưởng các phòng")), t
        elif re.match(r"^([a-zđ]\)|- |\+ |\(\d+\) )", t):
            assert not rf.bold, t


def test_footer(plan_doc):
    footer = next(t for t in plan_doc.tables() if "Nơi nhận:" in text(t))
    grid = [int(c.get(q("w:w"))) for c in footer.find(q("w:tblGrid"))]
    assert 0.3 <= grid[0] / sum(grid) <= 0.36
    left, right = footer.iter(q("w:tc"))
    paras = [p for p in left.iter(q("w:p"))]
    label = paras[0]
    assert text(label) == "Nơi nhận:"
    rf = plan_doc.styles.runs(label)[0][1]
    assert rf.size_pt == 12 and rf.bold and rf.italic
    items = [text(p) for p in paras[1:]]
    assert items == ["- UBND tỉnh;", "- Sở Nội vụ;", "- Lãnh đạo Ban;", "- Các phòng thuộc Ban;",
                     "- Lưu: VT, VP(yen02)."]
    for p in paras[1:]:
        assert plan_doc.styles.runs(p)[0][1].size_pt == 11
    signer = [p for p in right.iter(q("w:p")) if text(p)]
    assert [text(p) for p in signer] == ["TRƯỞNG BAN", "Trần Văn Mẫn"]
    for p in signer:
        rf = plan_doc.styles.runs(p)[0][1]
        assert rf.bold and 13 <= rf.size_pt <= 14 and plan_doc.styles.paragraph(p).alignment == "center"
    # room to sign and seal between title and name
    assert plan_doc.styles.paragraph(signer[-1]).before >= 1200


def test_page_numbers_from_page_two(plan_doc):
    sect = plan_doc.body.find(q("w:sectPr"))
    assert sect.find(q("w:titlePg")) is not None
    refs = {r.get(q("w:type")): r.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
            for r in sect.findall(q("w:headerReference"))}
    rels = plan_doc.part("word/_rels/document.xml.rels")
    target = {r.get("Id"): r.get("Target") for r in rels}
    default = plan_doc.part("word/" + target[refs["default"]])
    first = plan_doc.part("word/" + target[refs["first"]])
    instr = "".join(t.text for t in default.iter(q("w:instrText")))
    assert instr.strip() == "PAGE"
    p = next(default.iter(q("w:p")))
    assert plan_doc.styles.paragraph(p).alignment == "center"
    assert 13 <= plan_doc.styles.run(p).size_pt <= 14
    assert not list(first.iter(q("w:instrText"))) and text(first).strip() == ""


def test_no_template_leftovers(plan_doc):
    all_text = plan_doc.text()
    assert "{{" not in all_text and "{%" not in all_text and "None" not in all_text


def test_lines_are_borders_not_underscores(plan_doc):
    assert "___" not in plan_doc.text()


def _render_in_subprocess(out, env=None):
    subprocess.run([sys.executable, "-m", "docgen", "render", str(PLAN), "-o", str(out)], check=True,
                   cwd=ROOT, env={**os.environ, **(env or {})}, capture_output=True)
    return hashlib.sha256(out.read_bytes()).hexdigest()


def test_same_bytes_across_processes(tmp_path, plan_bytes):
    a = _render_in_subprocess(tmp_path / "a.docx")
    b = _render_in_subprocess(tmp_path / "b.docx")
    assert a == b == hashlib.sha256(plan_bytes).hexdigest()


def test_source_date_epoch_is_honoured(tmp_path):
    a = _render_in_subprocess(tmp_path / "a.docx", {"SOURCE_DATE_EPOCH": "1700000000"})
    b = _render_in_subprocess(tmp_path / "b.docx", {"SOURCE_DATE_EPOCH": "1700000000"})
    assert a == b
    with zipfile.ZipFile(tmp_path / "a.docx") as zf:
        assert {i.date_time for i in zf.infolist()} == {(2023, 11, 14, 22, 13, 20)}
        assert b"2023-11-14T22:13:20Z" in zf.read("docProps/core.xml")


def test_core_properties_come_from_data(plan_bytes):
    core = zipfile.ZipFile(BytesIO(plan_bytes)).read("docProps/core.xml").decode()
    assert "<dc:title>Kế hoạch: Thực hiện công tác cải cách hành chính năm 2023</dc:title>" in core
    assert "<dc:creator>BAN DÂN TỘC</dc:creator>" in core
    assert "2023-01-05T00:00:00Z" in core


def test_opens_with_python_docx(plan_bytes):
    import docx

    document = docx.Document(BytesIO(plan_bytes))
    assert any(p.text == "KẾ HOẠCH" for p in document.paragraphs)


@pytest.fixture(scope="module")
def plan_pdf(tmp_path_factory):
    assert shutil.which("soffice"), "LibreOffice (soffice) is required: .ci/run installs it"
    out = tmp_path_factory.mktemp("pdf") / "ke_hoach_2023.docx"
    done = subprocess.run([sys.executable, "-m", "docgen", "render", str(PLAN), "-o", str(out), "--pdf"],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return out.with_suffix(".pdf")


def _pdftext(pdf, page):
    return subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def test_pdf_page_numbers_and_count(plan_pdf):
    info = subprocess.run(["pdfinfo", str(plan_pdf)], capture_output=True, text=True, check=True).stdout
    total = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    # the plan itself ends on the page of its signature; its appendix is numbered on its own from 1
    pages = next(n for n in range(1, total + 1) if "Nơi nhận:" in _pdftext(plan_pdf, n))
    assert 4 <= pages <= 9 and total - pages >= 2
    appendix_last = [line.strip() for line in _pdftext(plan_pdf, total).splitlines() if line.strip()]
    assert appendix_last[0] == str(total - pages)
    appendix_first = [line.strip() for line in _pdftext(plan_pdf, pages + 1).splitlines() if line.strip()]
    assert appendix_first[0] == "Phụ lục"  # no page number on an appendix's first page
    first_lines = [line.strip() for line in _pdftext(plan_pdf, 1).splitlines() if line.strip()]
    assert first_lines[0].startswith("UBND TỈNH QUẢNG NGÃI")
    assert not any(re.fullmatch(r"\d+", line) for line in first_lines)
    second = [line.strip() for line in _pdftext(plan_pdf, 2).splitlines() if line.strip()]
    assert second[0] == "2"
    last = [line.strip() for line in _pdftext(plan_pdf, pages).splitlines() if line.strip()]
    assert last[0] == str(pages)
