"""The paper trail: Tờ trình, Quyết định, Công văn drawn from the plan and report they name; check --kind
rules; numbers and dates flowing to every document that cites them on the next build."""
import re
import shutil

import pytest

from docgen import api, vn
from docgen.checker import KHONG_DAT, check
from docgen.core import render_bytes
from docgen.kinds import KINDS
from docgen.next_year import classify
from docgen.ooxml import text

from .util import REALDOCS, ROOT, Doc

DATA = ROOT / "data"
TRAIL = {"to_trinh": (DATA / "to_trinh_2023.yaml", "TTr"), "quyet_dinh": (DATA / "quyet_dinh_2023.yaml", "QĐ"),
         "cong_van": (DATA / "cong_van_2023_quy_1.yaml", "CV")}


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    out = tmp_path_factory.mktemp("trail")
    made = {}
    for loai, (source, _) in TRAIL.items():
        path = out / f"{loai}.docx"
        path.write_bytes(render_bytes(source))
        made[loai] = path
    return made


@pytest.mark.parametrize("loai", TRAIL)
def test_each_example_passes_check_with_its_kind(docs, loai):
    code = TRAIL[loai][1]
    assert KINDS[loai].check == code
    findings = check(docs[loai], code)
    assert not [f.line() for f in findings if f.trang_thai == KHONG_DAT]
    own = {"TTr": {"to_trinh.kinh_gui"}, "QĐ": {"quyet_dinh.tham_quyen", "quyet_dinh.quyet_dinh", "quyet_dinh.dieu"},
           "CV": {"cong_van.vv", "cong_van.kinh_gui"}}[code]
    assert {f.quy_tac for f in findings} >= {"ten_loai.loai"} | own
    assert len(findings) > 30


@pytest.mark.parametrize("code, rules", [("QĐ", {"quyet_dinh.tham_quyen", "quyet_dinh.quyet_dinh",
                                                 "quyet_dinh.dieu"}),
                                         ("CV", {"cong_van.vv", "ten_loai.loai"})])
def test_kind_rules_fail_on_another_kind(docs, code, rules):
    findings = {f.quy_tac: f for f in check(docs["to_trinh"], code)}
    assert all(findings[r].trang_thai == KHONG_DAT for r in rules), {r: findings[r].line() for r in rules}


def _runs(doc, p):
    return doc.styles.runs(p)


def test_decision_layout_mau_1_3(docs):
    doc = Doc(docs["quyet_dinh"].read_bytes())
    title = doc.find("QUYẾT ĐỊNH")
    assert text(title) == "QUYẾT ĐỊNH" and all(f.bold and f.size_pt == 14 for _, f in _runs(doc, title))
    issuer = doc.find("TRƯỞNG BAN DÂN TỘC TỈNH QUẢNG NGÃI")
    assert doc.styles.paragraph(issuer).alignment == "center" and all(f.bold for _, f in _runs(doc, issuer))
    bases = [p for p in doc.paragraphs() if text(p).startswith("Căn cứ")]
    assert len(bases) == 2 and all(text(p).endswith(";") for p in bases)
    assert all(f.italic for p in bases for _, f in _runs(doc, p))
    assert text(doc.find("Theo đề nghị của")).endswith(".")
    decide = doc.find("QUYẾT ĐỊNH:")
    assert doc.styles.paragraph(decide).alignment == "center" and all(f.bold for _, f in _runs(doc, decide))
    for n in (1, 2, 3):
        p = doc.find(f"Điều {n}.")
        runs = _runs(doc, p)
        assert runs[0][0] == f"Điều {n}. " and runs[0][1].bold and not runs[1][1].bold
        assert doc.styles.paragraph(p).first_line > 0 and runs[1][1].size_pt == 14
    assert text(doc.find("Điều 3.")).endswith("./.")
    assert text(doc.find("- Như Điều 3;"))


# the long date of a decision's căn cứ lines and articles, as the province's decisions write it
NGAY_DAI = re.compile(r"ngày \d{2} tháng (?:0[12]|[3-9]|1[0-2]) năm \d{4}")
NGAY_NGAN = re.compile(r"ngày \d{1,2}/\d{1,2}/\d{4}")


def test_decision_writes_dates_long_as_the_province_does(docs):
    """Nghị định 30 and the nine real decisions (QD07-QD15: "Căn cứ Nghị định số 126/2024/NĐ-CP ngày 08 tháng 10 năm
    2024 của Chính phủ ..."; "Điều 5. ... thay thế Quyết định số 607/QĐ-UBND ngày 04 tháng 4 năm 2024") write the
    dates of căn cứ lines and articles long; docgen wrote "ngày 13/5/2016"."""
    doc = Doc(docs["quyet_dinh"].read_bytes())
    bases = [text(p) for p in doc.paragraphs() if text(p).startswith("Căn cứ")]
    assert bases[0].startswith("Căn cứ Quyết định số 20/2016/QĐ-UBND ngày 13 tháng 5 năm 2016 của UBND tỉnh")
    assert "Quyết định số 1782/QĐ-UBND ngày 21 tháng 12 năm 2022 của Chủ tịch" in bases[1]
    assert "Kế hoạch số \u00a0\u00a0\u00a0\u00a0\u00a0/KH-BDT ngày 05 tháng 01 năm 2023 " in text(doc.find("Điều 1."))
    lines = bases + [text(doc.find(f"Điều {n}.")) for n in (1, 2, 3)]
    assert all(NGAY_DAI.search(t) for t in lines[:3]) and not any(NGAY_NGAN.search(t) for t in lines)


def _decision_lines(path):
    """The căn cứ, đề nghị and article lines of a real decision (not the charter or list it attaches)."""
    from docx import Document
    return [p.text for p in Document(str(path)).paragraphs
            if re.match(r"\s*(Căn cứ|Theo đề nghị|Điều \d+\.)", p.text)]


@pytest.mark.skipif(not REALDOCS.is_dir(),
                    reason=f"không có thư mục văn bản thật {REALDOCS} (CI có ../shared/realdocs)")
def test_real_decisions_write_their_dates_long():
    """The data behind the rule above: every dated căn cứ line and article of the nine real decisions."""
    files = sorted(REALDOCS.glob("QD*.docx"))
    lines = [t for f in files for t in _decision_lines(f)]
    assert len(files) == 9 and len(lines) > 50
    assert sum(bool(NGAY_DAI.search(t)) for t in lines) >= 30
    assert not [t for t in lines if NGAY_NGAN.search(t)]


def test_cong_van_layout_mau_1_5(docs):
    doc = Doc(docs["cong_van"].read_bytes())
    vv = doc.find("V/v gửi báo cáo")
    cell = next(vv.iterancestors("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tc"))
    assert text(cell).startswith("Số:")  # under the number, in the header's left column
    assert all(f.size_pt == 12 and not f.bold and not f.italic for _, f in _runs(doc, vv))
    assert doc.styles.paragraph(vv).alignment == "center"
    assert "KẾ HOẠCH" not in doc.text() and "BÁO CÁO" not in doc.text()  # no tên loại
    assert text(doc.find("Kính gửi:")) == "Kính gửi: Sở Nội vụ tỉnh Quảng Ngãi"
    assert text(doc.find("- Như trên;"))


def test_cong_van_number_names_the_drafting_unit(docs):
    """Nghị định 30 (Phụ lục I: the công văn's ký hiệu is the agency's and the drafting unit's abbreviations) and
    the eight real công văn (CV21-CV28: "Số: /UBND-NC" over "- Lưu: VT, NC.Châu"); docgen wrote "Số: /BDT"."""
    doc = Doc(docs["cong_van"].read_bytes())
    assert text(doc.find("Số:")) == "Số: \u00a0\u00a0\u00a0\u00a0\u00a0/BDT-VP"


@pytest.mark.parametrize("luu, ky_hieu", [
    (["VT", "NC.Châu"], "UBND-NC"), (["VT", "NC.Châu(04b)"], "UBND-NC"), (["VT", "NC."], "UBND-NC"),
    (["VT", "KTTH", "KGVX", "NC.Châu"], "UBND-KTTH"), (["VT"], "UBND"), (["VT", "UBND"], "UBND"),
    (["VT", "vp(yen02)"], "UBND-VP"),
])
def test_cong_van_ky_hieu_from_the_luu_line(luu, ky_hieu):
    assert vn.ky_hieu_cong_van("UBND", luu) == ky_hieu


@pytest.mark.skipif(not REALDOCS.is_dir(),
                    reason=f"không có thư mục văn bản thật {REALDOCS} (CI có ../shared/realdocs)")
def test_real_documents_send_to_one_recipient_without_a_full_stop():
    """The data behind vn.kinh_gui: of the real documents with one recipient on the Kính gửi line, nine write no
    full stop ("Kính gửi: Công an tỉnh", "Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh Lâm Đồng"), one does."""
    from docx import Document
    found = []
    for f in sorted(REALDOCS.glob("*.docx")):
        d = Document(str(f))
        for p in [*d.paragraphs, *(p for t in d.tables for c in t._cells for p in c.paragraphs)]:
            m = re.match(r"\s*Kính gửi:\s*(\S.*?)\s*$", p.text)
            if m:
                found.append(m.group(1))
    ends = [t.endswith(".") for t in dict.fromkeys(found)]
    assert len(ends) >= 6 and sum(ends) <= 1


@pytest.mark.skipif(not REALDOCS.is_dir(),
                    reason=f"không có thư mục văn bản thật {REALDOCS} (CI có ../shared/realdocs)")
def test_real_cong_van_number_and_luu_agree():
    """The data behind the rule: each real công văn's number names the unit its Lưu line names."""
    from docx import Document
    files = sorted(REALDOCS.glob("CV*.docx"))
    assert len(files) == 8
    for f in files:
        lines = [p.text for p in Document(str(f)).paragraphs] + [
            p.text for t in Document(str(f)).tables for c in t._cells for p in c.paragraphs]
        number = next(re.search(r"Số:\s*/(\S+)", t).group(1) for t in lines if re.search(r"Số:\s*/", t))
        luu = next(t for t in lines if "Lưu:" in t).split("Lưu:", 1)[1].strip().rstrip(".").split(",")
        assert number == vn.ky_hieu_cong_van("UBND", [x.strip() for x in luu]), f.name


def test_to_trinh_draws_from_the_plan(docs):
    doc = Doc(docs["to_trinh"].read_bytes())
    body = doc.text()
    assert "TỜ TRÌNH" in body and "Về việc ban hành Kế hoạch thực hiện công tác cải cách hành chính năm 2023" in body
    assert "Kính gửi: Trưởng Ban Dân tộc tỉnh\n" in body
    for heading in ("I. CĂN CỨ XÂY DỰNG KẾ HOẠCH", "II. SỰ CẦN THIẾT BAN HÀNH KẾ HOẠCH",
                    "III. NỘI DUNG CHÍNH CỦA KẾ HOẠCH", "IV. ĐỀ NGHỊ"):
        assert heading in body
    assert "- I. MỤC ĐÍCH, YÊU CẦU" in body and "Quyết định số 1782/QĐ-UBND ngày 21/12/2022" in body
    assert body.rstrip().endswith("Lê Văn Mẫn") or "./." in body


def _edit(path, old, new):
    data = path.read_text(encoding="utf-8")
    assert old in data, old
    path.write_text(data.replace(old, new, 1), encoding="utf-8")


def test_numbers_and_dates_flow_to_every_citing_document(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    _edit(data / "ke_hoach_2023.yaml", "so:                     # để trống", "so: 7                   # để trống")
    _edit(data / "ke_hoach_2023.yaml", "ngay_ban_hanh: 2023-01-05", "ngay_ban_hanh: 2023-01-12")
    _edit(data / "quyet_dinh_2023.yaml", "so:                     # để trống", "so: 3                   # để trống")
    _edit(data / "quyet_dinh_2023.yaml", "ngay_ban_hanh: 2023-01-05", "ngay_ban_hanh: 2023-01-11")
    _edit(data / "bao_cao_2023_quy_1.yaml", "so:                               # để trống",
          "so: 21                              # để trống")
    out = tmp_path / "output"
    built = {r.source.name: Doc(r.docx.read_bytes()) for r in api.build(data, out)}
    plan_cited = "Kế hoạch số 07/KH-BDT ngày 12/01/2023"
    # a decision writes its dates long (see test_decision_writes_dates_long_as_the_province_does)
    assert "Kế hoạch số 07/KH-BDT ngày 12 tháng 01 năm 2023" in text(built["quyet_dinh_2023.yaml"].find("Điều 1."))
    assert text(built["ke_hoach_2023.yaml"].find("(Kèm theo Quyết định")) == (
        "(Kèm theo Quyết định số 03/QĐ-BDT ngày 11 tháng 01 năm 2023 của Trưởng Ban Dân tộc tỉnh Quảng Ngãi)")
    assert plan_cited in built["bao_cao_2023_quy_1.yaml"].text()
    cong_van = built["cong_van_2023_quy_1.yaml"].text()
    assert plan_cited in cong_van and "Báo cáo số 21/BC-BDT ngày 20/3/2023" in cong_van
    # a plan no decision issues has no such line
    assert "(Kèm theo Quyết định" not in built["ke_hoach_kinh_phi_2024.yaml"].text()


def test_rollover_keeps_every_document_type_it_cites():
    """The one list of document types (vn.LOAI_VAN_BAN): a Tờ trình of the year is flagged like a Quyết định."""
    for cited in ("Tờ trình số 12/TTr-VP ngày 03/01/2023 về kế hoạch năm 2023",
                  "Quyết định số 15/QĐ-BDT ngày 05/01/2023 ban hành kế hoạch năm 2023"):
        moves, kept, flags = classify(f"Thực hiện {cited}", 2023)
        assert moves == [] and kept and len(flags) == 1, cited
