"""Open a .docx that may come from anywhere, safely.

No XML entity expansion or DTDs; bounded member sizes and compression ratios (zip
bombs), counted while decompressing, so a zip whose headers lie about sizes costs no
more than the limit; only regular files; a clear Vietnamese message for a file that is
not a .docx.
"""
from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from lxml import etree

from .errors import DocgenError, Problem
from .inputs import MAX_DOCX, regular_file
from .ooxml import SAFE_PARSER

MAX_MEMBER = 16 * 1024 * 1024  # bytes, uncompressed (the largest real document.xml is ~1 MB)
MAX_TOTAL = 64 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, for members over 1 MiB
MAX_MEMBERS = 10_000
_CHUNK = 64 * 1024

NOT_DOCX = "không phải tệp Word .docx (không đọc được dạng nén zip)"


def _refused(path: str, what: str) -> DocgenError:
    return DocgenError(Problem(f"tệp nén bất thường ({what}): từ chối để an toàn", path))


class SafeZip:
    """A zip read with limits: declared sizes checked, real sizes counted while decompressing."""

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        regular_file(path, MAX_DOCX)
        try:
            self.zip = zipfile.ZipFile(path)
            infos = self.zip.infolist()
        except FileNotFoundError:
            raise DocgenError(Problem("không tìm thấy tệp", self.path)) from None
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
            raise DocgenError(Problem(NOT_DOCX, self.path)) from None
        if len(infos) > MAX_MEMBERS:
            raise _refused(self.path, f"{len(infos)} phần")
        total = 0
        for info in infos:
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > MAX_MEMBER or total > MAX_TOTAL or (info.file_size > 2**20 and ratio > MAX_RATIO):
                raise _refused(self.path, f"phần {info.filename} giải nén ra {info.file_size} byte")
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise _refused(self.path, f"phần {info.filename} nén theo kiểu không dùng trong .docx")
        self.infos = {i.filename: i for i in infos}
        self.names = set(self.infos)
        self._read_total = 0

    def raw(self, name: str) -> bytes | None:
        """The bytes of member ``name`` (None if absent), decompressed in chunks and counted."""
        info = self.infos.get(name)
        if info is None:
            return None
        limit = min(info.file_size, MAX_MEMBER)
        chunks: list[bytes] = []
        size = 0
        try:
            with self.zip.open(info) as fh:
                while True:
                    chunk = fh.read(_CHUNK)  # zipfile decompresses at most about this much per call
                    if not chunk:
                        break
                    size += len(chunk)
                    self._read_total += len(chunk)
                    if size > limit or self._read_total > MAX_TOTAL:
                        raise _refused(self.path, f"phần {name} dài hơn kích thước khai báo")
                    chunks.append(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError,
                RuntimeError):
            # RuntimeError: encrypted member; BadZipFile: CRC mismatch (a header that lies, a damaged file)
            raise DocgenError(Problem(f"tệp Word bị hỏng (không giải nén được phần {name})", self.path)) from None
        return b"".join(chunks)

    def members(self) -> list[tuple[str, bytes]]:
        """Every member in zip order, read with the limits."""
        return [(name, self.raw(name) or b"") for name in self.infos]


class SafeDocx(SafeZip):
    """The XML parts of a .docx, read with limits."""

    def __init__(self, path: Path | str) -> None:
        super().__init__(path)
        if "word/document.xml" not in self.names:
            raise DocgenError(Problem("không phải tệp Word .docx (thiếu word/document.xml)", self.path))

    def xml(self, name: str) -> etree._Element | None:
        data = self.raw(name)
        if data is None:
            return None
        return parse_part(data, name, self.path)


def parse_part(data: bytes, name: str, path: str) -> etree._Element:
    """An XML part parsed without DTDs or entities; DocgenError for anything else."""
    head = data[:2048].lstrip()
    if b"<!DOCTYPE" in head or b"<!ENTITY" in data[:65536]:
        raise DocgenError(Problem(f"phần {name} có khai báo DOCTYPE/thực thể XML: từ chối để an toàn", path))
    try:
        root = etree.fromstring(data, SAFE_PARSER)
    except etree.XMLSyntaxError as exc:
        raise DocgenError(Problem(f"phần {name} không phải XML hợp lệ ({exc})", path)) from None
    if root is None:
        raise DocgenError(Problem(f"phần {name} không phải XML hợp lệ (rỗng)", path))
    return root
