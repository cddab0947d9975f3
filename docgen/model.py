"""The data model: every source kind (plan, report, units, ...), validated with pydantic,
and the core properties of a produced file.

Field names are the Vietnamese domain words used unchanged in YAML keys and in
template variables (one name from YAML to template).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StrictFloat,
    StrictInt,
    Tag,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from . import vn
from .deadline import MA_HAN, MA_KY, HanError, chuan_ky, chuan_ma
from .domain import NHAN_MAC_DINH, TrangThai
from .loader import Quoted

_SPACES = re.compile(r"[^\S\u00a0]+")


def _fold(text: str) -> str:
    """Runs of whitespace become one space; a no-break space is kept (typed on purpose, or a draft's blank)."""
    if "\u00a0" in text:
        return _SPACES.sub(" ", text).strip()
    return " ".join(text.split())  # the same without a no-break space (both split on str.isspace), 4× faster


def _parse_ngay(value: Any) -> Any:
    """Accept ``2023-01-05``, ``05/01/2023`` and ``5/1/2023``; explain what is wrong otherwise."""
    if value is None or isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if text == "":
        return None
    try:
        return vn.doc_ngay(text)
    except ValueError as exc:
        raise PydanticCustomError("ngay", "{why}", {"why": str(exc)}) from None


def _han(value: Any) -> Any:
    """A task's machine deadline in any accepted spelling, stored in one form (``quy_I``, ISO dates)."""
    value = _blank_to_none(value)
    if value is None:
        return None
    try:
        return chuan_ma(str(value))
    except HanError as exc:
        raise PydanticCustomError("han", "{why}", {"why": str(exc)}) from None


def _text_or_lines(value: Any) -> Any:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise PydanticCustomError("dong", "phải là một đoạn văn bản hoặc danh sách các dòng (mỗi dòng bắt đầu bằng '- ')")


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and value.strip() == "" else value


def _so_as_written(value: Any) -> Any:
    """A document number: ``5`` or ``"05"`` is the number 5 (printed 05); ``"0204"`` keeps its zeros."""
    value = _blank_to_none(value)
    if isinstance(value, str):
        if not value.strip().isdigit():
            raise PydanticCustomError("int_parsing", "phải là số nguyên")
        if not (value.strip().startswith("0") and len(value.strip()) > 2):
            return int(value)
        return value.strip()
    return value


Text = Annotated[str, AfterValidator(_fold)]
NonEmpty = Annotated[str, AfterValidator(_fold), Field(min_length=1)]
Ngay = Annotated[dt.date | None, BeforeValidator(_parse_ngay)]
TextOrLines = Annotated[Text | list[Text], BeforeValidator(_text_or_lines)]
Id = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]+$")]



class Base(BaseModel):
    # defer_build: build each validator once, on first use, not at import (and not once per rebuild)
    model_config = ConfigDict(extra="forbid", defer_build=True)


class CoQuan(Base):
    """ô 2: the issuing agency and the one above it."""

    chu_quan: Text | None = None
    ten: NonEmpty
    viet_tat: NonEmpty
    ten_goi: Text | None = None  # the name in running text, e.g. "Ban Dân tộc tỉnh"


class VanBan(Base):
    """A cited document, kept structured so its text is computed (vn.trich_dan)."""

    id: Id | None = None
    loai: NonEmpty
    so_ky_hieu: Text | None = None
    ngay: Ngay = None
    co_quan: Text | None = None
    trich_yeu: Text | None = None

    def van_ban(self, day_du: bool = True) -> str:
        return vn.trich_dan(self.loai, self.so_ky_hieu, self.ngay, self.co_quan, self.trich_yeu, day_du)


class MoDau(Base):
    """Opening: ``<truoc> <citations joined by '; '>, <sau>``; ``tung_dong``: a paragraph per citation, then
    ``sau`` (vn.mo_dau)."""

    truoc: Text = "Thực hiện"
    sau: NonEmpty
    tung_dong: bool = Field(False, description="Mỗi văn bản căn cứ một đoạn ('Căn cứ ...;'), rồi câu 'sau' thành "
                                               "đoạn riêng; mặc định: cả câu mở đầu một đoạn")


class Nhan(Base):
    """Labels of task fields, as the plan prints them (data, not code)."""

    noi_dung: Text = NHAN_MAC_DINH["noi_dung"]
    chi_dao: Text = NHAN_MAC_DINH["chi_dao"]
    chu_tri: Text = NHAN_MAC_DINH["chu_tri"]
    phoi_hop: Text = NHAN_MAC_DINH["phoi_hop"]
    san_pham: Text = NHAN_MAC_DINH["san_pham"]
    thoi_gian: Text = NHAN_MAC_DINH["thoi_gian"]


class NhanRieng(Base):
    """Per-task label overrides; unset ones fall back to the plan's labels."""

    noi_dung: Text | None = None
    chi_dao: Text | None = None
    chu_tri: Text | None = None
    phoi_hop: Text | None = None
    san_pham: Text | None = None
    thoi_gian: Text | None = None


def _ho_ten(value: str) -> str:
    found = vn.HOC_HAM_HOC_VI.match(value)
    if found:
        raise PydanticCustomError(
            "ho_ten", "bỏ '{p}' trước họ tên: Nghị định 30 chỉ ghi họ và tên người ký, không kèm học hàm, học vị "
            "(ghi '{rest}')", {"p": found.group().strip(), "rest": value[found.end():]})
    return value


def _without(prefix: str, key: str) -> Any:
    """Drop the authority prefix docgen writes itself (``TM. Ủy ban nhân dân`` → ``Ủy ban nhân dân``)."""
    def strip(value: str | None) -> str | None:
        found = vn.TIEN_TO_KY.match(value or "")
        if found and found.group(1).upper() == prefix:
            return value[found.end():]  # type: ignore[index]
        if found:
            raise PydanticCustomError(
                "tien_to", "không ghi '{p}' ở '{k}': docgen tự viết {hint}",
                {"p": found.group().strip(), "k": key,
                 "hint": "TM. trước 'thay_mat'; KT./Q./TL./TUQ. theo 'quyen_han'"})
        return value
    return AfterValidator(strip)


def _chuc_vu(value: str) -> str:
    found = vn.TIEN_TO_KY.match(value)
    if found:
        raise PydanticCustomError(
            "tien_to", "không ghi '{p}' trong 'chuc_vu': ghi 'quyen_han: {q}'{more} và 'chuc_vu' chỉ là chức vụ "
            "người ký (ví dụ Phó Chủ tịch); docgen tự viết dòng {p}",
            {"p": found.group().strip(), "q": found.group(1).upper(),
             "more": "" if found.group(1).upper() in ("Q", "TM") else ", 'thu_truong' (ví dụ Chủ tịch)"})
    return value


def _muc_noi_nhan(value: str) -> str:
    if re.match(r"^\s*[-–+•*]?\s*Lưu\s*:", value, re.I):
        raise PydanticCustomError("noi_nhan", "nơi lưu ghi ở khóa 'luu' (ví dụ luu: [VT, VP]), không ghi trong "
                                              "'noi_nhan'")
    item = vn.bo_dau_dong(value)
    if not item:
        raise PydanticCustomError("string_too_short", "không được để trống")
    return item


# A recipient as data: "- " and ";" that docgen writes itself are dropped if typed.
NoiNhan = Annotated[str, AfterValidator(_fold), AfterValidator(_muc_noi_nhan)]


class NguoiKy(Base):
    """ô 7: signing authority, title lines and name."""

    thay_mat: Annotated[Text | None, _without("TM", "thay_mat")] = None
    quyen_han: Annotated[Literal["KT", "Q", "TL", "TUQ"] | None, BeforeValidator(_blank_to_none)] = None
    thu_truong: Text | None = None
    chuc_vu: Annotated[NonEmpty, AfterValidator(_chuc_vu)]
    ho_ten: Annotated[NonEmpty, AfterValidator(_ho_ten)]

    @model_validator(mode="after")
    def _head_prefix(self) -> NguoiKy:
        """``thu_truong: KT. Chủ tịch`` with ``quyen_han: KT``: the prefix docgen writes is dropped."""
        head = self.thu_truong or ""
        found = vn.TIEN_TO_KY.match(head)
        if found:
            if found.group(1).upper() != (self.quyen_han or ""):
                raise PydanticCustomError(
                    "tien_to", "không ghi '{p}' ở 'thu_truong': docgen tự viết dòng theo 'quyen_han'",
                    {"p": found.group().strip()})
            self.thu_truong = head[found.end():]
        return self

    @model_validator(mode="after")
    def _needs_head(self) -> NguoiKy:
        if self.quyen_han in ("KT", "TL", "TUQ") and not self.thu_truong:
            raise PydanticCustomError(
                "nguoi_ky", "quyền hạn {q}. cần 'thu_truong' (chức vụ người đứng đầu, ví dụ TRƯỞNG BAN)",
                {"q": self.quyen_han})
        return self

    def dong(self) -> list[str]:
        return vn.dong_ky(self.chuc_vu, self.quyen_han, self.thay_mat, self.thu_truong)


# ---- body blocks -------------------------------------------------------------------------


class DongCon(Base):
    """A list item that has its own sub-list (``-`` then ``+``)."""

    doan: NonEmpty
    gach: list[MucDanhSach] = []


MucDanhSach = Annotated[
    Annotated[NonEmpty, Tag("Dong")] | Annotated[DongCon, Tag("DongCon")],
    Discriminator(lambda v: "Dong" if isinstance(v, str) else (
        "DongCon" if isinstance(v, (dict, DongCon)) else None),
                  custom_error_type="dong", custom_error_message="mỗi dòng phải là văn bản hoặc có khóa 'doan'"),
]


class Gach(Base):
    """A ``-`` list."""

    gach: list[MucDanhSach]


class Dem(Base):
    """An enumerated ``(1)``, ``(2)`` list."""

    dem: list[MucDanhSach]


class Khoan(Base):
    """A numbered item (``1.``; ``1.1.`` inside another khoan). Bold heading when it has content."""

    khoan: NonEmpty
    noi_dung: list[Khoi] = []
    danh_so: Literal["chu_cai", "thap_phan"] | None = None


class Diem(Base):
    """A lettered point (``a)``)."""

    diem: NonEmpty
    noi_dung: list[Khoi] = []


class NhiemVu(Base):
    """A task: numbered like its siblings, its fields printed as labelled lines."""

    nhiem_vu: NonEmpty
    id: Id
    noi_dung: list[Khoi] = []
    chi_dao: TextOrLines | None = None
    chu_tri: TextOrLines | None = None
    phoi_hop: TextOrLines | None = None
    san_pham: TextOrLines | None = None
    thoi_gian: TextOrLines | None = None
    han: Annotated[str | None, BeforeValidator(_han), Field(description="Thời hạn máy đọc được: " + MA_HAN)] = None
    nhan: NhanRieng | None = None
    danh_so: Literal["chu_cai", "thap_phan"] | None = None

    @property
    def ten(self) -> str:
        return self.nhiem_vu


class Muc(Base):
    """A section (``I.``, ``II.``), upper-case bold."""

    muc: NonEmpty
    noi_dung: list[Khoi] = []


# ---- tables, footnotes, appendices ------------------------------------------------------------


class DoanChuThich(Base):
    """A paragraph carrying a footnote (``chu_thich``), printed as a real Word footnote."""

    doan: NonEmpty
    chu_thich: NonEmpty


GiaTri = Annotated[str, AfterValidator(_fold)] | StrictInt | StrictFloat | None


class OBang(Base):
    """A table cell with more than its value: merged (``gop`` columns, ``gop_dong`` rows) or with a footnote."""

    gia_tri: GiaTri = None
    gop: Annotated[int, Field(ge=1, le=60)] = 1
    gop_dong: Annotated[int, Field(ge=1, le=20)] = 1
    chu_thich: NonEmpty | None = None

    @field_validator("gia_tri")
    @classmethod
    def _finite(cls, v: Any) -> Any:
        if isinstance(v, float) and (v != v or v in (float("inf"), float("-inf"))):
            raise PydanticCustomError("so", "số không hợp lệ")
        return v


_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def _number(value: Any) -> Any:
    """A cell written as a plain YAML number (``1234.5``) is a number; quoted (``"2023"``) it stays text."""
    if isinstance(value, str) and not isinstance(value, Quoted) and _PLAIN_NUMBER.fullmatch(value.strip()):
        text = value.strip()
        return float(text) if "." in text else int(text)
    return value


def _cell(value: Any) -> Any:
    if isinstance(value, OBang):
        return value
    if isinstance(value, dict):
        return {**value, "gia_tri": _number(value["gia_tri"])} if "gia_tri" in value else value
    return {"gia_tri": _number(value)}


O = Annotated[OBang, BeforeValidator(_cell)]  # noqa: E741 - "ô", the Vietnamese word for a cell


class Cot(Base):
    """A column: its title, relative width and alignment (numbers default to the right)."""

    ten: NonEmpty
    rong: Annotated[float, Field(gt=0, le=100)] = 1
    can: Literal["trai", "giua", "phai"] | None = None


class NoiDungBang(Base):
    """A table: columns, header rows (default: the column titles), body rows, an optional total row."""

    ten: Text | None = None
    don_vi: Text | None = None
    cot: list[Cot] = Field(min_length=1, max_length=60)
    tieu_de: list[list[O]] | None = None
    dong: list[list[O]] = Field(min_length=1)
    tong: list[O] | None = None

    @model_validator(mode="after")
    def _shape(self) -> NoiDungBang:
        n = len(self.cot)
        rows = [("tieu_de", i, r) for i, r in enumerate(self.tieu_de or [])]
        below = [0] * n  # rows still covered by a cell above that spans down
        for part, i, row in rows:
            col = 0
            for k, cell in enumerate(row, 1):
                while col < n and below[col]:
                    col += 1
                if col + cell.gop > n:
                    raise PydanticCustomError("bang", "{part}[{i}]: các ô vượt quá {n} cột",
                                              {"part": part, "i": i + 1, "n": n})
                if any(below[col:col + cell.gop]):
                    raise PydanticCustomError("bang", "{part}[{i}]: ô thứ {k} chồng lên ô gộp dòng (gop_dong) của "
                                              "dòng trên", {"part": part, "i": i + 1, "k": k})
                for c in range(col, col + cell.gop):
                    below[c] = cell.gop_dong
                col += cell.gop
            while col < n and below[col]:
                col += 1
            if col != n:
                raise PydanticCustomError("bang", "{part}: dòng {i} có {k} cột, bảng có {n} cột",
                                          {"part": part, "i": i + 1, "k": col, "n": n})
            below = [max(0, b - 1) for b in below]
        if any(below):
            raise PydanticCustomError("bang", "tieu_de: ô gộp dòng (gop_dong) vượt quá số dòng tiêu đề", {})
        for part, body in (("dong", self.dong), ("tong", [self.tong] if self.tong else [])):
            for i, row in enumerate(body):
                if any(c.gop_dong != 1 for c in row):
                    raise PydanticCustomError("bang", "{part}: chỉ dòng tiêu đề được gộp dòng (gop_dong)",
                                              {"part": part})
                width = sum(c.gop for c in row)
                if width != n:
                    raise PydanticCustomError("bang", "{part}: dòng {i} có {k} cột, bảng có {n} cột",
                                              {"part": part, "i": i + 1, "k": width, "n": n})
        return self


class Bang(Base):
    """A table block."""

    bang: NoiDungBang


# The task-list appendix: column key → (title, relative width, alignment); a task field each, STT computed.
COT_NHIEM_VU: dict[str, tuple[str, float, str | None]] = {
    "stt": ("STT", 1.1, "giua"),
    "nhiem_vu": ("Nội dung nhiệm vụ", 4.6, None),
    "chi_dao": ("Chỉ đạo thực hiện", 2.6, None),
    "chu_tri": ("Cơ quan chủ trì", 3.2, None),
    "phoi_hop": ("Cơ quan phối hợp", 3.2, None),
    "thoi_gian": ("Thời gian thực hiện", 2.8, None),
    "san_pham": ("Sản phẩm", 3.8, None),
}


def tieu_de_bang_nhiem_vu(trich_yeu: str) -> str:
    """The task appendix's default title: ``Danh mục nhiệm vụ thực hiện công tác ... năm 2023``."""
    return f"Danh mục nhiệm vụ {trich_yeu[:1].lower()}{trich_yeu[1:]}"


CotNhiemVu = Literal["stt", "nhiem_vu", "chi_dao", "chu_tri", "phoi_hop", "thoi_gian", "san_pham"]


class BangNhiemVu(Base):
    """The plan's tasks as a table, computed from the body (same data, same numbering)."""

    cot: list[CotNhiemVu] = Field(default=["stt", "nhiem_vu", "chu_tri", "phoi_hop", "thoi_gian", "san_pham"],
                                  min_length=1)
    ten_cot: dict[CotNhiemVu, NonEmpty] = {}


class PhuLuc(Base):
    """An appendix: its own section (``huong: ngang`` for landscape), numbered from page 1."""

    tieu_de: NonEmpty | None = None
    huong: Literal["doc", "ngang"] | None = None
    noi_dung: list[KhoiGoc] = []
    bang_nhiem_vu: BangNhiemVu | None = None

    @model_validator(mode="after")
    def _has_content(self) -> PhuLuc:
        if not self.noi_dung and self.bang_nhiem_vu is None:
            raise PydanticCustomError("phu_luc", "phụ lục cần 'noi_dung' hoặc 'bang_nhiem_vu'")
        if self.tieu_de is None and self.bang_nhiem_vu is None:
            raise PydanticCustomError("phu_luc", "phụ lục cần 'tieu_de'")
        return self

    @property
    def ngang(self) -> bool:
        return (self.huong or ("ngang" if self.bang_nhiem_vu else "doc")) == "ngang"


BLOCK_KEYS = {"muc": "Muc", "khoan": "Khoan", "diem": "Diem", "nhiem_vu": "NhiemVu", "gach": "Gach",
              "dem": "Dem", "bang": "Bang", "doan": "DoanChuThich"}


def _block_tag(value: Any) -> str | None:
    if isinstance(value, str):
        return "Doan"
    if isinstance(value, BaseModel):  # blocks built in Python (reports)
        return type(value).__name__
    if isinstance(value, dict):
        for key, tag in BLOCK_KEYS.items():
            if key in value:
                return tag
    return None


_BLOCK_ERROR = ("khối nội dung không nhận dạng được: cần một đoạn văn bản hoặc một trong các khóa "
                + ", ".join(BLOCK_KEYS))

Khoi = Annotated[
    Annotated[NonEmpty, Tag("Doan")] | Annotated[Khoan, Tag("Khoan")] | Annotated[Diem, Tag("Diem")]
    | Annotated[NhiemVu, Tag("NhiemVu")] | Annotated[Gach, Tag("Gach")] | Annotated[Dem, Tag("Dem")]
    | Annotated[Bang, Tag("Bang")] | Annotated[DoanChuThich, Tag("DoanChuThich")],
    Discriminator(_block_tag, custom_error_type="khoi", custom_error_message=_BLOCK_ERROR),
]
KhoiGoc = Annotated[
    Annotated[NonEmpty, Tag("Doan")] | Annotated[Muc, Tag("Muc")] | Annotated[Khoan, Tag("Khoan")]
    | Annotated[Diem, Tag("Diem")] | Annotated[NhiemVu, Tag("NhiemVu")] | Annotated[Gach, Tag("Gach")]
    | Annotated[Dem, Tag("Dem")] | Annotated[Bang, Tag("Bang")] | Annotated[DoanChuThich, Tag("DoanChuThich")],
    Discriminator(_block_tag, custom_error_type="khoi", custom_error_message=_BLOCK_ERROR),
]


class KeHoach(Base):
    """A plan: the header, the opening, the body, the recipients and the signer."""

    loai: Literal["ke_hoach"]
    co_quan: CoQuan
    # a number as written: 5 is printed 05; "0204" (a number typed with its zeros) is printed as it is
    so: Annotated[Annotated[int, Field(ge=1)] | Annotated[str, Field(pattern=r"^0\d{2,8}$")] | None,
                  BeforeValidator(_so_as_written)] = None
    dia_danh: NonEmpty
    ngay_ban_hanh: Ngay = None
    nam: Annotated[int, Field(ge=1980, le=2099)]
    trich_yeu: NonEmpty
    can_cu: list[VanBan] = []
    mo_dau: MoDau
    nhan: Nhan = Nhan()
    noi_dung: list[KhoiGoc] = Field(min_length=1)
    noi_nhan: list[NoiNhan] = Field(min_length=1)
    luu: list[NonEmpty] = ["VT"]
    nguoi_ky: NguoiKy
    phu_luc: list[PhuLuc] = []

    @field_validator("ngay_ban_hanh")
    @classmethod
    def _not_before_1980(cls, v: dt.date | None) -> dt.date | None:
        if v is not None and not 1980 <= v.year <= 2099:
            raise PydanticCustomError("ngay", "năm ban hành phải từ 1980 đến 2099")
        return v


# ---- report (loai: bao_cao) ---------------------------------------------------------------


class TienDo(Base):
    """Progress of one plan task in the period."""

    trang_thai: TrangThai
    ket_qua: Text | None = None
    van_ban: list[VanBan] = []
    ten: Text | None = None  # the task's name when the report was written: catches a renamed task
    ghi_chu: Text | None = None


class DanhGia(Base):
    uu_diem: list[NonEmpty] = []
    han_che: list[NonEmpty] = []
    nguyen_nhan: list[NonEmpty] = []


So = Annotated[Annotated[int, Field(ge=1)] | None, BeforeValidator(_blank_to_none)]


def _ky(v: Any) -> Any:
    try:
        return chuan_ky(v) if isinstance(v, str) else v
    except HanError as exc:
        raise PydanticCustomError("ky", "{why}", {"why": str(exc)}) from None

DeMuc = Literal["chi_dao", "ket_qua", "danh_gia", "phuong_huong", "kien_nghi"]


class BaoCao(Base):
    """A periodic report on a plan."""

    loai: Literal["bao_cao"]
    ke_hoach: NonEmpty
    ky: Annotated[Literal["quy_1", "6_thang", "9_thang", "nam"], BeforeValidator(_ky),
                  Field(description="Kỳ báo cáo: " + MA_KY)]
    so: So = None
    ngay_ban_hanh: Ngay = None
    co_quan: CoQuan | None = None
    dia_danh: Text | None = None
    trich_yeu: Text | None = None
    kinh_gui: list[NonEmpty] = []
    mo_dau: Text | None = None
    de_muc: dict[DeMuc, NonEmpty] | None = None
    chi_dao: list[NonEmpty] = []
    tien_do: dict[str, TienDo] = {}
    tien_do_tu: list[NonEmpty] = []  # progress workbooks (docgen tien-do), glob patterns relative to this file
    danh_gia: DanhGia = DanhGia()
    phuong_huong: list[NonEmpty] = []
    kien_nghi: list[NonEmpty] = []
    ket_luan: Text | None = None
    noi_nhan: list[NoiNhan] = Field(min_length=1)
    luu: list[NonEmpty] = ["VT"]
    nguoi_ky: NguoiKy | None = None
    phu_luc: list[PhuLuc] = []


# ---- sub-units (loai: don_vi) -------------------------------------------------------------


class DonVi(Base):
    """One sub-unit: its code, its share of the tasks, and any top-level key of the source it changes.

    The typed keys are the usual ones (editors suggest them); any other top-level key of the source
    (``trich_yeu``, ``mo_dau``, ``kinh_gui``...) is accepted here and validated as the source validates it.
    """

    model_config = ConfigDict(extra="allow", defer_build=True)

    ma: NonEmpty
    co_quan: CoQuan | None = None
    dia_danh: Text | None = None
    nguoi_ky: NguoiKy | None = None
    noi_nhan: list[NoiNhan] | None = None
    luu: list[NonEmpty] | None = None
    nhiem_vu: list[Id] | None = None
    chu_tri: Text | None = None


class DanhSachDonVi(Base):
    loai: Literal["don_vi"]
    don_vi: list[Any]


class DanhSachDonViSchema(Base):
    """For editors only: the file's shape with every unit typed (validation goes unit by unit)."""

    loai: Literal["don_vi"]
    don_vi: list[DonVi]


# ---- the produced file ----------------------------------------------------------------------


@dataclass(frozen=True)
class Properties:
    """Core properties written into docProps/core.xml (from data, never the clock)."""

    title: str
    subject: str
    creator: str
    date: dt.date | None
    ids: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (kind, ids): `docgen import` of the file gets them back


# ---- the paper trail around a plan or a report (loai: to_trinh, quyet_dinh, cong_van) ----------


class ToTrinh(Base):
    """A Tờ trình asking the head to issue a plan; its content is drawn from the plan it names."""

    loai: Literal["to_trinh"]
    ke_hoach: NonEmpty
    so: So = None
    ngay_ban_hanh: Ngay = None
    co_quan: CoQuan | None = None
    dia_danh: Text | None = None
    kinh_gui: list[NonEmpty] = Field(min_length=1)
    su_can_thiet: list[NonEmpty] = Field(min_length=1)
    de_nghi: Text | None = None
    noi_nhan: list[NoiNhan] = Field(min_length=1)
    luu: list[NonEmpty] = ["VT"]
    nguoi_ky: NguoiKy | None = None


class QuyetDinh(Base):
    """A Quyết định issuing a plan (Mẫu 1.3): the plan is its attachment."""

    loai: Literal["quyet_dinh"]
    ke_hoach: NonEmpty
    so: So = None
    ngay_ban_hanh: Ngay = None
    co_quan: CoQuan | None = None
    dia_danh: Text | None = None
    tham_quyen: NonEmpty  # the issuer's title: "Trưởng Ban Dân tộc tỉnh Quảng Ngãi"
    can_cu: list[VanBan] = Field(min_length=1)
    theo_de_nghi: NonEmpty  # "Chánh Văn phòng Ban"
    hieu_luc: NonEmpty = "Quyết định này có hiệu lực kể từ ngày ký."
    thi_hanh: list[NonEmpty] = Field(min_length=1)  # who carries the decision out (Điều 3)
    noi_nhan: list[NoiNhan] = Field(min_length=1)
    luu: list[NonEmpty] = ["VT"]
    nguoi_ky: NguoiKy | None = None


class CongVan(Base):
    """A Công văn sending a report (or a plan) it names."""

    loai: Literal["cong_van"]
    bao_cao: NonEmpty | None = None
    ke_hoach: NonEmpty | None = None
    so: So = None
    ngay_ban_hanh: Ngay = None
    co_quan: CoQuan | None = None
    dia_danh: Text | None = None
    trich_yeu: Text | None = None  # after "V/v "; computed from what it sends when absent
    kinh_gui: list[NonEmpty] = Field(min_length=1)
    noi_dung: list[NonEmpty] = []  # paragraphs after the computed opening
    noi_nhan: list[NoiNhan] = []
    luu: list[NonEmpty] = ["VT"]
    nguoi_ky: NguoiKy | None = None

    @model_validator(mode="after")
    def _one_document(self) -> CongVan:
        if (self.bao_cao is None) == (self.ke_hoach is None):
            raise PydanticCustomError("cong_van", "ghi đúng một trong hai khóa 'bao_cao' hoặc 'ke_hoach' "
                                                  "(văn bản công văn gửi đi)")
        return self
