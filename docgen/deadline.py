"""Machine deadlines of plan tasks: given (``han``) or read from the plan's words.

A deadline is a set of milestones (dates by which something is due) and whether
the task is ongoing (``thường xuyên``, ``định kỳ``, recurring every quarter).
What cannot be read is refused, never guessed.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from .vn import doc_ngay, ngay_ngan

ROMAN_QUARTER = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


@dataclass(frozen=True)
class Han:
    """Milestones (sorted) and whether the task goes on all year."""

    moc: tuple[dt.date, ...] = ()
    thuong_xuyen: bool = False

    @property
    def cuoi(self) -> dt.date | None:
        return self.moc[-1] if self.moc else None

    def den_han(self, den_ngay: dt.date) -> bool:
        """Due within a period ending ``den_ngay`` (reports count from the start of the year)."""
        return self.thuong_xuyen or bool(self.moc and self.moc[0] <= den_ngay)

    def qua_han(self, moc_cat: dt.date) -> bool:
        """Late at the cut-off date ``moc_cat``: a milestone lies strictly before it.

        A deadline on the cut-off day itself is still in time (the task may be done that day).
        """
        return bool(self.moc and self.moc[0] < moc_cat)

    def mo_ta(self) -> str:
        """Short Vietnamese description for tables: ``Quý I/2023``, ``31/12/2023``, ``Thường xuyên``."""
        if not self.moc:
            return "Thường xuyên"
        text = ngay_ngan(self.moc[0])
        return f"{text} (thường xuyên)" if self.thuong_xuyen else text


class HanError(ValueError):
    """The words give no deadline docgen can read."""


class NgayKhongCo(HanError):
    """The words name a date or year that does not exist (30 tháng 2, năm 0000): wrong in the plan itself."""


def _date(y: int, mo: int, d: int, written: str) -> dt.date:
    try:
        return dt.date(y, mo, d)
    except ValueError:
        raise NgayKhongCo(f"{written} không có thật") from None


# The one vocabulary of periods: plans (``han``) and reports (``ky``) accept the same spellings.
MA_HAN = ("ngày (2023-03-31, 31/3/2023), quy_1..quy_4 (hoặc quy_I..quy_IV), thang_1..thang_12, 6_thang, "
          "9_thang, ca_nam (hoặc nam), thuong_xuyen")
KY_BAO_CAO = ("quy_1", "6_thang", "9_thang", "nam")
KY_DONG_NGHIA = {"quy_i": "quy_1", "quy_1": "quy_1", "6_thang": "6_thang", "9_thang": "9_thang", "nam": "nam",
                 "ca_nam": "nam"}
MA_KY = "quy_1 (hoặc quy_I), 6_thang, 9_thang, nam (hoặc ca_nam)"
_QUY = {"1": "I", "2": "II", "3": "III", "4": "IV", "i": "I", "ii": "II", "iii": "III", "iv": "IV"}


def chuan_ky(code: str) -> str:
    """A report's period in any accepted spelling → ``quy_1``, ``6_thang``, ``9_thang``, ``nam``."""
    found = KY_DONG_NGHIA.get(code.strip().lower())
    if found is None:
        raise HanError(f"kỳ báo cáo '{code}' không hợp lệ; chọn một trong: {MA_KY}")
    return found


def chuan_ma(code: str) -> str:
    """A ``han`` in any accepted spelling → the one stored form (``quy_I``, ``thang_6``, ``2023-06-30``...)."""
    text = code.strip()
    low = text.lower()
    if re.fullmatch(r"\d{1,4}[-/]\d{1,2}[-/]\d{1,4}", text):
        try:
            return doc_ngay(text).isoformat()
        except ValueError as exc:
            raise HanError(f"{exc}; 'han' nhận: {MA_HAN}") from None
    if low in ("thuong_xuyen", "6_thang", "9_thang", "ca_nam"):
        return low
    if low == "nam":
        return "ca_nam"
    m = re.fullmatch(r"quy_(i|ii|iii|iv|1|2|3|4)", low)
    if m:
        return f"quy_{_QUY[m.group(1)]}"
    m = re.fullmatch(r"thang_0?(\d{1,2})", low)
    if m and 1 <= int(m.group(1)) <= 12:
        return f"thang_{int(m.group(1))}"
    raise HanError(f"thời hạn '{text}' không đúng dạng; 'han' nhận: {MA_HAN}")


def _quarter_end(year: int, q: int) -> dt.date:
    month = q * 3
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _month_end(year: int, m: int) -> dt.date:
    return dt.date(year, m, calendar.monthrange(year, m)[1])


def tu_ma(code: str, nam: int) -> Han:
    """A ``han`` code: ``2023-03-31``, ``quy_I``..``quy_IV``, ``thang_M``, ``6_thang``, ``9_thang``,
    ``ca_nam``, ``thuong_xuyen``."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", code):
        return Han((dt.date.fromisoformat(code),))
    if code == "thuong_xuyen":
        return Han((), True)
    if code == "ca_nam":
        return Han((dt.date(nam, 12, 31),))
    if code == "6_thang":
        return Han((dt.date(nam, 6, 30),))
    if code == "9_thang":
        return Han((dt.date(nam, 9, 30),))
    m = re.fullmatch(r"quy_(I|II|III|IV)", code)
    if m:
        return Han((_quarter_end(nam, ROMAN_QUARTER[m.group(1).lower()]),))
    m = re.fullmatch(r"thang_(\d{1,2})", code)
    if m and 1 <= int(m.group(1)) <= 12:
        return Han((_month_end(nam, int(m.group(1))),))
    raise HanError(f"mã thời hạn '{code}' không hợp lệ")


_WORD = r"(?<![\wđ])"  # Vietnamese-aware word start


def tu_loi(words: str, nam: int) -> Han:
    """Read a deadline from the plan's words (``Quý I năm 2023``, ``tháng 12 năm 2023``,
    ``Thường xuyên trong năm 2023``, ``Quý I, II, III và quý IV năm 2023``...)."""
    text = unicodedata.normalize("NFC", words).lower().strip().rstrip(".;")
    if not text:
        raise HanError("không có thời gian thực hiện")
    milestones: set[dt.date] = set()
    ongoing = bool(re.search(r"thường xuyên|định kỳ|hằng năm|hàng năm|hằng quý|hàng quý", text))
    years = [int(y) for y in re.findall(r"năm (\d{4})", text)]
    for y in years:
        if not 1900 <= y <= 2100:
            raise NgayKhongCo(f"năm {y:04d} không hợp lệ (phải từ 1900 đến 2100)")
    year = years[0] if years else nam

    # explicit dates: 15/3/2023, ngày 15 tháng 3 năm 2023
    for d, mo, y in re.findall(r"(\d{1,2})/(\d{1,2})/(\d{4})", text):
        if not 1900 <= int(y) <= 2100:
            raise NgayKhongCo(f"năm {y} không hợp lệ (phải từ 1900 đến 2100)")
        milestones.add(_date(int(y), int(mo), int(d), f"ngày {d}/{mo}/{y}"))
    for d, mo, y in re.findall(r"ngày (\d{1,2}) tháng (\d{1,2}) năm (\d{4})", text):
        milestones.add(_date(int(y), int(mo), int(d), f"ngày {d} tháng {mo} năm {y}"))
    text_wo_dates = re.sub(r"ngày \d{1,2} tháng \d{1,2}", "", text)

    # quarters: "quý i", "quý i, ii, iii và quý iv", "quý 2"
    for group in re.findall(r"quý\s+((?:[ivx\d]+)(?:\s*(?:,|và|-)\s*(?:quý\s+)?[ivx\d]+)*)", text_wo_dates):
        for token in (t.strip().removeprefix("quý").strip() for t in re.split(r",|\bvà\b|-", group)):
            if token not in ROMAN_QUARTER:
                raise HanError(f"không có quý '{token.upper()}'")
            milestones.add(_quarter_end(year, ROMAN_QUARTER[token]))
    # months: "tháng 12"
    for token in re.findall(r"tháng (\d{1,2})(?! đầu| cuối)", text_wo_dates):
        if not 1 <= int(token) <= 12:
            raise HanError(f"không có tháng {token}")
        if not re.search(r"(6|9) tháng", text_wo_dates) or token not in ("6", "9"):
            milestones.add(_month_end(year, int(token)))
    if re.search(r"6 tháng đầu năm", text_wo_dates):
        milestones.add(dt.date(year, 6, 30))
    if re.search(r"(?<!\d)9 tháng", text_wo_dates):
        milestones.add(dt.date(year, 9, 30))
    if re.search(r"6 tháng cuối năm", text_wo_dates):
        milestones.add(dt.date(year, 12, 31))

    recurring_quarters = len({m for m in milestones if m.year == year and m.day >= 28}) >= 4
    if recurring_quarters:
        ongoing = True
    if not milestones and not ongoing:
        if re.fullmatch(r"(trong )?(cả )?năm( \d{4})?", text) or re.fullmatch(r"năm \d{4}", text):
            milestones.add(dt.date(year, 12, 31))
        else:
            raise HanError(f"không đọc được thời hạn từ '{words.strip()}'")
    if ongoing and recurring_quarters:
        return Han(tuple(sorted(milestones)), True)
    return Han(tuple(sorted(milestones)), ongoing)
