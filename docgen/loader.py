"""Read a YAML source keeping the line of every value.

Every scalar is kept as a string (no YAML 1.1 surprises: ``no`` stays text,
``2023-02-30`` reaches validation as text and gets a proper message), normalised
to Unicode NFC, and checked for characters that XML (hence Word) refuses.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import DocgenError, Problem
from .inputs import MAX_SOURCE, _n, read_text
from .vn import nfc
from .yaml_errors import explain

Path_ = tuple[str | int, ...]

_NULL = "tag:yaml.org,2002:null"
_IMPLICIT_NULLS = frozenset(("", "~", "null", "Null", "NULL"))  # what YAML's resolver reads as null


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's composer (~10x faster than the pure-Python one; same nodes and marks).

    Every scalar stays text here, so of YAML's implicit types only null matters: resolving just
    that skips a dozen regular expressions per scalar (a fifth of the loading time).
    """

    def resolve(self, kind: type, value: str | None, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            return _NULL if implicit[0] and value in _IMPLICIT_NULLS else "tag:yaml.org,2002:str"
        return "tag:yaml.org,2002:seq" if kind is yaml.SequenceNode else "tag:yaml.org,2002:map"


_LOADER = _Loader

# XML 1.0 allows tab, LF, CR and everything from U+0020 except surrogates, FFFE, FFFF.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class Quoted(str):
    """A scalar written in quotes: text even when it looks like a number (a table cell "2023")."""

    __slots__ = ()


@dataclass
class Source:
    """A loaded YAML file: plain data plus the line where each path starts."""

    path: Path
    data: Any
    lines: dict[Path_, int | str] = field(default_factory=dict)  # str: a workbook cell (units from .xlsx)

    @property
    def name(self) -> str:
        return str(self.path)

    def line_of(self, loc: Path_) -> int | str | None:
        """The line of ``loc``, or of its nearest ancestor present in the file."""
        loc = tuple(loc)
        while loc not in self.lines and loc:
            loc = loc[:-1]
        return self.lines.get(loc)

    def problem(self, loc: Path_, message: str) -> Problem:
        return Problem(message, self.name, self.line_of(loc), format_path(loc) or None)


def format_path(loc: Path_) -> str:
    """``('noi_dung', 1, 'chi_dao')`` → ``noi_dung[1].chi_dao``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _illegal_char_message(ch: str) -> str:
    return f"ký tự điều khiển U+{ord(ch):04X} không được phép trong văn bản (Word không mở được tệp có ký tự này)"


# compose makes nodes of exactly these types (compared with `is`: cheaper than isinstance, per node)
_SCALAR, _SEQUENCE, _MAPPING = yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode

MAX_ALIAS_NODES = 10_000  # values repeated through YAML aliases (*ten), all together
MAX_DEPTH = 64  # nesting of lists and groups


class _Walk:
    """What one build has seen: nodes (an alias is a node seen again) and how many were repeated."""

    def __init__(self) -> None:
        self.seen: set[int] = set()
        self.repeated = 0


def _build(node: yaml.Node, loc: Path_, lines: dict[Path_, int], problems: list[Problem],
           name: str, walk: _Walk | None = None) -> Any:
    walk = walk or _Walk()
    if id(node) in walk.seen:  # reached again through an alias: a copy the file does not hold
        walk.repeated += 1
        if walk.repeated > MAX_ALIAS_NODES:
            raise DocgenError(Problem(f"bí danh YAML (*tên) lặp lại quá {_n(MAX_ALIAS_NODES)} giá trị; viết "
                                      "thẳng giá trị thay cho bí danh", name, node.start_mark.line + 1))
    else:
        walk.seen.add(id(node))
    if len(loc) > MAX_DEPTH:
        raise DocgenError(Problem(f"dữ liệu lồng nhau quá sâu (hơn {MAX_DEPTH} cấp)", name, node.start_mark.line + 1))
    lines[loc] = node.start_mark.line + 1
    kind = type(node)
    if kind is _SCALAR:
        value = node.value
        if not value.isascii():  # ASCII is NFC already
            value = nfc(value)
        # load_text refused the file if its text held a character XML refuses: only a double-quoted
        # scalar's escapes ("\x01") can make one
        if node.style == '"':
            bad = _XML_ILLEGAL.search(value)
            if bad:
                problems.append(Problem(_illegal_char_message(bad.group()), name, node.start_mark.line + 1,
                                        format_path(loc) or None))
                value = _XML_ILLEGAL.sub("", value)
        if node.tag == _NULL or (node.style is None and value in ("~", "null")):
            return None
        return Quoted(value) if node.style in ("'", '"') else value
    if kind is _SEQUENCE:
        return [_build(item, loc + (i,), lines, problems, name, walk) for i, item in enumerate(node.value)]
    if kind is _MAPPING:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if type(key_node) is not _SCALAR:
                problems.append(Problem("khóa phải là một từ", name, key_node.start_mark.line + 1,
                                        format_path(loc) or None))
                continue
            key = key_node.value
            if not key.isascii():
                key = nfc(key)
            if key in out:
                problems.append(Problem(f"khóa '{key}' bị lặp lại (đã có ở dòng {lines[loc + (key,)]})",
                                        name, key_node.start_mark.line + 1, format_path(loc) or None))
                continue
            out[key] = _build(value_node, loc + (key,), lines, problems, name, walk)
            lines[loc + (key,)] = key_node.start_mark.line + 1
        return out
    raise AssertionError(f"unexpected YAML node {node!r}")  # aliases are resolved by compose


def _yaml_error(exc: yaml.YAMLError, name: str, text: str) -> Problem:
    if isinstance(exc, yaml.reader.ReaderError):
        at = text[: exc.position].count("\n") + 1
        return Problem(_illegal_char_message(chr(exc.character)) if isinstance(exc.character, int)
                       else "tệp không phải văn bản UTF-8", name, at)
    line, message = explain(exc, text)
    return Problem(message, name, line)


def load_text(text: str, path: Path | str) -> Source:
    """Parse YAML text; raise DocgenError listing every problem found."""
    path = Path(path)
    name = str(path)
    if _XML_ILLEGAL.search(text):  # one scan of the text; lines only when there is something to report
        raise DocgenError([Problem(_illegal_char_message(m.group()), name, n)
                           for n, line in enumerate(text.split("\n"), 1) if (m := _XML_ILLEGAL.search(line))])
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        if "nesting depth" in str(getattr(exc, "problem", "")):  # libyaml's own bound (1,000 levels)
            mark = getattr(exc, "problem_mark", None)
            raise DocgenError(Problem(f"dữ liệu lồng nhau quá sâu (hơn {MAX_DEPTH} cấp)", name,
                                      mark.line + 1 if mark else None)) from None
        raise DocgenError(_yaml_error(exc, name, text)) from None
    except RecursionError:
        raise DocgenError(Problem(f"dữ liệu lồng nhau quá sâu (hơn {MAX_DEPTH} cấp)", name)) from None
    if node is None:
        raise DocgenError(Problem("tệp rỗng", name, 1))
    lines: dict[Path_, int] = {}
    problems: list[Problem] = []
    data = _build(node, (), lines, problems, name)
    if problems:
        raise DocgenError(problems)
    return Source(path, data, dict(lines))


def load(path: Path | str, limit: int = MAX_SOURCE) -> Source:
    """Read and parse a YAML file (a regular file of at most ``limit`` bytes)."""
    path = Path(path)
    return load_text(read_text(path, limit), path)
