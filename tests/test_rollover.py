"""`docgen rollover`: next year's draft, with the classification of every year-bearing string held here."""
import hashlib
import re
import shutil

import pytest
import yaml
from click.testing import CliRunner

from docgen.checker import KHONG_DAT, check
from docgen.cli import main
from docgen.core import render_bytes
from docgen.next_year import roll

from .util import ROOT

PLAN = ROOT / "data" / "ke_hoach_2023.yaml"
N = "noi_dung[1].noi_dung"
MOVED = ["ngay_ban_hanh", "nam", "trich_yeu", "mo_dau.sau", "noi_dung[0].noi_dung[1].noi_dung[0].gach[2]",
         f"{N}[0].noi_dung[0].dem[1]", f"{N}[0].noi_dung[0].dem[2]", f"{N}[0].thoi_gian",
         f"{N}[1].noi_dung[0].gach[2]", f"{N}[1].thoi_gian", f"{N}[2].thoi_gian", f"{N}[3].thoi_gian",
         f"{N}[4].noi_dung[0].thoi_gian", f"{N}[4].noi_dung[1].thoi_gian", f"{N}[4].noi_dung[2].thoi_gian",
         f"{N}[4].noi_dung[3].thoi_gian", f"{N}[4].noi_dung[4].thoi_gian", f"{N}[6].thoi_gian"]
KEPT = ["can_cu[0].ngay", "can_cu[0].trich_yeu", "can_cu[1].ngay", "can_cu[1].trich_yeu",
        "noi_dung[0].noi_dung[0].noi_dung[0].gach[0]", "noi_dung[0].noi_dung[0].noi_dung[0].gach[2]",
        f"{N}[0].noi_dung[0].dem[0]", f"{N}[2].noi_dung[0].dem[4]", f"{N}[4].noi_dung[3].nhiem_vu",
        f"{N}[4].noi_dung[4].nhiem_vu", f"{N}[5].noi_dung[0]", f"{N}[6].noi_dung[0].gach[0]", f"{N}[6].san_pham"]
FLAGGED = ["can_cu[0]", f"{N}[0].noi_dung[0].dem[0]", f"{N}[6].san_pham"]


@pytest.fixture(scope="module")
def rolled():
    return roll(PLAN.read_text(encoding="utf-8"), 2023, 2024)


def test_classification_of_every_year_in_the_seed(rolled):
    assert [c.path for c in rolled.changes] == MOVED
    assert [c.path for c in rolled.kept] == KEPT
    assert [f.path for f in rolled.flags] == FLAGGED


def test_what_moves_and_what_stays(rolled):
    new = yaml.safe_load(rolled.text)
    assert new["nam"] == 2024 and new["so"] is None and new["ngay_ban_hanh"] is None
    assert new["trich_yeu"] == "Thực hiện công tác cải cách hành chính năm 2024"
    req = new["noi_dung"][0]["noi_dung"][1]["noi_dung"][0]["gach"][2]
    assert "năm 2024 tăng so với năm 2023" in req and req.endswith("trong năm 2024.")
    tasks = new["noi_dung"][1]["noi_dung"]
    assert "Nghị định số 59/2019/NĐ-CP ngày 01/7/2019" in tasks[4]["noi_dung"][3]["nhiem_vu"]
    assert "giai đoạn 2021 - 2025" in new["noi_dung"][0]["noi_dung"][0]["noi_dung"][0]["gach"][0]
    assert "đến năm 2025, định hướng đến năm 2030" in tasks[6]["noi_dung"][0]["gach"][0]
    assert "ISO 9001:2015" in tasks[2]["noi_dung"][0]["dem"][4]
    assert new["can_cu"][0]["ngay"] == "21/12/2022"
    assert "Quyết định số 1782/QĐ-UBND ngày 21/12/2022" in tasks[0]["noi_dung"][0]["dem"][0]


def test_diff_holds_only_those_changes_and_the_notes(rolled):
    old = PLAN.read_text(encoding="utf-8").splitlines()
    new = [line for line in rolled.text.splitlines() if not line.strip().startswith("# TODO(rollover):")]
    assert len(new) == len(old)
    changed = [(o, n) for o, n in zip(old, new, strict=True) if o != n]
    assert len(changed) == 20
    for o, n in changed:
        if o.startswith("ngay_ban_hanh:"):
            assert n == "ngay_ban_hanh:    # không có trong bản gốc, xem ghi chú ở đầu tệp"
        else:  # only year digits differ
            assert re.sub(r"\d{4}", "YYYY", o) == re.sub(r"\d{4}", "YYYY", n), (o, n)
    comments = [line for line in old if line.strip().startswith("#") or " # " in line]
    assert all(any(c.split(" # ")[-1] in line for line in new) for c in comments)
    assert rolled.text.count("# TODO(rollover):") == 3


def test_the_new_plan_validates_renders_and_checks(tmp_path, rolled):
    path = tmp_path / "ke_hoach_2024.yaml"
    path.write_text(rolled.text, encoding="utf-8")
    out = tmp_path / "kh.docx"
    out.write_bytes(render_bytes(path))
    assert [f.line() for f in check(out, "KH") if f.trang_thai == KHONG_DAT] == []


def test_two_years_on_nothing_that_must_stay_drifts(tmp_path, rolled):
    twice = roll(rolled.text, 2024, 2025)
    direct = yaml.safe_load(PLAN.read_text(encoding="utf-8"))
    after = yaml.safe_load(twice.text)
    assert after["nam"] == 2025 and after["trich_yeu"].endswith("năm 2025")
    assert after["can_cu"] == direct["can_cu"]  # citations never move
    tasks, old_tasks = after["noi_dung"][1]["noi_dung"], direct["noi_dung"][1]["noi_dung"]
    for path in (lambda d: d[4]["noi_dung"][3]["nhiem_vu"], lambda d: d[4]["noi_dung"][4]["nhiem_vu"],
                 lambda d: d[5]["noi_dung"][0], lambda d: d[6]["noi_dung"][0]["gach"][0],
                 lambda d: d[0]["noi_dung"][0]["dem"][0], lambda d: d[6]["san_pham"]):
        assert path(tasks) == path(old_tasks)
    req = after["noi_dung"][0]["noi_dung"][1]["noi_dung"][0]["gach"][2]
    assert "năm 2025 tăng so với năm 2024" in req
    assert twice.text.count("# TODO(rollover):") == 3  # earlier notes kept once, not duplicated


def test_from_year_end_report_carries_exactly_the_unfinished(tmp_path):
    out = tmp_path / "kh2024.yaml"
    result = CliRunner().invoke(main, ["rollover", str(PLAN), "--year", "2024", "--from-report",
                                       str(ROOT / "data" / "bao_cao_2023_nam.yaml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    report = yaml.safe_load((ROOT / "data" / "bao_cao_2023_nam.yaml").read_text(encoding="utf-8"))
    unfinished = [tid for tid, e in report["tien_do"].items() if e["trang_thai"] != "hoan_thanh"]
    assert f"Chuyển tiếp ({len(unfinished)}): {', '.join(unfinished)}" in result.output
    text = out.read_text(encoding="utf-8")
    assert text.count("# Chuyển tiếp từ năm 2023") == len(unfinished)
    assert "nhiệm vụ 'danh_gia_phan_loai' đã hoàn thành năm 2023" in text  # a done one-off: for review
    assert "nhiệm vụ 'the_che' đã hoàn thành" not in text  # ongoing tasks simply continue


def test_no_overwrite_without_force_and_old_file_untouched(tmp_path):
    plan = tmp_path / "ke_hoach_2023.yaml"
    shutil.copy(PLAN, plan)
    before = hashlib.sha256(plan.read_bytes()).hexdigest()
    runner = CliRunner()
    first = runner.invoke(main, ["rollover", str(plan), "--year", "2024"])
    assert first.exit_code == 0 and (tmp_path / "ke_hoach_2024.yaml").exists()
    again = runner.invoke(main, ["rollover", str(plan), "--year", "2024"])
    assert again.exit_code == 1
    assert again.stderr == f"Lỗi: {tmp_path / 'ke_hoach_2024.yaml'}: tệp đã có; dùng --force để ghi đè\n"
    assert runner.invoke(main, ["rollover", str(plan), "--year", "2024", "--force"]).exit_code == 0
    assert hashlib.sha256(plan.read_bytes()).hexdigest() == before


def test_a_source_with_errors_is_refused_before_writing(tmp_path):
    plan = tmp_path / "ke_hoach_2023.yaml"
    plan.write_text(PLAN.read_text(encoding="utf-8").replace("id: the_che", "id: chi_dao_dieu_hanh"), encoding="utf-8")
    result = CliRunner().invoke(main, ["rollover", str(plan), "--year", "2024"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Lỗi: {plan}:") and "mã nhiệm vụ 'chi_dao_dieu_hanh' đã dùng" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ke_hoach_2023.yaml"]


def test_render_warns_on_notes_and_strict_fails(tmp_path, rolled):
    path = tmp_path / "kh.yaml"
    path.write_text(rolled.text, encoding="utf-8")
    runner = CliRunner()
    warn = runner.invoke(main, ["render", str(path), "-o", str(tmp_path / "a.docx")])
    assert warn.exit_code == 0
    assert warn.stderr.splitlines()[0] == (f"Cảnh báo: {path}:35: TODO(rollover): căn cứ là văn bản của năm 2023: "
                                           "thay bằng văn bản năm 2024 (số, ngày mới)")
    strict = runner.invoke(main, ["render", str(path), "-o", str(tmp_path / "b.docx"), "--strict"])
    assert strict.exit_code == 1 and len(strict.stderr.splitlines()) == 3
    assert not (tmp_path / "b.docx").exists()


# a date in running text: a deadline of the plan's year moves with it, a cited document's date stays
@pytest.mark.parametrize("text, rolled_text, flagged", [
    # KH03: "Phong trào thi đua trong năm 2026 và tính đến hết ngày 31/12/2026." (was: "... năm 2027 và tính đến
    # hết ngày 31/12/2026", the old year kept without a note)
    ("Phong trào thi đua trong năm 2026 và tính đến hết ngày 31/12/2026.",
     "Phong trào thi đua trong năm 2027 và tính đến hết ngày 31/12/2027.", False),
    ("Các đơn vị gửi báo cáo trước ngày 15/12/2026.", "Các đơn vị gửi báo cáo trước ngày 15/12/2027.", False),
    # a deadline word, but a document named in the clause: a deadline (KH03) or a fact about it? a person decides
    ("(Kế hoạch ban hành trước ngày 15/3/2026).", "(Kế hoạch ban hành trước ngày 15/3/2026).", True),
    ("Luật Đất đai có hiệu lực từ ngày 01/8/2026.", "Luật Đất đai có hiệu lực từ ngày 01/8/2026.", True),
    ("Thực hiện Quyết định số 58/QĐ-UBND ngày 08/01/2026 của UBND tỉnh.",
     "Thực hiện Quyết định số 58/QĐ-UBND ngày 08/01/2026 của UBND tỉnh.", False),
    ("Căn cứ Luật Thi đua, khen thưởng ngày 15/6/2026 và Kế hoạch.",
     "Căn cứ Luật Thi đua, khen thưởng ngày 15/6/2026 và Kế hoạch.", True),   # a law of the year: a person decides
    ("Số liệu tính đến ngày 30/11/2025.", "Số liệu tính đến ngày 30/11/2025.", False),  # another year: as written
    ("Hoàn thành trước ngày 29/02/2028.", "Hoàn thành trước ngày 29/02/2028.", True),  # 2029 has no 29/02
])
def test_a_date_of_the_plans_year_is_a_deadline_that_moves(text, rolled_text, flagged):
    year = 2028 if "2028" in text else 2026
    source = f"loai: ke_hoach\nnam: {year}\nmo_dau:\n  sau: \"{text}\"\n"
    result = roll(source, year, year + 1)
    assert yaml.safe_load(result.text)["mo_dau"]["sau"] == rolled_text
    assert bool(result.flags) == flagged
