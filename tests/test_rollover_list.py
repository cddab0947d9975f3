"""Rollover's change list: the changed part of a long line, and new-file line numbers for every item."""
import shutil

from click.testing import CliRunner

from docgen.cli import main
from docgen.commands import changed_part
from docgen.next_year import NOTE

from .util import PLAN


def test_long_line_shows_the_part_that_changed():
    old = ("Tiếp tục thực hiện có hiệu quả Kế hoạch số 80/KH-UBND về cải cách hành chính năm 2023 trên địa bàn "
           "tỉnh, bảo đảm tiến độ, chất lượng theo đúng chỉ đạo của UBND tỉnh và hướng dẫn của Sở Nội vụ tỉnh.")
    new = old.replace("năm 2023", "năm 2024")
    before, after = changed_part(old, new)
    assert before != after
    assert "năm 2023" in before and "năm 2024" in after
    assert before.startswith("…") and before.endswith("…") and len(before) < 90


def test_short_values_are_shown_whole():
    assert changed_part("2023", "2024") == ("2023", "2024")


def test_every_change_and_note_has_its_line_in_the_new_file(tmp_path):
    shutil.copy(PLAN, tmp_path / "ke_hoach_2023.yaml")
    result = CliRunner().invoke(main, ["rollover", str(tmp_path / "ke_hoach_2023.yaml"), "--year", "2024"])
    assert result.exit_code == 0, result.output
    new_lines = (tmp_path / "ke_hoach_2024.yaml").read_text(encoding="utf-8").splitlines()
    out = result.stdout.splitlines()
    changes = out[out.index(next(s for s in out if s.startswith("Thay đổi"))) + 1:]
    changes = changes[: next(i for i, s in enumerate(changes) if not s.startswith("  "))]
    notes = out[out.index(next(s for s in out if s.startswith("Cần xem lại"))) + 1:]
    notes = [s for s in notes if s.startswith("  ")]
    assert changes and notes
    for item in changes:
        line = int(item.split(":")[1])
        new_part = item.rsplit(" → ", 1)[1].strip("…")
        value = " ".join(" ".join(new_lines[line - 1: line + 6]).split())  # a folded value spans lines
        assert new_part[:20] in value or "(để trống)" in item, item
    for item in notes:
        line = int(item.split(":")[1])
        assert new_lines[line - 2].strip().startswith(NOTE), item  # the note sits right above the line
