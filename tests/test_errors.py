"""Bad input as data: each case is an edit of a minimal valid plan and the exact messages it must give.

Every case: exit status 1, the exact ``Lỗi: FILE:LINE: field: message`` lines, no traceback,
no output file.
"""
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from docgen.cli import main

from .util import ROOT

F = "ke_hoach.yaml"
CASES = [
    ("yaml_syntax", [("nam: 2023", "nam: [2023")],
     [f"Lỗi: {F}:9: cú pháp YAML sai: ngoặc '[' mở ở dòng này chưa được đóng bằng ']', hoặc thiếu dấu ',' giữa "
      "các mục; mục nào có dấu ',' hay ': ' thì đặt trong ngoặc kép"]),
    ("missing_trich_yeu", [("trich_yeu: Thực hiện công tác cải cách hành chính năm 2023\n", "")],
     [f"Lỗi: {F}:1: trich_yeu: thiếu trường bắt buộc"]),
    ("impossible_date", [("2023-03-05", "2023-02-30")],
     [f"Lỗi: {F}:8: ngay_ban_hanh: ngày '2023-02-30' không có thật (tháng 2 năm 2023 không có ngày 30)"]),
    ("date_form", [("2023-03-05", "5 tháng 3")],
     [f"Lỗi: {F}:8: ngay_ban_hanh: ngày '5 tháng 3' không đúng dạng; viết YYYY-MM-DD hoặc DD/MM/YYYY"]),
    ("unknown_key", [("trich_yeu:", "trich_yue:")],
     [f"Lỗi: {F}:10: trich_yue: khóa không hợp lệ 'trich_yue'; có phải là 'trich_yeu'?"]),
    ("duplicate_task_id", [("id: nv2", "id: nv1")],
     [f"Lỗi: {F}:20: noi_dung[0].noi_dung[1].id: mã nhiệm vụ 'nv1' đã dùng ở dòng 17"]),
    ("control_char_escaped", [("ho_ten: Trần Văn Mẫn", 'ho_ten: "Trần\\vVăn Mẫn"')],
     [f"Lỗi: {F}:25: nguoi_ky.ho_ten: ký tự điều khiển U+000B không được phép trong văn bản "
      "(Word không mở được tệp có ký tự này)"]),
    ("control_char_raw", [("ho_ten: Trần Văn Mẫn", "ho_ten: Trần\x0bVăn Mẫn")],
     [f"Lỗi: {F}:25: ký tự điều khiển U+000B không được phép trong văn bản (Word không mở được tệp có ký tự này)"]),
    ("unknown_block", [("- nhiem_vu: Nhiệm vụ hai", "- nhiem_vuu: Nhiệm vụ hai")],
     [f"Lỗi: {F}:19: noi_dung[0].noi_dung[1]: khối nội dung không nhận dạng được: cần một đoạn văn bản "
      "hoặc một trong các khóa muc, khoan, diem, nhiem_vu, gach, dem, bang, doan"]),
    ("kt_without_head", [("chuc_vu: Trưởng Ban", "chuc_vu: Phó Trưởng Ban\n  quyen_han: KT")],
     [f"Lỗi: {F}:23: nguoi_ky: quyền hạn KT. cần 'thu_truong' (chức vụ người đứng đầu, ví dụ TRƯỞNG BAN)"]),
    ("bad_authority", [("chuc_vu: Trưởng Ban", "chuc_vu: Trưởng Ban\n  quyen_han: XX")],
     [f"Lỗi: {F}:25: nguoi_ky.quyen_han: giá trị 'XX' không hợp lệ; chọn một trong: 'KT', 'Q', 'TL' hoặc 'TUQ'"]),
    ("field_shape", [("thoi_gian: Quý I năm 2023", "thoi_gian: {a: 1}")],
     [f"Lỗi: {F}:18: noi_dung[0].noi_dung[0].thoi_gian: phải là một đoạn văn bản hoặc danh sách các dòng "
      "(mỗi dòng bắt đầu bằng '- ')"]),
    ("duplicate_key", [("nam: 2023", "nam: 2023\nnam: 2024")],
     [f"Lỗi: {F}:10: khóa 'nam' bị lặp lại (đã có ở dòng 9)"]),
    ("year_out_of_range", [("2023-03-05", "2150-03-05")],
     [f"Lỗi: {F}:8: ngay_ban_hanh: năm ban hành phải từ 1980 đến 2099"]),
    ("not_a_number", [("so: 5", "so: năm")], [f"Lỗi: {F}:6: so: phải là số nguyên"]),
    ("every_problem_at_once",
     [("2023-03-05", "2023-13-01"), ("trich_yeu:", "trich_yue:"), ("chuc_vu: Trưởng Ban\n", "")],
     [f"Lỗi: {F}:8: ngay_ban_hanh: ngày '2023-13-01' không có thật (không có tháng 13)",
      f"Lỗi: {F}:10: trich_yue: khóa không hợp lệ 'trich_yue'; có phải là 'trich_yeu'?",
      f"Lỗi: {F}:23: nguoi_ky.chuc_vu: thiếu trường bắt buộc"]),
    ("unsupported_kind", [("loai: ke_hoach", "loai: giay_moi")],
     [f"Lỗi: {F}:1: loai: loại văn bản 'giay_moi' chưa hỗ trợ; chọn một trong: ke_hoach, bao_cao, to_trinh, "
      "quyet_dinh, cong_van"]),
]


@pytest.mark.parametrize("name, edits, expected", CASES, ids=[c[0] for c in CASES])
def test_bad_input(tmp_path, minimal_text, name, edits, expected):
    text = minimal_text
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    (tmp_path / F).write_text(text, encoding="utf-8")
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(main, ["render", F, "-o", "out.docx"])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == expected
    assert "Traceback" not in result.output
    assert not (tmp_path / "out.docx").exists()
    assert [p.name for p in tmp_path.iterdir()] == [F]  # no temporary file left either


def test_missing_file_and_no_traceback_in_a_real_process(tmp_path):
    done = subprocess.run([sys.executable, "-m", "docgen", "render", "khong_co.yaml"], cwd=tmp_path,
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr == "Lỗi: khong_co.yaml: không tìm thấy tệp\n"


USAGE = "Cách dùng: {path} [TÙY CHỌN] {args}\nGõ '{path} --help' để xem hướng dẫn.\n\n"


@pytest.mark.parametrize("args, usage, message", [
    (["render"], ("docgen render", "SOURCE"), "Thiếu đối số 'SOURCE'."),
    (["render", "a.yaml", "--foo"], ("docgen render", "SOURCE"),
     "Không có tùy chọn '--foo'. (Có phải là một trong: '--out', '--pdf'?)"),
    (["check", "--format", "xml", "a.docx"], ("docgen check", "FILES..."),
     "Giá trị không hợp lệ cho '--format': 'xml' không phải một trong 'text', 'json'."),
    (["rollover", "a.yaml"], ("docgen rollover", "PLAN"), "Thiếu tùy chọn '--year'."),
    (["rollover", "a.yaml", "--year", "1900"], ("docgen rollover", "PLAN"),
     "Giá trị không hợp lệ cho '--year': 1900 nằm ngoài khoảng 1981<=x<=2099."),
    (["rollover", "a.yaml", "--year", "hai"], ("docgen rollover", "PLAN"),
     "Giá trị không hợp lệ cho '--year': 'hai' không phải là số."),
    (["render", "."], ("docgen render", "SOURCE"),
     "Giá trị không hợp lệ cho 'SOURCE': '.' là một thư mục, không phải tệp."),
    (["render", "a.yaml", "b.yaml"], ("docgen render", "SOURCE"), "Thừa đối số (b.yaml)"),
    (["khong_co"], ("docgen", "LỆNH [ĐỐI SỐ]..."), "Không có lệnh 'khong_co'."),
    (["render", "a.yaml", "-o"], None, "Tùy chọn '-o' cần một giá trị."),
], ids=["missing_argument", "unknown_option", "bad_choice", "missing_option", "out_of_range", "not_a_number",
        "directory", "extra_argument", "unknown_command", "option_without_value"])
def test_a_mistyped_command_is_told_in_vietnamese_and_exits_2(args, usage, message):
    """click's own messages (usage, parsing errors) read in Vietnamese, with the same exit status 2."""
    result = CliRunner().invoke(main, args, prog_name="docgen")
    assert result.exit_code == 2
    head = "" if usage is None else USAGE.format(path=usage[0], args=usage[1])
    assert result.stderr == head + f"Lỗi: {message}\n"


@pytest.mark.parametrize("args", [["--help"], ["render", "--help"], ["batch", "--help"], ["check", "--help"]])
def test_help_is_vietnamese_throughout(args):
    result = CliRunner().invoke(main, args, prog_name="docgen")
    assert result.exit_code == 0
    assert result.output.startswith("Cách dùng: docgen ")
    assert "Tùy chọn:\n" in result.output and "Hiện hướng dẫn này rồi thoát." in result.output
    for english in ("Usage:", "Options:", "Commands:", "Show this message", "Show the version"):
        assert english not in result.output


def test_missing_template_variable_names_the_template(tmp_path, minimal_text):
    """A template asking for a variable the data lacks fails, naming the template and the tag."""
    import docx

    doc = docx.Document(str(ROOT / "docgen" / "templates" / "ke_hoach.docx"))
    doc.add_paragraph("{{ khong_co_bien }}")
    tpl = tmp_path / "mau.docx"
    doc.save(str(tpl))
    (tmp_path / F).write_text(minimal_text, encoding="utf-8")
    result = CliRunner().invoke(main, ["render", str(tmp_path / F), "-o", str(tmp_path / "o.docx"),
                                       "--template", str(tpl)])
    assert result.exit_code == 1
    assert result.stderr == f"Lỗi: {tpl}: mẫu dùng biến 'khong_co_bien' mà dữ liệu không có\n"
    assert not (tmp_path / "o.docx").exists()


def test_pdf_without_libreoffice_is_a_clear_error(tmp_path, minimal_text, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    (tmp_path / F).write_text(minimal_text, encoding="utf-8")
    result = CliRunner().invoke(main, ["render", str(tmp_path / F), "-o", str(tmp_path / "o.docx"), "--pdf"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Lỗi: {tmp_path / 'o.docx'}: không tìm thấy LibreOffice (lệnh soffice)")
