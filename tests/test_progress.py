"""Progress workbooks: `docgen tien-do` out, filled in as a person would, back into the report."""
import hashlib
import re
import shutil
import subprocess
import zipfile

import openpyxl
import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.core import render_bytes
from docgen.ooxml import q, text

from .util import ROOT, Doc

STATUSES = ["Hoàn thành", "Đang thực hiện", "Chưa thực hiện"]

# What each unit writes, by task id: (status picked in the drop-down, result, documents, note)
FILLED = {
    "van_phong": {
        "chi_dao_dieu_hanh": ("Hoàn thành", "Đã ban hành Kế hoạch tuyên truyền cải cách hành chính năm 2023.",
                              "Kế hoạch số 35/KH-BDT ngày 16/01/2023 về tuyên truyền cải cách hành chính năm 2023",
                              None),
        "thu_tuc_hanh_chinh": ("Hoàn thành", "Công khai đầy đủ thủ tục hành chính tại trụ sở", None, None),
        "to_chuc_bo_may": ("Đang thực hiện", None, None, None),
        "dao_tao_boi_duong": ("Hoàn thành", "Đã ban hành Kế hoạch đào tạo, bồi dưỡng cán bộ, công chức năm 2023.",
                              None, None),
        "chuyen_doi_vi_tri": ("Chưa thực hiện", None, None, "Chờ hướng dẫn của Sở Nội vụ về danh mục vị trí"),
        "ky_luat_ky_cuong": None,  # the blank row: a due task the unit did not fill
        "tai_chinh_cong": ("Đang thực hiện", "Rà soát Quy chế chi tiêu nội bộ", None, None),
        "chinh_quyen_so": ("Đang thực hiện", "Ký số toàn bộ văn bản đi", None, None),
    },
    "thanh_tra": {
        "the_che": ("Đang thực hiện", "Rà soát văn bản quy phạm pháp luật: không có văn bản trái quy định", None,
                    None),
    },
    "phong_chinh_sach": {
        # led by this unit (named first in Chủ trì): its word decides, Văn phòng's "Hoàn thành" does not
        "thu_tuc_hanh_chinh": ("Đang thực hiện", "Tiếp nhận, xử lý phản ánh, kiến nghị đúng quy trình.", None,
                               None),
        # led by Văn phòng: this unit's "Hoàn thành" does not make it done
        "chinh_quyen_so": ("Hoàn thành", "Cập nhật phần mềm một cửa điện tử.", None, None),
    },
}
# The same progress written in YAML, merged by the stated rule (the lead unit's status decides).
AS_YAML = """tien_do:
  chi_dao_dieu_hanh: {trang_thai: hoan_thanh}
  thu_tuc_hanh_chinh: {trang_thai: dang_thuc_hien}
  to_chuc_bo_may: {trang_thai: dang_thuc_hien}
  dao_tao_boi_duong: {trang_thai: hoan_thanh}
  chuyen_doi_vi_tri: {trang_thai: chua_thuc_hien}
  tai_chinh_cong: {trang_thai: dang_thuc_hien}
  chinh_quyen_so: {trang_thai: dang_thuc_hien}
  the_che: {trang_thai: dang_thuc_hien}
"""


def _report_text(tien_do: str) -> str:
    text_ = (ROOT / "data" / "bao_cao_2023_quy_1.yaml").read_text(encoding="utf-8")
    start, end = text_.index("\ntien_do:"), text_.index("\ndanh_gia:")
    return text_[:start] + "\n" + tien_do + text_[end:]


def fill(path, rows):
    """Fill a workbook as a person does in Excel: pick statuses from the drop-down, type Vietnamese text."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Tiến độ"]
    dv = ws.data_validations.dataValidation[0]
    choices = dv.formula1.strip('"').split(",")
    assert choices == STATUSES
    for row in ws.iter_rows(min_row=6):
        values = rows.get(row[0].value)
        if values is None:
            continue
        status, result, docs, note = values
        assert status in choices and row[4].coordinate in dv.sqref
        for cell, value in zip(row[4:8], (status, result, docs, note), strict=True):
            assert cell.protection.locked is False
            cell.value = value
    wb.save(path)


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    for name in ("ke_hoach_2023.yaml", "don_vi.csv"):
        shutil.copy(ROOT / "data" / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["tien-do", "ke_hoach_2023.yaml", "--ky", "quy_1", "--units", "don_vi.csv",
                                       "-o", "tien_do"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Đã ghi tien_do/van_phong.xlsx: 10 nhiệm vụ, 8 nhiệm vụ đến hạn trong kỳ.",
        "Đã ghi tien_do/thanh_tra.xlsx: 1 nhiệm vụ, 1 nhiệm vụ đến hạn trong kỳ.",
        "Đã ghi tien_do/phong_chinh_sach.xlsx: 2 nhiệm vụ, 2 nhiệm vụ đến hạn trong kỳ."]
    (tmp_path / "bc.yaml").write_text(_report_text("tien_do_tu: [tien_do/*.xlsx]\n"), encoding="utf-8")
    (tmp_path / "bc_yaml.yaml").write_text(_report_text(AS_YAML), encoding="utf-8")
    return tmp_path


def _filled(workdir):
    for unit, rows in FILLED.items():
        fill(workdir / "tien_do" / f"{unit}.xlsx", rows)


def _numbers(doc):
    m = re.search(r"có (\d+) nhiệm vụ đến hạn thực hiện; đã hoàn thành (\d+) nhiệm vụ \(đạt ([\d,]+)%\), "
                  r"đang thực hiện (\d+) nhiệm vụ, chưa thực hiện (\d+) nhiệm vụ; (\d+) nhiệm vụ chậm tiến độ",
                  doc.text())
    assert m, "section I sentence missing"
    return m.groups()


def _table(doc):
    return [[text(c) for c in tr.iter(q("w:tc"))] for tr in doc.tables()[-1].iter(q("w:tr"))]


# ---- the workbook out ----

def test_workbook_layout(workdir):
    wb = openpyxl.load_workbook(workdir / "tien_do" / "phong_chinh_sach.xlsx")
    assert wb.sheetnames == ["Tiến độ", "docgen"]
    ws = wb["Tiến độ"]
    assert [c.value for c in ws[5]] == ["Mã", "Nhiệm vụ", "Chủ trì", "Thời hạn", "Trạng thái", "Kết quả",
                                        "Văn bản đã ban hành", "Ghi chú"]
    assert ws["A1"].value == "TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH QUÝ I NĂM 2023"
    assert ws["A2"].value == "Đơn vị: Phòng Chính sách dân tộc"
    assert ws["A3"].value.startswith("Kế hoạch: Kế hoạch số ") and "cải cách hành chính năm 2023" in ws["A3"].value
    ids = [ws.cell(r, 1).value for r in range(6, ws.max_row + 1)]
    assert ids == ["thu_tuc_hanh_chinh", "chinh_quyen_so"]  # the same selection as batch
    assert ws["B6"].value == "Cải cách thủ tục hành chính"
    assert ws.freeze_panes == "A6"
    assert ws.protection.sheet is True
    assert all(ws.cell(6, c).protection.locked for c in range(1, 5))
    assert not any(ws.cell(6, c).protection.locked for c in range(5, 9))
    assert [ws.column_dimensions[c].width for c in "ABCDEFGH"] == [14, 44, 22, 13, 17, 40, 30, 20]
    dv = ws.data_validations.dataValidation
    assert len(dv) == 1 and dv[0].type == "list" and str(dv[0].sqref) == "E6:E7"
    assert dv[0].formula1 == '"Hoàn thành,Đang thực hiện,Chưa thực hiện"'
    assert ws["A6"].fill.fgColor.rgb.endswith("FFF2CC")  # due in quý I: marked
    assert wb["docgen"].sheet_state == "hidden"


def test_due_rows_are_marked_and_the_agency_gets_one_workbook(workdir):
    result = CliRunner().invoke(main, ["tien-do", "ke_hoach_2023.yaml", "--ky", "quy_1", "-o", "ca"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "Đã ghi ca/ke_hoach_2023_quy_1.xlsx: 11 nhiệm vụ, 9 nhiệm vụ đến hạn trong kỳ.\n"
    ws = openpyxl.load_workbook(workdir / "ca" / "ke_hoach_2023_quy_1.xlsx")["Tiến độ"]
    assert ws["A2"].value == "Đơn vị: Ban Dân tộc tỉnh"
    marked = {ws.cell(r, 1).value for r in range(6, ws.max_row + 1)
              if ws.cell(r, 1).fill.fgColor.rgb.endswith("FFF2CC")}
    assert marked == {"chi_dao_dieu_hanh", "the_che", "thu_tuc_hanh_chinh", "to_chuc_bo_may", "dao_tao_boi_duong",
                      "chuyen_doi_vi_tri", "ky_luat_ky_cuong", "tai_chinh_cong", "chinh_quyen_so"}


def test_same_plan_gives_the_same_bytes(workdir):
    first = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (workdir / "tien_do").iterdir()}
    assert CliRunner().invoke(main, ["tien-do", "ke_hoach_2023.yaml", "--ky", "quy_1", "--units", "don_vi.csv",
                                     "-o", "again"]).exit_code == 0
    second = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (workdir / "again").iterdir()}
    assert first == second
    with zipfile.ZipFile(workdir / "again" / "thanh_tra.xlsx") as zf:
        assert {i.date_time for i in zf.infolist()} == {(2023, 1, 5, 0, 0, 0)}  # the plan's date, not the clock


def test_bad_units_write_nothing(workdir):
    (workdir / "dv.csv").write_text("ma,nhiem_vu\nx,khong_co\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["tien-do", "ke_hoach_2023.yaml", "--ky", "quy_1", "--units", "dv.csv",
                                       "-o", "out"])
    assert result.exit_code == 1
    assert result.stderr == "Lỗi: dv.csv:2: nhiem_vu: kế hoạch không có nhiệm vụ mã khong_co\n"
    assert not (workdir / "out").exists()


# ---- back into the report ----

def test_round_trip_counts_equal_the_same_progress_in_yaml(workdir):
    _filled(workdir)
    from_books, from_yaml = Doc(render_bytes("bc.yaml")), Doc(render_bytes("bc_yaml.yaml"))
    assert _numbers(from_books) == _numbers(from_yaml) == ("9", "2", "22,2", "5", "2", "0")
    books, yaml_ = _table(from_books), _table(from_yaml)
    assert [r[4] for r in books[:-1]] == [r[4] for r in yaml_[:-1]]  # the same status on every row
    assert books[-1] == yaml_[-1]  # the same total line
    # the appendix names the lead unit the sheet went to
    assert [r[2] for r in books[1:-1]] == ["Văn phòng Ban", "Thanh tra Ban", "Phòng Chính sách dân tộc",
                                           "Văn phòng Ban", "Văn phòng Ban", "Văn phòng Ban", "Văn phòng Ban",
                                           "Văn phòng Ban", "Văn phòng Ban"]
    all_text = from_books.text()
    # results of several units joined, each with its unit named; lead unit first
    assert ("Đang thực hiện (đang trong hạn). Phòng Chính sách dân tộc: Tiếp nhận, xử lý phản ánh, kiến nghị đúng "
            "quy trình. Văn phòng Ban: Công khai đầy đủ thủ tục hành chính tại trụ sở.") in all_text
    # a document typed in the sheet is cited like one written in YAML
    assert "Kế hoạch số 35/KH-BDT ngày 16/01/2023 về tuyên truyền cải cách hành chính năm 2023" in all_text
    assert "chưa báo cáo" not in all_text


def test_yaml_entry_wins_over_the_workbooks(workdir):
    _filled(workdir)
    (workdir / "bc.yaml").write_text(_report_text("tien_do_tu: [tien_do/*.xlsx]\ntien_do:\n  chinh_quyen_so:\n"
                                                  "    trang_thai: hoan_thanh\n"), encoding="utf-8")
    assert _numbers(Doc(render_bytes("bc.yaml")))[:2] == ("9", "3")


def test_a_unit_that_sent_nothing(workdir):
    _filled(workdir)
    (workdir / "tien_do" / "thanh_tra.xlsx").unlink()
    result = CliRunner().invoke(main, ["render", "bc.yaml", "-o", "bc.docx"])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if "thanh_tra" in line or "the_che" in line]
    assert warnings == ["Cảnh báo: bc.yaml:20: tien_do_tu: đơn vị thanh_tra (Thanh tra Ban) chưa gửi bảng tiến độ: "
                        "các nhiệm vụ đơn vị chủ trì được tính là chưa thực hiện, báo cáo ghi đơn vị chưa báo cáo"]
    # the blank row of a due task: the warning names the cell to fill, not the plan
    assert [line for line in result.stderr.splitlines() if "ky_luat_ky_cuong" in line] == [
        "Cảnh báo: tien_do/van_phong.xlsx:Tiến độ!E13: nhiệm vụ 'ky_luat_ky_cuong' đến hạn trong quý I năm 2023 "
        "nhưng đơn vị chưa chọn Trạng thái: được tính là chưa thực hiện"]
    doc = Doc((workdir / "bc.docx").read_bytes())
    assert ("Đơn vị chưa báo cáo: Thanh tra Ban (các nhiệm vụ do đơn vị chủ trì được tính là chưa thực hiện)."
            in doc.text())
    row = next(r for r in _table(doc) if r[1] == "Cải cách thể chế")
    assert row[4] == "Chưa thực hiện" and row[5] == "Đơn vị chủ trì chưa báo cáo"
    strict = CliRunner().invoke(main, ["render", "bc.yaml", "-o", "bc2.docx", "--strict"])
    assert strict.exit_code == 1 and not (workdir / "bc2.docx").exists()


def test_each_units_report_uses_only_its_rows(workdir):
    _filled(workdir)
    result = CliRunner().invoke(main, ["batch", "bc.yaml", "--units", "don_vi.csv", "-o", "dv", "-j", "1"])
    assert result.exit_code == 0, result.output
    pcs = _table(Doc((workdir / "dv" / "phong_chinh_sach.docx").read_bytes()))
    # its own word on chinh_quyen_so (done), not the merged one (the lead unit says in progress)
    assert [(r[1], r[4]) for r in pcs[1:-1]] == [
        ("Cải cách thủ tục hành chính", "Đang thực hiện"),
        ("Xây dựng và phát triển chính quyền điện tử hướng đến chính quyền số", "Đã hoàn thành")]
    text_ = Doc((workdir / "dv" / "phong_chinh_sach.docx").read_bytes()).text()
    assert "Văn phòng Ban:" not in text_ and "Công khai đầy đủ" not in text_
    tt = Doc((workdir / "dv" / "thanh_tra.docx").read_bytes())
    assert "Tổng cộng: 1 nhiệm vụ; đã hoàn thành 0 (0%); đang thực hiện 1" in tt.text()


# ---- bad workbooks: each with its file and cell ----

def _set(path, cell, value, sheet="Tiến độ"):
    wb = openpyxl.load_workbook(path)
    wb[sheet][cell] = value
    wb.save(path)


def _plain_workbook(path):
    wb = openpyxl.Workbook()
    wb.active.append(["Mã", "Trạng thái"])
    wb.save(path)


VP = "tien_do/van_phong.xlsx"
HOW = "chọn một trong: Hoàn thành, Đang thực hiện, Chưa thực hiện"
BAD = [
    ("unknown_task_id", lambda w: _set(w / VP, "A7", "thu_tuc_hanh_chin"),
     [f"Lỗi: {VP}:Tiến độ!A7: kế hoạch ke_hoach_2023.yaml không có nhiệm vụ mã 'thu_tuc_hanh_chin'; có phải là "
      "'thu_tuc_hanh_chinh'?"]),
    ("unknown_status", lambda w: _set(w / VP, "E6", "Xong rồi"),
     [f"Lỗi: {VP}:Tiến độ!E6: trạng thái 'Xong rồi' không hợp lệ; {HOW}"]),
    ("result_without_status", lambda w: _set(w / VP, "E6", None),
     [f"Lỗi: {VP}:Tiến độ!E6: chưa chọn Trạng thái cho nhiệm vụ đã ghi kết quả; {HOW}"]),
    ("task_renamed_in_plan", lambda w: _edit(w / "ke_hoach_2023.yaml", "nhiem_vu: \"Cải cách tài chính công:\"",
                                              "nhiem_vu: \"Cải cách tài chính công và tài sản công:\""),
     [f"Lỗi: {VP}:Tiến độ!B14: nhiệm vụ 'tai_chinh_cong' trong kế hoạch nay tên là 'Cải cách tài chính công và "
      "tài sản công', bảng tính ghi 'Cải cách tài chính công'; gửi lại bảng tính mới (docgen tien-do) hoặc sửa "
      "kế hoạch"]),
    ("row_without_id", lambda w: _set(w / VP, "A9", None),
     [f"Lỗi: {VP}:Tiến độ!A9: dòng không có mã nhiệm vụ (cột Mã): không biết là nhiệm vụ nào; chép nội dung vào "
      "đúng dòng của nhiệm vụ"]),
    ("same_task_twice", lambda w: _set(w / VP, "A9", "chi_dao_dieu_hanh"),
     [f"Lỗi: {VP}:Tiến độ!A9: nhiệm vụ 'chi_dao_dieu_hanh' đã có ở dòng 6"]),
    ("text_outside_the_table", lambda w: _set(w / VP, "J6", "ghi thêm"),
     [f"Lỗi: {VP}:Tiến độ!J6: ô có dữ liệu 'ghi thêm' nằm ngoài bảng (cột J không có tên); chép vào cột Kết quả "
      "hoặc Ghi chú"]),
    ("other_period", lambda w: _set(w / VP, "B4", "6_thang", sheet="docgen"),
     [f"Lỗi: {VP}:docgen!B4: bảng tính là tiến độ 6 tháng đầu năm 2023, báo cáo là quý I năm 2023"]),
    ("other_plan", lambda w: _set(w / VP, "B2", "Thực hiện công tác dân vận năm 2023", sheet="docgen"),
     [f"Lỗi: {VP}:docgen!B2: bảng tính là của kế hoạch 'Thực hiện công tác dân vận năm 2023' (năm 2023), không "
      "phải kế hoạch ke_hoach_2023.yaml"]),
    ("not_a_docgen_workbook", lambda w: _plain_workbook(w / VP),
     [f"Lỗi: {VP}: không phải bảng tiến độ do docgen tạo (thiếu trang ẩn 'docgen'); tạo bảng bằng lệnh docgen "
      "tien-do"]),
    ("same_unit_twice", lambda w: shutil.copy(w / VP, w / "tien_do" / "van_phong (1).xlsx"),
     ["Lỗi: tien_do/van_phong.xlsx: đơn vị van_phong (Văn phòng Ban) đã có trong tệp tien_do/van_phong (1).xlsx; "
      "bỏ bớt một tệp"]),
    ("nothing_matches", lambda w: shutil.rmtree(w / "tien_do"),
     ["Lỗi: bc.yaml:20: tien_do_tu[0]: không có tệp nào khớp 'tien_do/*.xlsx' (tính từ thư mục của tệp báo cáo)"]),
    ("two_problems_at_once", lambda w: (_set(w / VP, "E6", "xong"), _set(w / "tien_do" / "thanh_tra.xlsx", "E6",
                                                                          "rồi")),
     [f"Lỗi: tien_do/thanh_tra.xlsx:Tiến độ!E6: trạng thái 'rồi' không hợp lệ; {HOW}",
      f"Lỗi: {VP}:Tiến độ!E6: trạng thái 'xong' không hợp lệ; {HOW}"]),
]


def _edit(path, old, new):
    text_ = path.read_text(encoding="utf-8")
    assert old in text_, old
    path.write_text(text_.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("name, spoil, expected", BAD, ids=[b[0] for b in BAD])
def test_bad_workbooks(workdir, name, spoil, expected):
    _filled(workdir)
    spoil(workdir)
    result = CliRunner().invoke(main, ["render", "bc.yaml", "-o", "out.docx"])
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == expected
    assert not (workdir / "out.docx").exists()


def test_excel_lock_files_are_passed_by(workdir):
    _filled(workdir)
    (workdir / "tien_do" / "~$van_phong.xlsx").write_bytes(b"\x00lock")
    assert _numbers(Doc(render_bytes("bc.yaml")))[0] == "9"


# ---- LibreOffice opens every workbook docgen writes ----

def test_every_workbook_converts_with_libreoffice(workdir):
    assert CliRunner().invoke(main, ["tien-do", "ke_hoach_2023.yaml", "--ky", "quy_1", "-o", "tien_do"]
                              ).exit_code == 0
    books = sorted((workdir / "tien_do").glob("*.xlsx"))
    assert len(books) == 4
    done = subprocess.run(["soffice", f"-env:UserInstallation=file://{workdir}/lo", "--headless", "--convert-to",
                           "pdf", "--outdir", str(workdir / "pdf"), *map(str, books)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    for book in books:
        pdf = workdir / "pdf" / (book.stem + ".pdf")
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) >= 1
        words = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH QUÝ I NĂM 2023" in words


# ---- the example in data/ ----

def test_example_consolidated_report_sums_the_units_workbooks():
    doc = Doc(render_bytes(ROOT / "data" / "bao_cao_2023_quy_1_tong_hop.yaml"))
    # Văn phòng: 1 done (dao_tao), 5 in progress, 1 not started; Thanh tra: 1 in progress; thu_tuc_hanh_chinh:
    # done by its lead unit (Phòng Chính sách); chinh_quyen_so: in progress by its lead unit (Văn phòng)
    assert _numbers(doc) == ("9", "2", "22,2", "6", "1", "0")
    rows = _table(doc)[1:-1]
    assert [(r[1][:27], r[2], r[4]) for r in rows[:3]] == [
        ("Công tác chỉ đạo, điều hành", "Văn phòng Ban", "Đang thực hiện"),
        ("Cải cách thể chế", "Thanh tra Ban", "Đang thực hiện"),
        ("Cải cách thủ tục hành chính", "Phòng Chính sách dân tộc", "Đã hoàn thành")]
    assert "chưa báo cáo" not in doc.text()
