"""Benchmark: one document, docgen's prepared template against plain docxtpl, in the same run.

    python bench/render.py [--rounds 7] [--per-round 20]

Plain = a new DocxTemplate per document (what a script using docxtpl does), same template,
same context, rendered with the same Jinja environment and saved to memory.
Rounds alternate the two so machine noise hits both alike; medians are reported.
Also: `docgen render data/ke_hoach_2023.yaml` as a fresh process, and the import time.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen.core import build_document, default_template  # noqa: E402
from docgen.rendering import prepared, render_plain  # noqa: E402


def per_doc_ms(fn, n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - start) / n * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--per-round", type=int, default=20)
    ap.add_argument("--processes", type=int, default=7)
    args = ap.parse_args()

    source = ROOT / "data" / "ke_hoach_2023.yaml"
    _, context, props = build_document(source)
    path = default_template("ke_hoach")
    fast = prepared(path)
    fast.render(context, props)
    render_plain(path, context)  # warm both
    plain_ms, fast_ms = [], []
    for _ in range(args.rounds):
        plain_ms.append(per_doc_ms(lambda: render_plain(path, context), args.per_round))
        fast_ms.append(per_doc_ms(lambda: fast.render(context, props), args.per_round))
    p, f = statistics.median(plain_ms), statistics.median(fast_ms)
    print(f"one document in process (median of {args.rounds} rounds × {args.per_round}):")
    print(f"  plain docxtpl  {p:7.2f} ms/doc")
    print(f"  docgen         {f:7.2f} ms/doc")
    print(f"  ratio          {p / f:7.1f}×")

    with tempfile.TemporaryDirectory() as tmp:
        walls, imports = [], []
        for i in range(args.processes):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "docgen", "render", str(source), "-o", f"{tmp}/{i}.docx"],
                           check=True, capture_output=True, cwd=ROOT)
            walls.append(time.perf_counter() - start)
            out = subprocess.run([sys.executable, "-X", "importtime", "-c", "import docgen.cli"],
                                 capture_output=True, text=True, cwd=ROOT).stderr
            imports.append(int(out.strip().splitlines()[-1].split("|")[1]) / 1000)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        bare = time.perf_counter() - start
    print(f"`docgen render data/ke_hoach_2023.yaml` as a fresh process (median of {args.processes}):")
    print(f"  wall           {statistics.median(walls) * 1000:7.0f} ms (bare interpreter start {bare * 1000:.0f} ms)")
    print(f"  import docgen.cli {statistics.median(imports):4.0f} ms")


if __name__ == "__main__":
    main()
