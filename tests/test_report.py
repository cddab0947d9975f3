"""Periodic reports: computed numbers, deadlines, the appendix table, bad input, `docgen build`."""
import datetime as dt
import re
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.core import render_bytes
from docgen.deadline import Han, HanError, tu_loi, tu_ma
from docgen.ooxml import q, text

from .util import EXAMPLES, REALDOCS, ROOT, Doc, copy_data

D = dt.date
REPORTS = [p for p in EXAMPLES if p.name.startswith("bao_cao_")]

# ---- deadline inference: every `thoi_gian` of the seed, variants, and what must be refused ----
PHRASES = [
    ("Thường xuyên trong năm 2023.", Han((), True)),
    ("Thường xuyên trong năm 2023", Han((), True)),
    ("Thường xuyên năm 2023.", Han((), True)),
    ("Thường xuyên và định kỳ trong năm.", Han((), True)),
    ("Quý I, II, III và quý IV năm 2023.",
     Han((D(2023, 3, 31), D(2023, 6, 30), D(2023, 9, 30), D(2023, 12, 31)), True)),
    ("Quý I năm 2023 ban hành kế hoạch và triển khai trong năm; định kỳ báo cáo kết quả thực hiện về Sở Nội vụ.",
     Han((D(2023, 3, 31),), True)),
    ("Năm 2023.", Han((D(2023, 12, 31),))),
    ("Quý IV năm 2023.", Han((D(2023, 12, 31),))),
    ("Quý I năm 2023 ban hành Kế hoạch; tháng 12 năm 2023 báo cáo kết quả thực hiện về UBND tỉnh (qua Sở Nội vụ).",
     Han((D(2023, 3, 31), D(2023, 12, 31)))),
    ("Quý II", Han((D(2023, 6, 30),))),
    ("Quý II và quý III năm 2023", Han((D(2023, 6, 30), D(2023, 9, 30)))),
    ("tháng 9 năm 2023", Han((D(2023, 9, 30),))),
    ("Trong năm 2023", Han((D(2023, 12, 31),))),
    ("6 tháng đầu năm 2023", Han((D(2023, 6, 30),))),
    ("Trước ngày 15/3/2023", Han((D(2023, 3, 15),))),
    ("ngày 20 tháng 11 năm 2023", Han((D(2023, 11, 20),))),
    ("Hằng quý", Han((), True)),
]
REFUSED = [
    ("Quý V năm 2023", "không có quý 'V'"),
    ("tháng 13 năm 2023", "không có tháng 13"),
    ("Sớm nhất có thể", "không đọc được thời hạn từ 'Sớm nhất có thể'"),
    ("", "không có thời gian thực hiện"),
    ("30/2/2023", "ngày 30/2/2023 không có thật"),
]


@pytest.mark.parametrize("words, han", PHRASES, ids=[p[0][:40] for p in PHRASES])
def test_deadline_from_words(words, han):
    assert tu_loi(words, 2023) == han


@pytest.mark.parametrize("words, message", REFUSED)
def test_deadline_refused(words, message):
    with pytest.raises(HanError, match=re.escape(message)):
        tu_loi(words, 2023)


@pytest.mark.parametrize("code, han", [("quy_II", Han((D(2023, 6, 30),))), ("thang_2", Han((D(2023, 2, 28),))),
                                       ("thuong_xuyen", Han((), True)), ("2023-05-04", Han((D(2023, 5, 4),))),
                                       ("ca_nam", Han((D(2023, 12, 31),))), ("9_thang", Han((D(2023, 9, 30),)))])
def test_deadline_codes(code, han):
    assert tu_ma(code, 2023) == han


# ---- rendered reports ----

def _numbers(doc):
    """(due, done, pct, in progress, not started, late) as section I states them."""
    m = re.search(r"có (\d+) nhiệm vụ đến hạn thực hiện; đã hoàn thành (\d+) nhiệm vụ \(đạt ([\d,]+)%\), "
                  r"đang thực hiện (\d+) nhiệm vụ, chưa thực hiện (\d+) nhiệm vụ; (\d+) nhiệm vụ chậm tiến độ",
                  doc.text())
    assert m, "section I sentence missing"
    g = m.groups()
    return int(g[0]), int(g[1]), g[2], int(g[3]), int(g[4]), int(g[5])


def _table(doc):
    table = doc.tables()[-1]
    rows = [[text(c) for c in tr.iter(q("w:tc"))] for tr in table.iter(q("w:tr"))]
    assert rows[0] == ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Kết quả", "Ghi chú"]
    return rows[1:-1], rows[-1][0]


def _sum_table(rows):
    status = [r[4] for r in rows]
    return (len(rows), status.count("Đã hoàn thành"), status.count("Đang thực hiện"),
            status.count("Chưa thực hiện"), sum(r[5].startswith("Chậm tiến độ") for r in rows))


@pytest.mark.parametrize("path", REPORTS, ids=[p.stem for p in REPORTS])
def test_example_report(path):
    doc = Doc(render_bytes(path))
    all_text = doc.text()
    assert "BÁO CÁO" in all_text and re.search(r"^Số:\s+/BC-BDT$", all_text, re.M)
    assert "{{" not in all_text and "{%" not in all_text
    due, done, pct, doing, todo, late = _numbers(doc)
    rows, total = _table(doc)
    assert [int(r[0]) for r in rows] == list(range(1, len(rows) + 1))
    assert _sum_table(rows) == (due, done, doing, todo, late)  # the table sums to the text
    assert due == done + doing + todo
    assert total == (f"Tổng cộng: {due} nhiệm vụ; đã hoàn thành {done} ({pct}%); đang thực hiện {doing}; "
                     f"chưa thực hiện {todo}; chậm tiến độ {late}")
    assert re.search(r"Trên đây là báo cáo kết quả thực hiện công tác cải cách hành chính .+ của Ban Dân tộc "
                     r"tỉnh\./\.$", all_text, re.M)
    # the appendix starts a section numbered from 1, on a new page
    sects = list(doc.body.iter(q("w:sectPr")))
    assert len(sects) == 2 and sects[-1].find(q("w:pgNumType")).get(q("w:start")) == "1"
    heading = doc.find("Phụ lục")
    assert doc.styles.runs(heading)[0][1].bold


@pytest.mark.parametrize("ky, label", [("quy_1", "quý I năm 2023"), ("6_thang", "6 tháng đầu năm 2023"),
                                       ("9_thang", "9 tháng năm 2023"), ("nam", "năm 2023")])
def test_period_wording(ky, label):
    doc = Doc(render_bytes(ROOT / "data" / f"bao_cao_2023_{ky}.yaml"))
    all_text = doc.text()
    assert f"Kết quả thực hiện công tác cải cách hành chính {label}" in all_text
    assert f"KẾT QUẢ THỰC HIỆN NHIỆM VỤ {label.upper()}" in all_text
    assert "năm năm" not in all_text.lower()


def test_year_report_has_every_task_and_kinh_gui_opens_recipients():
    doc = Doc(render_bytes(ROOT / "data" / "bao_cao_2023_nam.yaml"))
    rows, _ = _table(doc)
    assert len(rows) == 11
    assert "Kính gửi: Sở Nội vụ tỉnh Quảng Ngãi\n" in doc.text()  # one recipient: no full stop (test_vn)
    footer = doc.tables()[1]
    items = [text(p) for p in footer.iter(q("w:p")) if text(p).startswith("- ")]
    assert items[0] == "- Như trên;" and items[-1] == "- Lưu: VT, VP."


@pytest.fixture
def workdir(tmp_path):
    for name in ("ke_hoach_2023.yaml", "bao_cao_2023_quy_1.yaml"):
        shutil.copy(ROOT / "data" / name, tmp_path / name)
    return tmp_path


def _edit(path, old, new):
    text_ = path.read_text(encoding="utf-8")
    assert old in text_, old
    path.write_text(text_.replace(old, new, 1), encoding="utf-8")


def test_numbers_follow_status_and_deadline(workdir):
    report = workdir / "bao_cao_2023_quy_1.yaml"
    before = Doc(render_bytes(report))
    b = _numbers(before)
    # one more task done: done +1, in progress −1
    _edit(report, "  the_che:\n    trang_thai: dang_thuc_hien", "  the_che:\n    trang_thai: hoan_thanh")
    after = Doc(render_bytes(report))
    a = _numbers(after)
    assert (a[0], a[1], a[3]) == (b[0], b[1] + 1, b[3] - 1)
    # a deadline moved before the report's date (20/3) adds a due task, not started and late
    _edit(workdir / "ke_hoach_2023.yaml", "            thoi_gian: Quý IV năm 2023.",
          "            thoi_gian: Quý IV năm 2023.\n            han: 2023-03-15")
    moved = Doc(render_bytes(report))
    c = _numbers(moved)
    assert (c[0], c[4], c[5]) == (a[0] + 1, a[4] + 1, a[5] + 1)
    rows, _ = _table(moved)
    assert _sum_table(rows) == (c[0], c[1], c[3], c[4], c[5])
    assert any(r[1].startswith("Thực hiện quy trình đánh giá") and r[5].startswith("Chậm tiến độ") for r in rows)
    late_block = moved.text().split("Tiếp tục thực hiện các nhiệm vụ chậm tiến độ:")[1].split("V. ĐỀ XUẤT")[0]
    assert "Thực hiện quy trình đánh giá, phân loại công chức" in late_block


BAD = [
    ("unknown_task", "bao_cao", [("  the_che:\n", "  the_chee:\n")],
     ["Lỗi: bao_cao_2023_quy_1.yaml:29: tien_do.the_chee: kế hoạch ke_hoach_2023.yaml không có nhiệm vụ mã "
      "'the_chee'; có phải là 'the_che'?"]),
    ("missing_plan", "bao_cao", [("ke_hoach: ke_hoach_2023.yaml", "ke_hoach: ke_hoach_2022.yaml")],
     ["Lỗi: bao_cao_2023_quy_1.yaml:9: ke_hoach: không tìm thấy kế hoạch 'ke_hoach_2022.yaml' (đường dẫn tính từ "
      "thư mục của tệp báo cáo)"]),
    ("unknown_period", "bao_cao", [("ky: quy_1", "ky: quy_5")],
     ["Lỗi: bao_cao_2023_quy_1.yaml:10: ky: kỳ báo cáo 'quy_5' không hợp lệ; chọn một trong: quy_1 (hoặc quy_I), "
      "6_thang, 9_thang, nam (hoặc ca_nam)"]),
    ("bad_status", "bao_cao", [("trang_thai: hoan_thanh", "trang_thai: xong")],
     ["Lỗi: bao_cao_2023_quy_1.yaml:33: tien_do.thu_tuc_hanh_chinh.trang_thai: giá trị 'xong' không hợp lệ; "
      "chọn một trong: 'hoan_thanh', 'dang_thuc_hien' hoặc 'chua_thuc_hien'"]),
    ("renamed_task", "bao_cao", [("  to_chuc_bo_may:\n", "  to_chuc_bo_may:\n    ten: Cải cách bộ máy\n")],
     ["Lỗi: bao_cao_2023_quy_1.yaml:36: tien_do.to_chuc_bo_may.ten: nhiệm vụ 'to_chuc_bo_may' trong kế hoạch "
      "nay tên là 'Cải cách tổ chức bộ máy:', báo cáo ghi 'Cải cách bộ máy'"]),
    ("renamed_id_in_plan", "ke_hoach", [("id: tai_chinh_cong", "id: tai_chinh")],
     ["Lỗi: bao_cao_2023_quy_1.yaml:44: tien_do.tai_chinh_cong: kế hoạch ke_hoach_2023.yaml không có nhiệm vụ mã "
      "'tai_chinh_cong'; có phải là 'tai_chinh'?"]),
    ("year_report_missing_tasks", "bao_cao", [("ky: quy_1", "ky: nam")],
     ["Lỗi: bao_cao_2023_quy_1.yaml:20: tien_do: báo cáo năm phải ghi tiến độ mọi nhiệm vụ; còn thiếu: "
      "thi_nang_ngach, danh_gia_phan_loai"]),
    ("unreadable_deadline", "ke_hoach", [("thoi_gian: Năm 2023.", "thoi_gian: Sớm nhất có thể.")],
     ["Lỗi: ke_hoach_2023.yaml:193: noi_dung[1].noi_dung[4].noi_dung[1].thoi_gian: không đọc được thời hạn từ "
      "'Sớm nhất có thể.'; ghi rõ 'han' (ngày (2023-03-31, 31/3/2023), quy_1..quy_4 (hoặc quy_I..quy_IV), "
      "thang_1..thang_12, 6_thang, 9_thang, ca_nam (hoặc nam), thuong_xuyen)"]),
]


@pytest.mark.parametrize("name, which, edits, expected", BAD, ids=[b[0] for b in BAD])
def test_bad_report(workdir, monkeypatch, name, which, edits, expected):
    target = workdir / ("bao_cao_2023_quy_1.yaml" if which == "bao_cao" else "ke_hoach_2023.yaml")
    for old, new in edits:
        _edit(target, old, new)
    monkeypatch.chdir(workdir)
    result = CliRunner().invoke(main, ["render", "bao_cao_2023_quy_1.yaml", "-o", "out.docx"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == expected
    assert not (workdir / "out.docx").exists()


def test_build_renders_everything_reproducibly(tmp_path):
    out1, out2 = tmp_path / "a", tmp_path / "b"
    data = copy_data(tmp_path / "data")
    for out in (out1, out2):
        done = subprocess.run([sys.executable, "-m", "docgen", "build", str(data), "-o", str(out)], cwd=ROOT,
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in out1.iterdir())
    assert names == sorted(p.stem + ".docx" for p in EXAMPLES)  # every document of every kind
    for name in names:
        assert (out1 / name).read_bytes() == (out2 / name).read_bytes()
    assert done.stdout.splitlines() == [f"Đã ghi {out2 / n}" for n in names]


def test_build_writes_nothing_when_a_source_is_bad(workdir, monkeypatch):
    _edit(workdir / "bao_cao_2023_quy_1.yaml", "ky: quy_1", "ky: quy_5")
    monkeypatch.chdir(workdir)
    result = CliRunner().invoke(main, ["build", ".", "-o", "out"])
    assert result.exit_code == 1
    assert not (workdir / "out").exists()


@pytest.mark.parametrize("path", REPORTS, ids=[p.stem for p in REPORTS])
def test_report_converts_with_libreoffice(path, tmp_path):
    out = tmp_path / (path.stem + ".docx")
    done = subprocess.run([sys.executable, "-m", "docgen", "render", str(path), "-o", str(out), "--pdf"],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    info = subprocess.run(["pdfinfo", str(out.with_suffix(".pdf"))], capture_output=True, text=True).stdout
    assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) >= 3


# the end of each period (schedule.KY) and the first month after it
_HET_KY = {"quy_1": 3, "6_thang": 6, "9_thang": 9, "nam": 12}


@pytest.mark.parametrize("source", REPORTS, ids=lambda p: p.stem)
def test_the_way_forward_of_an_example_speaks_of_time_after_its_period(source):
    """The bundled reports' ``phuong_huong`` was the quý I text in every period: "Tập trung hoàn thành các nhiệm vụ
    còn chậm trong tháng 4 năm 2023" under the 6-month, 9-month and year-end reports (dated 15/6, 15/9, 15/12)."""
    import yaml
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    end = (2023, _HET_KY[data["ky"]])
    for line in data.get("phuong_huong", []):
        for month, year in re.findall(r"tháng (\d{1,2}) năm (\d{4})", line):
            assert (int(year), int(month)) > end, (source.name, line)
        for quarter, year in re.findall(r"quý (I|II|III|IV) năm (\d{4})", line, re.I):
            assert (int(year), 3 * ["I", "II", "III", "IV"].index(quarter.upper()) + 3) > end, (source.name, line)


@pytest.mark.parametrize("source", REPORTS, ids=lambda p: p.stem)
def test_a_quarter_keeps_its_roman_number_in_running_text(source):
    """The 9-month report wrote "Triển khai các nhiệm vụ đến hạn trong quý iv:" (the heading's "QUÝ IV"
    lower-cased whole); now "trong quý IV:", the heading still "PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ IV"."""
    body = Doc(render_bytes(source)).text()
    assert not re.search(r"\bquý [ivx]+\b", body)
    if "9_thang" in source.stem:
        assert "Triển khai các nhiệm vụ đến hạn trong quý IV:" in body and "NHIỆM VỤ QUÝ IV" in body


@pytest.mark.skipif(not (REALDOCS / "KH03.docx").exists(),
                    reason=f"không có thư mục văn bản thật {REALDOCS} (CI có ../shared/realdocs)")
def test_a_report_on_an_imported_real_plan_says_no_task_is_due(tmp_path):
    """KH03 imported has no labelled tasks: its quý I report said "... năm 2026 với 0 nhiệm vụ." and "có 0 nhiệm
    vụ đến hạn thực hiện; đã hoàn thành 0 nhiệm vụ (đạt 0%), ..."."""
    from docgen.importer import import_to
    import_to(REALDOCS / "KH03.docx", tmp_path / "kh03.yaml")
    (tmp_path / "bc.yaml").write_text("loai: bao_cao\nke_hoach: kh03.yaml\nky: quy_1\nnoi_nhan: [Sở Nội vụ]\n",
                                      encoding="utf-8")
    body = Doc(render_bytes(tmp_path / "bc.yaml")).text()
    assert "Trong quý I năm 2026, không có nhiệm vụ nào của Kế hoạch đến hạn thực hiện." in body
    assert "0 nhiệm vụ" not in body.split("Phụ lục")[0] and "(đạt 0%)" not in body
    assert "trên địa bàn tỉnh Lâm Đồng” năm 2026.\nTrong quý I" in body  # the plan cited, its sentence ended
