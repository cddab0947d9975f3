"""Vietnamese writing rules of Decree 30/2020/NĐ-CP as small pure functions.

Dates, document numbers, Roman numerals, point letters, citations, upper-casing
and signer lines are computed here so templates never count or format.
"""
from __future__ import annotations

import datetime as dt
import unicodedata

# Phụ lục II: point letters follow the Vietnamese alphabet without f, j, w, z
# and without the letters carrying diacritics other than đ.
CHU_CAI_DIEM = "a b c d đ e g h i k l m n o p q r s t u v x y".split()

# Phụ lục III: abbreviations of document types (the ones docgen needs first).
VIET_TAT_LOAI = {
    "Nghị quyết": "NQ", "Quyết định": "QĐ", "Chỉ thị": "CT", "Quy chế": "QC",
    "Quy định": "QyĐ", "Thông cáo": "TC", "Thông báo": "TB", "Hướng dẫn": "HD",
    "Chương trình": "CTr", "Kế hoạch": "KH", "Phương án": "PA", "Đề án": "ĐA",
    "Dự án": "DA", "Báo cáo": "BC", "Biên bản": "BB", "Tờ trình": "TTr",
    "Hợp đồng": "HĐ", "Công điện": "CĐ", "Bản ghi nhớ": "GN", "Bản thỏa thuận": "TTh",
    "Giấy ủy quyền": "GUQ", "Giấy mời": "GM", "Giấy giới thiệu": "GGT",
    "Giấy nghỉ phép": "GNP", "Phiếu gửi": "PG", "Phiếu chuyển": "PC", "Phiếu báo": "PB",
    "Bản sao y": "SY", "Bản sao lục": "SL", "Bản trích sao": "TS",
}

# Signing authority besides TM. (which names a collective, see dong_ky).
QUYEN_HAN = ("KT", "Q", "TL", "TUQ")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def viet_hoa(text: str) -> str:
    """Upper-case keeping every diacritic (đ → Đ, ủy → ỦY), result in NFC."""
    return nfc(nfc(text).upper())


def _ngay_thang(d: dt.date) -> tuple[str, str]:
    # Day always two digits; month two digits only for January and February.
    return f"{d.day:02d}", (f"{d.month:02d}" if d.month < 3 else str(d.month))


def ngay_ngan(d: dt.date) -> str:
    """Running-text date: 21/12/2022, 05/01/2023, 05/3/2023."""
    day, month = _ngay_thang(d)
    return f"{day}/{month}/{d.year}"


def ngay_dai(d: dt.date | None, nam: int | None = None) -> str:
    """Long date: ``ngày 05 tháng 01 năm 2023``; blanks for an undated draft."""
    if d is None:
        return f"ngày      tháng      năm {nam if nam else '      '}"
    day, month = _ngay_thang(d)
    return f"ngày {day} tháng {month} năm {d.year}"


def dia_danh_ngay(dia_danh: str, d: dt.date | None, nam: int | None = None) -> str:
    """The ô 4 line: ``Quảng Ngãi, ngày 05 tháng 01 năm 2023``."""
    return f"{dia_danh}, {ngay_dai(d, nam)}"


def ky_hieu(loai: str, viet_tat_co_quan: str) -> str:
    """``KH-BDT``: type abbreviation and agency abbreviation joined by '-'."""
    return f"{VIET_TAT_LOAI[loai]}-{viet_hoa(viet_tat_co_quan).replace(' ', '')}"


def so_ky_hieu(so: int | None, ky_hieu_vb: str) -> str:
    """``Số: 05/KH-BDT``; a draft without number keeps the blank: ``Số:      /KH-BDT``."""
    if so is None:
        return f"Số:      /{ky_hieu_vb}"
    return f"Số: {so:02d}/{ky_hieu_vb}"


def so_la_ma(n: int) -> str:
    """Roman numeral for section numbers (1 → I)."""
    if not 0 < n < 4000:
        raise ValueError(f"không đánh số La Mã được: {n}")
    out = []
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                       (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"),
                       (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def chu_cai(n: int) -> str:
    """The n-th point letter (1 → a, 5 → đ, 6 → e, 7 → g); past y the letters double (aa, bb)."""
    if n < 1:
        raise ValueError(f"số thứ tự điểm phải từ 1: {n}")
    k = len(CHU_CAI_DIEM)
    return CHU_CAI_DIEM[(n - 1) % k] * ((n - 1) // k + 1)


def ket_thuc(text: str) -> str:
    """The body ends with ``./.``."""
    text = text.rstrip()
    if text.endswith("./."):
        return text
    if text.endswith((".", ";", ":", ",")):
        text = text[:-1]
    return text + "./."


def trich_dan(loai: str, so_ky_hieu_vb: str | None, ngay: dt.date | None,
              co_quan: str | None, trich_yeu: str | None, day_du: bool = True) -> str:
    """A citation from its structured parts.

    Full form: ``Quyết định số 1782/QĐ-UBND ngày 21/12/2022 của Chủ tịch UBND tỉnh
    Quảng Ngãi về việc ban hành ...``; short form: ``Quyết định số 1782/QĐ-UBND``.
    A Luật (no number) gets its type and name only.
    """
    parts = [loai]
    if so_ky_hieu_vb:
        parts.append(f"số {so_ky_hieu_vb}")
    if not day_du:
        return " ".join(parts)
    if ngay and so_ky_hieu_vb:
        parts.append(f"ngày {ngay_ngan(ngay)}")
    if co_quan and so_ky_hieu_vb:
        parts.append(f"của {co_quan}")
    if trich_yeu:
        parts.append(trich_yeu)
    return " ".join(parts)


def dong_ky(chuc_vu: str, quyen_han: str | None = None, thay_mat: str | None = None,
            thu_truong: str | None = None) -> list[str]:
    """Upper-case title lines of the signer block (ô 7a).

    ``TM. ỦY BAN NHÂN DÂN`` / ``KT. CHỦ TỊCH`` / ``PHÓ CHỦ TỊCH``; ``Q. CHÁNH VĂN PHÒNG``;
    plain ``TRƯỞNG BAN``.
    """
    lines: list[str] = []
    if thay_mat:
        lines.append(f"TM. {viet_hoa(thay_mat)}")
    if quyen_han in ("KT", "TL", "TUQ"):
        lines.append(f"{quyen_han}. {viet_hoa(thu_truong or '')}")
        lines.append(viet_hoa(chuc_vu))
    elif quyen_han == "Q":
        lines.append(f"Q. {viet_hoa(chuc_vu)}")
    else:
        lines.append(viet_hoa(chuc_vu))
    return lines


def noi_nhan(muc: list[str], luu: list[str], nhu_tren: bool = False) -> list[str]:
    """Recipient lines: ``- X;`` each, then ``- Lưu: VT, VP.`` ending with a full stop."""
    items = (["Như trên"] if nhu_tren else []) + [m.rstrip(" ;.,") for m in muc]
    lines = [f"- {m};" for m in items]
    lines.append(f"- Lưu: {', '.join(x.strip() for x in luu)}.")
    return lines


def so(value: int | float) -> str:
    """A number written the Vietnamese way: ``1.234.567``, ``99,9``, ``-0,25``.

    Thousands are grouped with ``.``, decimals follow ``,``; a float keeps the digits its
    shortest exact writing has (``99.90`` is ``99,9``), at most 6.
    """
    if isinstance(value, bool):
        raise TypeError("không phải số")
    if isinstance(value, int):
        text = f"{value:,d}"
    else:
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"không viết được số {value}")
        shortest = repr(float(value))
        if "e" in shortest or "E" in shortest:
            decimals = 6
        else:
            decimals = len(shortest.split(".")[1].rstrip("0")) if "." in shortest else 0
        text = f"{value:,.{min(decimals, 6)}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        if text in ("-0", "-0.0"):
            text = "0"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def kem_theo(loai: str, so_vb: int | None, ky_hieu_vb: str, ngay: dt.date | None, nam: int | None,
             co_quan: str) -> str:
    """An appendix's line ``(Kèm theo Kế hoạch số 05/KH-BDT ngày 05 tháng 01 năm 2023 của Ban Dân tộc
    tỉnh)``; a draft keeps the number and date blank, as its header does."""
    so_text = so_ky_hieu(so_vb, ky_hieu_vb).removeprefix("Số: ").removeprefix("Số:")
    return f"(Kèm theo {loai} số {so_text} {ngay_dai(ngay, nam)} của {co_quan})"
