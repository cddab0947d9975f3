"""Benchmark: the web app's preview, from the request to the page images, with and without a LibreOffice
that stays up.

    python bench/preview.py [--rounds 2]

Starts `docgen serve`'s app (uvicorn, in this process) on a copy of data/, asks for the preview of four
documents in turn (as a clerk clicking Xem trước after each save) and times each until its pages are ready
(render, PDF, page images, check). Run twice in the same run: with the stay-up converter (LibreOffice kept up
through UNO) and with `DOCGEN_UNO_PYTHON=` (LibreOffice launched per preview). Prints each time and the load.
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, load  # noqa: E402

DOCS = ["ke_hoach_2023.yaml", "bao_cao_2023_quy_1.yaml", "ke_hoach_2023.yaml", "to_trinh_2023.yaml"]
CHILD = """
import sys, threading, time, httpx, uvicorn
from docgen.web.app import create_app
folder, port = sys.argv[1], int(sys.argv[2])
server = uvicorn.Server(uvicorn.Config(create_app(folder), host="127.0.0.1", port=port, log_level="warning",
                                       timeout_graceful_shutdown=1))
threading.Thread(target=server.run, daemon=True).start()
while not server.started:
    time.sleep(0.05)
url = f"http://127.0.0.1:{port}"
with httpx.Client() as c:
    for name in sys.argv[3:]:
        start = time.perf_counter()
        c.post(url + "/api/xem-truoc", json={"tep": name}, headers={"Origin": url})
        while (s := c.get(url + "/api/xem-truoc", params={"tep": name}).json())["trang_thai"] not in ("xong", "loi"):
            time.sleep(0.02)
        assert s["trang_thai"] == "xong", s
        print(f"{name} {s['so_trang']} {time.perf_counter() - start:.3f}", flush=True)
server.should_exit = True
"""


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(stay_up: bool, tmp: Path) -> list[tuple[str, int, float]]:
    folder = tmp / ("stay_up" if stay_up else "launch")
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(ROOT / "data", folder)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if not stay_up:
        env["DOCGEN_UNO_PYTHON"] = ""
    done = subprocess.run([sys.executable, "-c", CHILD, str(folder), str(_port()), *DOCS], env=env,
                          capture_output=True, text=True, check=True, timeout=600)
    return [(n, int(p), float(t)) for n, p, t in (line.split() for line in done.stdout.splitlines())]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    print(f"start: {load()}")
    times: dict[bool, list[list[float]]] = {True: [], False: []}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.rounds):
            for stay_up in (True, False):
                rows = run(stay_up, Path(tmp))
                times[stay_up].append([t for _, _, t in rows])
                pages = [p for _, p, _ in rows]
    print(f"preview, request to page images ready, medians of {args.rounds} rounds (pages: {pages}):")
    for stay_up, name in ((True, "stay_up (UNO)"), (False, "launch per preview")):
        cols = [statistics.median(r[i] for r in times[stay_up]) for i in range(len(DOCS))]
        print(f"  {name:20s} " + "  ".join(f"{d.split('.')[0]} {t:5.2f} s" for d, t in zip(DOCS, cols, strict=True)))
    warm = [statistics.median(r[i] for r in times[False]) / statistics.median(r[i] for r in times[True])
            for i in range(1, len(DOCS))]
    print(f"  warm previews (2nd to 4th): launch / stay_up = {min(warm):.1f}× to {max(warm):.1f}×")
    print(f"end: {load()}")


if __name__ == "__main__":
    main()
