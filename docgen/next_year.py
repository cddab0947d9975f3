"""``docgen rollover``: next year's draft plan from this year's.

The new file is the old file's text with edits at the exact spans the YAML parser
reports, so comments, key order and line layout survive byte for byte (a ruamel.yaml
round trip re-indented and re-wrapped 483 lines of the seed plan for a one-value
change). Every year in a value is classified:

- moved: the plan's year (``năm 2023`` → ``năm 2024``) and the comparison year
  (``so với năm 2022`` → ``so với năm 2023``);
- kept: dates and numbers of cited documents, multi-year spans, standards (``9001:2015``);
- flagged: citations of the year's own plan (a new one will have a new number and
  date), and any year it cannot classify: a ``# TODO(rollover): ...`` comment above it.
"""
from __future__ import annotations

import codecs
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import vn
from .domain import CHUA_THUC_HIEN, HOAN_THANH, TODO_ROLLOVER, TRANG_THAI
from .errors import DocgenError, Problem
from .inputs import MAX_SOURCE, read_bytes
from .loader import _LOADER, Path_, format_path
from .reporting import deadlines, load_sources
from .validate import iter_tasks, load_plan
from .write import refuse_inputs, same_file, write_atomic

YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
CITATION = re.compile(rf"(?:{'|'.join(vn.LOAI_VAN_BAN)})\s+số\s+\S+[^;]*", re.I)
# a date in running text; inside a citation it is kept, a date of the plan year elsewhere is a deadline of the
# year and moves with it ("Phong trào thi đua ... tính đến hết ngày 31/12/2026", KH03)
DATE = re.compile(r"(?<!\d)(\d{1,2})/(\d{1,2})/(\d{4})(?!\d)")
# a date right after a document's name in the same clause: "Luật Thi đua, khen thưởng ngày 15/6/2022"
_CITED_DATE = re.compile(rf"(?:{'|'.join(vn.LOAI_VAN_BAN)})\b[^;.]*\bngày\s*$")
# a deadline word before it: "(Kế hoạch ban hành trước ngày 15/3/2026)" (KH03) is a deadline of the year, but
# "Luật ... có hiệu lực từ ngày 01/8/2026" is a fact about the law: with a document named, a person decides
_DEADLINE = re.compile(r"\b(?:trước|đến|hết|từ|sau|chậm nhất|trong|vào)\s+ngày\s*$")
KEPT_PATTERNS = [
    re.compile(r"\d+[A-Za-zĐđ-]*/\d{4}/"),                         # a number: 59/2019/NĐ-CP
    re.compile(r"(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}"),         # a span: 2021 - 2025
    re.compile(r"(?:đến|tới|định hướng đến)\s+năm\s+\d{4}"),       # a horizon: đến năm 2030
    re.compile(r":\d{4}"),                                         # a standard: ISO 9001:2015
]
NOTE = f"{TODO_ROLLOVER}:"


@dataclass
class Change:
    path: str
    line: int
    old: str
    new: str


@dataclass
class Flag:
    path: str
    line: int
    reason: str


@dataclass
class Result:
    text: str
    changes: list[Change] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    kept: list[Change] = field(default_factory=list)
    carried: list[str] = field(default_factory=list)
    shifts: list[tuple[int, int]] = field(default_factory=list)  # (old 0-based line, lines added above it)

    def dong_moi(self, line: int) -> int:
        """The 1-based line in the new file of what was on ``line`` of the old file (notes are inserted)."""
        return line + sum(delta for at, delta in self.shifts if at <= line - 1)


def classify(value: str, year: int, new_year: int | None = None
             ) -> tuple[list[tuple[int, int]], list[tuple[int, int]], list[str]]:
    """Years in ``value``: (spans to shift, kept spans, flag reasons)."""
    kept: list[tuple[int, int]] = []
    flags: list[str] = []
    for m in CITATION.finditer(value):
        kept.append(m.span())
        if re.search(rf"năm\s+{year}(?!\d)", m.group()):
            flags.append(f"trích dẫn văn bản của năm {year} ({m.group()[:60].strip()}...): "
                         f"cần văn bản mới (số, ngày) cho năm kế hoạch mới")
    moves: list[tuple[int, int]] = []
    for m in DATE.finditer(value):
        if any(a <= m.start() < b for a, b in kept):
            continue
        kept.append(m.span())
        if int(m.group(3)) != year:
            continue
        if _CITED_DATE.search(value[: m.start()]) and _DEADLINE.search(value[: m.start()]):
            flags.append(f"ngày {m.group()}: hạn trong năm kế hoạch (đổi sang năm {new_year or year + 1}) hay ngày "
                         "gắn với văn bản được nhắc tới (giữ nguyên)? docgen giữ nguyên: xem lại")
        elif _CITED_DATE.search(value[: m.start()]):
            flags.append(f"trích dẫn văn bản của năm {year} (... ngày {m.group()}): cần văn bản mới (số, ngày) cho "
                         "năm kế hoạch mới")
        elif not _real_date(int(m.group(1)), int(m.group(2)), new_year or year + 1):
            flags.append(f"ngày {m.group()}: năm {new_year or year + 1} không có ngày này, sửa bằng tay")
        else:
            moves.append(m.span(3))  # a deadline of the plan's year: "đến hết ngày 31/12/2026"
    for pattern in KEPT_PATTERNS:
        kept.extend(m.span() for m in pattern.finditer(value))
    for m in YEAR.finditer(value):
        if any(a <= m.start() < b for a, b in kept):
            continue
        y = int(m.group())
        before = value[: m.start()]
        if y == year or (y == year - 1 and re.search(r"so với\s+(?:năm\s+)?$", before)):
            moves.append(m.span())  # the plan's year, or the year it compares with: both shift by the same
        else:
            flags.append(f"năm {y}: không rõ có phải đổi không")
    return moves, kept, flags


def _real_date(day: int, month: int, year: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _scalars(node, loc: Path_ = ()):
    if isinstance(node, yaml.ScalarNode):
        yield loc, node
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from _scalars(item, loc + (i,))
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _scalars(value, loc + (key.value,))


def _item_starts(node, loc: Path_ = (), out=None) -> dict[Path_, int]:
    """Line index (0-based) where each path's entry begins: the key's line, or the '- ' item's line."""
    out = {} if out is None else out
    if isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            out[loc + (i,)] = item.start_mark.line
            _item_starts(item, loc + (i,), out)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            out[loc + (key.value,)] = key.start_mark.line
            _item_starts(value, loc + (key.value,), out)
    return out


def roll(text: str, year: int, new_year: int, status: Mapping[str, str] | None = None,
         ongoing: dict[str, bool] | None = None, task_locs: dict[str, Path_] | None = None) -> Result:
    """The rolled text and what was done; ``status`` (task id → trạng thái) comes from a year-end report."""
    root = yaml.compose(text, Loader=_LOADER)
    starts = _item_starts(root)
    delta = new_year - year
    edits: list[tuple[int, int, str]] = []  # (start index, end index, replacement)
    comments: dict[int, list[str]] = {}
    result = Result(text)

    def flag(loc: Path_, reason: str) -> None:
        line = starts.get(loc, 0)
        comments.setdefault(line, []).append(f"{NOTE} {reason}")
        result.flags.append(Flag(format_path(loc), line + 1, reason))

    flagged_citations: set[Path_] = set()
    for loc, node in _scalars(root):
        value = node.value
        key = loc[-1] if loc else None
        start, end = node.start_mark.index, node.end_mark.index
        raw = text[start:end]
        if loc in (("so",), ("ngay_ban_hanh",)):
            if value.strip():
                edits.append((start, end, ""))
                result.changes.append(Change(format_path(loc), node.start_mark.line + 1, value, "(để trống)"))
            continue
        if loc == ("nam",):
            edits.append((start, end, str(new_year)))
            result.changes.append(Change("nam", node.start_mark.line + 1, value, str(new_year)))
            continue
        if len(loc) >= 2 and loc[0] == "can_cu":
            entry = loc[:2]
            if key == "trich_yeu" and re.search(rf"năm\s+{year}(?!\d)", value) and entry not in flagged_citations:
                flagged_citations.add(entry)
                flag(entry, f"căn cứ là văn bản của năm {year}: thay bằng văn bản năm {new_year} (số, ngày mới)")
            if YEAR.search(value):
                result.kept.append(Change(format_path(loc), node.start_mark.line + 1, value, value))
            continue
        han_date = re.fullmatch(r"(\d{4})(-\d{1,2}-\d{1,2})|(\d{1,2}/\d{1,2}/)(\d{4})", value.strip()) \
            if key == "han" else None
        if han_date and int(han_date.group(1) or han_date.group(4)) == year:  # 2023-06-30 or 30/6/2023
            new = f"{new_year}{han_date.group(2)}" if han_date.group(1) else f"{han_date.group(3)}{new_year}"
            edits.append((start, end, raw.replace(value, new)))
            result.changes.append(Change(format_path(loc), node.start_mark.line + 1, value, new))
            continue
        if not YEAR.search(value):
            continue
        moves, kept, reasons = classify(value, year, new_year)
        for reason in reasons:
            flag(loc, reason)
        if kept:
            result.kept.append(Change(format_path(loc), node.start_mark.line + 1, value, value))
        if not moves:
            continue
        # map the k-th year of the value onto the k-th year of the raw text (folding only moves whitespace)
        value_years = list(YEAR.finditer(value))
        raw_years = list(YEAR.finditer(raw))
        if len(value_years) != len(raw_years):
            flag(loc, "không sửa tự động được (cách viết đặc biệt): sửa năm bằng tay")
            continue
        index = {m.start(): i for i, m in enumerate(value_years)}
        new_value = value
        for s, e in sorted(moves, reverse=True):
            r = raw_years[index[s]]
            new_year_text = str(int(value[s:e]) + delta)
            edits.append((start + r.start(), start + r.end(), new_year_text))
            new_value = new_value[:s] + new_year_text + new_value[e:]
        result.changes.append(Change(format_path(loc), node.start_mark.line + 1, value, new_value))

    for task_id, loc in (task_locs or {}).items():
        if status is None:
            break
        state = status.get(task_id, CHUA_THUC_HIEN)
        line = starts.get(loc, 0)
        if state != HOAN_THANH:
            label = TRANG_THAI[state]
            comments.setdefault(line, []).insert(0, f"# Chuyển tiếp từ năm {year} ({label}).")
            result.carried.append(task_id)
        elif not (ongoing or {}).get(task_id, False):
            flag(loc, f"nhiệm vụ '{task_id}' đã hoàn thành năm {year}: xem lại có giữ trong kế hoạch {new_year}")

    # apply value edits, then insert comment lines (line numbers still refer to the old text); both in one
    # pass over the text, so a plan with thousands of edits costs linear time
    pieces: list[str] = []
    pos = 0
    for s, e, new in sorted(edits):
        pieces += [text[pos:s], new]
        pos = e
    pieces.append(text[pos:])
    lines = "".join(pieces).split("\n")
    notes = (NOTE, "# Chuyển tiếp từ năm")
    out: list[str] = []
    for i, text_line in enumerate(lines):
        if i in comments:
            earlier = 0  # the notes of an earlier rollover right above: replaced
            while earlier < i and lines[i - 1 - earlier].strip().startswith(notes):
                earlier += 1
            del out[len(out) - earlier:]
            indent = text_line[: len(text_line) - len(text_line.lstrip())]
            out.extend(indent + c for c in comments[i])
            result.shifts.append((i, len(comments[i]) - earlier))
        out.append(text_line)
    result.text = "\n".join(out)
    return result


def default_output(plan_path: Path, year: int, new_year: int) -> Path:
    stem = plan_path.stem.replace(str(year), str(new_year))
    if stem == plan_path.stem:
        stem = f"{stem}_{new_year}"
    return plan_path.with_name(stem + plan_path.suffix)


def rollover(plan_path: Path, new_year: int, report_path: Path | None = None, out: Path | None = None,
             force: bool = False) -> tuple[Path, Result]:
    """Write next year's draft plan; refuse to overwrite without ``force``; the old file is never touched."""
    source, plan = load_plan(plan_path)  # a source with errors is refused before anything is written
    if new_year <= plan.nam:
        raise DocgenError(Problem(f"năm mới ({new_year}) phải sau năm của kế hoạch ({plan.nam})", str(plan_path)))
    out = out or default_output(plan_path, plan.nam, new_year)
    if same_file(out, plan_path):
        raise DocgenError(Problem("tệp mới trùng tệp cũ: chọn tên khác với -o", str(out)))
    refuse_inputs(out, {"báo cáo (--from-report)": report_path})
    if out.exists() and not force:
        raise DocgenError(Problem("tệp đã có; dùng --force để ghi đè", str(out)))
    status = ongoing = None
    if report_path is not None:
        loaded = load_sources(report_path)
        if loaded.report.ky != "nam":
            raise DocgenError(Problem("--from-report cần báo cáo năm (ky: nam)", str(report_path)))
        if not same_file(loaded.plan_source.path, plan_path):
            raise DocgenError(loaded.source.problem(("ke_hoach",), f"báo cáo này về kế hoạch "
                                                    f"'{loaded.report.ke_hoach}', không phải {plan_path}: chọn báo "
                                                    "cáo năm của đúng kế hoạch này"))
        status = {tid: entry.trang_thai for tid, entry in loaded.report.tien_do.items()}
        ongoing = {tid: han.thuong_xuyen for tid, han in deadlines(loaded.plan_source, loaded.plan).items()}
    task_locs = {t.id: loc for loc, t in iter_tasks(plan.noi_dung)}
    raw = read_bytes(plan_path, MAX_SOURCE)
    # The parser's marks count characters of the text without BOM and with one character per line
    # break: edit that text, then put the file's BOM and CRLF line breaks back.
    bom = raw.startswith(codecs.BOM_UTF8)
    text = raw.decode("utf-8-sig")
    crlf = "\r\n" in text and text.count("\r\n") == text.count("\n")
    result = roll(text.replace("\r\n", "\n"), plan.nam, new_year, status, ongoing, task_locs)
    rolled = result.text.replace("\n", "\r\n") if crlf else result.text
    write_atomic(out, (codecs.BOM_UTF8 if bom else b"") + rolled.encode("utf-8"))
    return out, result
