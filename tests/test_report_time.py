"""Reports are right about time: late only before the cut-off; forgotten tasks are warned about."""
import datetime as dt

import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.core import render_bytes
from docgen.reporting import compute, load_sources

from .util import Doc

D = dt.date
END = {"quy_1": D(2023, 3, 31), "6_thang": D(2023, 6, 30), "9_thang": D(2023, 9, 30), "nam": D(2023, 12, 31)}


def _plan(deadlines: dict[str, dt.date]) -> str:
    tasks = "".join(f"      - nhiem_vu: Nhiệm vụ {tid}\n        id: {tid}\n        han: {d.isoformat()}\n"
                    for tid, d in deadlines.items())
    return ("loai: ke_hoach\nco_quan:\n  chu_quan: UBND TỈNH QUẢNG NGÃI\n  ten: BAN DÂN TỘC\n  viet_tat: BDT\n"
            "dia_danh: Quảng Ngãi\nngay_ban_hanh: 2023-01-05\nnam: 2023\n"
            "trich_yeu: Thực hiện công tác cải cách hành chính năm 2023\n"
            "mo_dau:\n  sau: \"Ban Dân tộc tỉnh xây dựng Kế hoạch như sau:\"\n"
            "noi_dung:\n  - muc: Nhiệm vụ\n    noi_dung:\n" + tasks
            + "noi_nhan:\n  - Sở Nội vụ\nnguoi_ky:\n  chuc_vu: Trưởng Ban\n  ho_ten: Trần Văn Mẫn\n")


def _report(ky: str, date: dt.date | None, ids, missing=()) -> str:
    progress = "".join(f"  {tid}:\n    trang_thai: dang_thuc_hien\n" for tid in ids if tid not in missing)
    return (f"loai: bao_cao\nke_hoach: ke_hoach.yaml\nky: {ky}\nngay_ban_hanh: {date.isoformat() if date else ''}\n"
            f"tien_do:\n{progress or '  {}'}\nnoi_nhan: [Lãnh đạo Ban]\n")


def _rows(tmp_path, ky, date, deadlines, missing=()):
    (tmp_path / "ke_hoach.yaml").write_text(_plan(deadlines), encoding="utf-8")
    (tmp_path / "bao_cao.yaml").write_text(_report(ky, date, deadlines, missing), encoding="utf-8")
    r = compute(load_sources(tmp_path / "bao_cao.yaml"))
    return {row.id: row for row in r.rows}, {row.id for row in r.next_rows}, r


@pytest.mark.parametrize("ky", list(END))
def test_boundaries_of_the_cut_off_in_every_period(tmp_path, ky):
    end = END[ky]
    signed = end - dt.timedelta(days=10)  # the report is signed before the period ends
    deadlines = {"truoc_ngay_ky": signed - dt.timedelta(days=1), "bang_ngay_ky": signed, "cuoi_ky": end,
                 "sau_ca_hai": end + dt.timedelta(days=1)}
    rows, later, _ = _rows(tmp_path, ky, signed, deadlines)
    assert rows["truoc_ngay_ky"].cham and not rows["truoc_ngay_ky"].trong_han
    assert rows["truoc_ngay_ky"].ghi_chu == "Chậm tiến độ"
    for tid in ("bang_ngay_ky", "cuoi_ky"):  # deadline not yet passed on the day the report speaks of
        assert not rows[tid].cham and rows[tid].trong_han and rows[tid].ghi_chu == "Đang trong hạn", tid
    assert "sau_ca_hai" not in rows  # not due in this period at all
    if ky != "nam":
        assert "sau_ca_hai" in later


@pytest.mark.parametrize("ky", list(END))
def test_report_signed_after_the_period_counts_the_whole_period(tmp_path, ky):
    end = END[ky]
    rows, _, _ = _rows(tmp_path, ky, end + dt.timedelta(days=5), {"cuoi_ky": end, "dau_ky": end.replace(day=1)})
    assert rows["cuoi_ky"].cham and rows["dau_ky"].cham


@pytest.mark.parametrize("ky", list(END))
def test_undated_draft_speaks_of_the_whole_period(tmp_path, ky):
    rows, _, _ = _rows(tmp_path, ky, None, {"cuoi_ky": END[ky]})
    assert rows["cuoi_ky"].cham


def test_in_time_task_is_written_so_in_text_and_table(tmp_path):
    # the case: "Trước ngày 30/6" reported late in a report dated 20/6
    _rows(tmp_path, "6_thang", D(2023, 6, 20), {"han_30_6": D(2023, 6, 30)})
    doc = Doc(render_bytes(tmp_path / "bao_cao.yaml"))
    text = doc.text()
    assert "- Đang thực hiện (đang trong hạn)." in text
    assert "0 nhiệm vụ chậm tiến độ" in text and "chậm tiến độ 0" in text
    assert "Tiếp tục thực hiện các nhiệm vụ chậm tiến độ" not in text


def test_forgotten_due_task_is_a_warning_and_strict_refuses(tmp_path, monkeypatch):
    deadlines = {"da_ghi": D(2023, 2, 1), "quen_ghi": D(2023, 3, 1), "chua_den_han": D(2023, 5, 1)}
    _rows(tmp_path, "quy_1", D(2023, 3, 20), deadlines, missing=("quen_ghi", "chua_den_han"))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["render", "bao_cao.yaml", "-o", "out.docx"])
    assert result.exit_code == 0, result.output
    line = _plan(deadlines).splitlines().index("        id: quen_ghi") + 1
    assert result.stderr.splitlines() == [
        f"Cảnh báo: ke_hoach.yaml:{line}: noi_dung[0].noi_dung[1].id: nhiệm vụ 'quen_ghi' (Nhiệm vụ quen_ghi) đến "
        "hạn trong quý I năm 2023 nhưng báo cáo không ghi tiến độ: được tính là chưa thực hiện; ghi vào 'tien_do' "
        "nếu đã làm"]
    assert (tmp_path / "out.docx").exists()
    (tmp_path / "out.docx").unlink()
    strict = CliRunner().invoke(main, ["render", "bao_cao.yaml", "-o", "out.docx", "--strict"])
    assert strict.exit_code == 1
    assert strict.stderr.startswith(f"Lỗi: ke_hoach.yaml:{line}: noi_dung[0].noi_dung[1].id: còn việc cần xem lại "
                                    "(--strict): nhiệm vụ 'quen_ghi'")
    assert not (tmp_path / "out.docx").exists()
