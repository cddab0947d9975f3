"""Benchmark: `docgen batch` of 3,321 and 10,600 units at -j 1 and -j 2 against a plain docxtpl loop.

    python bench/batch.py [--sizes 3321 10600] [--plain-sample 100]

docgen: `python -m docgen batch PLAN --units UNITS -j N` as a fresh process (wall time from start to
exit: interpreter, loading, validation, rendering, writing), with the peak RSS and PSS summed over the
process and its workers, sampled every 50 ms. Plain: a loop in one process over the same units with
the same front end (docgen's unit validation, task filter and context; docxtpl differs), a new
DocxTemplate per document, render, save to a file; timed over a sample of the units (a full plain
run of 10,600 units takes over ten minutes on this machine), reported as docs/s. Ratios are of
docs/s measured in the same run.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PLAN, ROOT, load, make_units, run_measured  # noqa: E402


def plain_docs_per_s(units_file: Path, sample: int, out: Path) -> float:
    from docgen import context as ctx
    from docgen.core import default_template
    from docgen.rendering import render_plain
    from docgen.units import apply_to_plan, load_units
    from docgen.validate import load_plan

    _, plan = load_plan(PLAN)
    units = load_units(units_file)[:sample]
    template = default_template("ke_hoach")
    start = time.perf_counter()
    for unit in units:
        context, _ = ctx.build(apply_to_plan(plan, unit.model))
        (out / f"{unit.ma}.docx").write_bytes(render_plain(template, context))
    return len(units) / (time.perf_counter() - start)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[3321, 10600])
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--plain-sample", type=int, default=100)
    args = ap.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    print(f"start: {load()}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        rows = []
        for n in args.sizes:
            units = make_units(n, tmp / f"units_{n}.yaml")
            (tmp / "plain").mkdir(exist_ok=True)
            plain = plain_docs_per_s(units, min(args.plain_sample, n), tmp / "plain")
            runs = {}
            for jobs in args.jobs:
                out = tmp / f"out_{n}_{jobs}"
                wall, mem = run_measured([sys.executable, "-m", "docgen", "batch", str(PLAN), "--units", str(units),
                                          "-o", str(out), "-j", str(jobs)], cwd=ROOT, env=env)
                assert len(list(out.glob("*.docx"))) == n
                runs[jobs] = (n / wall, wall, mem)
                for f in out.iterdir():
                    f.unlink()
            rows.append((n, plain, runs))
            print(f"\n{n} units ({load()}):")
            print(f"  plain docxtpl loop      {plain:8.1f} docs/s  (sample of {min(args.plain_sample, n)})")
            for jobs, (rate, wall, mem) in runs.items():
                print(f"  docgen batch -j {jobs}       {rate:8.1f} docs/s  ({wall:.2f} s)  {rate / plain:5.1f}× plain"
                      f"  peak RSS {mem.peak_rss / 1024:.0f} MB, PSS {mem.peak_pss / 1024:.0f} MB"
                      f" over {mem.most} processes")
            if 1 in runs and 2 in runs:
                r1, r2 = runs[1], runs[2]
                print(f"  -j 2 / -j 1             {r2[0] / r1[0]:8.2f}× docs/s;"
                      f" memory {r2[2].peak_pss / r1[2].peak_pss:.2f}× PSS, {r2[2].peak_rss / r1[2].peak_rss:.2f}× RSS")
    print(f"\nend: {load()}")


if __name__ == "__main__":
    main()
