"""The test suite does not depend on what a user adds to data/: tests use the shipped examples, or copies."""
import re

from . import util
from .util import ROOT


def test_a_file_a_user_adds_to_data_is_not_an_example(tmp_path):
    added = ROOT / "data" / "zz_van_ban_cua_toi_chua_xong.yaml"
    assert not added.exists()
    added.write_text("loai: ke_hoach\ntrich_yeu: [dở dang\n", encoding="utf-8")  # a half-written source
    try:
        assert added not in util._shipped_data()
        assert added not in util.EXAMPLES
        copied = util.copy_data(tmp_path / "data")
        assert not (copied / added.name).exists()
        assert {p.name for p in copied.glob("*.yaml")} == {p.name for p in util.DATA_FILES if p.suffix == ".yaml"}
    finally:
        added.unlink()


def test_no_test_globs_the_real_data_folder():
    for path in sorted(set((ROOT / "tests").glob("test_*.py")) - {ROOT / "tests" / "test_own_copies.py"}):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r'ROOT / "data"\)\.r?glob\(|"build", "data"|build", str\(ROOT / "data"\)', source), path
