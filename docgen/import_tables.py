"""Tables and appendices of an imported document, as ``bang`` and ``phu_luc`` source data.

A .docx table that is not part of the decree's frame (the header and signature tables)
becomes a ``bang`` block: its header rows (those marked to repeat, else the first), the
body rows with their merged cells, the column widths relative to each other, numbers
written the Vietnamese way read back as numbers. Every cell's words are kept.

The paragraphs after the signer that open with ``Phụ lục`` start appendices. An appendix
table listing exactly the plan's tasks, in order, is the computed task table
(``bang_nhiem_vu``): a re-import of a docgen plan gives back its source.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from . import model as m
from . import vn
from .domain import FIELD_OF
from .ooxml import q
from .ooxml import text as para_text

TOKEN = "\ue010bang:"  # stands for table n in the paragraph list until the body is built
APPENDIX = re.compile(r"^(?:PHỤ LỤC|Phụ lục)(?:\s+(?:[IVXLC]+|\d+|số\s*\d+))?\s*[.:]?$")
ATTACHED = re.compile(r"^\((?:Ban hành )?[Kk]èm theo\b")
_NUMBER = re.compile(r"^-?\d{1,3}(?:\.\d{3})*(?:,\d+)?$|^-?\d+(?:,\d+)?$")
_FRAME = ("CỘNG HÒA", "CỘNG HOÀ", "Độc lập - Tự do", "Nơi nhận")


@dataclass
class Table:
    """A table as read: rows of cells (text, columns spanned, rows spanned), header row count, widths."""

    rows: list[list[dict[str, Any]]] = field(default_factory=list)
    header_rows: int = 1
    widths: list[int] = field(default_factory=list)
    landscape: bool = False


def is_frame(tbl) -> bool:
    """The header or signature table of the decree's layout (read as paragraphs, not as a ``bang``)."""
    words = " ".join(para_text(p) for p in tbl.iter(q("w:p")))
    return any(k in words for k in _FRAME)


def read_table(tbl, label=lambda p: "") -> Table:
    """Rows of a ``w:tbl``: merged cells resolved (a cell merged down counts once, at its top)."""
    table = Table()
    grid = tbl.find(q("w:tblGrid"))
    if grid is not None:
        table.widths = [int(float(c.get(q("w:w"), "0") or 0)) for c in grid.findall(q("w:gridCol"))]
    repeat = 0
    open_down: dict[int, dict[str, Any]] = {}  # column → the cell spanning down from above
    for r_index, tr in enumerate(tbl.findall(q("w:tr"))):
        trpr = tr.find(q("w:trPr"))
        if trpr is not None and trpr.find(q("w:tblHeader")) is not None and repeat == r_index:
            repeat += 1
        row: list[dict[str, Any]] = []
        col = 0
        for tc in tr.findall(q("w:tc")):
            tcpr = tc.find(q("w:tcPr"))
            span = 1
            vmerge = None
            if tcpr is not None:
                gs = tcpr.find(q("w:gridSpan"))
                span = int(gs.get(q("w:val"), "1")) if gs is not None else 1
                vm = tcpr.find(q("w:vMerge"))
                if vm is not None:
                    vmerge = vm.get(q("w:val"), "continue")
            lines = []
            for p in tc.iter(q("w:p")):
                t = unicodedata.normalize("NFC", para_text(p)).strip()
                if t:
                    lines.append(label(p) + t)
            words = " ".join(lines)
            if vmerge == "continue" and col in open_down:
                above = open_down[col]
                above["gop_dong"] += 1
                if words:  # text in a continued cell: keep it with the cell above
                    above["text"] = f"{above['text']} {words}".strip()
                row.append({"text": "", "gop": span, "continued": True})
            else:
                cell = {"text": words, "gop": span, "gop_dong": 1}
                if vmerge == "restart":
                    open_down[col] = cell
                else:
                    open_down.pop(col, None)
                row.append(cell)
            col += span
        table.rows.append(row)
    table.header_rows = max(1, repeat) if len(table.rows) > 1 else 0
    return table


def _number(text: str) -> int | float | str:
    if not _NUMBER.match(text) or (len(text) > 1 and text.lstrip("-").startswith("0") and "," not in text):
        return text
    value: int | float
    if "," in text:
        value = float(text.replace(".", "").replace(",", "."))
    else:
        value = int(text.replace(".", ""))
    return value if vn.so(value) == text else text


def to_bang(table: Table) -> dict[str, Any]:
    """The ``bang`` data of a table read from a .docx."""
    ncols = max((sum(c["gop"] for c in row) for row in table.rows), default=1)
    n_header = table.header_rows
    while True:  # a header cell merged down takes the rows it covers into the header (BC01: "STT" over two rows)
        need = max((i + c.get("gop_dong", 1) for i, row in enumerate(table.rows[:n_header]) for c in row),
                   default=0)
        if need <= n_header or need >= len(table.rows):
            break
        n_header = need
    header = table.rows[:n_header]
    body = table.rows[n_header:] or [[{"text": "", "gop": ncols, "gop_dong": 1}]]
    titles = [""] * ncols
    for row in header:
        at = 0
        for c in row:
            if c.get("text") and not titles[at]:
                titles[at] = c["text"]
            at += c["gop"]
    widths = table.widths if len(table.widths) == ncols and all(table.widths) else [1] * ncols
    # relative to the narrowest column, within the 100 a width may be: a sliver of a gutter column (7 twips beside
    # 906 in BC06) would make the others 203.71 and the whole table fall back to paragraphs
    unit = max(min(widths), max(widths) / 100)
    cot = []
    for i in range(ncols):
        col: dict[str, Any] = {"ten": titles[i] or f"Cột {i + 1}", "rong": max(round(widths[i] / unit, 2), 0.01)}
        if titles[i].upper() == "STT" or titles[i] == "TT":
            col["can"] = "giua"
        cot.append(col)

    def cell(c: dict[str, Any], in_header: bool) -> Any:
        value = c["text"] if in_header else _number(c["text"])
        extra = {}
        if c["gop"] > 1:
            extra["gop"] = c["gop"]
        if in_header and c.get("gop_dong", 1) > 1:
            extra["gop_dong"] = c["gop_dong"]
        if not extra:
            return value if value != "" else None
        return {"gia_tri": value if value != "" else None, **extra}

    data: dict[str, Any] = {"cot": cot}
    header_rows = [[cell(c, True) for c in row if not c.get("continued")] for row in header]
    if len(header) > 1 or any(isinstance(c, dict) for row in header_rows for c in row) or any(
            not t for t in titles):
        data["tieu_de"] = header_rows
    data["dong"] = [[cell(c, False) for c in _fill(row, ncols)] for row in body]
    return {"bang": data}


def _fill(row: list[dict[str, Any]], ncols: int) -> list[dict[str, Any]]:
    """A body row as cells covering every column (a shorter row gets an empty last cell)."""
    width = sum(c["gop"] for c in row)
    if width < ncols:
        row = row + [{"text": "", "gop": ncols - width}]
    return row


def words(table: Table) -> str:
    return " ".join(c["text"] for row in table.rows for c in row if c.get("text"))


# ---- appendices -------------------------------------------------------------------------------------


def split_appendices(tail: list[str]) -> tuple[list[str], list[list[str]]]:
    """The paragraphs after ``Nơi nhận``: (recipients and signer, [each appendix's paragraphs])."""
    starts = [i for i, p in enumerate(tail) if APPENDIX.match(p.strip())]
    if not starts:
        return tail, []
    parts = [tail[a:b] for a, b in zip(starts, starts[1:] + [len(tail)], strict=True)]
    return tail[:starts[0]], parts


def _upper(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def appendix_parts(paragraphs: list[str]) -> tuple[str | None, list[str], list[str]]:
    """(title, dropped computed lines, content paragraphs) of one appendix's paragraphs (heading first)."""
    rest = paragraphs[1:]
    title_lines = []
    while rest and _upper(rest[0]) and not rest[0].startswith(TOKEN):
        title_lines.append(rest.pop(0))
    dropped = []
    while rest and ATTACHED.match(rest[0]):
        dropped.append(rest.pop(0))
    return (" ".join(title_lines) or None), dropped, rest


# ---- the computed task table ---------------------------------------------------------------------------

_TITLES = {"stt": ["STT", "TT", "Số TT"],
           "nhiem_vu": ["Nội dung nhiệm vụ", "Nhiệm vụ", "Nội dung", "Tên nhiệm vụ", "Nhiệm vụ, giải pháp"]}


def _column_key(title: str) -> str | None:
    t = title.strip().rstrip(":")
    for key, (default, _, _) in m.COT_NHIEM_VU.items():
        if t == default:
            return key
    for key, titles in _TITLES.items():
        if t in titles:
            return key
    name = FIELD_OF.get(t)
    return name if name in m.COT_NHIEM_VU else None


def _cell_text(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("gia_tri")
    if value is None:
        return ""
    return value if isinstance(value, str) else vn.so(value)


def _field_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return str(value)


def as_task_table(bang: dict[str, Any], tasks: list[dict[str, Any]]) -> dict[str, Any] | None:
    """``bang_nhiem_vu`` when the table lists exactly ``tasks`` (source dicts, in body order) field by field."""
    if "tieu_de" in bang:
        return None
    found = [_column_key(c["ten"]) for c in bang["cot"]]
    keys = [k for k in found if k is not None]
    if len(keys) != len(found) or len(set(keys)) != len(keys) or "nhiem_vu" not in keys:
        return None
    rows = [r for r in bang["dong"] if not (isinstance(r[-1], dict) and r[-1].get("gop", 1) > 1)]
    if len(rows) != len(tasks) or not tasks:
        return None
    for row, task in zip(rows, tasks, strict=True):
        if len(row) != len(keys):
            return None
        for key, value in zip(keys, row, strict=True):
            got = _cell_text(value)
            if key == "stt":
                continue
            want = task["nhiem_vu"].rstrip(" :") if key == "nhiem_vu" else _field_text(task.get(key))
            if re.sub(r"\s+", " ", got).strip() != re.sub(r"\s+", " ", want).strip():
                return None
    ten_cot = {k: c["ten"] for k, c in zip(keys, bang["cot"], strict=True) if c["ten"] != m.COT_NHIEM_VU[k][0]}
    out: dict[str, Any] = {"cot": keys}
    if ten_cot:
        out["ten_cot"] = ten_cot
    return out
