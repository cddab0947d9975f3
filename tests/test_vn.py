"""The Vietnamese writing rules, one small function each."""
import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docgen import vn


@pytest.mark.parametrize("date, expected", [
    (dt.date(2023, 1, 5), "ngày 05 tháng 01 năm 2023"),
    (dt.date(2023, 2, 28), "ngày 28 tháng 02 năm 2023"),
    (dt.date(2023, 3, 5), "ngày 05 tháng 3 năm 2023"),
    (dt.date(2022, 12, 21), "ngày 21 tháng 12 năm 2022"),
    (None, "ngày      tháng      năm 2023"),
])
def test_long_date(date, expected):
    assert vn.ngay_dai(date, 2023) == expected


@pytest.mark.parametrize("date, expected", [
    (dt.date(2022, 12, 21), "21/12/2022"), (dt.date(2023, 1, 5), "05/01/2023"),
    (dt.date(2023, 3, 5), "05/3/2023"), (dt.date(2019, 7, 1), "01/7/2019"),
])
def test_running_text_date(date, expected):
    assert vn.ngay_ngan(date) == expected


@given(st.dates(min_value=dt.date(1980, 1, 1), max_value=dt.date(2200, 12, 31)))
def test_month_padding_only_for_january_and_february(date):
    short = vn.ngay_ngan(date)
    day, month, year = short.split("/")
    assert len(day) == 2 and int(day) == date.day and int(year) == date.year
    assert (len(month) == 2) == (date.month in (1, 2, 10, 11, 12))
    assert not (month.startswith("0") and date.month > 2)
    assert re.fullmatch(r"ngày \d\d tháng (0[12]|[3-9]|1[0-2]) năm \d{4}", vn.ngay_dai(date))


def test_place_and_date_line():
    assert vn.dia_danh_ngay("Quảng Ngãi", dt.date(2023, 1, 5)) == "Quảng Ngãi, ngày 05 tháng 01 năm 2023"


@pytest.mark.parametrize("so, expected", [(5, "Số: 05/KH-BDT"), (12, "Số: 12/KH-BDT"),
                                          (None, "Số: \u00a0\u00a0\u00a0\u00a0\u00a0/KH-BDT")])
def test_number_and_symbol(so, expected):
    assert vn.so_ky_hieu(so, vn.ky_hieu("Kế hoạch", "BDT")) == expected


def test_symbol_keeps_mixed_case_type_abbreviations():
    assert vn.ky_hieu("Báo cáo", "sở nv") == "BC-SỞNV"
    assert vn.ky_hieu("Quy định", "UBND") == "QyĐ-UBND"
    assert vn.ky_hieu("Tờ trình", "BDT") == "TTr-BDT"


@pytest.mark.parametrize("n, roman", [(1, "I"), (2, "II"), (4, "IV"), (9, "IX"), (14, "XIV"), (40, "XL")])
def test_roman(n, roman):
    assert vn.so_la_ma(n) == roman


def test_point_letters_follow_the_vietnamese_order():
    assert [vn.chu_cai(i) for i in range(1, 12)] == list("abcd") + ["đ"] + list("eghik") + ["l"]
    assert vn.chu_cai(23) == "y" and vn.chu_cai(24) == "aa"


@given(st.integers(min_value=1, max_value=200))
def test_point_letters_never_use_f_j_w_z(n):
    letter = vn.chu_cai(n)
    assert not set(letter) & set("fjwzăâêôơư")
    assert len({vn.chu_cai(i) for i in range(1, n + 1)}) == n


def test_citation_full_and_short():
    args = ("Quyết định", "1782/QĐ-UBND", dt.date(2022, 12, 21), "Chủ tịch UBND tỉnh Quảng Ngãi",
            "về việc ban hành Kế hoạch cải cách hành chính năm 2023")
    assert vn.trich_dan(*args) == ("Quyết định số 1782/QĐ-UBND ngày 21/12/2022 của Chủ tịch UBND tỉnh "
                                   "Quảng Ngãi về việc ban hành Kế hoạch cải cách hành chính năm 2023")
    assert vn.trich_dan(*args, day_du=False) == "Quyết định số 1782/QĐ-UBND"
    # a decision's căn cứ line (QD10: "Quyết định số 816/QĐ-UBND ngày 26 tháng 8 năm 2025 của Ủy ban nhân dân tỉnh")
    assert vn.trich_dan(*args, dang_dai=True).startswith("Quyết định số 1782/QĐ-UBND ngày 21 tháng 12 năm 2022 của ")
    assert vn.trich_dan("Quyết định", "05/QĐ-X", dt.date(2025, 8, 26), None, None, dang_dai=True) == (
        "Quyết định số 05/QĐ-X ngày 26 tháng 8 năm 2025")
    assert vn.trich_dan("Luật", None, None, None, "Cán bộ, công chức") == "Luật Cán bộ, công chức"


@pytest.mark.parametrize("text, upper", [("ủy ban nhân dân", "ỦY BAN NHÂN DÂN"), ("đ", "Đ"),
                                         ("Ban Dân tộc", "BAN DÂN TỘC"), ("o\u0309", "Ỏ")])
def test_upper_keeps_diacritics(text, upper):
    assert vn.viet_hoa(text) == upper


@pytest.mark.parametrize("kwargs, lines", [
    ({"chuc_vu": "Trưởng Ban"}, ["TRƯỞNG BAN"]),
    ({"chuc_vu": "Phó Trưởng Ban", "quyen_han": "KT", "thu_truong": "Trưởng Ban"},
     ["KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN"]),
    ({"chuc_vu": "Phó Chủ tịch", "quyen_han": "KT", "thu_truong": "Chủ tịch", "thay_mat": "Ủy ban nhân dân"},
     ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]),
    ({"chuc_vu": "Chánh Văn phòng", "quyen_han": "Q"}, ["Q. CHÁNH VĂN PHÒNG"]),
    ({"chuc_vu": "Chánh Văn phòng", "quyen_han": "TL", "thu_truong": "Trưởng Ban"},
     ["TL. TRƯỞNG BAN", "CHÁNH VĂN PHÒNG"]),
])
def test_signer_lines(kwargs, lines):
    assert vn.dong_ky(**kwargs) == lines


def test_recipients():
    assert vn.noi_nhan(["UBND tỉnh", "Sở Nội vụ;"], ["VT", "VP"]) == [
        "- UBND tỉnh;", "- Sở Nội vụ;", "- Lưu: VT, VP."]
    assert vn.noi_nhan(["UBND tỉnh"], ["VT"], nhu_tren=True)[0] == "- Như trên;"


@pytest.mark.parametrize("text, ended", [("hiệu quả.", "hiệu quả./."), ("hiệu quả", "hiệu quả./."),
                                         ("xong./.", "xong./.")])
def test_body_ends_with_dot_slash_dot(text, ended):
    assert vn.ket_thuc(text) == ended


# Names as the province's own papers write them (../shared/realdocs: "Ban Quản lý dự án đầu tư xây dựng số 1",
# "Kho bạc Nhà nước khu vực XVI", "Ban Quản lý các Khu công nghiệp tỉnh Lâm Đồng") and Phụ lục II's examples.
@pytest.mark.parametrize("ten, chu_quan, expected", [
    ("UBND XÃ TÂN PHÚ", None, "UBND xã Tân Phú"),
    ("BAN DÂN TỘC", "UBND TỈNH QUẢNG NGÃI", "Ban Dân tộc tỉnh Quảng Ngãi"),
    ("SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG", None, "Sở Tài nguyên và Môi trường"),
    ("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", None, "Sở Lao động - Thương binh và Xã hội"),
    ("ỦY BAN NHÂN DÂN HUYỆN SƠN TỊNH", None, "Ủy ban nhân dân huyện Sơn Tịnh"),
    ("UỶ BAN NHÂN DÂN TỈNH", None, "Uỷ ban nhân dân tỉnh"),
    ("HỘI ĐỒNG NHÂN DÂN XÃ TỊNH KỲ", None, "Hội đồng nhân dân xã Tịnh Kỳ"),
    ("PHÒNG NỘI VỤ", "UBND HUYỆN SƠN TỊNH", "Phòng Nội vụ huyện Sơn Tịnh"),
    ("PHÒNG VĂN HÓA VÀ THÔNG TIN", "UBND THỊ XÃ ĐỨC PHỔ", "Phòng Văn hóa và Thông tin thị xã Đức Phổ"),
    ("VĂN PHÒNG HĐND VÀ UBND", "UBND HUYỆN SƠN TỊNH", "Văn phòng HĐND và UBND huyện Sơn Tịnh"),
    ("VĂN PHÒNG", "BAN DÂN TỘC", "Văn phòng"),
    ("UBND PHƯỜNG TRẦN PHÚ", "UBND THÀNH PHỐ QUẢNG NGÃI", "UBND phường Trần Phú"),
    ("UBND ĐẶC KHU LÝ SƠN", None, "UBND đặc khu Lý Sơn"),
    ("  UBND  XÃ   TỊNH 00012 ", "UBND HUYỆN SƠN TỊNH", "UBND xã Tịnh 00012"),
    ("BẢO HIỂM XÃ HỘI TỈNH QUẢNG NGÃI", None, "Bảo hiểm xã hội tỉnh Quảng Ngãi"),
    ("SỞ XÂY DỰNG", "ủy ban nhân dân tỉnh Lâm Đồng", "Sở Xây dựng tỉnh Lâm Đồng"),
    ("Ban Dân tộc", "UBND TỈNH QUẢNG NGÃI", "Ban Dân tộc"),  # written by hand: kept
    # a kind that names its field already: the rest lower-case, "các" lower-case with a capital after it
    ("BAN QUẢN LÝ DỰ ÁN ĐẦU TƯ XÂY DỰNG SỐ 1", "UBND TỈNH LÂM ĐỒNG",
     "Ban Quản lý dự án đầu tư xây dựng số 1 tỉnh Lâm Đồng"),
    ("BAN QUẢN LÝ CÁC KHU CÔNG NGHIỆP", "UBND TỈNH LÂM ĐỒNG", "Ban Quản lý các Khu công nghiệp tỉnh Lâm Đồng"),
    ("BỘ CHỈ HUY QUÂN SỰ TỈNH", None, "Bộ Chỉ huy Quân sự tỉnh"),
    ("KHO BẠC NHÀ NƯỚC KHU VỰC XVI", None, "Kho bạc Nhà nước khu vực XVI"),
    # a Roman number stays one; a name after "số N"; the governing body's place inside the name, named once
    ("CHI CỤC THUẾ KHU VỰC I", "CỤC THUẾ TỈNH QUẢNG NGÃI", "Chi cục Thuế khu vực I tỉnh Quảng Ngãi"),
    ("TRƯỜNG THPT SỐ 1 TƯ NGHĨA", None, "Trường THPT số 1 Tư Nghĩa"),
    ("BAN QUẢN LÝ CÁC KHU CÔNG NGHIỆP QUẢNG NGÃI", "UBND TỈNH QUẢNG NGÃI",
     "Ban Quản lý các Khu công nghiệp Quảng Ngãi"),
    ("TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG", "UBND TỈNH QUẢNG NGÃI", "Trung tâm Phục vụ hành chính công tỉnh Quảng Ngãi"),
    # BC04: "Ban Chỉ đạo phòng, chống tội phạm, tệ nạn xã hội ... tỉnh" (was "... phòng, Chống tội phạm, Tệ nạn");
    # KH03: "Hội đồng Thi đua - Khen thưởng tỉnh" (was "Hội Đồng thi đua - Khen thưởng tỉnh")
    ("BAN CHỈ ĐẠO PHÒNG, CHỐNG TỘI PHẠM, TỆ NẠN XÃ HỘI", "UBND TỈNH LÂM ĐỒNG",
     "Ban Chỉ đạo phòng, chống tội phạm, tệ nạn xã hội tỉnh Lâm Đồng"),
    ("HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG TỈNH", None, "Hội đồng Thi đua - Khen thưởng tỉnh"),
    ("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "UBND TỈNH LÂM ĐỒNG", "Sở Văn hóa, Thể thao và Du lịch tỉnh Lâm Đồng"),
])
def test_agency_name_in_running_text(ten, chu_quan, expected):
    assert vn.ten_goi(ten, chu_quan) == expected


@given(st.lists(st.sampled_from(["UBND", "BAN", "QUẢN", "LÝ", "XÃ", "HỘI", "TỈNH", "VÀ", "CÁC", "SỐ", "1", "IV",
                                 "KHU", "VỰC", "-", "ĐẮK", "LẮK", "THÀNH", "PHỐ", "NHÂN", "DÂN"]), max_size=12),
       st.sampled_from([None, "UBND TỈNH ĐẮK LẮK", "UBND THÀNH PHỐ HUẾ", "BAN DÂN TỘC"]))
def test_agency_name_keeps_every_word(words, chu_quan):
    """Only letter case changes: the header's words, in order, then at most the governing body's place."""
    name = vn.ten_goi(" ".join(words), chu_quan)
    said = vn.viet_hoa(name).split()
    assert said[:len(words)] == words
    assert len(said) == len(words) or (chu_quan and " ".join(said[len(words):]) in chu_quan)


@pytest.mark.parametrize("items, lines", [
    (["Công an tỉnh"], ["Kính gửi: Công an tỉnh"]),                 # CV21, CV24, CV25, CV26
    (["Sở Nội vụ tỉnh Quảng Ngãi."], ["Kính gửi: Sở Nội vụ tỉnh Quảng Ngãi"]),
    (["Sở Tài chính", "Công an tỉnh"], ["Kính gửi:", "- Sở Tài chính;", "- Công an tỉnh."]),  # CV28
    (["- Sở Tài chính;", "- Công an tỉnh."], ["Kính gửi:", "- Sở Tài chính;", "- Công an tỉnh."]),
    ([], []),
])
def test_kinh_gui_as_the_province_writes_it(items, lines):
    """One recipient on the Kính gửi line without a full stop (was "Kính gửi: Công an tỉnh."); several as lines."""
    assert vn.kinh_gui(items) == lines


@pytest.mark.parametrize("truoc, van_ban, sau, tung_dong, expected", [
    ("Thực hiện", ["Kế hoạch số 5/KH-UBND", "Quyết định số 2/QĐ-UBND"], "Ban Dân tộc xây dựng Kế hoạch như sau:", False,
     ["Thực hiện Kế hoạch số 5/KH-UBND; Quyết định số 2/QĐ-UBND, Ban Dân tộc xây dựng Kế hoạch như sau:"]),
    ("Căn cứ", ["Kế hoạch số 25/KH-UBND"], "Phòng Nội vụ xây dựng Kế hoạch như sau:", False,
     ["Căn cứ Kế hoạch số 25/KH-UBND, Phòng Nội vụ xây dựng Kế hoạch như sau:"]),
    ("Căn cứ", ["Luật Thi đua, khen thưởng", "Kế hoạch số 5/KH-UBND"], "UBND tỉnh ban hành Kế hoạch như sau:", True,
     ["Căn cứ Luật Thi đua, khen thưởng;", "Căn cứ Kế hoạch số 5/KH-UBND;", "UBND tỉnh ban hành Kế hoạch như sau:"]),
    ("Căn cứ", ["Kế hoạch số 5/KH-UBND"], "để triển khai, Ban xây dựng Kế hoạch:", True,
     ["Căn cứ Kế hoạch số 5/KH-UBND;", "Để triển khai, Ban xây dựng Kế hoạch:"]),
    ("Căn cứ", [], "Ban Dân tộc xây dựng Kế hoạch như sau:", True, ["Ban Dân tộc xây dựng Kế hoạch như sau:"]),
])
def test_opening_of_a_plan(truoc, van_ban, sau, tung_dong, expected):
    """One sentence (the seed plan, BC01, a district plan "Căn cứ A, Phòng Nội vụ ..."), or a cited document a
    paragraph (the province's KH02, KH03 and every decision)."""
    assert vn.mo_dau(truoc, van_ban, sau, tung_dong) == expected
