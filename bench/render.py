"""Benchmark: one document, docgen against plain docxtpl with the same front end, in the same run.

    python bench/render.py [--rounds 7] [--per-round 10] [--processes 7]

End to end: load the YAML, validate, build the context (docgen's front end, the same for both), then
render and write the .docx; docgen renders with its prepared template, plain with a new DocxTemplate
per document (what a script using docxtpl does; same Jinja sandbox, same line sizing and layout).
Render step alone: the same minus the front end and the write. Rounds alternate docgen and plain so
machine noise hits both alike; medians are reported.
Start-up: `python -m docgen render data/ke_hoach_2023.yaml` (its template cache filled by a first run, and
turned off) and `python -m docgen --version` as fresh processes against `python -c pass`, medians of
alternating runs.
"""
from __future__ import annotations

import argparse
import compileall
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PLAN, ROOT, load  # noqa: E402
from docgen.core import build_document, default_template  # noqa: E402
from docgen.rendering import prepared, render_plain  # noqa: E402
from docgen.write import write_atomic  # noqa: E402


def per_doc_ms(fn, n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - start) / n * 1000


def paired(a, b, rounds: int, n: int) -> tuple[float, float]:
    xs, ys = [], []
    for _ in range(rounds):
        xs.append(per_doc_ms(a, n))
        ys.append(per_doc_ms(b, n))
    return statistics.median(xs), statistics.median(ys)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--per-round", type=int, default=10)
    ap.add_argument("--processes", type=int, default=7)
    args = ap.parse_args()
    print(f"start: {load()}")
    path = default_template("ke_hoach")
    fast = prepared(path)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "o.docx"

        def docgen_e2e():
            _, context, props = build_document(PLAN)
            write_atomic(out, fast.render(context, props), durable=False)

        def plain_e2e():
            _, context, _ = build_document(PLAN)
            write_atomic(out, render_plain(path, context), durable=False)

        _, context, props = build_document(PLAN)
        docgen_e2e(), plain_e2e()  # warm both
        front = statistics.median(per_doc_ms(lambda: build_document(PLAN), args.per_round)
                                  for _ in range(args.rounds))
        p, f = paired(plain_e2e, docgen_e2e, args.rounds, args.per_round)
        print(f"one document end to end (load + validate + context + render + write; "
              f"median of {args.rounds} rounds × {args.per_round}):")
        print(f"  plain docxtpl  {p:7.2f} ms/doc")
        print(f"  docgen         {f:7.2f} ms/doc   (front end alone {front:.2f} ms)")
        print(f"  ratio          {p / f:7.1f}×")
        p, f = paired(lambda: render_plain(path, context), lambda: fast.render(context, props), args.rounds,
                      args.per_round)
        print("render step alone:")
        print(f"  plain docxtpl  {p:7.2f} ms/doc")
        print(f"  docgen         {f:7.2f} ms/doc")
        print(f"  ratio          {p / f:7.1f}×")

        # bytecode as an install has it (pip compiles; with PYTHONDONTWRITEBYTECODE=1 and no __pycache__,
        # every docgen module would be compiled from source in every process: ~75 ms more for `render`)
        compileall.compile_dir(ROOT / "docgen", quiet=1)
        walls: dict[str, list[float]] = {"pass": [], "render": [], "render, no cache": [], "version": []}
        cpus: dict[str, list[float]] = {name: [] for name in walls}
        render = [sys.executable, "-m", "docgen", "render", str(PLAN), "-o", str(out)]
        cmds = {"pass": [sys.executable, "-c", "pass"], "render": render, "render, no cache": render,
                "version": [sys.executable, "-m", "docgen", "--version"]}
        # the template cache (docgen/template_cache.py) in a folder of this run, filled by a first render
        cached = {**os.environ, "DOCGEN_CACHE_DIR": str(Path(tmp) / "cache")}
        envs = {name: cached for name in cmds} | {"render, no cache": {**os.environ, "DOCGEN_CACHE_DIR": ""}}
        subprocess.run(render, check=True, capture_output=True, cwd=ROOT, env=cached)
        for _ in range(args.processes):
            for name, cmd in cmds.items():
                start, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
                subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT, env=envs[name])
                walls[name].append(time.perf_counter() - start)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpus[name].append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    bare, bare_cpu = statistics.median(walls["pass"]), statistics.median(cpus["pass"])
    print(f"fresh processes (median of {args.processes}, alternating; wall, then CPU of the process):")
    print(f"  python -c pass                        {bare * 1000:6.0f} ms                       "
          f"{bare_cpu * 1000:6.0f} ms")
    for name in ("version", "render, no cache", "render"):
        w, c = statistics.median(walls[name]), statistics.median(cpus[name])
        print(f"  python -m docgen {name:21s}{w * 1000:6.0f} ms  {w / bare:5.1f}× python -c pass  "
              f"{c * 1000:6.0f} ms  {c / bare_cpu:5.1f}×")
    print(f"end: {load()}")


if __name__ == "__main__":
    main()
