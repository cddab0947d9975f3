"""Benchmark: PDFs per second, `docgen batch --pdf` against one soffice call per document.

    python bench/pdf.py [--sizes 20 200] [--jobs 2] [--per-document-sample 20]

docgen: `python -m docgen batch PLAN --units UNITS --pdf -j 2` as a fresh process, wall time from
start to exit (the .docx files and their PDFs; LibreOffice started once per worker and chunk, with one
private profile per worker). Baseline: the same .docx files converted by one
`soffice --convert-to pdf` per document with a fresh private profile each (what docgen did before:
every PDF paid LibreOffice's start), timed on a sample and reported as PDF/s. Same run, same machine.

Previews (`--previews N`): the web preview's pattern, one document per call, N calls in a row, through
`pdf.Converter` launching LibreOffice per call against `pdf.Converter(stay_up=True)` (one LibreOffice kept up
through UNO); the first call (cold) and the median of the others (warm), alternating the two converters.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PLAN, ROOT, load, make_units, run_measured  # noqa: E402
from docgen.core import render_bytes  # noqa: E402
from docgen.pdf import Converter  # noqa: E402


def per_document_launch(docs: list[Path], out: Path) -> float:
    exe = shutil.which("soffice")
    start = time.perf_counter()
    for doc in docs:
        with tempfile.TemporaryDirectory() as profile:
            subprocess.run([exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                            "--convert-to", "pdf", "--outdir", str(out), str(doc)],
                           check=True, capture_output=True, env={**os.environ, "HOME": profile})
    assert len(list(out.glob("*.pdf"))) == len(docs)
    return len(docs) / (time.perf_counter() - start)


def previews(n: int, tmp: Path) -> None:
    data = render_bytes(PLAN)
    times: dict[bool, list[float]] = {False: [], True: []}
    with Converter(workdir=tmp) as launching, Converter(workdir=tmp, stay_up=True) as staying:
        for i in range(n):
            for conv in (launching, staying):
                start = time.perf_counter()
                assert conv.pdf_bytes(data, f"xem_truoc_{i}").startswith(b"%PDF")
                times[conv.stay_up].append(time.perf_counter() - start)
        launches = (launching.launches, staying.launches)
    print(f"\npreviews, one document per call, {n} calls ({load()}):")
    for stay_up, name in ((False, "launch per call"), (True, "stay_up (UNO)  ")):
        warm = statistics.median(times[stay_up][1:])
        print(f"  {name}  first {times[stay_up][0]:5.2f} s   then {warm:5.2f} s per preview"
              f"   ({launches[stay_up]} LibreOffice starts)")
    print(f"  warm ratio {statistics.median(times[False][1:]) / statistics.median(times[True][1:]):5.1f}×")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="*", default=[20, 200])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--per-document-sample", type=int, default=20)
    ap.add_argument("--previews", type=int, default=10)
    args = ap.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    print(f"start: {load()}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for n in args.sizes:
            units = make_units(n, tmp / f"units_{n}.yaml")
            out = tmp / f"out_{n}"
            wall, mem = run_measured([sys.executable, "-m", "docgen", "batch", str(PLAN), "--units", str(units),
                                      "-o", str(out), "-j", str(args.jobs), "--pdf"], cwd=ROOT, env=env)
            assert len(list(out.glob("*.pdf"))) == n
            docgen = n / wall
            sample = sorted(out.glob("*.docx"))[: args.per_document_sample]
            base_out = tmp / f"base_{n}"
            base_out.mkdir()
            base = per_document_launch(sample, base_out)
            print(f"\n{n} documents ({load()}):")
            print(f"  one soffice per document   {base:6.2f} PDF/s  (sample of {len(sample)})")
            print(f"  docgen batch --pdf -j {args.jobs}    {docgen:6.2f} PDF/s  ({wall:.1f} s, .docx included)"
                  f"  {docgen / base:5.1f}×   peak RSS {mem.peak_rss / 1024:.0f} MB over {mem.most} processes")
        if args.previews:
            previews(args.previews, tmp)
    print(f"\nend: {load()}")


if __name__ == "__main__":
    main()
