"""Unit lists as offices save them: .xlsx, CSV in UTF-8 (BOM or not), UTF-16 (tab), Windows-1258 (';');
what cannot be decided or is probably a slip is one located error, never a traceback."""
import csv
import io
import unicodedata
import zipfile

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from docgen.cli import main
from docgen.units import load_units

from .util import ROOT

PLAN = ROOT / "data" / "ke_hoach_2023.yaml"
REPORT = ROOT / "data" / "bao_cao_2023_quy_1.yaml"
ROWS = list(csv.reader(io.StringIO((ROOT / "data" / "don_vi.csv").read_text(encoding="utf-8"))))


def cp1258(text: str) -> bytes:
    """Encode as Windows does: precomposed where Windows-1258 has the letter, else base letter + tone mark."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        nfd = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in nfd if c in "\u0300\u0301\u0303\u0309\u0323")
        base = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in tones))
        out += base.encode("cp1258") + tones.encode("cp1258")
    return out


def _csv_text(rows, sep, line_end="\r\n"):
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator=line_end).writerows(rows)
    return buf.getvalue()


def write_xlsx(path, rows, title="Đơn vị"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


SAVED_AS = {
    "xlsx": lambda p: write_xlsx(p.with_suffix(".xlsx"), ROWS),
    "utf8": lambda p: _write(p, _csv_text(ROWS, ",").encode("utf-8")),
    "utf8_bom": lambda p: _write(p, b"\xef\xbb\xbf" + _csv_text(ROWS, ",").encode("utf-8")),
    "utf16_tab": lambda p: _write(p.with_suffix(".txt"), _csv_text(ROWS, "\t").encode("utf-16")),
    "cp1258_semicolon": lambda p: _write(p, cp1258(_csv_text(ROWS, ";"))),
}


def _write(path, data):
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("kind", ["plan", "report"])
def test_every_way_of_saving_gives_the_same_documents(tmp_path, kind):
    source = PLAN if kind == "plan" else REPORT
    outputs = {}
    for name, save in SAVED_AS.items():
        units = save(tmp_path / f"dv_{name}.csv")
        out = tmp_path / f"out_{name}"
        result = CliRunner().invoke(main, ["batch", str(source), "--units", str(units), "-o", str(out), "-j", "1"])
        assert result.exit_code == 0, (name, result.output)
        outputs[name] = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
    reference = outputs.pop("utf8")
    assert sorted(reference) == ["phong_chinh_sach.docx", "thanh_tra.docx", "van_phong.docx"]
    for name, files in outputs.items():
        assert files == reference, name


def test_detected_encoding_and_separator(tmp_path):
    from docgen.tabular import read_table

    seen = {}
    for name, save in SAVED_AS.items():
        table = read_table(save(tmp_path / f"dv_{name}.csv"))
        seen[name] = (table.encoding, table.separator, table.header[:2], table.rows[0].cells[2])
    assert seen == {
        "xlsx": (None, None, ["ma", "co_quan.chu_quan"], "VĂN PHÒNG"),
        "utf8": ("UTF-8", ",", ["ma", "co_quan.chu_quan"], "VĂN PHÒNG"),
        "utf8_bom": ("UTF-8 (có BOM)", ",", ["ma", "co_quan.chu_quan"], "VĂN PHÒNG"),
        "utf16_tab": ("UTF-16", "\t", ["ma", "co_quan.chu_quan"], "VĂN PHÒNG"),
        "cp1258_semicolon": ("Windows-1258", ";", ["ma", "co_quan.chu_quan"], "VĂN PHÒNG"),
    }


def test_windows_1252_without_vietnamese_letters_reads(tmp_path):
    path = _write(tmp_path / "dv.csv", "ma;co_quan.ten;co_quan.viet_tat\nphong_a;Café Tổ;CT\n".replace(
        "Tổ", "To").encode("cp1252"))
    assert load_units(path)[0].source.data == {"ma": "phong_a", "co_quan": {"ten": "Café To", "viet_tat": "CT"}}


def _run(units, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(PLAN), "--units", str(units), "-o", str(out)])
    assert not out.exists()
    return result


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


HOW = ("mở tệp bằng Excel, chọn Tệp > Lưu thành (File > Save As), kiểu \"CSV UTF-8 (Comma delimited)\" "
       "hoặc \"Excel Workbook (*.xlsx)\", rồi chạy lại")

# (name, bytes of the file, suffix, the exact stderr line(s) after "Lỗi: FILE")
BAD_CSV = [
    ("tcvn3_legacy_font", b"ma,co_quan.ten\nvan_phong," + b"Ban D\xa9n t\xe9c\n", ".csv",
     [f":2: không nhận ra bảng mã của tệp (không phải UTF-8, UTF-16 hay Windows-1258; dòng 2 đọc ra "
      f"'van_phong,Ban D©n téc'): {HOW}"]),
    ("binary", b"ma,ten\n\x00\x01\x02\xff\xfe\x80\n", ".csv",
     [f":2: không nhận ra bảng mã của tệp (không phải UTF-8, UTF-16 hay Windows-1258; dòng 2 đọc ra "
      f"'???ÿ₫€'): {HOW}"]),
    ("two_separators", b"ma,co_quan.ten;co_quan.viet_tat\n", ".csv",
     [f":1: không rõ cột cách nhau bằng dấu gì: dòng tiêu đề có 1 dấu phẩy ',', 1 dấu chấm phẩy ';'; {HOW}"]),
    ("no_code_column", "mã|tên\nvp|Văn phòng\n".encode(), ".csv",
     [":1: không có cột 'ma' (mã đơn vị); dòng tiêu đề có 'mã|tên' (đọc theo UTF-8, cột cách nhau bằng dấu phẩy "
      "','). Dòng đầu phải là tên cột: ma, co_quan.ten, nguoi_ky.ho_ten...; nếu tên cột dính liền nhau thì "
      + HOW]),
    ("stray_quote", 'ma,co_quan.ten,co_quan.viet_tat\nvp,"Văn phòng,VP\ntt,Thanh tra,TTr\n'.encode(), ".csv",
     [":2: dấu ngoặc kép (\") không đóng hoặc đặt sai chỗ: 'vp,\"Văn phòng,VP'; bỏ dấu \" thừa, hoặc đặt cả ô "
      "trong cặp dấu \"...\" (viết \"\" cho một dấu \" trong ô)"]),
    ("stray_quote_closed_later", 'ma,co_quan.ten,co_quan.viet_tat\nvp,"Văn phòng,VP\ntt,Thanh tra",TTr\n'
     'x,Y,Z\n'.encode(), ".csv",
     [":2: dấu ngoặc kép (\") không đóng hoặc đặt sai chỗ (ô kéo dài đến dòng 3): 'vp,\"Văn phòng,VP'; bỏ dấu \" "
      "thừa, hoặc đặt cả ô trong cặp dấu \"...\" (viết \"\" cho một dấu \" trong ô)"]),
    ("quote_then_text", 'ma,co_quan.ten,co_quan.viet_tat\nvp,"Văn" phòng,VP\n'.encode(), ".csv",
     [":2: dấu ngoặc kép (\") không đóng hoặc đặt sai chỗ: 'vp,\"Văn\" phòng,VP'; bỏ dấu \" thừa, hoặc đặt cả ô "
      "trong cặp dấu \"...\" (viết \"\" cho một dấu \" trong ô)"]),
    ("same_column_twice", b"ma,co_quan.ten,co_quan.ten\nvp,A,B\n", ".csv",
     [":1: hai cột cùng tên 'co_quan.ten' (cột thứ 2 và cột thứ 3); đổi tên hoặc xóa một cột"]),
    ("cells_beyond_header", "ma,co_quan.ten\nvp,Văn phòng\ntt,Thanh tra,TTr\n".encode(), ".csv",
     [":3: ô có dữ liệu 'TTr' ở cột thứ 3 nhưng dòng tiêu đề (dòng 1) không có tên cột này; thêm tên cột hoặc "
      "xóa ô"]),
    ("case_only_duplicate", b"ma\nvan_phong\nthanh_tra\nVan_Phong\n", ".csv",
     [":4: don_vi[2].ma: mã đơn vị 'Van_Phong' trùng với 'van_phong' ở dòng 2 (chỉ khác chữ hoa, chữ thường: "
      "Windows coi là cùng một tệp)"]),
    ("windows_device_names", b"ma\nCON\nnul.x\nCom1\nlpt9\ncom10\n", ".csv",
     [f":{n}: don_vi[{n - 2}].ma: mã đơn vị '{ma}' là tên thiết bị dành riêng của Windows, không dùng làm tên "
      "tệp được; đặt mã khác" for n, ma in ((2, "CON"), (3, "nul.x"), (4, "Com1"), (5, "lpt9"))]),
    ("empty", b"\xef\xbb\xbf\r\n", ".csv", [":1: tệp rỗng"]),
    ("utf16_broken", b"\xff\xfem\x00a\x00\x00\xd8", ".txt",
     [f": tệp bắt đầu như UTF-16 nhưng có byte sai ở vị trí 6: {HOW}"]),
    ("old_excel", b"\xd0\xcf\x11\xe0", ".xls", [f": tệp Excel 97-2003 (.xls) chưa được hỗ trợ; {HOW}"]),
    ("not_a_workbook", b"ma,ten\n", ".xlsx", [f": không phải tệp Excel .xlsx (không đọc được dạng nén zip); {HOW}"]),
    ("zip_not_a_workbook", _zip({"ghi_chu.txt": b"ma,ten"}), ".xlsx",
     [f": không đọc được tệp Excel (tệp hỏng, có mật khẩu hoặc không phải sổ tính); {HOW}"]),
]


@pytest.mark.parametrize("name, data, suffix, expected", BAD_CSV, ids=[b[0] for b in BAD_CSV])
def test_bad_unit_files(tmp_path, name, data, suffix, expected):
    units = _write(tmp_path / f"dv{suffix}", data)
    result = _run(units, tmp_path)
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [f"Lỗi: {units}{line}" for line in expected]


BAD_XLSX = [
    ("same_column_twice", [["ma", "co_quan.ten", None, "co_quan.ten"], ["vp", "A", None, "B"]],
     ["Đơn vị!D1: hai cột cùng tên 'co_quan.ten' (cột B và cột D); đổi tên hoặc xóa một cột"]),
    ("cells_beyond_header", [["ma", "co_quan.ten"], ["vp", "Văn phòng"], [], ["tt", "Thanh tra", None, "TTr"]],
     ["Đơn vị!D4: ô có dữ liệu 'TTr' ở cột D nhưng dòng tiêu đề (dòng 1) không có tên cột này; thêm tên cột "
      "hoặc xóa ô"]),
    ("gap_in_header", [["ma", None, "co_quan.ten"], ["vp", "x", "Văn phòng"]],
     ["Đơn vị!B2: ô có dữ liệu 'x' ở cột B nhưng dòng tiêu đề (dòng 1) không có tên cột này; thêm tên cột "
      "hoặc xóa ô"]),
    ("case_only_duplicate", [["ma"], ["van_phong"], ["VAN_PHONG"]],
     ["Đơn vị!A3: don_vi[1].ma: mã đơn vị 'VAN_PHONG' trùng với 'van_phong' ở ô Đơn vị!A2 (chỉ khác chữ hoa, "
      "chữ thường: Windows coi là cùng một tệp)"]),
    ("device_name", [["ten", "ma"], ["x", "AUX"]],
     ["Đơn vị!B2: don_vi[0].ma: mã đơn vị 'AUX' là tên thiết bị dành riêng của Windows, không dùng làm tên "
      "tệp được; đặt mã khác"]),
    ("control_character", [["ma", "co_quan.ten"], ["vp", "Văn\x07phòng"]],
     ["Đơn vị!B2: ký tự điều khiển U+0007 không được phép trong văn bản (Word không mở được tệp có ký tự này)"]),
    ("no_header", [], ["Đơn vị!A1: tệp không có dữ liệu (không có dòng tiêu đề)"]),
]


@pytest.mark.parametrize("name, rows, expected", BAD_XLSX, ids=[b[0] for b in BAD_XLSX])
def test_bad_unit_workbooks(tmp_path, name, rows, expected):
    units = tmp_path / "dv.xlsx"
    if name == "control_character":  # openpyxl refuses to write it; Excel files from elsewhere can hold it
        write_xlsx(units, [["ma", "co_quan.ten"], ["vp", "VănXphòng"]])
        _patch_part(units, b"nXph", b"n_x0007_ph")  # the escape Excel writes for U+0007
    else:
        write_xlsx(units, rows)
    result = _run(units, tmp_path)
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [f"Lỗi: {units}:{line}" for line in expected]


def _patch_part(path, old, new):
    import zipfile

    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    for name, data in parts.items():
        parts[name] = data.replace(old, new)
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def test_a_unit_error_in_a_workbook_names_the_cell(tmp_path):
    rows = [r[:] for r in ROWS]
    rows[2][5] = ""  # thanh_tra: nguoi_ky.chuc_vu
    units = write_xlsx(tmp_path / "dv.xlsx", rows)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(PLAN), "--units", str(units), "-o", str(out), "-j", "1"])
    assert result.exit_code == 1
    assert [line for line in result.stderr.splitlines() if line.startswith("Lỗi")] == [
        f"Lỗi: đơn vị thanh_tra: {units}:Đơn vị!A3: don_vi[1].nguoi_ky.chuc_vu: thiếu trường bắt buộc"]


def test_numbers_and_dates_in_a_workbook_read_as_people_typed_them(tmp_path):
    import datetime as dt

    units = write_xlsx(tmp_path / "dv.xlsx", [["ma", "co_quan.ten", "co_quan.viet_tat", "luu"],
                                               [2023, "Phòng 1", "P1", dt.date(2023, 3, 5)]])
    assert load_units(units)[0].source.data == {"ma": "2023", "co_quan": {"ten": "Phòng 1", "viet_tat": "P1"},
                                                "luu": ["2023-03-05"]}


VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯ àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"


@settings(max_examples=60, deadline=None)
@given(cells=st.lists(st.lists(st.text(alphabet=VIETNAMESE + ",;\t\"'-./0123456789", max_size=20), min_size=2,
                               max_size=2), min_size=1, max_size=5),
       sep=st.sampled_from([",", ";", "\t"]),
       how=st.sampled_from(["utf8", "utf8_bom", "utf16", "cp1258"]))
def test_any_vietnamese_table_reads_back_the_same_however_saved(tmp_path_factory, cells, sep, how):
    from docgen.tabular import read_table
    from docgen.vn import nfc

    rows = [["ma", "ten"], *cells]
    text_ = _csv_text(rows, sep)
    data = {"utf8": text_.encode("utf-8"), "utf8_bom": b"\xef\xbb\xbf" + text_.encode("utf-8"),
            "utf16": text_.encode("utf-16"), "cp1258": cp1258(text_)}[how]
    path = tmp_path_factory.mktemp("t") / "dv.csv"
    path.write_bytes(data)
    table = read_table(path)
    expected = [[nfc(c).strip() for c in row] for row in cells if any(nfc(c).strip() for c in row)]
    assert table.header == ["ma", "ten"] and table.separator == sep
    assert [r.cells for r in table.rows if any(r.cells)] == expected
