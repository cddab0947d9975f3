"""Batch varies what units vary: any top-level key, placeholders with the unit's names, bad columns once."""
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
