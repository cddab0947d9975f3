"""Benchmark: 500 generated sub-units, docgen batch against plain docxtpl in a pool of the same size.

    python bench/batch.py [--units 500] [--jobs 2]

Plain: each worker builds the unit's context (docgen's own code, so only rendering differs),
then a new DocxTemplate per document, render, save. docgen: `batch.run` (template prepared
once per process, inherited by the forked workers). Same machine, same run; docs/s and the
ratio are printed, with the peak RSS of the largest worker of each pool.
"""
from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen import batching as batch  # noqa: E402
from docgen import context as ctx  # noqa: E402
from docgen.core import default_template  # noqa: E402
from docgen.rendering import render_plain  # noqa: E402
from docgen.units import apply_to_plan, load_units  # noqa: E402
from docgen.validate import load_plan  # noqa: E402

TASKS = ["chi_dao_dieu_hanh", "the_che", "thu_tuc_hanh_chinh", "to_chuc_bo_may", "dao_tao_boi_duong",
         "thi_nang_ngach", "danh_gia_phan_loai", "chuyen_doi_vi_tri", "ky_luat_ky_cuong", "tai_chinh_cong",
         "chinh_quyen_so"]


def make_units(n: int, path: Path) -> None:
    units = []
    for i in range(n):
        units.append({
            "ma": f"xa_{i:05d}",
            "co_quan": {"chu_quan": "UBND HUYỆN SƠN TỊNH", "ten": f"UBND XÃ TỊNH {i:05d}", "viet_tat": "UBND"},
            "dia_danh": "Sơn Tịnh",
            "nguoi_ky": {"thay_mat": "Ủy ban nhân dân", "quyen_han": "KT", "thu_truong": "Chủ tịch",
                         "chuc_vu": "Phó Chủ tịch", "ho_ten": f"Nguyễn Văn {i}"},
            "noi_nhan": ["UBND huyện", "Phòng Nội vụ huyện"],
            "nhiem_vu": [t for k, t in enumerate(TASKS) if (i + k) % 3],
        })
    path.write_text(yaml.safe_dump({"loai": "don_vi", "don_vi": units}, allow_unicode=True), encoding="utf-8")


_PLAIN: dict = {}


def _plain_one(index: int) -> int:
    unit = _PLAIN["units"][index]
    context, _ = ctx.build(apply_to_plan(_PLAIN["plan"], unit.model))
    data = render_plain(_PLAIN["template"], context)
    (_PLAIN["out"] / f"{unit.ma}.docx").write_bytes(data)
    return index


def peak_child_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=500)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    source = ROOT / "data" / "ke_hoach_2023.yaml"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        units_file = tmp / "units.yaml"
        make_units(args.units, units_file)

        # plain docxtpl, pool of the same size
        _, plan = load_plan(source)
        _PLAIN.update(plan=plan, units=load_units(units_file), template=default_template("ke_hoach"),
                      out=tmp / "plain")
        (tmp / "plain").mkdir()
        start = time.perf_counter()
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            list(pool.map(_plain_one, range(args.units), chunksize=8))
        plain_s = time.perf_counter() - start
        plain_peak = peak_child_mb()

        start = time.perf_counter()
        results = batch.run(source, units_file, tmp / "docgen", jobs=args.jobs)
        docgen_s = time.perf_counter() - start
        docgen_peak = peak_child_mb()
        assert all(not r.problems for r in results) and len(results) == args.units
        shutil.rmtree(tmp / "plain")

    print(f"{args.units} units, {args.jobs} workers:")
    print(f"  plain docxtpl  {args.units / plain_s:7.1f} docs/s  ({plain_s:.2f} s)")
    print(f"  docgen batch   {args.units / docgen_s:7.1f} docs/s  ({docgen_s:.2f} s)")
    print(f"  ratio          {plain_s / docgen_s:7.1f}×")
    print(f"  peak RSS of the largest worker so far: {plain_peak:.0f} MB after plain, "
          f"{docgen_peak:.0f} MB after docgen")


if __name__ == "__main__":
    main()
