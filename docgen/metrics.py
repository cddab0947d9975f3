"""Text width in Times New Roman, from the committed advance widths (1/1000 em)."""
from __future__ import annotations

import json
from functools import lru_cache
from itertools import repeat
from pathlib import Path

_AVERAGE = 500  # unknown characters count as half an em


@lru_cache(maxsize=1)
def _widths() -> dict[str, dict[str, int]]:
    return json.loads((Path(__file__).parent / "data" / "tnr_widths.json").read_text(encoding="utf-8"))


def text_width_pt(text: str, size_pt: float, bold: bool = False, italic: bool = False) -> float:
    """Width of ``text`` set on one line at ``size_pt`` points."""
    style = ("Bold" if bold else "") + ("Italic" if italic else "") or "Regular"
    table = _widths()[style]
    return sum(map(table.get, text, repeat(_AVERAGE, len(text)))) * size_pt / 1000
