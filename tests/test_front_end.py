"""The YAML front end's shortcuts give what the plain way gave: folding, placeholders, the decision beside a plan."""
import os
import re
import shutil
import threading

from hypothesis import given
from hypothesis import strategies as st

from docgen.context import issuing_decision, load_plan
from docgen.loader import load, load_text
from docgen.model import _fold
from docgen.placeholders import filled

from .util import ROOT

DATA = ROOT / "data"
# every kind of whitespace str.split and the regular expression's \s know, the no-break space, and letters
SPACES = " \t\n\r\x0b\x0c\x1c\x1f\x85\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000\u00a0"


@given(st.text(alphabet=SPACES + "aêĐ\u200b\ufeff.", max_size=40))
def test_fold_is_the_documented_rule(text):
    """Runs of whitespace become one space, a no-break space is kept, the ends are stripped (the rule as the
    regular expression it was written with)."""
    assert _fold(text) == re.sub(r"[^\S\u00a0]+", " ", text).strip()


def test_a_source_without_placeholders_is_used_as_it_is():
    source = load(DATA / "ke_hoach_2023.yaml")
    assert filled(source) is source
    with_names = load_text("loai: ke_hoach\nco_quan:\n  ten: Ban Dân tộc\ndia_danh: Quảng Ngãi\n"
                           "trich_yeu: Kế hoạch của {ten_goi} tại {dia_danh}\n", "t.yaml")
    done = filled(with_names)
    assert done.data["trich_yeu"] == "Kế hoạch của Ban Dân tộc tại Quảng Ngãi"
    assert with_names.data["trich_yeu"] == "Kế hoạch của {ten_goi} tại {dia_danh}"  # the loaded data untouched


def test_the_decision_beside_a_plan_is_found_past_files_it_cannot_read(tmp_path):
    """Files that are not UTF-8, folders named .yaml, other kinds: skipped, as before, and the decision found."""
    for name in ("ke_hoach_2023.yaml", "quyet_dinh_2023.yaml", "to_trinh_2023.yaml"):
        shutil.copy(DATA / name, tmp_path / name)
    (tmp_path / "a_hong.yaml").write_bytes(b"loai: quyet_dinh\nke_hoach: ke_hoach_2023.yaml\nten: \xff\xfe\n")
    (tmp_path / "b_thu_muc.yaml").mkdir()
    (tmp_path / "c_quyet_dinh_khac.yaml").write_text("loai: quyet_dinh\nke_hoach: ke_hoach_khac.yaml\n",
                                                     encoding="utf-8")
    found = issuing_decision(load(tmp_path / "ke_hoach_2023.yaml"))
    assert found is not None and found[0].path == tmp_path / "quyet_dinh_2023.yaml"
    here = load_plan(load(tmp_path / "ke_hoach_2023.yaml")).kem_theo_qd
    assert here == load_plan(load(DATA / "ke_hoach_2023.yaml")).kem_theo_qd
    assert here.startswith("(Kèm theo Quyết định số")
    (tmp_path / "quyet_dinh_2023.yaml").unlink()
    assert issuing_decision(load(tmp_path / "ke_hoach_2023.yaml")) is None


def test_a_pipe_named_yaml_beside_a_plan_does_not_block_it(tmp_path):
    for name in ("ke_hoach_2023.yaml", "quyet_dinh_2023.yaml"):
        shutil.copy(DATA / name, tmp_path / name)
    os.mkfifo(tmp_path / "a_ong.yaml")  # read before the decision (sorted by name); nobody ever writes to it
    found: list = []
    worker = threading.Thread(target=lambda: found.append(issuing_decision(load(tmp_path / "ke_hoach_2023.yaml"))),
                              daemon=True)
    worker.start()
    worker.join(30)
    assert not worker.is_alive(), "reading the pipe blocked the plan"
    assert found[0] is not None and found[0][0].path == tmp_path / "quyet_dinh_2023.yaml"
