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
