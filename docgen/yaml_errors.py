"""YAML syntax errors explained in Vietnamese, with the fix a clerk can make.

The parser's messages (libyaml's or PyYAML's, English) are recognised by their gist and
replaced; the lines are looked at to name the usual causes: a ``:`` inside text, a tab in
the indentation, a quote left open, a bracket left open, text starting with ``*``/``&``/``@``.
"""
from __future__ import annotations

import re

import yaml

PREFIX = "cú pháp YAML sai"
_KEY_VALUE = re.compile(r"^(\s*(?:-\s+)?)([^\s:#\"'\[{][^:#]*?):(?:\s+(.*?))?\s*$")
_OPENING_QUOTE = re.compile(r"^\s*(?:-\s+)?(?:[^\s:#\"'][^:#]*?:\s+)?([\"'])(.*)$")
_INDENT = ("thụt lề không khớp với các dòng trên: các khóa cùng cấp phải thẳng cột (cùng số dấu cách đầu dòng), "
           "các mục '- ' của cùng một danh sách cũng vậy")


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _colon_fix(line: str) -> str | None:
    """``- khoan: Mục đích:`` → ``- khoan: "Mục đích:"`` when the value holds a ``: `` or ends with ``:``."""
    m = _KEY_VALUE.match(line)
    if not m or not m.group(3):
        return None
    value = m.group(3)
    if ": " not in value and not value.endswith(":"):
        return None
    return f"{m.group(1)}{m.group(2)}: {_quoted(value)}".strip()


def _open_quote(lines: list[str], upto: int) -> int | None:
    """0-based index of the last line up to ``upto`` whose value opens a quote it does not close."""
    found = None
    for i, line in enumerate(lines[: upto + 1]):
        m = _OPENING_QUOTE.match(line)
        if not m:
            continue
        quote, rest = m.groups()
        closed = re.search(r'(?<!\\)"', rest) if quote == '"' else re.search(r"(?<!')'(?!')", rest)
        if not closed:
            found = i
    return found


def explain(exc: yaml.YAMLError, text: str) -> tuple[int | None, str]:
    """(1-based line, Vietnamese message) for a YAML syntax error."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    line = mark.line if mark else None  # 0-based while looking
    lines = text.split("\n")
    here = lines[line] if line is not None and line < len(lines) else ""
    what = f"{getattr(exc, 'context', '') or ''} {getattr(exc, 'problem', '') or ''}".lower()

    def out(at: int | None, message: str) -> tuple[int | None, str]:
        return (at + 1 if at is not None else None), f"{PREFIX}: {message}"

    if "tab" in what or "'\\t'" in what:
        tab = next((i for i, s in enumerate(lines) if re.match(r"^ *\t", s)), line)
        return out(tab, "dòng này thụt lề bằng phím Tab; YAML chỉ nhận dấu cách: xóa Tab, gõ dấu cách thay vào")
    if "quoted scalar" in what or (line is not None and "expected key" in what and _open_quote(lines, line)
                                   is not None):
        opened = _open_quote(lines, line if line is not None else len(lines) - 1)
        at = opened if opened is not None else (context_mark.line if context_mark else line)
        return out(at, "dấu ngoặc mở ở dòng này chưa được đóng: thêm dấu ngoặc đóng cùng loại (\" hoặc ') ở cuối "
                       "đoạn chữ")
    if "flow sequence" in what or "flow mapping" in what:
        bracket = "]" if "sequence" in what else "}"
        at = context_mark.line if context_mark else line
        return out(at, f"ngoặc '{'[' if bracket == ']' else '{'}' mở ở dòng này chưa được đóng bằng '{bracket}', "
                       f"hoặc thiếu dấu ',' giữa các mục; mục nào có dấu ',' hay ': ' thì đặt trong ngoặc kép")
    if "alias" in what or "anchor" in what:
        return out(line, "đoạn chữ bắt đầu bằng '*' hoặc '&' (YAML hiểu là ký hiệu riêng): đặt cả đoạn trong ngoặc "
                         "kép, ví dụ - \"*Lưu ý: ...\"")
    if "cannot start any token" in what or "found character" in what:
        return out(line, "đoạn chữ bắt đầu bằng ký tự YAML dành riêng ('@', '`', '%', '|', '>'...): đặt cả đoạn "
                         "trong ngoặc kép")
    if "mapping values are not allowed" in what:
        fix = _colon_fix(here)
        if fix:
            return out(line, "dấu ':' theo sau là dấu cách (hoặc ở cuối dòng) nằm trong đoạn chữ, YAML hiểu nhầm là "
                             f"khóa mới: đặt cả đoạn chữ trong ngoặc kép, ví dụ {fix}")
        return out(line, _INDENT + "; nếu dòng trên là đoạn chữ có dấu ': ' thì đặt đoạn đó trong ngoặc kép")
    if "unknown escape" in what or "escape" in what:
        return out(line, "trong ngoặc kép, dấu '\\' phải đi cặp ('\\\\'): viết lại, hoặc dùng ngoặc đơn ' '")
    return out(line, _INDENT + "; đoạn chữ có dấu ': ', hay bắt đầu bằng dấu ngoặc, thì đặt trong ngoặc kép")
