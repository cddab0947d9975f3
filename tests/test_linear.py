"""No quadratic paths: work on 10× the input costs about 10× the time, not 100×.

Each case times the same function on a small and a ten-times larger input in the same run
(CPU time of this process, best of three) and bounds the ratio: linear work gives ~10,
quadratic ~100. The inputs are the ones that took minutes before.
"""
from __future__ import annotations

import time

import pytest

from docgen.errors import DocgenError
from docgen.importer import build, join_lines, paragraphs_from_text
from docgen.loader import load_text
from docgen.model import KeHoach
from docgen.next_year import roll
from docgen.validate import validate_model

from .util import FIXTURES

MINIMAL = (FIXTURES / "toi_thieu.yaml").read_text(encoding="utf-8")
HEAD = MINIMAL.split("noi_dung:\n")[0]
TAIL = "noi_nhan:\n  - Sở Nội vụ\nnguoi_ky:\n  chuc_vu: Trưởng Ban\n  ho_ten: Trần Văn Mẫn\n"
MAX_RATIO = 30  # 10× the input may cost up to 30× the time (noise, caches); quadratic work gives ~100×


def _cpu(fn, arg, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        fn(arg)
        best = min(best, time.process_time() - start)
    return max(best, 1e-4)


def _continuation_lines(n: int) -> str:
    return "KẾ HOẠCH\nThực hiện công tác\n" + "\n".join(["tiếp tục thực hiện nhiệm vụ cải cách hành chính"] * n)


def _import(text: str) -> None:
    build(paragraphs_from_text(text))


def _date_regex(n: int) -> list[str]:
    return ["Quảng Ngãi", ", ngày " * n + "tháng " * n]


def _plan_with_typos(n: int):
    return load_text(HEAD + "noi_dung:\n  - muc: M\n    noi_dung:\n" + "".join(
        f"      - nhiem_vu: N\n        id: nv{i}\n        thoi_gain: x\n" for i in range(n)) + TAIL, "x.yaml")


def _validate(source) -> None:
    with pytest.raises(DocgenError) as err:
        validate_model(source, KeHoach)
    assert len(err.value.problems) == len(source.data["noi_dung"][0]["noi_dung"])


def _plan_with_years(n: int) -> str:
    return HEAD + "noi_dung:\n  - muc: M\n    noi_dung:\n" + "".join(
        f"      - nhiem_vu: Nhiệm vụ {i} năm 2023\n        id: nv{i}\n        thoi_gian: Quý I năm 2023\n"
        for i in range(n)) + TAIL


CASES = [
    ("import_continuation_lines", _continuation_lines, _import, 800),
    ("date_line_regex", _date_regex, join_lines, 100),
    ("validation_errors", _plan_with_typos, _validate, 1000),
    ("rollover_edits", _plan_with_years, lambda text: roll(text, 2023, 2024), 300),
]


@pytest.mark.parametrize("name,make,fn,n", CASES, ids=[c[0] for c in CASES])
def test_ten_times_the_input_costs_about_ten_times_the_time(name, make, fn, n):
    small, large = make(n), make(10 * n)
    fn(small)  # warm caches and imports
    ratio = _cpu(fn, large, 2) / _cpu(fn, small, 5)
    print(f"{name}: ×{ratio:.1f}")
    assert ratio < MAX_RATIO, f"{name}: ×{ratio:.0f} for 10× the input"
