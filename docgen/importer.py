"""``docgen import``: an existing plan (.docx, or text pulled from a PDF) into an editable source.

Text is first cut into paragraphs (hard line breaks joined, hyphenated breaks mended,
page breaks and stray spaces removed); then the header, title, opening citations,
the body hierarchy (I. / 1. / 1.1. / a) / - / + / (1)), tasks with their labelled
fields, recipients and signer are recognised. What cannot be placed stays as a
plain paragraph with a ``# TODO(import)`` note: nothing is dropped.
"""
from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import vn
from .docx_safe import SafeDocx
from .domain import FIELD_OF, NHAN_TRUONG, TODO_IMPORT, name_key
from .errors import DocgenError, Problem
from .import_tables import TOKEN, appendix_parts, as_task_table, is_frame, read_table, split_appendices, to_bang
from .inputs import MAX_TEXT, read_text
from .kinds import KINDS
from .loader import _XML_ILLEGAL, load_text
from .model import KeHoach, tieu_de_bang_nhiem_vu
from .ooxml import Numbering, Styles, q
from .ooxml import text as para_text
from .parts import Line, Parts, locate, read_docx, text_lines
from .validate import check_plan, validate_model
from .write import refuse_inputs, write_atomic

# ---- paragraphs -------------------------------------------------------------------------------

MARKER = re.compile(r"^(?:[IVX]+\.\s|\d+\.(?:\d+\.?)*\s|[a-zđ]\)\s?|[-–+]\s*\S|\(\d+\)\s?|Nơi nhận|Điều \d+\.)")


def clean_lines(text: str) -> list[str]:
    """Lines of PDF text without page breaks, stray spaces or empty lines."""
    text = unicodedata.normalize("NFC", text).replace("\f", "\n").replace("\u00a0", " ")
    return [re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines() if line.strip()]


class _Paragraph:
    """A paragraph being joined from lines, with what ``join_lines`` asks of it kept up to date, so
    joining n lines costs O(n) and not O(n²) (8,000 continuation lines once took over a minute)."""

    def __init__(self, line: str) -> None:
        self.parts = [line]
        self.first = line
        self.last = line
        self.words = len(line.split())
        self.letters = 0
        self.all_upper = True
        self.length = len(line)
        self._letters(line)

    def _letters(self, text: str) -> None:
        letters = [c for c in text if c.isalpha()]
        self.letters += len(letters)
        self.all_upper = self.all_upper and all(c.isupper() for c in letters)

    def add(self, line: str, sep: str) -> None:
        self.parts.append(sep + line)
        self.last = line
        self.words += len(line.split()) if sep else len(line.split()) - 1
        self.length += len(sep) + len(line)
        self._letters(line)

    @property
    def upper(self) -> bool:  # _is_upper_line of the whole paragraph
        return self.letters >= 4 and self.all_upper

    def text(self) -> str:
        return "".join(self.parts)


_HEADING = re.compile(r"^(?:[IVX]+|\d+(?:\.\d+)*)\.\s")
_ATTACHED = re.compile(r"^\((?:Ban hành )?[Kk]èm theo [^()]*\)$")
_STARTERS = re.compile(r"^(Căn cứ|Thực hiện|Kính gửi|Số\s*:|\(Kèm theo|\(Ban hành kèm theo)")
_NGAY = re.compile(r",\s*ngày\s")
_THANG = re.compile(r"\btháng\b")
_NAM_END = re.compile(r"\bnăm\s+\d{4}$")


def _fill_header_blanks(result: dict, co_quan: dict, todos: dict, no_agency: str) -> None:
    """Header fields the text did not give: a placeholder the source still validates with, and a TODO note
    saying what to fill (``no_agency`` when the agency itself is missing)."""
    if not co_quan.get("ten"):
        co_quan = {"chu_quan": "CƠ QUAN CHỦ QUẢN", "ten": "CƠ QUAN BAN HÀNH", "viet_tat": "CQ"}
        todos[("co_quan",)] = no_agency
    elif "viet_tat" not in co_quan:
        co_quan["viet_tat"] = "CQ"
        todos[("co_quan", "viet_tat")] = "không thấy dòng Số/ký hiệu: điền chữ viết tắt của cơ quan"
    result["co_quan"] = co_quan
    if "dia_danh" not in result:
        result["dia_danh"] = "Địa danh"
        todos[("dia_danh",)] = "không thấy dòng địa danh, ngày tháng: điền địa danh (và ngày ban hành nếu có)"


def _place_date_line(line: str) -> bool:
    """``..., ngày 05 tháng 3 năm 2023``: the same as ``,\\s*ngày\\s.*\\btháng\\b.*\\bnăm\\s+\\d{4}$`` but
    linear (that pattern backtracked for 38 s on ``", ngày " * 1000 + "tháng " * 1000``)."""
    ngay = _NGAY.search(line)
    thang = _THANG.search(line, ngay.end()) if ngay else None
    return bool(thang and _NAM_END.search(line, thang.end()))


def join_lines(lines: list[str]) -> list[str]:
    """Paragraphs from hard-wrapped lines: a line starts a paragraph at a marker, a label, after a
    line ending a sentence (then capitalised), or after a heading ending with ':'."""
    out: list[_Paragraph] = []
    for line in lines:
        if not out:
            out.append(_Paragraph(line))
            continue
        prev = out[-1]
        short_heading = prev.words <= 7 and _HEADING.match(prev.first)
        starts_new = bool(MARKER.match(line)) or _is_upper_line(line) or prev.upper or (
            prev.last.endswith((".", ":", ";", "./.")) and line[:1].isupper()) or bool(
            _STARTERS.match(line)) or _place_date_line(line) or (
            prev.length <= 200 and _loose_motto(prev.text())) or bool(
            short_heading and (line[:1].isupper() or line[:1].isdigit()))
        if starts_new:
            out.append(_Paragraph(line))
        elif re.search(r"\w-$", prev.last) and line[:1].isalnum():
            prev.add(line, "")  # "04-" + "NQ/TU": a break after a hyphen inside a number
        else:
            prev.add(line, " ")
    return [p.text() for p in out]


def _loose_motto(line: str) -> bool:
    return re.sub(r"[\s-]", "", line).lower() == "độclậptựdohạnhphúc"


def _is_upper_line(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


# ---- recognising --------------------------------------------------------------------------------

_LABEL_RE = re.compile(r"^(?P<label>" + "|".join(sorted((re.escape(x) for xs in NHAN_TRUONG.values() for x in xs),
                                                         key=len, reverse=True)) + r")\b\s*(?::\s*)?(?P<rest>.*)$")
# what opens a cited document's summary after its issuer: "của Chính phủ ban hành Chương trình ...", "của Thủ tướng
# Chính phủ phê duyệt Đề án ...", "của Bộ Công an quy định ...", "của Bộ Nội vụ về ..." (the real plans and decisions)
_TRICH_YEU_MO = r"(?:về|V/v|Về|ban hành|phê duyệt|quy định|hướng dẫn)"
CITATION = re.compile(
    r"^(?P<loai>" + "|".join(vn.LOAI_VAN_BAN) + r") số (?P<so>\S+) ngày (?P<ngay>\d{1,2}/\d{1,2}/\d{4}|\d{1,2} tháng "
    r"\d{1,2} năm \d{4})(?: của (?P<cq>.+?))?(?: (?P<ty>" + _TRICH_YEU_MO + r" .*))?$")
# a law is cited by its name, without a number: "Luật Thi đua, khen thưởng ngày 15/6/2022" (KH03)
_LUAT = re.compile(r"^(?P<loai>Bộ luật|Luật|Pháp lệnh|Hiến pháp) (?!số )(?P<ten>\S.*)$")
# "; " before another cited document ("...; Căn cứ Nghị định số ...", "...; Công văn số ..."), not a "; " inside a
# summary ("về phân cấp ... khen thưởng; quy định chi tiết ...")
_NEXT_CITATION = re.compile(r";\s+(?=(?:(?:Căn cứ|Thực hiện)\s+)?(?:" + "|".join(vn.LOAI_VAN_BAN) + r")\s)")


def parse_label(text: str) -> tuple[str, str, str] | None:
    """``Chỉ đạo thực hiện: Trưởng Ban.`` → (field, label, value)."""
    m = _LABEL_RE.match(text)
    if not m:
        return None
    label, rest = m.group("label"), m.group("rest").strip()
    has_colon = text[len(label):].lstrip().startswith(":")
    if not has_colon and label != "Nội dung" and rest:
        return None  # "Thời gian qua, ..." is a sentence, not a label
    return FIELD_OF[label], label, rest


def parse_date(text: str):

    m = re.search(r"(\d{1,2})/(\d{1,2})/(\d{4})", text) or re.search(
        r"(\d{1,2}) tháng (\d{1,2}) năm (\d{4})", text)
    if not m:
        return None
    d, mo, y = (int(g) for g in m.groups())
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return None


def parse_citation(text: str) -> dict | None:
    m = CITATION.match(text.strip().rstrip(";,"))
    if not m:
        law = _LUAT.match(text.strip().rstrip(";,"))
        # its name and date as written: a Luật prints its type and name only (vn.trich_dan), no word is lost
        return {"loai": law.group("loai"), "trich_yeu": law.group("ten")} if law else None
    out = {"loai": m.group("loai"), "so_ky_hieu": m.group("so")}
    date = parse_date(m.group("ngay"))
    if date:
        out["ngay"] = date
    if m.group("cq"):
        out["co_quan"] = m.group("cq")
    if m.group("ty"):
        out["trich_yeu"] = m.group("ty")
    return out


def split_opening(text: str) -> tuple[str, list[dict], str] | None:
    """``Thực hiện <cit>; <cit>, <rest>`` → (truoc, citations, sau)."""
    m = re.match(r"^(Thực hiện|Căn cứ)\s+(.*)$", text)
    if not m:
        return None
    truoc, rest = m.groups()
    parts = [re.sub(r"^(Căn cứ|Thực hiện)\s+", "", x) for x in _NEXT_CITATION.split(rest)]  # "Căn cứ A; Căn cứ B"
    last = parts[-1]
    cut = re.search(r", (?=[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ])", last)
    if not cut:
        return None
    parts[-1], sau = last[: cut.start()], last[cut.end():]
    citations = [parse_citation(p) for p in parts]
    if any(c is None for c in citations):
        return None
    return truoc, citations, sau  # type: ignore[return-value]


def split_opening_lines(paragraphs: list[str]) -> tuple[str, list[dict], str] | None:
    """Căn cứ lines, one paragraph each (``Căn cứ A;`` / ``Căn cứ B;`` / ``UBND tỉnh ban hành Kế hoạch ...``, as in
    KH02 and KH03) → (truoc, citations, sau); the sentence after them may itself hold ``;``."""
    if len(paragraphs) < 2:
        return None
    m = re.match(r"^(Thực hiện|Căn cứ)\s", paragraphs[0])
    if not m or not all(p.rstrip().endswith((";", ",")) for p in paragraphs[:-1]):
        return None
    if re.match(r"^(Thực hiện|Căn cứ)\s", paragraphs[-1]):
        return None  # "Căn cứ B, Ủy ban nhân dân tỉnh ban hành ...": the last citation and the sentence in one
    truoc = m.group(1)
    citations = []
    for p in paragraphs[:-1]:
        if re.match(r"^(Thực hiện|Căn cứ)\s", p) and not p.startswith(truoc):
            return None  # "Căn cứ A;" then "Thực hiện B;": one opening word would change what B is
        for part in _NEXT_CITATION.split(re.sub(rf"^{truoc}\s+", "", p.rstrip().rstrip(";,"))):
            citation = parse_citation(re.sub(r"^(Căn cứ|Thực hiện)\s+", "", part))
            if citation is None:
                return None
            citations.append(citation)
    return truoc, citations, paragraphs[-1]


@dataclass
class Node:
    kind: str  # muc, khoan, diem, gach, cong, dem, doan
    text: str
    children: list[Node] = field(default_factory=list)
    marker: str = ""


LEVEL = {"muc": 0, "khoan": 1, "khoan2": 2, "diem": 3, "gach": 4, "dem": 4, "cong": 5, "doan": 6}


def classify(p: str) -> tuple[str, str, str]:
    for kind, pattern in (("muc", r"^([IVX]+)\.\s*(.*)$"), ("khoan2", r"^(\d+\.\d+)\.?\s+(.*)$"),
                          ("khoan", r"^(\d+)\.\s*(.*)$"), ("diem", r"^([a-zđ]{1,2})\)\s*(.*)$"),
                          ("diem", r"^([a-eg-ik-vxyđ])\.\s+(\S.*)$"),  # "a. Tình hình ...:" (BC04) for "a)"
                          ("dem", r"^\((\d+)\)\s*(.*)$"), ("gach", r"^[-–]\s*(.*)$"), ("cong", r"^\+\s*(.*)$")):
        m = re.match(pattern, p)
        if m and m.groups()[-1].strip():  # a lone "-" (a dash in a table cell) is text, not an empty item
            groups = m.groups()
            return kind, (groups[0] if len(groups) == 2 else ""), groups[-1].strip()
    return "doan", "", p


def tree(paragraphs: list[str]) -> list[Node]:
    """The body hierarchy by marker level (a paragraph without marker belongs to the item above it)."""
    root = Node("root", "")
    stack: list[tuple[int, Node]] = [(-1, root)]
    for p in paragraphs:
        kind, marker, text = classify(p)
        level = LEVEL[kind]
        if kind == "doan":
            # a plain paragraph continues the innermost heading (not a list item)
            while stack[-1][0] >= LEVEL["gach"]:
                stack.pop()
            stack[-1][1].children.append(Node("doan", text))
            continue
        while stack[-1][0] >= level:
            stack.pop()
        node = Node(kind, text, marker=marker)
        stack[-1][1].children.append(node)
        stack.append((level, node))
    return root.children


# ---- building the source ---------------------------------------------------------------------------------


@dataclass
class Imported:
    data: dict[str, Any]
    todos: dict[tuple, str] = field(default_factory=dict)  # path → note
    counts: dict[str, int] = field(default_factory=dict)
    frame: dict[str, Any] = field(default_factory=dict)  # the header as written: so, ky_hieu, ngay (text)


def _slug(text: str, used: set[str]) -> str:
    s = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    s = "".join(c for c in s if unicodedata.category(c) != "Mn").lower()
    words = re.findall(r"[a-z0-9]+", s)
    base = "_".join(words[:4]) or "nhiem_vu"
    slug, n = base, 2
    while slug in used:
        slug, n = f"{base}_{n}", n + 1
    used.add(slug)
    return slug


def _fields_of(node: Node) -> list[tuple[Node, tuple[str, str, str]]]:
    found = []
    for child in node.children:
        if child.kind in ("diem", "gach", "khoan2"):
            parsed = parse_label(child.text)
            if parsed:
                found.append((child, parsed))
    return found


def _is_task(node: Node) -> bool:
    """A node with labelled fields; a "Nội dung" point carrying the fields makes its parent the task."""
    if node.kind in ("diem", "gach") and parse_label(node.text):
        return False  # a field line, not a task
    for child, (name, _, _) in _fields_of(node):
        if name != "noi_dung":
            return True
        if any((sub := parse_label(g.text)) and sub[0] != "noi_dung" for g in child.children if g.kind == "gach"):
            return True
    return False


class Builder:
    def __init__(self, tables: list | None = None) -> None:
        self.tables = tables or []
        self.used: set[str] = set()
        self.labels: dict[str, dict[str, int]] = {}
        self.todos: dict[tuple, str] = {}
        self.tasks = 0

    def blocks(self, nodes: list[Node], loc: tuple) -> list:
        out: list = []
        for node in nodes:
            here = loc + (len(out),)
            if node.kind in ("gach", "dem", "cong"):
                key = "dem" if node.kind == "dem" else "gach"
                if out and isinstance(out[-1], dict) and set(out[-1]) == {key}:
                    out[-1][key].append(self.item(node))
                else:
                    out.append({key: [self.item(node)]})
            elif node.kind == "doan":
                out.append(self.paragraph(node.text))
            elif node.kind == "muc":
                out.append({"muc": node.text, "noi_dung": self.blocks(node.children, here + ("noi_dung",))})
            elif _is_task(node):
                out.append(self.task(node, here))
            elif node.kind in ("khoan", "khoan2"):
                entry: dict[str, Any] = {"khoan": node.text}
                if node.children:
                    entry["noi_dung"] = self.blocks(node.children, here + ("noi_dung",))
                out.append(entry)
            elif node.kind == "diem":
                entry = {"diem": node.text}
                if node.children:
                    entry["noi_dung"] = self.blocks(node.children, here + ("noi_dung",))
                out.append(entry)
        return out

    def paragraph(self, text: str):
        """A paragraph, or the ``bang`` block its token stands for."""

        if text.startswith(TOKEN):
            return to_bang(self.tables[int(text[len(TOKEN):])])
        return text

    def item(self, node: Node):
        if node.children:
            subs = [c for c in node.children if c.kind in ("cong", "gach")]
            if subs and len(subs) == len(node.children):
                return {"doan": node.text, "gach": [self.item(c) for c in subs]}
            return {"doan": " ".join([node.text] + [c.text for c in node.children])}
        return node.text

    def task(self, node: Node, loc: tuple) -> dict:
        self.tasks += 1
        data: dict[str, Any] = {"nhiem_vu": node.text, "id": _slug(node.text, self.used)}
        content: list[Node] = [c for c in node.children if c.kind in ("doan",)]
        overrides: dict[str, str] = {}
        for child in node.children:
            parsed = parse_label(child.text) if child.kind in ("diem", "gach", "khoan2") else None
            if not parsed:
                if child.kind not in ("doan",):
                    content.append(child)
                continue
            name, label, value = parsed
            if name == "noi_dung":
                self._label(overrides, name, label)
                inner = list(child.children)
                # labelled dashes under "Nội dung" are the task's fields (a plan that mixes the two)
                for grandchild in list(inner):
                    sub = parse_label(grandchild.text) if grandchild.kind == "gach" else None
                    if sub and sub[0] != "noi_dung":
                        inner.remove(grandchild)
                        self._field(data, sub, grandchild, overrides)
                blocks = ([value] if value else []) + self.blocks(inner, loc + ("noi_dung",))
                data["noi_dung"] = blocks
            else:
                self._field(data, parsed, child, overrides)
        if content:
            extra = self.blocks(content, loc + ("noi_dung",))
            data["noi_dung"] = data.get("noi_dung", []) + extra
        data["_labels"] = overrides
        order = ["nhiem_vu", "id", "noi_dung", "chi_dao", "chu_tri", "phoi_hop", "san_pham", "thoi_gian", "_labels"]
        return {k: data[k] for k in order if k in data}

    def _label(self, overrides: dict, name: str, label: str) -> None:
        """Count a label use (the plan's labels are the most used) and note the task's own."""
        counts = self.labels.setdefault(name, {})
        counts[label] = counts.get(label, 0) + 1
        overrides[name] = label

    def _field(self, data: dict, parsed: tuple[str, str, str], node: Node, overrides: dict) -> None:
        name, label, value = parsed
        self._label(overrides, name, label)
        lines = [c.text for c in node.children if c.kind in ("gach", "cong", "doan")]
        data[name] = lines if lines and not value else (value if not lines else [value] + lines)

    def finish_labels(self, body: list) -> dict[str, str]:
        """Plan-level labels (the most used per field); tasks that differ get their own ``nhan``."""
        chosen = {name: max(counts, key=lambda k: counts[k]) for name, counts in self.labels.items()}
        defaults = {"noi_dung": "Nội dung", "chi_dao": "Chỉ đạo thực hiện", "chu_tri": "Phòng tham mưu",
                    "phoi_hop": "Phối hợp", "san_pham": "Sản phẩm", "thoi_gian": "Thời gian thực hiện"}
        defaults.update(chosen)

        def walk(blocks):
            for b in blocks:
                if isinstance(b, dict):
                    if "_labels" in b:
                        own = {k: v for k, v in b.pop("_labels").items() if v != defaults.get(k)}
                        if own:
                            b["nhan"] = own
                    walk(b.get("noi_dung", []))
        walk(body)
        return defaults


def _header(paragraphs: list[str], result: dict, todos: dict) -> int:
    """Header fields from the paragraphs before the document type; returns the index of the type."""
    found = [i for i, p in enumerate(paragraphs) if p.strip() == "KẾ HOẠCH"]
    idx = found[-1] if found else None  # a decision that attaches a plan: the plan is the last KẾ HOẠCH
    if idx is None:
        todos[("loai",)] = "không thấy chữ KẾ HOẠCH: kiểm tra loại văn bản"
    head = paragraphs[:idx] if idx is not None else []  # no header read: the defaults below still apply
    # text before the plan that is not part of a header (a decision's articles...) is kept, not dropped
    so_line = next((p for p in head if re.match(r"^Số\s*:", p)), None)
    qh_at = next((i for i, p in enumerate(head) if "CỘNG HÒA" in p or "CỘNG HOÀ" in p), len(head))
    agency_end = head.index(so_line) if so_line else qh_at
    agency = [p for p in head[:agency_end] if _is_upper_line(p) and "CỘNG HÒA" not in p and "CỘNG HOÀ" not in p]
    header_like = re.compile(r"^(Số\s*:|CỘNG HÒA|CỘNG HOÀ|Nơi nhận|[-–] )|,\s*ngày")
    result["_truoc"] = [p for p in head if p not in agency and not header_like.search(p) and not _loose_motto(p)]
    co_quan: dict[str, str] = {}
    if agency:
        co_quan["ten"] = agency[-1]
        if len(agency) >= 2:
            co_quan["chu_quan"] = agency[-2]
    if so_line:
        m = re.match(r"^Số\s*:\s*(\d*)\s*/\s*([A-ZĐa-zđ]+)-(\S+)$", so_line)
        if m:
            if m.group(1):
                num = m.group(1)
                result["so"] = num if num.startswith("0") and len(num) > 2 else int(num)
            co_quan["viet_tat"] = m.group(3)
            if m.group(2) != "KH":
                todos[("so",)] = (f"số, ký hiệu gốc là {so_line.split(':', 1)[1].strip()} (văn bản loại "
                                  f"{m.group(2)}); kế hoạch sẽ in ký hiệu KH: kiểm tra lại số")
    date_line = next((p for p in head if re.search(r",\s*ngày", p)), None)
    if date_line:
        result["dia_danh"] = date_line.split(",")[0].strip()
        result["ngay_ban_hanh"] = parse_date(date_line)
    _fill_header_blanks(result, co_quan, todos, "phần đầu văn bản không có (thường do trích xuất PDF): "
                        "điền cơ quan chủ quản, tên, viết tắt")
    return idx if idx is not None else -1


def build(paragraphs: list[str], tables: list | None = None) -> Imported:
    """A plan from its paragraphs when the frame is not recognised by :mod:`docgen.parts` (text without a
    header, a decision attaching a plan): the plan starts at its last ``KẾ HOẠCH``. ``tables`` are the body's
    tables that token paragraphs stand for (see :mod:`docgen.import_tables`)."""
    result: dict[str, Any] = {"loai": "ke_hoach"}
    todos: dict[tuple, str] = {}
    idx = _header(paragraphs, result, todos)
    rest = paragraphs[idx + 1:] if idx >= 0 else paragraphs
    before = result.pop("_truoc", [])
    # trích yếu: up to the opening paragraph
    # the summary is at least the first paragraph (it may itself begin "Thực hiện công tác ...")
    open_at = next((i for i, p in enumerate(rest) if i > 0 and re.match(r"^(Thực hiện|Căn cứ)\b", p)), None)
    first_muc = next((i for i, p in enumerate(rest) if re.match(r"^[IVX]+\.\s", p)), len(rest))
    if open_at is None or open_at > first_muc:
        open_at = first_muc
    summary = [p for p in rest[:open_at] if not p.startswith("(")]
    attached = [p for p in rest[:open_at] if p.startswith("(")]  # "(Kèm theo Quyết định số ...)"
    result["trich_yeu"] = " ".join(summary) or "TRÍCH YẾU"
    if not rest[:open_at]:
        todos[("trich_yeu",)] = "không thấy trích yếu"
    body_end = next((i for i, p in enumerate(rest) if p.startswith("Nơi nhận")), len(rest))
    builder = _year_opening_body(result, todos, rest[open_at:body_end], before + attached, tables=tables)
    tail, appendix_parts = _split_appendices(rest[body_end + 1:])
    _add_appendices(result, todos, builder, appendix_parts)
    recipients = [p for p in tail if p.startswith(("-", "–"))]
    others = [p for p in tail if not p.startswith(("-", "–"))]
    titles = [p for p in others if _is_upper_line(p)]
    names = [p for p in others if not _is_upper_line(p)]
    _footer(result, todos, recipients, titles, names[-1] if names else None)
    return _finish(result, todos, builder)


def _year_opening_body(result: dict, todos: dict, rest: list[str], kept: list[str], after: list[str] | None = None,
                       tables: list | None = None) -> Builder:
    """The plan's year, its opening (căn cứ, mở đầu) and body from the paragraphs after the summary; ``kept``
    (text before the frame) and ``after`` (text after the signature) are kept as paragraphs, never dropped."""
    named = sorted({int(y) for y in re.findall(r"năm (\d{4})", result["trich_yeu"])})
    issued = result.get("ngay_ban_hanh")
    dated = re.search(r"năm\s+(\d{4})", result.get("_ngay_text", ""))
    header_year = issued.year if issued is not None else int(dated.group(1)) if dated else None
    # the one year the summary names; with several ("đến năm 2020 và định hướng đến năm 2030", BC04), the year of
    # the header's date ("ngày ... tháng 3 năm 2026"), which is also what an undated draft prints again
    year = named[0] if len(named) == 1 else header_year if header_year else named[0] if named else None
    if not year:
        m = re.search(r"\b(19[89]\d|20\d\d)\b", result["trich_yeu"] + " " + result.get("_ngay_text", ""))
        year = int(m.group(1)) if m else None
    result.pop("_ngay_text", None)
    result["nam"] = year or 2000
    if not year:
        todos[("nam",)] = "không suy ra được năm của kế hoạch"
    first_muc = next((i for i, p in enumerate(rest) if re.match(r"^[IVX]+\.\s", p)), None)
    if first_muc is None:  # no "I." heading: the first paragraph opens, the rest is body
        first_muc = 1 if rest else 0
    opening = " ".join(rest[:first_muc])
    lines = split_opening_lines(rest[:first_muc])
    split = lines or (split_opening(opening) if opening else None)
    if split:
        truoc, citations, sau = split
        result["can_cu"] = citations
        result["mo_dau"] = {"truoc": truoc, "sau": sau} | ({"tung_dong": True} if lines else {})
    else:
        result["mo_dau"] = {"sau": opening or "..."}
        if opening:
            todos[("mo_dau",)] = "câu mở đầu chưa tách được văn bản căn cứ: xem lại (ghi can_cu nếu cần)"
    body = rest[first_muc:]
    if body and body[-1].endswith("./."):
        body[-1] = body[-1][:-3].rstrip() if body[-1].endswith("../.") else body[-1][:-2]
    builder = Builder(tables)
    result["nhan"] = {}
    result["noi_dung"] = builder.blocks(tree(body), ("noi_dung",))
    for i, p in enumerate(kept):
        result["noi_dung"].insert(i, builder.paragraph(p))
        todos[("noi_dung", i)] = "đoạn văn không thuộc khung kế hoạch (giữ lại để không mất chữ): chuyển hoặc xóa"
    if after:
        at = len(result["noi_dung"])
        result["noi_dung"].extend(builder.paragraph(p) for p in after)
        todos[("noi_dung", at)] = ("phần sau chữ ký (phụ lục, mẫu biểu, chú thích...) giữ lại dạng đoạn văn để không "
                                   "mất chữ: chuyển thành phụ lục")
    if not result["noi_dung"]:
        result["noi_dung"] = ["..."]
        todos[("noi_dung",)] = "không thấy phần nội dung"
    result["nhan"] = builder.finish_labels(result["noi_dung"])
    return builder


def _add_appendices(result: dict, todos: dict, builder: Builder, appendix_parts: list[list[str]]) -> None:

    phu_luc = _appendices(appendix_parts, builder, result["noi_dung"], todos,
                          tieu_de_bang_nhiem_vu(result["trich_yeu"]), result["co_quan"])
    if phu_luc:
        result["phu_luc"] = phu_luc


def _footer(result: dict, todos: dict, recipients: list[str], titles: list[str], name: str | None) -> None:
    luu = next((p for p in recipients if re.match(r"^[-–]?\s*Lưu\b", p)), None)
    result["noi_nhan"] = [re.sub(r"^[-–]\s*", "", p).rstrip(" ;.") for p in recipients if p is not luu]
    result["noi_nhan"] = [x for x in result["noi_nhan"] if x]
    if not result["noi_nhan"]:
        result["noi_nhan"] = ["(điền nơi nhận)"]
        todos[("noi_nhan",)] = "không thấy nơi nhận nào ngoài dòng Lưu: điền nơi nhận"
    if luu:
        items = re.sub(r"^[-–]?\s*Lưu\s*:?\s*", "", luu).rstrip(" .")
        result["luu"] = [x.strip() for x in re.split(r",|;|\.\s", items) if x.strip()] or ["VT"]
    signer: dict[str, Any] = {"chuc_vu": "CHỨC VỤ", "ho_ten": "Họ và tên"}
    if titles:
        signer = parse_signer(titles)
        middle = signer.pop("_tang_giua", None)
        if middle:
            todos[("nguoi_ky",)] = (f"người ký có hai tầng quyền hạn; docgen in một: dòng '{middle}' không in, "
                                    "xem lại quyen_han, thu_truong, chuc_vu")
    else:
        todos[("nguoi_ky",)] = "không thấy chức vụ người ký"
    if name:
        signer["ho_ten"] = name
    else:
        signer["ho_ten"] = "Họ và tên"
        todos[("nguoi_ky", "ho_ten")] = "không thấy họ tên người ký"
    result["nguoi_ky"] = signer


def _finish(result: dict, todos: dict, builder: Builder) -> Imported:
    order = ["loai", "co_quan", "so", "dia_danh", "ngay_ban_hanh", "nam", "trich_yeu", "can_cu", "mo_dau", "nhan",
             "noi_dung", "noi_nhan", "luu", "nguoi_ky", "phu_luc"]
    data = {k: result[k] for k in order if k in result}
    counts = {"muc": sum(1 for b in data["noi_dung"] if isinstance(b, dict) and "muc" in b),
              "nhiem_vu": builder.tasks, "can_cu": len(data.get("can_cu", [])), "xem_lai": len(todos)}
    return Imported(data, todos, counts)


# ---- from the located parts (docgen.parts): the frame of real documents ----------------------------------


def framed(pt: Parts) -> bool:
    """The parts reader found a document's frame we can import (not a decision: a decision attaching a plan
    goes through :func:`build`, which finds the plan inside)."""
    return pt.ten_loai is not None and pt.ten_loai.text != "QUYẾT ĐỊNH" and bool(
        pt.so or pt.ban_hanh or pt.quoc_hieu)


def build_framed(pt: Parts, paragraphs: Callable[[list[Line]], list[str]], tables: list | None = None) -> Imported:
    """A source from located parts; ``paragraphs`` turns lines into paragraphs (text lines are joined back,
    .docx paragraphs carry their list numbering)."""
    result: dict[str, Any] = {"loai": "ke_hoach"}
    todos: dict[tuple, str] = {}
    co_quan: dict[str, str] = {}
    if pt.ban_hanh:
        co_quan["ten"] = " ".join(x.text for x in pt.ban_hanh)
        if pt.chu_quan:
            co_quan["chu_quan"] = " ".join(x.text for x in pt.chu_quan)
    so, ky_hieu = pt.so_ky_hieu()
    if so:
        result["so"] = so if so.startswith("0") and len(so) > 2 else int(so)  # "0204" kept as written
    if ky_hieu and "-" in ky_hieu:
        loai, viet_tat = ky_hieu.split("-", 1)
        co_quan["viet_tat"] = viet_tat
        if loai != "KH":
            todos[("so",)] = (f"số, ký hiệu gốc là {pt.so_text.split(':', 1)[-1].strip()} (văn bản loại {loai}); "
                              "kế hoạch sẽ in ký hiệu KH: kiểm tra lại số")
    place, date_text = pt.dia_danh_ngay()
    if place:
        result["dia_danh"] = place
        result["ngay_ban_hanh"] = parse_date(pt.ngay_text)
        result["_ngay_text"] = date_text or ""
    _fill_header_blanks(result, co_quan, todos,
                        "không thấy tên cơ quan ở phần đầu: điền cơ quan chủ quản, tên, viết tắt")
    summary = pt.trich_yeu or pt.vv
    result["trich_yeu"] = re.sub(r"^V/v\s+", "", " ".join(x.text for x in summary)) or "TRÍCH YẾU"
    if not summary:
        todos[("trich_yeu",)] = "không thấy trích yếu"
    if pt.ten_loai is not None and pt.ten_loai.text != "KẾ HOẠCH":
        todos[("loai",)] = f"văn bản gốc là {pt.ten_loai.text.lower()}: nhập theo khung kế hoạch, xem lại"
    kept = paragraphs(pt.kinh_gui)
    after, appendix_parts = _split_appendices(paragraphs(pt.sau))
    body = paragraphs(pt.body_all)
    while body and _ATTACHED.match(body[0]):  # "(Kèm theo Quyết định số ...)" under the title: not the opening
        todos[("trich_yeu",)] = (f"dòng dưới tên văn bản '{body.pop(0)}': docgen in lại dòng này từ tệp Quyết "
                                 "định (loai: quyet_dinh) cùng thư mục với kế hoạch; xem lại")
    builder = _year_opening_body(result, todos, body, kept, after, tables=tables)
    _add_appendices(result, todos, builder, appendix_parts)
    recipients = [x.text for x in pt.noi_nhan_items]
    _footer(result, todos, recipients, [x.text for x in pt.ky], pt.ho_ten.text if pt.ho_ten is not None else None)
    imported = _finish(result, todos, builder)
    imported.frame = {"so": so, "ky_hieu": ky_hieu, "ngay": date_text}
    return imported


def _split_appendices(tail: list[str]) -> tuple[list[str], list[list[str]]]:

    return split_appendices(tail)


def _appendices(parts: list[list[str]], builder: Builder, body: list, todos: dict,
                default_title: str, co_quan: dict) -> list[dict[str, Any]]:
    """``phu_luc`` entries: title, orientation, blocks; the computed task table recognised as such."""

    tasks = []

    def walk(blocks):
        for b in blocks:
            if isinstance(b, dict):
                if "nhiem_vu" in b:
                    tasks.append(b)
                walk(b.get("noi_dung", []))
    walk(body)
    out = []
    for i, part in enumerate(parts):
        title, attached, content = appendix_parts(part)
        # the "(Kèm theo ... của <agency>)" line is computed again; it names the agency in running text
        named = re.search(r"\bcủa (.+?)\)?$", attached[0]) if attached else None
        if named and co_quan.get("ten") and named.group(1).strip() != vn.ten_goi(co_quan["ten"],
                                                                                    co_quan.get("chu_quan")):
            co_quan.setdefault("ten_goi", named.group(1).strip())
        tokens = [int(p[len(TOKEN):]) for p in content if p.startswith(TOKEN)]
        landscape = any(builder.tables[t].landscape for t in tokens)
        blocks = builder.blocks(tree(content), ("phu_luc", i, "noi_dung"))
        entry: dict[str, Any] = {}
        computed = None
        if len(blocks) == 1 and isinstance(blocks[0], dict) and "bang" in blocks[0]:
            computed = as_task_table(blocks[0]["bang"], tasks)
        if computed is not None:
            if title and title != vn.viet_hoa(default_title):
                entry["tieu_de"] = title
            entry["bang_nhiem_vu"] = computed
            if not landscape:
                entry["huong"] = "doc"
        else:
            entry["tieu_de"] = title or "PHỤ LỤC"
            if not title:
                todos[("phu_luc", i, "tieu_de")] = "phụ lục không có tên: điền tên"
            if landscape:
                entry["huong"] = "ngang"
            entry["noi_dung"] = blocks or ["Nội dung phụ lục"]
        out.append(entry)
    return out


def parse_signer(titles: list[str]) -> dict[str, Any]:
    """``TM. ỦY BAN NHÂN DÂN`` / ``KT. CHỦ TỊCH`` / ``PHÓ CHỦ TỊCH`` → the nguoi_ky fields."""
    signer: dict[str, Any] = {}
    lines = list(titles)
    if lines and lines[0].startswith("TM."):
        signer["thay_mat"] = lines.pop(0)[3:].strip()
    if lines and re.match(r"^(KT|TL|TUQ)\.", lines[0]):
        prefix, head = lines.pop(0).split(".", 1)
        signer["quyen_han"] = prefix
        signer["thu_truong"] = head.strip()
    elif lines and lines[0].startswith("Q."):
        signer["quyen_han"] = "Q"
        lines[0] = lines[0][2:].strip()
    if len(lines) > 1 and vn.TIEN_TO_KY.match(lines[0]):
        # a second authority under the first ("TL. CHỦ TỊCH" / "KT. CHÁNH VĂN PHÒNG" / "PHÓ CHÁNH VĂN PHÒNG": CV22,
        # TB29-TB31): a plan prints one; the line is kept for the reader (see _footer), never put in chuc_vu
        signer["_tang_giua"] = lines.pop(0)
    signer["chuc_vu"] = " ".join(lines) if lines else "CHỨC VỤ"
    return signer


# ---- reading files ---------------------------------------------------------------------------------


def paragraphs_from_text(text: str) -> list[str]:
    return join_lines(clean_lines(text))


def paragraphs_from_docx(path: Path, tables: list | None = None) -> list[str]:
    """Paragraphs of a .docx in reading order, Word's automatic numbering rendered.

    The decree's frame tables (header, signature) are read cell by cell; any other table is
    appended to ``tables`` (when given) and stands in the list as one token paragraph.
    """

    safe = SafeDocx(path)
    root = safe.xml("word/document.xml")
    assert root is not None  # SafeDocx refuses a package without word/document.xml
    numbering = Numbering(safe.xml("word/numbering.xml"), Styles(safe.raw("word/styles.xml")))
    out = []

    def paragraph(p) -> None:
        t = unicodedata.normalize("NFC", para_text(p)).strip()
        if t:
            out.append(numbering.label(p) + t)

    body = root.find(q("w:body"))
    landscape = _landscape_children(body) if body is not None else {}
    for child in (body if body is not None else []):
        if child.tag == q("w:p"):
            paragraph(child)
        elif child.tag == q("w:tbl"):
            if tables is None or is_frame(child):
                for p in child.iter(q("w:p")):
                    paragraph(p)
            else:
                table = read_table(child, numbering.label)
                table.landscape = landscape.get(child, False)
                tables.append(table)
                out.append(f"{TOKEN}{len(tables) - 1}")
        else:  # content controls and the like: their paragraphs, in order
            for p in child.iter(q("w:p")):
                paragraph(p)
    return out


def _landscape_children(body) -> dict:
    """Body children that sit in a landscape section."""

    out: dict[Any, Any] = {}
    pending: list[Any] = []
    for child in body:
        pending.append(child)
        sect = child.find(f"{q('w:pPr')}/{q('w:sectPr')}") if child.tag == q("w:p") else (
            child if child.tag == q("w:sectPr") else None)
        if sect is not None:
            pg = sect.find(q("w:pgSz"))
            wide = pg is not None and (pg.get(q("w:orient")) == "landscape" or int(pg.get(q("w:w"), "0") or 0)
                                       > int(pg.get(q("w:h"), "0") or 0))
            out.update((c, wide) for c in pending)
            pending = []
    return out


def dump(imported: Imported, source_name: str, schema: str | None) -> str:
    """The YAML text: block style, keys in the model's order, a ``# TODO(import)`` note above each doubt."""



    def plain(value):
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    body = yaml.safe_dump(plain(imported.data), allow_unicode=True, sort_keys=False, width=110,
                          default_flow_style=False, indent=2)
    lines = body.split("\n")
    located = load_text(body, "x.yaml")
    notes: dict[int, list[str]] = {}
    for loc, note in imported.todos.items():
        line = located.line_of(loc)
        notes.setdefault((line if isinstance(line, int) else 1) - 1, []).append(note)
    for line in sorted(notes, reverse=True):
        indent = lines[line][: len(lines[line]) - len(lines[line].lstrip())]
        lines[line:line] = [f"{indent}{TODO_IMPORT}: {n}" for n in notes[line]]
    head = []
    if schema:
        head.append(f"# yaml-language-server: $schema={schema}")
    head.append(f"# Nhập từ {source_name} bằng docgen import. Xem lại các chỗ '{TODO_IMPORT}' rồi xóa ghi chú.")
    return "\n".join(head + [""] + lines)


def read_ids(path: Path) -> dict[str, list[str]]:
    """Ids a docgen-produced .docx carries (docProps/custom.xml), so a round trip keeps them."""

    root = SafeDocx(path).xml("docProps/custom.xml")
    if root is None:
        return {}
    return {prop.get("name", "").removeprefix("docgen."): "".join(prop.itertext()).split()
            for prop in root if prop.get("name", "").startswith("docgen.")}


def import_file(path: Path, tables_as_blocks: bool = True) -> Imported:
    """The source of ``path``; tables become ``bang`` blocks unless ``tables_as_blocks`` is false (their words
    are then paragraphs)."""

    ids: dict[str, list[str]] = {}
    tables: list | None = [] if tables_as_blocks else None
    if path.suffix.lower() == ".docx":
        try:
            safe = SafeDocx(path)
            lines, pt, labels = read_docx(safe)
            if framed(pt):
                imported = build_framed(pt, lambda ls: _docx_paragraphs(ls, labels, tables), tables)
            else:
                imported = build(paragraphs_from_docx(path, tables), tables)
            ids = read_ids(path)
        except DocgenError:
            raise
        except Exception:  # noqa: BLE001 - a hostile or damaged .docx is the file's error, not a traceback
            raise DocgenError(Problem("không đọc được tệp Word: cấu trúc tệp hỏng hoặc lạ; mở tệp bằng Word, lưu lại "
                                      "dạng .docx rồi nhập lại", str(path))) from None
    elif path.suffix.lower() in (".txt", ".text"):

        # control characters (from a PDF's text layer) cannot go into a .docx: dropped, as Word would
        text = _XML_ILLEGAL.sub("", read_text(path, MAX_TEXT))
        if not any(c.isalnum() for c in text):
            raise DocgenError(Problem("tệp không có chữ nào để nhập", str(path)))
        pt = locate(text_lines(text))
        imported = build_framed(pt, _text_paragraphs) if framed(pt) else build(paragraphs_from_text(text))
    else:
        raise DocgenError(Problem("chỉ nhập được tệp .docx hoặc .txt", str(path)))
    if ids.get("nhiem_vu") and len(ids.get("nhiem_vu_ten", ())) == len(ids["nhiem_vu"]):
        _map_ids_by_name(imported, ids["nhiem_vu"], ids["nhiem_vu_ten"])
    elif ids.get("nhiem_vu"):  # a file from a docgen that did not record the names: by position, when safe
        count = _count_tasks(imported.data["noi_dung"])
        if count == len(ids["nhiem_vu"]):
            _assign_ids(imported.data["noi_dung"], iter(ids["nhiem_vu"]))
        else:  # tasks added or deleted in Word: ids by position would land on other tasks
            imported.todos[("noi_dung",)] = (
                f"tệp do docgen tạo có {len(ids['nhiem_vu'])} nhiệm vụ, nay đọc được {count}: không gán lại mã "
                "nhiệm vụ cũ theo thứ tự (sẽ gán nhầm); mã mới tạo từ tên, xem lại trước khi dùng với báo cáo cũ")
    citations = imported.data.get("can_cu", [])
    if citations and len(ids.get("can_cu", [])) == len(citations):
        for i, cid in enumerate(ids["can_cu"]):
            if cid != "-":
                citations[i] = {"id": cid, **citations[i]}
    return imported


def _docx_paragraphs(lines: list[Line], labels: dict[Any, str], tables: list | None = None) -> list[str]:
    """Paragraphs of located .docx lines with their list numbering; a table that is not part of the frame
    becomes one token paragraph for its ``bang`` block (when ``tables`` collects them)."""

    out: list[str] = []
    seen: set[int] = set()
    done: dict[int, bool] = {}
    last = None  # the paragraph of the last line kept
    for line in lines:
        if line.table is not None and tables is not None:
            key = id(line.table)
            if key not in done:
                done[key] = not is_frame(line.table)
                if done[key]:
                    table = read_table(line.table, _labeller(labels))
                    table.landscape = _in_landscape(line.table)
                    tables.append(table)
                    out.append(f"{TOKEN}{len(tables) - 1}")
            if done[key]:
                continue
        if id(line.p) in seen and out and last is line.p and classify(line.text)[0] == "doan":
            # a line break inside a paragraph, mid-sentence (KH03: "... đường lối của" / "Đảng, chính sách ..."):
            # one paragraph, as Word shows it; a break before a marker ("- b;") still starts an item
            out[-1] = f"{out[-1]} {line.text}"
            continue
        label = "" if id(line.p) in seen else labels.get(line.p, "")
        seen.add(id(line.p))
        out.append(label + line.text)
        last = line.p
    return out


def _labeller(labels: dict[Any, str]) -> Callable[[Any], str]:
    return lambda p: labels.get(p, "")


def _in_landscape(table) -> bool:
    """The table sits in a landscape section (the next section break after it is landscape)."""

    el = table
    while el is not None:
        sect = el.find(f"{q('w:pPr')}/{q('w:sectPr')}") if el.tag == q("w:p") else (
            el if el.tag == q("w:sectPr") else None)
        if sect is not None:
            pg = sect.find(q("w:pgSz"))
            return pg is not None and (pg.get(q("w:orient")) == "landscape" or int(pg.get(q("w:w"), "0") or 0)
                                       > int(pg.get(q("w:h"), "0") or 0))
        el = el.getnext()
    return False


def _text_paragraphs(lines: list[Line]) -> list[str]:
    """Pieces of one source line joined back (a justified line cut at its wide gaps), then lines into paragraphs."""
    rows: list[str] = []
    last_src = None
    for line in lines:
        if rows and line.src == last_src and line.src >= 0:
            rows[-1] += " " + line.text
        else:
            rows.append(line.text)
        last_src = line.src
    return join_lines(rows)


def _task_blocks(blocks: list, path: tuple = ("noi_dung",)) -> Iterator[tuple[tuple, dict]]:
    """Every task block of an imported body, depth first, with its path (for notes)."""
    for i, b in enumerate(blocks):
        if isinstance(b, dict):
            if "nhiem_vu" in b:
                yield path + (i,), b
            yield from _task_blocks(b.get("noi_dung", []), path + (i, "noi_dung"))


def _map_ids_by_name(imported: Imported, ids: list[str], keys: list[str]) -> None:
    """Give each imported task the id its name had in the produced file. Tasks are aligned by name in
    order, so a task deleted or added in Word moves no id onto another task; a task renamed in Word keeps
    the id of the one it replaced, with a note; what cannot be matched is said in a note."""
    tasks = list(_task_blocks(imported.data["noi_dung"]))
    found = [name_key(b["nhiem_vu"]) for _, b in tasks]
    taken: set[str] = set()
    new: list[tuple[tuple, dict]] = []
    gone: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, keys, found, autojunk=False).get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            for old, (path, block) in zip(ids[i1:i2], tasks[j1:j2], strict=True):
                block["id"] = old
                taken.add(old)
                if tag == "replace":
                    imported.todos[path] = (f"tên nhiệm vụ đã sửa trong Word; giữ mã cũ '{old}' của nhiệm vụ ở "
                                            "chỗ này: kiểm tra lại")
        else:
            gone.extend(ids[i1:i2])
            new.extend(tasks[j1:j2])
    for path, block in new:
        if block["id"] in taken or block["id"] in ids:
            block["id"] = _fresh_id(block["id"], taken | set(ids))
        taken.add(block["id"])
        imported.todos[path] = "nhiệm vụ mới thêm trong Word (không có trong tệp docgen đã tạo): mã mới, xem lại"
    if gone:
        imported.todos[("noi_dung",)] = ("các nhiệm vụ có mã " + ", ".join(gone) + " không còn trong tệp Word "
                                         "(đã xóa?): báo cáo cũ ghi tiến độ các mã này sẽ báo lỗi")


def _fresh_id(base: str, used: set[str]) -> str:
    n = 2
    while f"{base}_{n}" in used:
        n += 1
    return f"{base}_{n}"


def _count_tasks(blocks: list) -> int:
    return sum(("nhiem_vu" in b) + _count_tasks(b.get("noi_dung", [])) for b in blocks if isinstance(b, dict))


def _assign_ids(blocks: list, ids) -> None:
    for b in blocks:
        if isinstance(b, dict):
            if "nhiem_vu" in b:
                b["id"] = next(ids, b["id"])
            _assign_ids(b.get("noi_dung", []), ids)


def import_to(path: Path, out: Path, force: bool = False) -> tuple[Path, Imported]:
    """Import ``path`` into the YAML source ``out``; the result must validate before it is written."""


    refuse_inputs(out, {"tệp đang nhập": path})
    if out.exists() and not force:
        raise DocgenError(Problem("tệp đã có; dùng --force để ghi đè", str(out)))
    schema = os.path.relpath(KINDS["ke_hoach"].schema_path(), out.parent.resolve())

    def attempt(tables: bool) -> tuple[str, Imported]:
        imported = import_file(path, tables)
        text = dump(imported, path.name, schema)
        source = load_text(text, out)
        check_plan(source, validate_model(source, KeHoach))
        return text, imported

    try:
        text, imported = attempt(True)
    except DocgenError as first:
        # a table whose layout the bang block cannot hold (merged cells...): keep its words as paragraphs
        try:
            text, imported = attempt(False)
        except DocgenError:
            raise first from None
        note = ("bảng trong văn bản gốc không chuyển được thành khối 'bang' (" + first.problems[0].message +
                "): giữ chữ của bảng thành đoạn văn")
        imported.todos[("noi_dung",)] = note
        text = dump(imported, path.name, schema)
    write_atomic(out, text.encode("utf-8"))
    return out, imported
