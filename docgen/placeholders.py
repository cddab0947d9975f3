"""Placeholders in a source's text: ``{ten_goi}`` and ``{dia_danh}``, filled from the source's own names.

A batch fills them with each unit's names, so one source says "UBND xã Tân Phú" in one copy
and "UBND xã Tân Bình" in the next. Plain substitution of these two exact words: nothing is
evaluated, any other brace is left as typed.
"""
from __future__ import annotations

import re
from typing import Any

from . import vn
from .loader import Source

TEN = ("ten_goi", "dia_danh")
_PLACEHOLDER = re.compile(r"\{(ten_goi|dia_danh)\}")


def names(data: Any, fallback: Any = None) -> dict[str, str]:
    """The names a source's placeholders stand for: the agency in running text and the place."""
    data = data if isinstance(data, dict) else {}
    fallback = fallback if isinstance(fallback, dict) else {}
    out: dict[str, str] = {}
    co_quan = data.get("co_quan") or fallback.get("co_quan")
    if isinstance(co_quan, dict) and isinstance(co_quan.get("ten"), str):
        ten_goi = co_quan.get("ten_goi")
        out["ten_goi"] = ten_goi if isinstance(ten_goi, str) and ten_goi.strip() else vn.ten_goi(
            co_quan["ten"], co_quan.get("chu_quan") if isinstance(co_quan.get("chu_quan"), str) else None)
    dia_danh = data.get("dia_danh") or fallback.get("dia_danh")
    if isinstance(dia_danh, str):
        out["dia_danh"] = dia_danh
    return out


def fill(value: Any, found: dict[str, str]) -> Any:
    """``value`` with every ``{ten_goi}``/``{dia_danh}`` in its strings replaced (keys untouched)."""
    if isinstance(value, str):
        return _PLACEHOLDER.sub(lambda m: found.get(m.group(1), m.group()), value) if "{" in value else value
    if isinstance(value, list):
        return [fill(v, found) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, found) for k, v in value.items()}
    return value


def has_placeholders(value: Any) -> bool:
    """Whether any string in ``value`` holds ``{ten_goi}`` or ``{dia_danh}``."""
    if isinstance(value, str):
        return "{" in value and bool(_PLACEHOLDER.search(value))
    if isinstance(value, (list, dict)):
        # a plain loop: any() over a generator per container cost as much again as the walk itself
        for v in value if isinstance(value, list) else value.values():
            if has_placeholders(v):
                return True
    return False


def filled(source: Source, fallback: Any = None) -> Source:
    """The source with its placeholders filled from its own names (or ``fallback``'s, e.g. the plan's)."""
    if not has_placeholders(source.data):  # nothing to fill (most sources): no copy to build and compare
        return source
    data = fill(source.data, names(source.data, fallback))
    return source if data == source.data else Source(source.path, data, source.lines)
