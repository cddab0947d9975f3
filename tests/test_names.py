"""The agency and titles in running text: Vietnamese capitalisation, no shouting, no repetition."""
import pytest

from docgen import vn
from docgen.core import render_bytes

from .util import Doc

B = "\u00a0" * 5  # a draft's blank number


@pytest.mark.parametrize("ten, chu_quan, expected", [
    ("UBND XÃ TÂN PHÚ", "UBND HUYỆN SƠN TỊNH", "UBND xã Tân Phú"),
    ("BAN DÂN TỘC", "UBND TỈNH QUẢNG NGÃI", "Ban Dân tộc tỉnh Quảng Ngãi"),
    ("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", None, "Ủy ban nhân dân thành phố Hồ Chí Minh"),
    ("SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG", "UBND TỈNH QUẢNG NGÃI", "Sở Tài nguyên và Môi trường tỉnh Quảng Ngãi"),
    ("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", None, "Sở Lao động - Thương binh và Xã hội"),
    ("PHÒNG NỘI VỤ", "UBND HUYỆN SƠN TỊNH", "Phòng Nội vụ huyện Sơn Tịnh"),
    ("VĂN PHÒNG HĐND VÀ UBND", "UBND HUYỆN SƠN TỊNH", "Văn phòng HĐND và UBND huyện Sơn Tịnh"),
    ("BỘ NỘI VỤ", None, "Bộ Nội vụ"),
    ("Ban Dân tộc tỉnh", None, "Ban Dân tộc tỉnh"),  # already written for running text: kept
])
def test_running_text_name_from_the_header_name(ten, chu_quan, expected):
    assert vn.ten_goi(ten, chu_quan) == expected


@pytest.mark.parametrize("title, expected", [
    ("Chuyển đổi số xã Tân Phú năm 2024", "chuyển đổi số xã Tân Phú năm 2024"),
    ("Thực hiện công tác cải cách hành chính", "thực hiện công tác cải cách hành chính"),
    ("Quảng Ngãi chuyển đổi số", "Quảng Ngãi chuyển đổi số"),
    ("UBND tỉnh giao chỉ tiêu", "UBND tỉnh giao chỉ tiêu"),
    ("Chính phủ điện tử", "Chính phủ điện tử"),
    ("Đảng bộ xã", "Đảng bộ xã"),
])
def test_title_embedded_mid_sentence(title, expected):
    assert vn.giua_cau(title) == expected


COMMUNE = """loai: ke_hoach
co_quan:
  chu_quan: UBND HUYỆN SƠN TỊNH
  ten: UBND XÃ TÂN PHÚ
  viet_tat: UBND
dia_danh: Tân Phú
ngay_ban_hanh: 2024-01-10
nam: 2024
trich_yeu: Chuyển đổi số xã Tân Phú năm 2024
mo_dau:
  sau: "UBND xã xây dựng Kế hoạch như sau:"
noi_dung:
  - muc: Nhiệm vụ
    noi_dung:
      - nhiem_vu: Số hóa hồ sơ một cửa
        id: so_hoa
        han: quy_I
noi_nhan: [UBND huyện]
nguoi_ky:
  thay_mat: Ủy ban nhân dân
  chuc_vu: Chủ tịch
  ho_ten: Lê Văn An
"""
REPORT = """loai: bao_cao
ke_hoach: ke_hoach.yaml
ky: quy_1
ngay_ban_hanh: 2024-04-05
tien_do:
  so_hoa: {trang_thai: hoan_thanh}
noi_nhan: [UBND huyện]
"""


def _commune_report(tmp_path, plan_edit=("", ""), report_edit=("", "")):
    (tmp_path / "ke_hoach.yaml").write_text(COMMUNE.replace(*plan_edit), encoding="utf-8")
    (tmp_path / "bao_cao.yaml").write_text(REPORT.replace(*report_edit), encoding="utf-8")
    return Doc(render_bytes(tmp_path / "bao_cao.yaml")).text()


def test_report_names_the_agency_as_running_text_does(tmp_path):
    text = _commune_report(tmp_path)
    assert "UBND XÃ TÂN PHÚ" in text  # the header keeps its capitals
    body = text.split("Kết quả thực hiện chuyển đổi số xã Tân Phú quý I năm 2024", 1)[1]
    assert "XÃ TÂN PHÚ" not in body.split("Phụ lục")[0]
    assert (f"Thực hiện Kế hoạch số {B}/KH-UBND ngày 10/01/2024 về chuyển đổi số xã Tân Phú năm 2024, "
            "UBND xã Tân Phú báo cáo kết quả thực hiện quý I năm 2024 như sau:") in text
    # the agency issued the plan itself: no "... ban hành Kế hoạch ... của <the same agency>"
    assert (f"UBND xã Tân Phú ban hành Kế hoạch số {B}/KH-UBND ngày 10/01/2024 về chuyển đổi số xã Tân Phú năm "
            "2024 với 1 nhiệm vụ.") in text
    assert "Trên đây là báo cáo kết quả thực hiện chuyển đổi số xã Tân Phú quý I năm 2024 của UBND xã Tân Phú./." \
        in text
    assert f"(Kèm theo Báo cáo số {B}/BC-UBND ngày 05 tháng 4 năm 2024 của UBND xã Tân Phú)" in text


def test_ten_goi_overrides_and_another_issuer_is_named(tmp_path):
    text = _commune_report(tmp_path, ("  viet_tat: UBND\n", "  viet_tat: UBND\n  ten_goi: Ủy ban nhân dân xã\n"),
                           ("ky: quy_1\n", "ky: quy_1\nco_quan: {chu_quan: UBND HUYỆN SƠN TỊNH, ten: PHÒNG NỘI VỤ, "
                                           "viet_tat: PNV}\n"))
    assert "của Ủy ban nhân dân xã về chuyển đổi số xã Tân Phú năm 2024, Phòng Nội vụ huyện Sơn Tịnh báo cáo" in text


def test_draft_number_is_written_the_same_everywhere():
    assert vn.so_ky_hieu(None, "KH-UBND") == "Số: \u00a0\u00a0\u00a0\u00a0\u00a0/KH-UBND"
    assert vn.so_hieu(None, "BC-UBND") == f"{B}/BC-UBND"
    assert vn.so_ky_hieu(5, "KH-BDT") == "Số: 05/KH-BDT" and vn.so_hieu(12, "BC-BDT") == "12/BC-BDT"
