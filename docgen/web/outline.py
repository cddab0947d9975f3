"""The markers a plan's outline prints (``I.``, ``1.``, ``1.1.``, ``a)``), by YAML path, from the renderer's code."""
from __future__ import annotations

import copy
from typing import Any

from pydantic import TypeAdapter, ValidationError

from .. import model as m
from ..context import _Builder, _Numbering
from ..loader import Path_, format_path

_HEADS = ("muc", "khoan", "diem", "nhiem_vu")
_BODY = TypeAdapter(list[m.KhoiGoc])


class _Marking(_Builder):
    """The renderer's builder, noting the marker each heading block received."""

    def __init__(self, plan: m.KeHoach) -> None:
        super().__init__(plan)
        self.markers: dict[int, str] = {}

    def blocks(self, blocks: list, numbering: _Numbering) -> None:
        for block in blocks:
            start = len(self.out)
            super().blocks([block], numbering)
            if isinstance(block, (m.Muc, m.Khoan, m.Diem, m.NhiemVu)) and len(self.out) > start:
                self.markers[id(block)] = self.out[start]["so"].strip()


def _fillable(blocks: Any) -> Any:
    """A copy good enough to number while a person is still typing: empty headings and ids filled in."""
    if not isinstance(blocks, list):
        return []
    out: list[Any] = []
    for i, block in enumerate(blocks):
        if isinstance(block, dict):
            block = {k: v for k, v in block.items() if k in _HEADS + ("noi_dung", "danh_so", "gach", "dem")}
            for key in _HEADS:
                if key in block and not (isinstance(block[key], str) and block[key].strip()):
                    block[key] = "…"
            if "nhiem_vu" in block:
                block["id"] = f"_{i}"
            for key in ("gach", "dem"):
                if key in block:
                    block[key] = ["…"]
            if "noi_dung" in block:
                block["noi_dung"] = _fillable(block["noi_dung"])
            out.append(block)
        elif isinstance(block, str) and block.strip():
            out.append(block)
        else:
            out.append("…")
    return out


def markers(noi_dung: Any) -> dict[str, str]:
    """``{"noi_dung[1].noi_dung[0]": "1."}`` for every heading of the body, as the document prints it."""
    try:
        blocks = _BODY.validate_python(_fillable(copy.deepcopy(noi_dung)))
    except ValidationError:
        return {}
    builder = _Marking(m.KeHoach.model_construct(nhan=m.Nhan()))
    builder.blocks(blocks, _Numbering(1))
    out: dict[str, str] = {}

    def walk(items: list, loc: Path_) -> None:
        for i, block in enumerate(items):
            if id(block) in builder.markers:
                out[format_path(loc + (i,))] = builder.markers[id(block)]
            if isinstance(block, (m.Muc, m.Khoan, m.Diem, m.NhiemVu)):
                walk(block.noi_dung, loc + (i, "noi_dung"))

    walk(blocks, ("noi_dung",))
    return out
