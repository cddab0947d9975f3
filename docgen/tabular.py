"""Tables as offices save them: .xlsx workbooks, and CSV in whatever encoding and separator Excel chose.

A table is a header row (column names) and data rows, every cell a string (NFC, stripped), each row
and cell with its location for messages: the line for CSV, ``Sheet!C12`` for a workbook. What cannot be
decided (encoding, separator) or is probably a slip (a stray quote, two columns with one name, data
beyond the header) is an error naming the row, never a guess and never a traceback.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from python_calamine import CalamineWorkbook

from .errors import DocgenError, Problem
from .loader import _XML_ILLEGAL, _illegal_char_message
from .vn import nfc

MAX_BYTES = 20 * 1024 * 1024  # a table file on disk
MAX_CELLS = 2_000_000  # cells of a sheet's used range
MAX_UNZIPPED = 256 * 1024 * 1024  # a workbook's members, uncompressed, together
MAX_RATIO = 200  # uncompressed / compressed, for members over 1 MiB

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
SEPARATORS = {",": "dấu phẩy ','", ";": "dấu chấm phẩy ';'", "\t": "dấu tab"}
HOW_TO_SAVE = ("mở tệp bằng Excel, chọn Tệp > Lưu thành (File > Save As), kiểu \"CSV UTF-8 (Comma delimited)\" "
               "hoặc \"Excel Workbook (*.xlsx)\", rồi chạy lại")
# Characters besides letters that a legacy-encoded Vietnamese text plausibly holds.
_PLAUSIBLE = set("–—‘’“”…•°±×÷«»§¶€₫\u00a0")


Location = int | str  # a CSV line, or a workbook cell "Sheet!C12"


def column_letter(index: int) -> str:
    """0 → ``A``, 25 → ``Z``, 26 → ``AA``."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


@dataclass
class Row:
    number: int  # line (CSV, where the record starts) or row (workbook), 1-based
    cells: list[str]


@dataclass
class Table:
    path: Path
    sheet: str | None  # None for CSV
    header: list[str]
    header_row: int
    rows: list[Row] = field(default_factory=list)
    encoding: str | None = None  # CSV only: what was detected
    separator: str | None = None

    def where(self, row: int, column: int | None = None) -> Location:
        """A location for messages: ``12`` (CSV line) or ``Sheet!C12`` (workbook cell; column 0 without one)."""
        if self.sheet is None:
            return row
        return f"{self.sheet}!{column_letter(column or 0)}{row}"

    def problem(self, message: str, row: int, column: int | None = None, field: str | None = None) -> Problem:
        return Problem(message, str(self.path), self.where(row, column), field)

    def records(self) -> list[tuple[Row, dict[str, str]]]:
        """Each row as column name → cell (blank cells left out)."""
        return [(row, {name: cell for name, cell in zip(self.header, row.cells, strict=False) if name and cell})
                for row in self.rows]


def describe(where: Location | None) -> str:
    """``dòng 12`` or ``ô Sheet!C12``: how a message refers to another place of the same file."""
    return f"ô {where}" if isinstance(where, str) else f"dòng {where}"


def read_table(path: Path | str, sheet: str | None = None) -> Table:
    """Read a CSV or a workbook's sheet (``sheet``, else the first) into a table; DocgenError if unsure."""
    path = Path(path)
    try:
        if not path.is_file():
            raise DocgenError(Problem("không tìm thấy tệp" if not path.exists() else "không phải tệp thường",
                                      str(path)))
        size = path.stat().st_size
    except OSError as exc:
        raise DocgenError(Problem(f"không đọc được tệp ({exc.strerror})", str(path))) from None
    if size > MAX_BYTES:
        raise DocgenError(Problem(f"tệp quá lớn ({size} byte; tối đa {MAX_BYTES} byte)", str(path)))
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        return _read_workbook(path, sheet)
    if path.suffix.lower() == ".xls":
        raise DocgenError(Problem("tệp Excel 97-2003 (.xls) chưa được hỗ trợ; " + HOW_TO_SAVE, str(path)))
    return _read_csv(path, path.read_bytes())


# ---- CSV ------------------------------------------------------------------------------------------


def decode(raw: bytes, name: str) -> tuple[str, str]:
    """The text and the encoding's name: UTF-8 (BOM or not), UTF-16 (BOM, or tell-tale zero bytes),
    else Windows-1258 (which reads Windows-1252 text the same) if the result is plausible text."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return _strict(raw[3:], "utf-8", "UTF-8 (có BOM)", name)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(raw, "utf-16", "UTF-16", name)
    if len(raw) >= 4 and len(raw) % 2 == 0:
        odd, even = raw[1::2].count(0), raw[0::2].count(0)
        if odd > len(raw) // 4 and even == 0:
            return _strict(raw, "utf-16-le", "UTF-16", name)
        if even > len(raw) // 4 and odd == 0:
            return _strict(raw, "utf-16-be", "UTF-16", name)
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    if b"\x00" not in raw:
        try:
            text = raw.decode("cp1258")
        except UnicodeDecodeError:
            text = ""
        bad = _implausible(nfc(text)) if text else 0
        if text and bad is None:
            return text, "Windows-1258"
    line = raw[:first_bad].count(b"\n") + 1
    start = raw.rfind(b"\n", 0, first_bad) + 1
    end = raw.find(b"\n", first_bad)
    sample = raw[start: end if end >= 0 else len(raw)][:60].decode("cp1258", "replace").strip()
    sample = "".join(c if c.isprintable() else "?" for c in sample)
    raise DocgenError(Problem(f"không nhận ra bảng mã của tệp (không phải UTF-8, UTF-16 hay Windows-1258; "
                              f"dòng {line} đọc ra '{sample}'): {HOW_TO_SAVE}", name, line))


def _strict(raw: bytes, codec: str, label: str, name: str) -> tuple[str, str]:
    try:
        return raw.decode(codec), label
    except UnicodeDecodeError as exc:
        raise DocgenError(Problem(f"tệp bắt đầu như {label} nhưng có byte sai ở vị trí {exc.start}: {HOW_TO_SAVE}",
                                  name)) from None


def _implausible(text: str) -> int | None:
    """Index of the first character Vietnamese or Western text would not hold (legacy font encodings such as
    TCVN3/VNI read through Windows-1258 give symbols and stray combining marks), else None."""
    for i, ch in enumerate(text):
        if ch < "\x80" or ch in _PLAUSIBLE:
            continue
        if not unicodedata.category(ch).startswith("L"):
            return i
    return None


def _separator(first_line: str, name: str) -> str:
    counts = {sep: 0 for sep in SEPARATORS}
    quoted = False
    for ch in first_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    found = [sep for sep, n in counts.items() if n]
    if len(found) > 1:
        seen = ", ".join(f"{n} {SEPARATORS[s]}" for s, n in counts.items() if n)
        raise DocgenError(Problem(f"không rõ cột cách nhau bằng dấu gì: dòng tiêu đề có {seen}; "
                                  f"{HOW_TO_SAVE}", name, 1))
    return found[0] if found else ","


def _read_csv(path: Path, raw: bytes) -> Table:
    name = str(path)
    text, encoding = decode(raw, name)
    text = nfc(text.replace("\r\n", "\n").replace("\r", "\n"))
    bad = [Problem(_illegal_char_message(m.group()), name, n)
           for n, line in enumerate(text.split("\n"), 1) if (m := _XML_ILLEGAL.search(line))]
    if bad:
        raise DocgenError(bad)
    first = next((line for line in text.split("\n") if line.strip()), "")
    if not first:
        raise DocgenError(Problem("tệp rỗng", name, 1))
    sep = _separator(first, name)
    reader = csv.reader(io.StringIO(text), delimiter=sep, strict=True)
    records: list[Row] = []
    problems: list[Problem] = []
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error:
            problems.append(Problem(_quote_message(text, start, sep), name, start))
            break
        if reader.line_num > start and any("\n" in c and sep in c for c in cells):
            problems.append(Problem(_quote_message(text, start, sep, reader.line_num), name, start))
            break
        records.append(Row(start, [c.strip() for c in cells]))
    if problems:
        raise DocgenError(problems)
    table = _table(path, None, records)
    table.encoding, table.separator = encoding, sep
    return table


def _quote_message(text: str, line: int, sep: str, until: int | None = None) -> str:
    content = text.split("\n")[line - 1]
    span = f" (ô kéo dài đến dòng {until})" if until else ""
    return (f"dấu ngoặc kép (\") không đóng hoặc đặt sai chỗ{span}: '{content[:60]}'; "
            f"bỏ dấu \" thừa, hoặc đặt cả ô trong cặp dấu \"...\" (viết \"\" cho một dấu \" trong ô)")


# ---- workbooks ------------------------------------------------------------------------------------


def _check_zip(path: Path) -> None:
    """A workbook is a zip: refuse one that is not, or whose members expand beyond reason (zip bombs)."""
    try:
        with zipfile.ZipFile(path) as zf:
            total = 0
            for info in zf.infolist():
                total += info.file_size
                ratio = info.file_size / max(info.compress_size, 1)
                if total > MAX_UNZIPPED or (info.file_size > 2**20 and ratio > MAX_RATIO):
                    raise DocgenError(Problem(f"tệp nén bất thường (phần {info.filename} giải nén ra "
                                              f"{info.file_size} byte): từ chối để an toàn", str(path)))
    except (zipfile.BadZipFile, OSError):
        raise DocgenError(Problem("không phải tệp Excel .xlsx (không đọc được dạng nén zip); " + HOW_TO_SAVE,
                                  str(path))) from None


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return nfc(str(value)).strip()


def read_grid(path: Path | str, sheet: str | None = None, optional: bool = False) -> tuple[str, list[Row]] | None:
    """A workbook sheet's cells as text rows from A1 (``sheet``, else the first worksheet); ``optional``:
    None when the sheet is absent."""
    path = Path(path)
    _check_zip(path)
    name = str(path)
    try:
        wb = CalamineWorkbook.from_path(str(path))
        names = [s.name for s in wb.sheets_metadata if str(s.typ).endswith("WorkSheet")]
        if sheet is not None and sheet not in names:
            if optional:
                return None
            raise DocgenError(Problem(f"sổ tính không có trang '{sheet}' (có: {', '.join(names)})", name))
        if not names:
            raise DocgenError(Problem("sổ tính không có trang tính nào", name))
        ws = wb.get_sheet_by_name(sheet or names[0])
        height, width = ws.end[0] + 1 if ws.end else 0, ws.end[1] + 1 if ws.end else 0
        if height * width > MAX_CELLS:
            raise DocgenError(Problem(f"trang '{ws.name}' quá lớn ({height} dòng × {width} cột)", name))
        grid = ws.to_python(skip_empty_area=False) if height else []
    except DocgenError:
        raise
    except Exception:  # calamine's errors (corrupt XML, password, ...) are one family without a base
        raise DocgenError(Problem("không đọc được tệp Excel (tệp hỏng, có mật khẩu hoặc không phải sổ tính); "
                                  + HOW_TO_SAVE,
                                  name)) from None
    problems = []
    rows = []
    for r, values in enumerate(grid, 1):
        cells = [_cell_text(v) for v in values]
        for c, cell in enumerate(cells):
            if (m := _XML_ILLEGAL.search(cell)):
                problems.append(Problem(_illegal_char_message(m.group()), name, f"{ws.name}!{column_letter(c)}{r}"))
        rows.append(Row(r, cells))
    if problems:
        raise DocgenError(problems)
    return ws.name, rows


def _read_workbook(path: Path, sheet: str | None) -> Table:
    found = read_grid(path, sheet)
    assert found is not None
    return _table(path, *found)


# ---- shared: header and shape -------------------------------------------------------------------


def _table(path: Path, sheet: str | None, rows: list[Row]) -> Table:
    rows = [r for r in rows if any(r.cells)]
    if not rows:
        raise DocgenError(Problem("tệp không có dữ liệu (không có dòng tiêu đề)", str(path),
                                  f"{sheet}!A1" if sheet else 1))
    head, body = rows[0], rows[1:]
    header = list(head.cells)
    while header and not header[-1]:
        header.pop()
    table = Table(path, sheet, header, head.number, body)
    problems: list[Problem] = []
    first: dict[str, int] = {}
    for c, name in enumerate(header):
        if not name:
            continue
        if name in first:
            where = (f"cột {column_letter(first[name])}" if sheet else f"cột thứ {first[name] + 1}")
            problems.append(table.problem(f"hai cột cùng tên '{name}' ({where} và "
                                          + (f"cột {column_letter(c)}" if sheet else f"cột thứ {c + 1}")
                                          + "); đổi tên hoặc xóa một cột", head.number, c))
        else:
            first[name] = c
    for row in body:
        for c, cell in enumerate(row.cells):
            if cell and (c >= len(header) or not header[c]):
                col = f"cột {column_letter(c)}" if sheet else f"cột thứ {c + 1}"
                problems.append(table.problem(f"ô có dữ liệu '{cell[:40]}' ở {col} nhưng dòng tiêu đề "
                                              f"(dòng {head.number}) không có tên cột này; thêm tên cột hoặc "
                                              "xóa ô", row.number, c))
                break
    if problems:
        raise DocgenError(problems)
    return table
