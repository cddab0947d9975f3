"""Domain facts that several modules use, one home each.

- the states of a task in a progress report and their words;
- the ``# TODO(...)`` markers a person still has to resolve in a source;
- the default labels of a task's fields and the other wordings plans use for them.

Document types and their abbreviations (Phụ lục III) live in ``vn.py`` with the other
Decree 30 writing rules; document kinds docgen renders live in ``kinds.py``.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Literal

# ---- task states (báo cáo: tien_do.<id>.trang_thai) -------------------------------------------

TrangThai = Literal["hoan_thanh", "dang_thuc_hien", "chua_thuc_hien"]
HOAN_THANH: TrangThai = "hoan_thanh"
DANG_THUC_HIEN: TrangThai = "dang_thuc_hien"
CHUA_THUC_HIEN: TrangThai = "chua_thuc_hien"
# the words of running text; the appendix table capitalises them
TRANG_THAI: dict[str, str] = {HOAN_THANH: "đã hoàn thành", DANG_THUC_HIEN: "đang thực hiện",
                              CHUA_THUC_HIEN: "chưa thực hiện"}
# the same states as a person picks them in a progress workbook's drop-down (docgen tien-do)
TRANG_THAI_CHON: dict[str, str] = {HOAN_THANH: "Hoàn thành", DANG_THUC_HIEN: "Đang thực hiện",
                                   CHUA_THUC_HIEN: "Chưa thực hiện"}


def trang_thai_bang(trang_thai: str) -> str:
    """The word of the appendix table: ``Đã hoàn thành``."""
    text = TRANG_THAI[trang_thai]
    return text[0].upper() + text[1:]


# ---- markers left in sources for a person -----------------------------------------------------

TODO_ROLLOVER = "# TODO(rollover)"
TODO_IMPORT = "# TODO(import)"
TODO_MARKERS = (TODO_ROLLOVER, TODO_IMPORT)

# ---- task field labels ------------------------------------------------------------------------

# field → the label a plan prints by default (first) and other labels plans use for it (import reads all)
NHAN_TRUONG: dict[str, tuple[str, ...]] = {
    "noi_dung": ("Nội dung",),
    "chi_dao": ("Chỉ đạo thực hiện", "Lãnh đạo chỉ đạo", "Chỉ đạo"),
    "chu_tri": ("Phòng tham mưu", "Cơ quan chủ trì", "Đơn vị chủ trì", "Cơ quan thực hiện", "Đơn vị thực hiện",
                "Chủ trì thực hiện", "Chủ trì", "Cơ quan tham mưu", "Đơn vị tham mưu"),
    "phoi_hop": ("Phối hợp", "Cơ quan phối hợp", "Đơn vị phối hợp", "Phòng phối hợp", "Phối hợp thực hiện"),
    "san_pham": ("Sản phẩm", "Kết quả, sản phẩm", "Kết quả"),
    "thoi_gian": ("Thời gian thực hiện", "Thời gian hoàn thành", "Thời hạn hoàn thành", "Thời hạn", "Thời gian"),
}
NHAN_MAC_DINH: dict[str, str] = {field: labels[0] for field, labels in NHAN_TRUONG.items()}
FIELD_OF: dict[str, str] = {label: field for field, labels in NHAN_TRUONG.items() for label in labels}


# ---- a task's name as a produced .docx remembers it (docProps/custom.xml) -------------------------


def name_key(ten: str) -> str:
    """A short fingerprint of a task's name, the same however Word or the importer spaced, cased or ended it:
    ``docgen import`` maps a task back to its id by its name, not by its position."""
    plain = re.sub(r"\s+", " ", unicodedata.normalize("NFC", ten)).strip().rstrip(":.; ").casefold()
    return hashlib.blake2s(plain.encode("utf-8"), digest_size=5).hexdigest()
