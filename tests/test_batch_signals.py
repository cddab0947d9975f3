"""`docgen batch` under signals: Ctrl-C and SIGTERM stop it (workers too) within a bounded time, leave no
temporary file of their own and keep another run's; `-j` is capped; a dead worker fails only its units.

The batches run as real processes in their own session (Ctrl-C from a terminal reaches every process
of the group, so the test sends SIGINT to the group); every wait is bounded.
"""
import csv
import os
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from docgen import batching as batch_mod
from docgen.cli import main
from docgen.write import temp_pattern, write_atomic

from .util import PLAN, ROOT

UNITS = ROOT / "data" / "don_vi.yaml"
BOUND = 60  # seconds: far above what stopping takes, far below a hang


def _many_units(path, n):
    rows = list(csv.reader((ROOT / "data" / "don_vi.csv").open(encoding="utf-8")))
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(rows[0])
        for i in range(n):
            row = list(rows[1 + i % 3])
            row[0] = f"dv_{i:05d}"
            w.writerow(row)
    return path


@pytest.fixture(scope="module")
def big_units(tmp_path_factory):
    return _many_units(tmp_path_factory.mktemp("units") / "dv.csv", 4000)


def _children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(c) for c in fh.read().split()]
    except FileNotFoundError:
        return []


def _running(pid):
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return False


def _start(units, out, jobs="2"):
    return subprocess.Popen([sys.executable, "-m", "docgen", "batch", str(PLAN), "--units", str(units),
                             "-o", str(out), "-j", jobs], cwd=ROOT, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})


def _wait_for(condition, what):
    deadline = time.monotonic() + BOUND
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def _stop_and_check(proc, out, send):
    workers = _children(proc.pid)
    send()
    try:
        _, stderr = proc.communicate(timeout=BOUND)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail("the batch did not stop")
    assert "Traceback" not in stderr, stderr
    _wait_for(lambda: not any(_running(w) for w in workers), "the workers to end")
    return stderr


@pytest.mark.parametrize("delay", [0.8, "first file", "first file+0.2", "first file+1"])
def test_ctrl_c_never_hangs(tmp_path, big_units, delay):
    """Ctrl-C before the pool starts, while chunks are being handed out, and while documents are written."""
    out = tmp_path / "out"
    out.mkdir()
    other = out / ".x.docx.bOTHERRUN.1.0.tmp"  # another batch's temporary file in the same folder
    other.write_bytes(b"")
    proc = _start(big_units, out)
    if isinstance(delay, str):
        _wait_for(lambda: any(out.glob("*.docx")), "the first document")
        time.sleep(float(delay.partition("+")[2] or 0))
    else:
        time.sleep(delay)
    _stop_and_check(proc, out, lambda: os.killpg(proc.pid, signal.SIGINT))
    assert proc.returncode != 0
    assert other.exists()
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == [other.name]


def test_sigterm_stops_the_workers(tmp_path, big_units):
    out = tmp_path / "out"
    proc = _start(big_units, out)
    _wait_for(lambda: out.is_dir() and any(out.glob("*.docx")), "the first document")
    _wait_for(lambda: len(_children(proc.pid)) == 1, "the worker (-j 2: the batch process renders too)")
    _stop_and_check(proc, out, lambda: os.kill(proc.pid, signal.SIGTERM))  # the main process only
    assert proc.returncode == 128 + signal.SIGTERM
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
    written = list(out.glob("*.docx"))
    assert 0 < len(written) < 4000
    import zipfile

    for p in written[:50]:
        assert zipfile.ZipFile(p).testzip() is None


def test_temporary_files_are_named_per_run(tmp_path):
    write_atomic(tmp_path / "a.docx", b"x", durable=False, tag="bONE")  # leaves nothing
    mine = tmp_path / ".a.docx.bONE.7.0.tmp"
    theirs = tmp_path / ".a.docx.bTWO.7.0.tmp"
    mine.touch()
    theirs.touch()
    batch_mod._sweep(tmp_path, "bONE")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".a.docx.bTWO.7.0.tmp", "a.docx"]
    assert list(tmp_path.glob(temp_pattern("bTWO"))) == [theirs]


def test_jobs_are_capped(tmp_path, monkeypatch):
    cpus = len(os.sched_getaffinity(0))
    assert batch_mod.max_jobs() == 4 * cpus
    seen = []
    real = batch_mod._pool

    def spy(chunks, jobs):
        seen.append((len(chunks), jobs))
        return real(chunks, jobs)

    monkeypatch.setattr(batch_mod, "_pool", spy)
    units = _many_units(tmp_path / "dv.csv", 200)
    result = CliRunner().invoke(main, ["batch", str(PLAN), "--units", str(units), "-o", str(tmp_path / "o"),
                                       "-j", "100000"])
    assert result.exit_code == 0, result.output
    (chunks, jobs), = seen
    assert jobs == min(4 * cpus, chunks) and jobs <= 4 * cpus
    assert len(list((tmp_path / "o").glob("*.docx"))) == 200


def test_a_dead_worker_fails_only_its_units(tmp_path, monkeypatch):
    real = batch_mod._work
    parent = os.getpid()

    def dies_on_first(bounds, payload):
        if bounds[0] == 0 and os.getpid() != parent:  # the worker; the batch process itself renders too
            os._exit(3)
        return real(bounds, payload)

    monkeypatch.setattr(batch_mod, "_work", dies_on_first)  # inherited by the forked workers
    results = batch_mod.run(PLAN, UNITS, tmp_path, jobs=2)
    assert [r.ma for r in results] == ["van_phong", "thanh_tra", "phong_chinh_sach"]
    assert results[0].path is None
    assert results[0].problems == ["tiến trình tạo văn bản dừng đột ngột (mã 3); chạy lại lệnh"]
    assert [r.problems for r in results[1:]] == [[], []]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["phong_chinh_sach.docx", "thanh_tra.docx"]


START_UP = """
import os, signal, sys


class CtrlCWhileImporting:  # Ctrl-C arrives while the command's modules are being imported
    def find_spec(self, name, path=None, target=None):
        if name == sys.argv[1]:
            os.kill(os.getpid(), signal.SIGINT)
        return None


sys.meta_path.insert(0, CtrlCWhileImporting())
from docgen.__main__ import run

run()
"""


@pytest.mark.parametrize("module", ["docgen.cli", "click", "docgen.kinds"])
def test_ctrl_c_while_starting_shows_no_traceback(module):
    """The window `test_ctrl_c_never_hangs[0.8]` could hit under load: Ctrl-C before the command runs."""
    proc = subprocess.run([sys.executable, "-c", START_UP, module, "batch", str(PLAN), "--units", str(UNITS)],
                          cwd=ROOT, capture_output=True, text=True, timeout=BOUND,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert "Traceback" not in proc.stderr, proc.stderr
    assert (proc.returncode, proc.stderr, proc.stdout) == (128 + signal.SIGINT, "", "")


def test_the_docgen_command_starts_guarded():
    """The installed `docgen` command goes through the same guard as `python -m docgen`."""
    import tomllib

    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts["docgen"] == "docgen.__main__:run"
