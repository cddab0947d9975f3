"""Benchmark: `docgen batch` of 3,321 and 10,600 units at -j 1 and -j 2 against a plain docxtpl loop.

    python bench/batch.py [--sizes 3321 10600] [--repeat 1] [--plain-sample 100]

docgen: `python -m docgen batch PLAN --units UNITS -j N` as a fresh process (wall time from start to
exit: interpreter, loading, validation, rendering, writing), with the peak RSS and PSS summed over the
process and its workers, sampled every 50 ms, and the CPU time of all of them. With ``--repeat``, the
-j 1 and -j 2 runs alternate (order swapped each round) and medians are shown: on a shared machine one
pair says little. Plain: a loop in one process over the same units with the same front end (docgen's
unit validation, task filter and context; docxtpl differs), a new DocxTemplate per document, render,
save to a file; timed over a sample of the units (a full plain run of 10,600 units takes over ten
minutes on this machine), reported as docs/s. Ratios are of figures measured in the same run.
"""
from __future__ import annotations

import argparse
import os
import statistics
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
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--plain-sample", type=int, default=100)
    args = ap.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    print(f"start: {load()}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for n in args.sizes:
            units = make_units(n, tmp / f"units_{n}.yaml")
            (tmp / "plain").mkdir(exist_ok=True)
            plain = plain_docs_per_s(units, min(args.plain_sample, n), tmp / "plain")
            runs: dict[int, list] = {j: [] for j in args.jobs}
            loads = []
            for r in range(args.repeat):
                for jobs in args.jobs if r % 2 == 0 else args.jobs[::-1]:
                    # a new folder per run, removed at the end: this disk discards freed blocks (mount option
                    # `discard`), so removing a run's 0.2-0.6 GB made the next run's file creations wait on the
                    # journal (0.015 ms an open on a quiet disk, 0.45 ms after a removal), mostly at -j 2
                    out = tmp / f"out_{n}_{jobs}_{r}"
                    wall, mem = run_measured([sys.executable, "-m", "docgen", "batch", str(PLAN), "--units",
                                              str(units), "-o", str(out), "-j", str(jobs)], cwd=ROOT, env=env)
                    assert len(list(out.glob("*.docx"))) == n
                    runs[jobs].append((n / wall, wall, mem))
                loads.append(os.getloadavg()[0])
            print(f"\n{n} units, {args.repeat} round(s) ({load()}; 1-min load after each round:"
                  f" {', '.join(f'{x:.1f}' for x in loads)}):")
            print(f"  plain docxtpl loop      {plain:8.1f} docs/s  (sample of {min(args.plain_sample, n)})")
            for jobs, got in runs.items():
                rate = statistics.median(g[0] for g in got)
                pss = max(g[2].peak_pss for g in got) / 1024
                rss = max(g[2].peak_rss for g in got) / 1024
                cpu = statistics.median(g[2].cpu for g in got)
                wall = statistics.median(g[1] for g in got)
                print(f"  docgen batch -j {jobs}       {rate:8.1f} docs/s  ({wall:.2f} s,"
                      f" CPU {cpu:.1f} s)  {rate / plain:5.1f}× plain  peak RSS {rss:.0f} MB, PSS {pss:.0f} MB"
                      f" over {max(g[2].most for g in got)} processes")
            if 1 in runs and 2 in runs:
                ratios = [b[0] / a[0] for a, b in zip(runs[1], runs[2], strict=True)]
                pss = [b[2].peak_pss / a[2].peak_pss for a, b in zip(runs[1], runs[2], strict=True)]
                rss = [b[2].peak_rss / a[2].peak_rss for a, b in zip(runs[1], runs[2], strict=True)]
                cpu = [b[2].cpu / a[2].cpu for a, b in zip(runs[1], runs[2], strict=True)]
                print(f"  -j 2 / -j 1             {statistics.median(ratios):8.2f}× docs/s (rounds:"
                      f" {', '.join(f'{x:.2f}' for x in ratios)}); memory {statistics.median(pss):.2f}× PSS,"
                      f" {statistics.median(rss):.2f}× RSS; CPU time {statistics.median(cpu):.2f}×")
    print(f"\nend: {load()}")


if __name__ == "__main__":
    main()
