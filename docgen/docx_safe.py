"""Open a .docx that may come from anywhere, safely.

No XML entity expansion or DTDs, bounded member sizes and compression ratios
(zip bombs), a clear Vietnamese message for a file that is not a .docx.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from .errors import DocgenError, Problem
from .ooxml import SAFE_PARSER

MAX_MEMBER = 64 * 1024 * 1024  # bytes, uncompressed
MAX_TOTAL = 256 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, for members over 1 MiB


class SafeDocx:
    """The XML parts of a .docx, read with limits."""

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        try:
            self.zip = zipfile.ZipFile(path)
        except FileNotFoundError:
            raise DocgenError(Problem("không tìm thấy tệp", self.path)) from None
        except (zipfile.BadZipFile, OSError):
            raise DocgenError(Problem("không phải tệp Word .docx (không đọc được dạng nén zip)", self.path)) from None
        infos = self.zip.infolist()
        total = 0
        for info in infos:
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > MAX_MEMBER or total > MAX_TOTAL or (info.file_size > 2**20 and ratio > MAX_RATIO):
                raise DocgenError(Problem(f"tệp nén bất thường (phần {info.filename} giải nén ra {info.file_size} "
                                          "byte): từ chối để an toàn", self.path))
        self.names = {i.filename for i in infos}
        if "word/document.xml" not in self.names:
            raise DocgenError(Problem("không phải tệp Word .docx (thiếu word/document.xml)", self.path))

    def raw(self, name: str) -> bytes | None:
        return self.zip.read(name) if name in self.names else None

    def xml(self, name: str) -> etree._Element | None:
        data = self.raw(name)
        if data is None:
            return None
        head = data[:2048].lstrip()
        if b"<!DOCTYPE" in head or b"<!ENTITY" in data[:65536]:
            raise DocgenError(Problem(f"phần {name} có khai báo DOCTYPE/thực thể XML: từ chối để an toàn", self.path))
        try:
            return etree.fromstring(data, SAFE_PARSER)
        except etree.XMLSyntaxError as exc:
            raise DocgenError(Problem(f"phần {name} không phải XML hợp lệ ({exc})", self.path)) from None
