"""Vietnamese writing rules of Decree 30/2020/NĐ-CP as small pure functions.

Dates, document numbers, Roman numerals, point letters, citations, upper-casing
and signer lines are computed here so templates never count or format.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable

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

# Document types cited in plans that are not in Phụ lục III: legal documents (their numbers carry
# their own forms, 59/2019/NĐ-CP) and the công văn, which has no type name in its number.
LOAI_KHAC = ("Hiến pháp", "Bộ luật", "Luật", "Pháp lệnh", "Nghị định", "Thông tư liên tịch", "Thông tư",
             "Công văn")
# Every document type name docgen recognises in running text, longest first (for regular expressions).
LOAI_VAN_BAN = tuple(sorted((*VIET_TAT_LOAI, *LOAI_KHAC), key=len, reverse=True))

# Signing authority besides TM. (which names a collective, see dong_ky).
QUYEN_HAN = ("KT", "Q", "TL", "TUQ")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def viet_hoa(text: str) -> str:
    """Upper-case keeping every diacritic (đ → Đ, ủy → ỦY), result in NFC."""
    return nfc(nfc(text).upper())


DANG_NGAY = "YYYY-MM-DD hoặc DD/MM/YYYY"


def doc_ngay(text: str) -> dt.date:
    """A date as clerks write it: ``2023-01-05``, ``05/01/2023``, ``5/1/2023``; ValueError says what is wrong."""
    text = text.strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
        if not m:
            raise ValueError(f"ngày '{text}' không đúng dạng; viết {DANG_NGAY}")
        d, mo, y = (int(g) for g in m.groups())
    try:
        return dt.date(y, mo, d)
    except ValueError:
        why = f"không có tháng {mo}" if not 1 <= mo <= 12 else f"tháng {mo} năm {y} không có ngày {d}"
        raise ValueError(f"ngày '{text}' không có thật ({why})") from None


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


def don_vi_soan(luu: list[str]) -> str | None:
    """The drafting unit, as the Lưu line names it after the văn thư: ``VT, NC.Châu`` → ``NC`` (the drafter's name
    after the dot, a copy count in brackets left out); None when the line names no unit."""
    for item in luu:
        unit = re.split(r"[.(\s]", item.strip(), maxsplit=1)[0]
        if unit and unit.upper() != "VT":
            return viet_hoa(unit)
    return None


def ky_hieu_cong_van(viet_tat_co_quan: str, luu: list[str]) -> str:
    """A công văn's ký hiệu (Nghị định 30, Phụ lục I: the agency's and the drafting unit's abbreviations):
    ``UBND-NC`` under ``Lưu: VT, NC.Châu``, as all eight công văn of the real documents write it."""
    agency = viet_hoa(viet_tat_co_quan).replace(" ", "")
    unit = don_vi_soan(luu)
    return f"{agency}-{unit}" if unit and unit != agency else agency


# A draft's number is left blank for the clerk who registers it (Phụ lục I: ``Số:      /KH-BDT``); no-break
# spaces, so the blank survives whitespace folding of running text and is never split across lines.
SO_TRONG = "\u00a0" * 5


def so_hieu(so: int | str | None, ky_hieu_vb: str) -> str:
    """``05/KH-BDT``; a draft keeps the blank: ``     /KH-BDT``; a number given as text keeps its zeros
    (``0204/KH-UBND``). The one form for the header and running text."""
    if isinstance(so, str):
        return f"{so}/{ky_hieu_vb}"
    return f"{SO_TRONG if so is None else f'{so:02d}'}/{ky_hieu_vb}"


def so_ky_hieu(so: int | str | None, ky_hieu_vb: str) -> str:
    """``Số: 05/KH-BDT``; a draft without number keeps the blank: ``Số:      /KH-BDT``."""
    return f"Số: {so_hieu(so, ky_hieu_vb)}"


MAX_LA_MA = 3999  # MMMCMXCIX: Roman numerals have no digit past M


def so_la_ma(n: int) -> str:
    """Roman numeral for section numbers (1 → I)."""
    if not 0 < n <= MAX_LA_MA:
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
              co_quan: str | None, trich_yeu: str | None, day_du: bool = True, dang_dai: bool = False) -> str:
    """A citation from its structured parts.

    Full form: ``Quyết định số 1782/QĐ-UBND ngày 21/12/2022 của Chủ tịch UBND tỉnh
    Quảng Ngãi về việc ban hành ...``; short form: ``Quyết định số 1782/QĐ-UBND``.
    A Luật (no number) gets its type and name only. ``dang_dai`` writes the date long
    (``ngày 21 tháng 12 năm 2022``), as the căn cứ lines of a decision do.
    """
    parts = [loai]
    if so_ky_hieu_vb:
        parts.append(f"số {so_ky_hieu_vb}")
    if not day_du:
        return " ".join(parts)
    if ngay and so_ky_hieu_vb:
        parts.append(ngay_dai(ngay) if dang_dai else f"ngày {ngay_ngan(ngay)}")
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


# Academic titles and degrees: Nghị định 30 (Phụ lục I, ô 7c) writes the signer's name without them.
HOC_HAM_HOC_VI = re.compile(
    r"^(?:(?:GS|PGS|TS|ThS|Ths|THS|TSKH|KS|BS|CN|NCS|Gs|Pgs|Ts)\b\.?|Giáo sư|Phó giáo sư|Tiến sĩ|Thạc sĩ|Kỹ sư|"
    r"Bác sĩ|Cử nhân)(?:[\s.,-]*(?:GS|PGS|TS|ThS|TSKH|BS|KS)\b\.?)*\s+(?=\w)")
# Signing authority prefixes docgen writes itself (dong_ky).
TIEN_TO_KY = re.compile(r"^(TM|KT|Q|TL|TUQ)\s*\.\s*", re.I)
# What docgen writes around a recipient (``- X;``): typed again, it would be doubled.
_DAU_DONG = re.compile(r"^\s*[-–—+•*]\s*")


def bo_dau_dong(item: str) -> str:
    """A recipient as data: ``- UBND huyện;`` → ``UBND huyện`` (docgen adds the dash and the semicolon)."""
    item = _DAU_DONG.sub("", item).rstrip(" ;,")
    while item.endswith(".") and not item.endswith("..."):  # a full stop, not a blank to fill in ("...")
        item = item[:-1].rstrip(" ;,")
    return item


def mo_dau(truoc: str, van_ban: list[str], sau: str, tung_dong: bool = False) -> list[str]:
    """A plan's opening paragraphs: one sentence, ``Thực hiện A; B, Ban Dân tộc xây dựng ...``; or, ``tung_dong``,
    a paragraph per cited document, each ending ``;``, then the sentence on its own, as the province's plans KH02
    and KH03 and every decision write it: ``Căn cứ A;`` / ``Căn cứ B;`` / ``Ủy ban nhân dân tỉnh ban hành ...``."""
    if not van_ban:
        return [sau]
    if tung_dong:
        return [f"{truoc} {v};" for v in van_ban] + [sau[:1].upper() + sau[1:]]
    return [f"{truoc} {'; '.join(van_ban)}, {sau}"]


def kinh_gui(items: list[str]) -> list[str]:
    """ô 9a: one recipient on the ``Kính gửi:`` line without a full stop (nine of the ten real documents that
    send to one: "Kính gửi: Công an tỉnh"); several as ``- X;`` lines under it, the last ending ``.``."""
    items = [bo_dau_dong(k) for k in items]
    if not items:
        return []
    if len(items) == 1:
        return [f"Kính gửi: {items[0]}"]
    return ["Kính gửi:"] + [f"- {k}{'.' if i == len(items) - 1 else ';'}" for i, k in enumerate(items)]


def noi_nhan(muc: list[str], luu: list[str], nhu_tren: bool = False) -> list[str]:
    """Recipient lines: ``- X;`` each, then ``- Lưu: VT, VP.`` ending with a full stop."""
    items = (["Như trên"] if nhu_tren else []) + [bo_dau_dong(m) for m in muc]
    lines = [f"- {m};" for m in items]
    lines.append(f"- Lưu: {', '.join(x.strip() for x in luu)}.")
    return lines


# ---- names in running text ------------------------------------------------------------------------
# Nghị định 30, Phụ lục II: an agency's name is written with capitals on its kind (Ban, Sở, Ủy ban nhân dân:
# first syllable only) and on the first syllable of its field ("Dân tộc", "Tài nguyên và Môi trường");
# the level of an administrative unit is lower-case ("xã", "tỉnh") and the place's own name capitalised.
# The kinds of agency as they are written in running text (Phụ lục II and the province's own papers: "Ban Quản
# lý", "Kho bạc Nhà nước", "Bộ Chỉ huy Quân sự" but "Ủy ban nhân dân"); longer phrases before their first word.
LOAI_CO_QUAN = {
    "ỦY BAN NHÂN DÂN": "Ủy ban nhân dân", "UỶ BAN NHÂN DÂN": "Uỷ ban nhân dân",
    "HỘI ĐỒNG NHÂN DÂN": "Hội đồng nhân dân", "BỘ CHỈ HUY QUÂN SỰ": "Bộ Chỉ huy Quân sự",
    "BAN CHỈ ĐẠO": "Ban Chỉ đạo", "HỘI ĐỒNG": "Hội đồng",
    "BẢO HIỂM XÃ HỘI": "Bảo hiểm xã hội", "KHO BẠC NHÀ NƯỚC": "Kho bạc Nhà nước", "BAN QUẢN LÝ": "Ban Quản lý",
    "VĂN PHÒNG": "Văn phòng", "TỔNG CỤC": "Tổng cục", "CHI CỤC": "Chi cục", "TRUNG TÂM": "Trung tâm",
    "THANH TRA": "Thanh tra", "BỆNH VIỆN": "Bệnh viện", "CÔNG AN": "Công an", "LIÊN ĐOÀN": "Liên đoàn",
    "TRƯỜNG": "Trường", "BAN": "Ban", "SỞ": "Sở", "PHÒNG": "Phòng", "CỤC": "Cục", "BỘ": "Bộ", "VỤ": "Vụ",
    "ĐÀI": "Đài", "HỘI": "Hội",
}
CAP_HANH_CHINH = ("THÀNH PHỐ", "THỊ TRẤN", "THỊ XÃ", "XÃ", "PHƯỜNG", "ĐẶC KHU", "HUYỆN", "QUẬN", "TỈNH")
VIET_TAT = {"UBND", "HĐND", "MTTQ", "TAND", "VKSND", "BHXH", "CCHC", "TTHC", "THCS", "THPT", "KBNN", "BCĐ"}
# Names that keep their capital at the start of an embedded phrase.
DANH_TU_RIENG = ("Đảng", "Nhà nước", "Chính phủ", "Quốc hội", "Thủ tướng Chính phủ", "Mặt trận", "Bác Hồ",
                 "Chủ tịch Hồ Chí Minh", "Việt Nam")


def _hoa_dau(word: str) -> str:
    """``TÂN`` → ``Tân``; abbreviations (``UBND``) and words with digits unchanged."""
    if word in VIET_TAT or any(c.isdigit() for c in word):
        return word
    lower = nfc(word.lower())
    return lower[:1].upper() + lower[1:]


def _thuong(word: str) -> str:
    return word if word in VIET_TAT or any(c.isdigit() for c in word) else nfc(word.lower())


def _by_first_word(phrases: Iterable[str]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Phrases split into words, grouped by their first word (in their order: the longer ones first)."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        words = tuple(phrase.split())
        out.setdefault(words[0], []).append(words)
    return {first: tuple(group) for first, group in out.items()}


_LOAI_CO_QUAN = _by_first_word(LOAI_CO_QUAN)
_CAP_HANH_CHINH = _by_first_word(CAP_HANH_CHINH)


def _match(words: list[str], i: int, phrases: dict[str, tuple[tuple[str, ...], ...]]) -> int:
    """Length in words of the phrase of ``phrases`` starting at ``words[i]`` (0 when none)."""
    if i >= len(words):
        return 0
    for parts in phrases.get(words[i].upper(), ()):
        if tuple(w.upper() for w in words[i:i + len(parts)]) == parts:
            return len(parts)
    return 0


# a number after these words stays as written, Roman or not ("khu vực I", "số IV")
_TRUOC_SO = ("VỰC", "SỐ")
_LA_MA = re.compile(r"[IVXLC]+")
# words that only count what follows: lower-case, and the field's capital goes on the next word ("và các Khu")
_LUONG_TU = ("CÁC", "NHỮNG")


def _cap_dia_danh(words: list[str]) -> list[str]:
    """``XÃ TÂN PHÚ HUYỆN SƠN TỊNH`` → ``xã Tân Phú huyện Sơn Tịnh``."""
    out: list[str] = []
    i = 0
    while i < len(words):
        n = _match(words, i, _CAP_HANH_CHINH)
        if n:
            out.extend(_thuong(w) for w in words[i:i + n])
            i += n
        else:
            out.append(_hoa_dau(words[i]))
            i += 1
    return out


def _dia_phuong(words: list[str]) -> int | None:
    """Index of the first administrative level word, if any (``XÃ HỘI`` is a field, not a commune)."""
    return next((i for i in range(len(words)) if _match(words, i, _CAP_HANH_CHINH)
                 and words[i:i + 2] != ["XÃ", "HỘI"]), None)


def ten_goi(ten: str, chu_quan: str | None = None) -> str:
    """The agency's name in running text, from the upper-case header name.

    ``UBND XÃ TÂN PHÚ`` → ``UBND xã Tân Phú``; ``BAN DÂN TỘC`` under ``UBND TỈNH QUẢNG NGÃI`` →
    ``Ban Dân tộc tỉnh Quảng Ngãi``; ``SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG`` → ``Sở Tài nguyên và Môi trường``.
    A name already written in lower case is taken as the writer wrote it. Inside the field, the place of the
    governing body keeps its capitals (``... CÁC KHU CÔNG NGHIỆP QUẢNG NGÃI`` under ``UBND TỈNH QUẢNG NGÃI``),
    a number after ``KHU VỰC`` or ``SỐ`` stays as written (``khu vực I``) and the words after ``SỐ 1`` are
    a name (``Trường THPT số 1 Tư Nghĩa``).
    """
    ten = " ".join(nfc(ten).split())
    if ten != viet_hoa(ten):
        return ten
    words = ten.split()
    out: list[str] = []
    n = _match(words, 0, _LOAI_CO_QUAN)
    if n:
        out.append(LOAI_CO_QUAN[" ".join(words[:n])])
    # a kind that names its field already ("Ban Quản lý") takes the rest lower-case: "Ban Quản lý dự án ..."
    capital = n == 0 or sum(w[:1].isupper() for w in out[0].split()) == 1
    place = _dia_phuong(words[n:])
    field = words[n:] if place is None else words[n:n + place]
    above = viet_hoa(" ".join(chu_quan.split())).split() if chu_quan else []
    where = _dia_phuong(above)
    # the governing body's place without its level ("QUẢNG NGÃI" of "UBND TỈNH QUẢNG NGÃI")
    home = above[where + _match(above, where, _CAP_HANH_CHINH):] if where is not None else []
    out.extend(_field(field, home, capital))
    if place is not None:
        out.extend(_cap_dia_danh(words[n + place:]))
    elif where is not None and not _contains(field, home):  # named once: not "... Quảng Ngãi tỉnh Quảng Ngãi"
        out.extend(_cap_dia_danh(above[where:]))
    return " ".join(out)


def _contains(words: list[str], part: list[str]) -> bool:
    return bool(part) and any(words[i:i + len(part)] == part for i in range(len(words) - len(part) + 1))


def _field(words: list[str], home: list[str], start: bool) -> list[str]:
    """The field of an agency's name: a capital on its first word (if ``start``) and after ``VÀ``, ``-``, a
    comma (if ``start``: "Sở Văn hóa, Thể thao và Du lịch", but "Ban Chỉ đạo phòng, chống tội phạm, tệ nạn xã
    hội") or ``CÁC``."""
    again = start
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        if home and words[i:i + len(home)] == home:  # a place inside the field: a proper name
            out.extend(_hoa_dau(x) for x in home)
            i += len(home)
            start = False
            continue
        if i and words[i - 1] in _TRUOC_SO and (_LA_MA.fullmatch(w) or any(c.isdigit() for c in w)):
            out.append(w)
            if words[i - 1] == "SỐ" and i + 1 < len(words):  # "SỐ 1 TƯ NGHĨA": a name follows the number
                out.extend(_hoa_dau(x) for x in words[i + 1:])
                break
        elif w in ("VÀ", "-", ",") or w.endswith(",") or w in _LUONG_TU:
            out.append(_thuong(w))
            start = again or w in _LUONG_TU
        else:
            out.append(_hoa_dau(w) if start else _thuong(w))
            start = False
        i += 1
    return out


def giua_cau(text: str) -> str:
    """A title embedded mid-sentence: first letter lower-cased unless it opens with a proper noun.

    ``Chuyển đổi số năm 2024`` → ``chuyển đổi số năm 2024``; ``Quảng Ngãi ...``, ``UBND ...``,
    ``Chính phủ ...`` keep their capital.
    """
    words = text.split()
    if not words:
        return text
    first = words[0]
    if text.startswith(DANH_TU_RIENG) or first.upper() == first and len(first) > 1 and first.isalpha():
        return text
    if not first[:1].isupper():
        return text
    if len(words) > 1 and words[1][:1].isupper():  # a name of several capitalised syllables: Tân Phú
        return text
    return first[:1].lower() + text[1:]


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


def kem_theo(loai: str, so_vb: int | str | None, ky_hieu_vb: str, ngay: dt.date | None, nam: int | None,
             co_quan: str) -> str:
    """An appendix's line ``(Kèm theo Kế hoạch số 05/KH-BDT ngày 05 tháng 01 năm 2023 của Ban Dân tộc
    tỉnh)``; a draft keeps the number and date blank, as its header does."""
    return f"(Kèm theo {loai} số {so_hieu(so_vb, ky_hieu_vb)} {ngay_dai(ngay, nam)} của {co_quan})"
