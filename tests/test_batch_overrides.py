"""Batch varies what units vary: any top-level key, placeholders with the unit's names, bad columns once."""
import textwrap

import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.core import render_bytes

from .test_names import COMMUNE
from .util import Doc

# the commune plan of test_names, its words made placeholders
PLAN = COMMUNE.replace("trich_yeu: Chuyển đổi số xã Tân Phú năm 2024",
                       "trich_yeu: Chuyển đổi số trên địa bàn xã {dia_danh} năm 2024").replace(
    '"UBND xã xây dựng Kế hoạch như sau:"', '"{ten_goi} xây dựng Kế hoạch như sau:"').replace(
    "nhiem_vu: Số hóa hồ sơ một cửa",
    "nhiem_vu: Số hóa hồ sơ một cửa của {ten_goi}; giữ nguyên {0} và {ten_goi.__class__}")
assert PLAN.count("{") == 5
UNITS = ("ma,co_quan.chu_quan,co_quan.ten,co_quan.viet_tat,dia_danh,nguoi_ky.thay_mat,nguoi_ky.chuc_vu,"
         "nguoi_ky.ho_ten{extra_head}\n") + """\
tan_binh,UBND HUYỆN SƠN TỊNH,UBND XÃ TÂN BÌNH,UBND,Tân Bình,Ủy ban nhân dân,Chủ tịch,Phạm Thị Hoa{extra1}
tan_an,UBND HUYỆN SƠN TỊNH,UBND XÃ TÂN AN,UBND,Tân An,Ủy ban nhân dân,Chủ tịch,Võ Văn Nam{extra2}
"""


def _batch(tmp_path, monkeypatch, extra_head="", extra1="", extra2=""):
    (tmp_path / "ke_hoach.yaml").write_text(PLAN, encoding="utf-8")
    (tmp_path / "don_vi.csv").write_text(UNITS.format(extra_head=extra_head, extra1=extra1, extra2=extra2),
                                         encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return CliRunner().invoke(main, ["batch", "ke_hoach.yaml", "--units", "don_vi.csv", "-o", "out", "-j", "1"])


def test_placeholders_take_each_units_names(tmp_path, monkeypatch):
    result = _batch(tmp_path, monkeypatch)
    assert result.exit_code == 0, result.output
    text = Doc((tmp_path / "out" / "tan_binh.docx").read_bytes()).text()
    assert "Chuyển đổi số trên địa bàn xã Tân Bình năm 2024" in text
    assert "UBND xã Tân Bình xây dựng Kế hoạch như sau:" in text
    assert "Số hóa hồ sơ một cửa của UBND xã Tân Bình; giữ nguyên {0} và {ten_goi.__class__}" in text  # not evaluated
    assert "Tân Phú" not in text
    # the source rendered alone fills them with its own names
    alone = Doc(render_bytes(tmp_path / "ke_hoach.yaml")).text()
    assert "Chuyển đổi số trên địa bàn xã Tân Phú năm 2024" in alone and "UBND xã Tân Phú xây dựng" in alone


def test_a_unit_overrides_any_top_level_key(tmp_path, monkeypatch):
    result = _batch(tmp_path, monkeypatch, ",trich_yeu,mo_dau.sau", ",Chuyển đổi số xã nông thôn mới năm 2024,",
                    ",,\"Ủy ban nhân dân xã Tân An ban hành Kế hoạch:\"")
    assert result.exit_code == 0, result.output
    binh = Doc((tmp_path / "out" / "tan_binh.docx").read_bytes()).text()
    an = Doc((tmp_path / "out" / "tan_an.docx").read_bytes()).text()
    assert "Chuyển đổi số xã nông thôn mới năm 2024" in binh and "UBND xã Tân Bình xây dựng Kế hoạch" in binh
    assert "Chuyển đổi số trên địa bàn xã Tân An năm 2024" in an
    assert "Ủy ban nhân dân xã Tân An ban hành Kế hoạch:" in an


def test_a_units_key_is_validated_as_the_source_is(tmp_path, monkeypatch):
    result = _batch(tmp_path, monkeypatch, ",ngay_ban_hanh", ",2024-02-30", ",2024-02-20")
    assert result.exit_code == 1
    assert "Lỗi: đơn vị tan_binh: don_vi.csv:2: don_vi[0].ngay_ban_hanh: ngày '2024-02-30' không có thật " \
           "(tháng 2 năm 2024 không có ngày 30)" in result.stderr
    assert (tmp_path / "out" / "tan_an.docx").exists() and not (tmp_path / "out" / "tan_binh.docx").exists()


def test_a_bad_column_is_reported_once_and_nothing_is_written(tmp_path, monkeypatch):
    result = _batch(tmp_path, monkeypatch, ",trich_yue,loai", ",A,ke_hoach", ",B,ke_hoach")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Lỗi: don_vi.csv:2: don_vi[0].trich_yue: 'trich_yue' không phải khóa của kế hoạch; có phải là 'trich_yeu'?",
        "Lỗi: don_vi.csv:2: don_vi[0].loai: 'loai' không đổi theo đơn vị được"]
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def _report_batch(tmp_path, monkeypatch, column="", value="", plan_edit=("", "")):
    """The example quý I report batched over a copy of data/don_vi.csv, with one more column when given."""
    from .util import ROOT

    (tmp_path / "bao_cao_2023_quy_1.yaml").write_bytes((ROOT / "data" / "bao_cao_2023_quy_1.yaml").read_bytes())
    plan = (ROOT / "data" / "ke_hoach_2023.yaml").read_text(encoding="utf-8")
    (tmp_path / "ke_hoach_2023.yaml").write_text(plan.replace(*plan_edit), encoding="utf-8")
    units = (ROOT / "data" / "don_vi.csv").read_text(encoding="utf-8").splitlines()
    if column:
        units = [units[0] + f",{column}"] + [row + f",{value}" for row in units[1:]]
    (tmp_path / "don_vi.csv").write_text("\n".join(units) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["batch", "bao_cao_2023_quy_1.yaml", "--units", "don_vi.csv", "-o", "out",
                                       "-j", "1"])
    assert result.exit_code == 0, result.output
    return lambda ma: Doc((tmp_path / "out" / f"{ma}.docx").read_bytes()).text()


def test_report_units_override_the_title_too(tmp_path, monkeypatch):
    text = _report_batch(tmp_path, monkeypatch, "trich_yeu", "Kết quả cải cách hành chính quý I năm 2023 của {ten_goi}")
    assert "Kết quả cải cách hành chính quý I năm 2023 của Văn phòng Ban" in text("van_phong")


def test_a_cell_for_a_list_key_is_split_on_semicolons(tmp_path, monkeypatch):
    text = _report_batch(tmp_path, monkeypatch, "kinh_gui", "Sở Nội vụ tỉnh Quảng Ngãi; Ban Dân tộc tỉnh")
    assert "Kính gửi:\n- Sở Nội vụ tỉnh Quảng Ngãi;\n- Ban Dân tộc tỉnh." in text("van_phong")


def test_report_units_fill_the_plans_placeholders_with_their_names(tmp_path, monkeypatch):
    edit = ('nhiem_vu: "Cải cách thể chế:"', 'nhiem_vu: "Cải cách thể chế của {ten_goi}:"')
    text = _report_batch(tmp_path, monkeypatch, plan_edit=edit)
    alone = Doc(render_bytes(tmp_path / "bao_cao_2023_quy_1.yaml")).text()
    assert "Cải cách thể chế của Ban Dân tộc tỉnh" in alone
    unit = text("thanh_tra")
    assert "Cải cách thể chế của Thanh tra Ban" in unit and "của Ban Dân tộc tỉnh:" not in unit


def _units_of(tmp_path, text, suffix):
    from docgen.units import load_units

    path = tmp_path / f"units{suffix}"
    path.write_text(text, encoding="utf-8")
    return load_units(path)


MORE_UNITS = """\
loai: don_vi
don_vi:
  - ma: moi_nam
    nam: 2025
    so: 7
  - ma: moi_noi_dung
    co_quan: {chu_quan: UBND HUYỆN SƠN TỊNH, ten: UBND XÃ TÂN BÌNH, viet_tat: UBND}
    noi_dung: ["Một đoạn của {ten_goi}.", {nhiem_vu: Việc riêng, id: rieng, chu_tri: Văn phòng}]
  - ma: sai_so
    so: không số
    nguoi_ky: {chuc_vu: Chủ tịch}
  - ma: sai_nam
    nam: 1800
"""


def test_a_units_copy_validates_only_what_differs_and_equals_a_whole_validation(tmp_path):
    """The per-unit fast path (``units.revalidated``) gives the very model, or the very problems, that
    validating the unit's whole merged source gives: for every example unit, units with placeholders, units
    replacing the body or the year, and units with wrong values."""
    import pytest

    from docgen.context import load_plan
    from docgen.errors import DocgenError
    from docgen.loader import load
    from docgen.model import KeHoach
    from docgen.units import load_units, revalidated, unit_source
    from docgen.validate import validate_model

    from .util import ROOT

    (tmp_path / "ke_hoach.yaml").write_text(PLAN, encoding="utf-8")
    units = [*load_units(ROOT / "data" / "don_vi.yaml"), *load_units(ROOT / "data" / "don_vi.csv"),
             *_units_of(tmp_path, UNITS.format(extra_head="", extra1="", extra2=""), ".csv"),
             *_units_of(tmp_path, MORE_UNITS, ".yaml")]
    checked = fast = 0
    for plan_path in (ROOT / "data" / "ke_hoach_2023.yaml", ROOT / "data" / "ke_hoach_kinh_phi_2024.yaml",
                      tmp_path / "ke_hoach.yaml"):
        loaded = load_plan(load(plan_path))
        for unit in units:
            merged = unit_source(loaded.source, unit)
            try:
                whole = validate_model(merged, KeHoach)
            except DocgenError as exc:
                with pytest.raises(DocgenError) as got:
                    revalidated(loaded.plan, loaded.filled_data, merged)
                assert got.value.problems == exc.problems
                checked += 1
                continue
            copy, changed = revalidated(loaded.plan, loaded.filled_data, merged)
            assert copy == whole
            assert changed == {k for k, v in merged.data.items() if loaded.filled_data.get(k) != v}
            assert changed < set(merged.data)  # some fields are the base's own
            checked += 1
            fast += 1
    assert checked == 3 * len(units) == 3 * 12 and fast >= 3 * 9


QUOTED_PLAN = """\
loai: ke_hoach
co_quan: {chu_quan: UBND TỈNH QUẢNG NGÃI, ten: BAN DÂN TỘC, viet_tat: BDT}
so: 5
dia_danh: Quảng Ngãi
ngay_ban_hanh: 2023-03-05
nam: 2023
trich_yeu: Thực hiện công tác cải cách hành chính năm 2023
mo_dau: {sau: "Ban Dân tộc xây dựng Kế hoạch như sau:"}
noi_dung:
BODY
noi_nhan: [Sở Nội vụ]
nguoi_ky: {chuc_vu: Trưởng Ban, ho_ten: Trần Văn Mẫn}
"""
QUOTED_BODY = """\
  - muc: Mục đích
    noi_dung:
      - bang:
          cot: [{ten: STT, rong: 1}, {ten: Số tiền, rong: 2}]
          dong:
            - [1, CELL]
      - nhiem_vu: Nhiệm vụ một
        id: nv1"""
QUOTED_UNIT = "loai: don_vi\ndon_vi:\n  - ma: dv1\n    noi_dung:\n" + textwrap.indent(QUOTED_BODY, "    ") + "\n"


@pytest.mark.parametrize("in_plan, in_unit", [("1250", '"1250"'), ('"1250"', "1250")])
def test_a_value_quoted_in_the_unit_only_is_validated_again(tmp_path, in_plan, in_unit):
    """``"1250"`` is text and ``1250`` a number in a table cell, though the two compare equal as strings:
    the unit's copy must not keep the plan's reading of it."""
    from docgen.context import load_plan
    from docgen.loader import load
    from docgen.model import KeHoach
    from docgen.units import load_units, revalidated, unit_source
    from docgen.validate import validate_model

    plan = QUOTED_PLAN.replace("BODY", QUOTED_BODY.replace("CELL", in_plan))
    (tmp_path / "ke_hoach.yaml").write_text(plan, encoding="utf-8")
    (tmp_path / "don_vi.yaml").write_text(QUOTED_UNIT.replace("CELL", in_unit), encoding="utf-8")
    loaded = load_plan(load(tmp_path / "ke_hoach.yaml"))
    merged = unit_source(loaded.source, load_units(tmp_path / "don_vi.yaml")[0])
    copy, changed = revalidated(loaded.plan, loaded.filled_data, merged)
    assert "noi_dung" in changed
    assert copy == validate_model(merged, KeHoach)
    cell = copy.noi_dung[0].noi_dung[0].bang.dong[0][1]
    assert cell != loaded.plan.noi_dung[0].noi_dung[0].bang.dong[0][1]
