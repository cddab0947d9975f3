"""Shared by the benchmarks: generated units, the machine's load, memory of a process tree."""
from __future__ import annotations

import csv
import os
import resource
import subprocess
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "data" / "ke_hoach_2023.yaml"
TASKS = ["chi_dao_dieu_hanh", "the_che", "thu_tuc_hanh_chinh", "to_chuc_bo_may", "dao_tao_boi_duong",
         "thi_nang_ngach", "danh_gia_phan_loai", "chuyen_doi_vi_tri", "ky_luat_ky_cuong", "tai_chinh_cong",
         "chinh_quyen_so"]


def make_units(n: int, path: Path) -> Path:
    """``n`` communes of a district, each with its own header, signer and share of the plan's tasks.

    Written as CSV (what offices export from Excel): a YAML list of 10,600 units is over the 4 MB limit
    on YAML sources.
    """
    path = path.with_suffix(".csv")
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["ma", "co_quan.chu_quan", "co_quan.ten", "co_quan.viet_tat", "dia_danh", "nguoi_ky.thay_mat",
                    "nguoi_ky.quyen_han", "nguoi_ky.thu_truong", "nguoi_ky.chuc_vu", "nguoi_ky.ho_ten", "noi_nhan",
                    "nhiem_vu"])
        for i in range(n):
            w.writerow([f"xa_{i:05d}", "UBND HUYỆN SƠN TỊNH", f"UBND XÃ TỊNH {i:05d}", "UBND", "Sơn Tịnh",
                        "Ủy ban nhân dân", "KT", "Chủ tịch", "Phó Chủ tịch", f"Nguyễn Văn {i}",
                        "UBND huyện;Phòng Nội vụ huyện", ";".join(t for k, t in enumerate(TASKS) if (i + k) % 3)])
    return path


def load() -> str:
    """The load averages and the CPUs (the machine is shared: read figures against this)."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} CPUs"


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except OSError:
            pass
    return out


def _rollup(pid: int) -> tuple[int, int]:
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


class TreeMemory:
    """Peak RSS and PSS summed over a process and its descendants, sampled every ``every`` seconds."""

    def __init__(self, pid: int, every: float = 0.05) -> None:
        self.pid, self.every = pid, every
        self.peak_rss = self.peak_pss = 0
        self.most = 0  # most processes seen at once
        self.cpu = 0.0  # CPU seconds (user + system) of the whole tree, set when it has ended
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            pids = _tree(self.pid)
            sums = [_rollup(p) for p in pids]
            self.peak_rss = max(self.peak_rss, sum(r for r, _ in sums))
            self.peak_pss = max(self.peak_pss, sum(p for _, p in sums))
            self.most = max(self.most, len(pids))
            time.sleep(self.every)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def run_measured(cmd: list[str], **kwargs) -> tuple[float, TreeMemory]:
    """Wall time and memory (and CPU time, ``mem.cpu``) of a command run to completion (output captured;
    failure raises)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)
    mem = TreeMemory(proc.pid)
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    mem.stop()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the workers were waited for by the command
    mem.cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd} failed: {err.decode()[-2000:]}")
    return wall, mem
