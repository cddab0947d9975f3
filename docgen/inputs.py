"""Read input files with limits: regular files only (never a device, pipe or directory),
bounded sizes, read no further than the limit even if the file grows meanwhile.

Every limit here is stated in the README (section "Giới hạn").
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import DocgenError, Problem

MAX_SOURCE = 4 * 1024 * 1024  # a YAML source (the largest real plan is ~40 kB)
# a units list in YAML: ~530 bytes a unit, so 10,600 communes take 5.6 MB; 8 MB (~15,000 units) loads in about
# 300 MB (PyYAML's nodes: ~40 bytes of memory per byte), within the 500 MB every input is held to
MAX_UNITS = 8 * 1024 * 1024
MAX_TEXT = 8 * 1024 * 1024  # a .txt given to `import`
MAX_DOCX = 64 * 1024 * 1024  # a .docx (document or template)


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def too_big(path: Path | str, size: int, limit: int) -> DocgenError:
    return DocgenError(Problem(f"tệp quá lớn ({_n(size)} byte; tối đa {_n(limit)} byte)", str(path)))


def regular_file(path: Path | str, limit: int) -> int:
    """The size of ``path``; DocgenError unless it is a regular file of at most ``limit`` bytes."""
    name = str(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise DocgenError(Problem("không tìm thấy tệp", name)) from None
    except OSError as exc:
        raise DocgenError(Problem(f"không đọc được tệp ({exc.strerror or exc})", name)) from None
    except ValueError:  # an embedded NUL in the name
        raise DocgenError(Problem("tên tệp không hợp lệ", name)) from None
    if stat.S_ISDIR(st.st_mode):
        raise DocgenError(Problem("là thư mục, không phải tệp", name))
    if not stat.S_ISREG(st.st_mode):
        raise DocgenError(Problem("không phải tệp thường (thiết bị hay ống dẫn): không đọc", name))
    if st.st_size > limit:
        raise too_big(name, st.st_size, limit)
    return st.st_size


def read_bytes(path: Path | str, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes."""
    regular_file(path, limit)
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise DocgenError(Problem(f"không đọc được tệp ({exc.strerror or exc})", str(path))) from None
    if len(data) > limit:  # it grew after the check
        raise too_big(path, len(data), limit)
    return data


def read_text(path: Path | str, limit: int, encoding: str = "utf-8-sig") -> str:
    """The text of a regular file; DocgenError with the line of the first byte that is not ``encoding``."""
    raw = read_bytes(path, limit)
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DocgenError(Problem("tệp không phải văn bản UTF-8", str(path), line)) from None
