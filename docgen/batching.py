"""``docgen batch``: one document per sub-unit, in a pool of processes.

The parent loads and validates the base source once and prepares the template once; the
units file is read (ids checked: nothing is written if one is unsafe or repeated) and cut
into chunks, each chunk's units pickled into one bytes object; with ``-j`` above 1 that is
done in a short-lived child, so the parent's heap never holds the parsed units. The garbage
collector is kept out of that bulk loading. Then the parent renders one unit (the
template's lazy caches are then built once), freezes what it holds (``gc.freeze``: the
workers' collections never touch, hence never copy, those pages) and forks ``jobs - 1``
workers; the parent renders too, so ``-j 2`` is two processes. A chunk goes through the
pipe as its bytes; each unit is rebuilt, validated and rendered in the process that
renders it, then dropped, and only small results come back (the unit's index and its
problems).

The pool is docgen's own and small: one pipe per worker; between its own chunks the parent
hands out chunks and reads the pipes and the processes' sentinels, so it never waits on a
lock a dead worker holds. Ctrl-C or SIGTERM stop the workers (a running LibreOffice with
them), remove this run's temporary files (named after the run, so another batch writing
the same folder keeps its own) and re-raise; the documents already written are whole.
"""
from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import pickle
import secrets
import shutil
import signal
import tempfile
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from .core import kind
from .errors import DocgenError, Problem
from .kinds import DOCUMENTS
from .loader import Source, load
from .pdf import Converter, _missing, soffice
from .rendering import prepared
from .units import Unit, check_keys, load_units
from .write import temp_pattern, write_atomic

JOBS_PER_CPU = 4  # `-j` above this multiple of the CPUs only adds memory and switching
CHUNK = 32  # units per task at most (a task costs a round trip; too big a chunk balances badly at the end)
PDF_CHUNK = 100  # documents per LibreOffice launch at most
KILL_GRACE = 5.0  # seconds a worker has to stop after SIGTERM before SIGKILL


@dataclass
class Result:
    ma: str
    path: Path | None
    problems: list[str]
    pdf: Path | None = None


class Base:
    """The base source, loaded once; renders a unit's document."""

    def __init__(self, source_path: Path, template: Path | None) -> None:
        source = load(source_path)
        self.source = source
        self.kind = kind(source)
        if not self.kind.batch:
            raise DocgenError(source.problem(("loai",), f"không tạo theo đơn vị được loại văn bản '{self.kind.loai}'; "
                                             "chọn một trong: " + ", ".join(k.loai for k in DOCUMENTS if k.batch)))
        self.loaded = self.kind.load_source(source)
        self.template = prepared(template or self.kind.template_path())
        self.kind.context(self.loaded)  # the base itself must be right before any unit runs

    def check_keys(self, units: list[Unit]) -> None:
        """Keys (columns) of the units list that are not keys of the source: refused once, before any writing."""
        check_keys(units, self.kind.model_class(), self.kind.ten.lower())

    def render(self, unit: Unit) -> bytes:
        if unit.model is None:  # validated here, in the worker
            raise DocgenError(unit.problems)
        context, props = self.kind.context(self.loaded, unit)
        return self.template.render(context, props)


def max_jobs() -> int:
    """The cap on ``-j``: a few workers per CPU this process may use."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cpus = os.cpu_count() or 1
    return JOBS_PER_CPU * max(1, cpus)


@dataclass
class _Run:
    base: Base
    units_path: Path
    out_dir: Path
    pdf: bool
    tag: str  # names this run's temporary files
    scratch: Path  # LibreOffice profiles of this run
    converter: Any = None


_RUN: _Run | None = None  # set before the fork: workers inherit it

# a chunk: its bounds and, pickled once before the fork, per unit (its index, its code, its data, its lines)
Task = tuple[tuple[int, int], bytes]
# a chunk's outcome, per unit: (its index, its problems, .docx written, PDF written); nothing else comes back
Outcome = list[tuple[int, list[str], bool, bool]]


def _tasks(units: list[Unit], chunks: list[tuple[int, int]]) -> list[Task]:
    """The chunks with their units' data as bytes: handing a chunk out then reads one object, and no
    process touches (so copies) the pages of the parsed units, which are freed before the fork."""
    return [(b, pickle.dumps([(u.index, u.ma, u.source.data, u.source.lines) for u in units[b[0]:b[1]]],
                             pickle.HIGHEST_PROTOCOL)) for b in chunks]


def _units(payload: bytes) -> Iterator[Unit]:
    """A chunk's units, each new (validated in the process that renders it, then dropped)."""
    run = _RUN
    assert run is not None
    for index, ma, data, lines in pickle.loads(payload):
        yield Unit(ma, lines.get(()), Source(run.units_path, data, lines), index)


def _work(bounds: tuple[int, int], payload: bytes) -> Outcome:
    """Render the chunk ``bounds`` (its units' data pickled in ``payload``)."""
    run = _RUN
    assert run is not None
    out: Outcome = []
    written: dict[Path, int] = {}
    for unit in _units(payload):
        index, ma = unit.index, unit.ma
        path = run.out_dir / f"{ma}.docx"
        try:
            write_atomic(path, run.base.render(unit), durable=False, tag=run.tag)
            written[path] = len(out)
            out.append((index, [], True, False))
        except DocgenError as exc:
            out.append((index, [str(p) for p in exc.problems], False, False))
    if run.pdf and written:
        if run.converter is None:  # one LibreOffice profile per process, for the process's life
            run.converter = Converter(workdir=run.scratch)
        for path, made in run.converter.convert(list(written), tag=run.tag).items():
            i = out[written[path]][0]
            if isinstance(made, DocgenError):
                out[written[path]] = (i, [str(p) for p in made.problems], True, False)
            else:
                out[written[path]] = (i, [], True, True)
    return out


def _chunks(total: int, jobs: int, pdf: bool) -> list[tuple[int, int]]:
    # a few chunks per process balance the load; PDF chunks are large: each is one LibreOffice launch
    size = -(-total // jobs) if pdf else -(-total // (jobs * 8))
    size = max(1, min(size, PDF_CHUNK if pdf else CHUNK))
    return [(start, min(start + size, total)) for start in range(0, total, size)]


def run(source: Path, units_path: Path, out_dir: Path, jobs: int | None = None, template: Path | None = None,
        pdf: bool = False, progress: Callable[[Iterator[Result], int], Iterator[Result]] | None = None
        ) -> list[Result]:
    """Render every unit; units are checked (ids safe, unique) before anything is written.

    ``jobs`` is capped at :func:`max_jobs`. With ``pdf``, LibreOffice must be installed
    (checked before anything is written).
    """
    global _RUN
    out_dir = Path(out_dir)
    if pdf:
        if soffice() is None:
            raise _missing(str(out_dir))
    with _no_gc():  # bulk loading makes many objects and no garbage: collections would be wasted
        base = Base(source, template)
        codes, tasks = _load(base, Path(units_path), max(1, min(jobs or os.cpu_count() or 1, max_jobs())), pdf)
    tag = "b" + secrets.token_hex(6)
    scratch = Path(tempfile.mkdtemp(prefix="docgen-batch-"))
    _RUN = _Run(base, Path(units_path), out_dir, pdf, tag, scratch)
    jobs = max(1, min(jobs or os.cpu_count() or 1, max_jobs(), len(tasks)))
    if "fork" not in multiprocessing.get_all_start_methods():
        jobs = 1  # workers inherit the prepared state by fork only
    outcomes: dict[int, tuple[list[str], bool, bool]] = {}

    chunk_outcomes = (_work(*t) for t in tasks) if jobs == 1 else _pool(tasks, jobs)

    def results() -> Iterator[Result]:
        for chunk in chunk_outcomes:
            for i, *outcome in chunk:
                outcomes[i] = tuple(outcome)  # type: ignore[assignment]
                yield _result(codes[i], out_dir, *outcomes[i])

    try:
        with _terminate_raises():
            if jobs > 1:
                _warm(base, tasks[0][1])
                gc.freeze()  # what the parent holds stays shared with the workers
            stream = results()
            list(progress(stream, len(codes)) if progress else stream)
        sync_folder(out_dir)
        return [_result(ma, out_dir, *outcomes[i]) for i, ma in enumerate(codes)]
    except BaseException:
        chunk_outcomes.close()  # the workers stop first: then nobody writes while we sweep
        _sweep(out_dir, tag)
        raise
    finally:
        chunk_outcomes.close()  # stops the workers now, whatever ended the run
        gc.unfreeze()
        _RUN = None
        shutil.rmtree(scratch, ignore_errors=True)


def _parse(base: Base, units_path: Path, jobs: int, pdf: bool) -> tuple[list[str], list[Task]]:
    """The units' codes and the chunks with their units as bytes (ids and keys checked)."""
    units = load_units(units_path)
    base.check_keys(units)
    return [u.ma for u in units], _tasks(units, _chunks(len(units), jobs, pdf))


def _parse_into(conn: Connection, base: Base, units_path: Path, jobs: int, pdf: bool) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; it stops this process if need be
    try:
        got: Any = ("ok", _parse(base, units_path, jobs, pdf))
    except DocgenError as exc:
        got = ("error", (exc.problems, exc.exit_code))
    try:
        conn.send_bytes(pickle.dumps(got, pickle.HIGHEST_PROTOCOL))
    except OSError:  # the parent is gone
        pass
    finally:
        conn.close()


def _load(base: Base, units_path: Path, jobs: int, pdf: bool) -> tuple[list[str], list[Task]]:
    """The units list, parsed (with ``jobs > 1``) in a short-lived child process: the parent receives only
    the codes and the chunks' bytes, so the heap it shares with the workers never held the parsed units
    (their freed blocks, reused by both sides after the fork, copied pages into each: 1.20-1.23x the
    single process's memory at 3,321 units, 1.15x with this)."""
    if jobs == 1 or "fork" not in multiprocessing.get_all_start_methods():
        return _parse(base, units_path, jobs, pdf)  # one process: nothing to share, nothing to gain
    fork = multiprocessing.get_context("fork")
    mine, theirs = fork.Pipe(duplex=False)
    proc = fork.Process(target=_parse_into, args=(theirs, base, units_path, jobs, pdf), daemon=True)
    proc.start()
    theirs.close()
    try:
        kind, got = pickle.loads(mine.recv_bytes())
    except EOFError:  # it died (killed, out of memory)
        proc.join()
        raise DocgenError(Problem(f"không đọc xong danh sách đơn vị (tiến trình đọc dừng đột ngột, mã "
                                  f"{proc.exitcode}); chạy lại lệnh", str(units_path))) from None
    except BaseException:  # Ctrl-C, SIGTERM: it stops with us
        proc.kill()
        raise
    finally:
        mine.close()
        proc.join()
    if kind == "error":
        raise DocgenError(*got)
    return got


def _result(ma: str, out_dir: Path, problems: list[str], docx: bool, pdf: bool) -> Result:
    path = out_dir / f"{ma}.docx"
    return Result(ma, path if docx else None, problems, path.with_suffix(".pdf") if pdf else None)


def _warm(base: Base, payload: bytes) -> None:
    """Render one unit before the fork: the template's lazy caches (parts rendered once, compressed
    parts, style lookups) are then built once and shared, not once per worker."""
    try:
        base.render(next(_units(payload)))
    except DocgenError:
        pass  # the unit fails again in its worker, with its message


@contextmanager
def _no_gc() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Terminated(SystemExit):
    """SIGTERM received: unwinds like Ctrl-C (workers stopped, temporary files removed)."""

    def __init__(self) -> None:
        super().__init__(128 + signal.SIGTERM)


def _raise_terminated(signum: int, frame: Any) -> None:
    raise Terminated()


@contextmanager
def _terminate_raises() -> Iterator[None]:
    """SIGTERM raises in the main thread for the duration (elsewhere signals are not ours to set)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


def _worker(conn: Connection) -> None:
    # Ctrl-C reaches every process of the terminal: the parent alone decides; SIGTERM unwinds, so a
    # running LibreOffice is killed on the way out
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _raise_terminated)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    gc.enable()
    try:
        while True:
            try:
                task = conn.recv()
            except EOFError:
                return
            if task is None:
                return
            conn.send(_work(*task))
    except (Terminated, BrokenPipeError):
        pass
    finally:
        conn.close()


def _pool(chunks: list[Task], jobs: int) -> Generator[Outcome, None, None]:
    """Run ``_work`` over ``chunks`` in this process and ``jobs - 1`` forked workers; outcomes in
    completion order.

    Workers are kept fed first (two chunks in flight each); the parent renders a chunk itself
    whenever no answer is waiting. A worker that dies (killed, out of memory) fails the chunk it
    was on; its other chunks go to the processes left.
    """
    fork = multiprocessing.get_context("fork")
    workers: list[tuple[Any, Connection]] = []
    pending = deque(chunks)
    busy: dict[Connection, list[Task]] = {}  # chunks handed to each live worker, oldest first
    signals = {signal.SIGINT, signal.SIGTERM}
    try:
        old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, signals)  # no signal between fork and handlers
        try:
            for _ in range(jobs - 1):
                mine, theirs = fork.Pipe()
                proc = fork.Process(target=_worker, args=(theirs,), daemon=True)
                proc.start()
                theirs.close()
                workers.append((proc, mine))
                busy[mine] = []
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)
        by_sentinel = {proc.sentinel: (proc, conn) for proc, conn in workers}
        dead: set[Connection] = set()  # pipes that broke; their sentinels settle their chunks
        _feed(busy, pending, dead)
        while pending or any(busy.values()):
            waiting = [c for c, b in busy.items() if b and c not in dead] + list(by_sentinel)
            ready = wait(waiting, timeout=0 if pending else None)
            if not ready and pending:  # nobody to answer or to feed: the parent renders a chunk
                yield _work(*pending.popleft())
                continue
            for r in ready:
                if isinstance(r, int):
                    proc, conn = by_sentinel[r]
                    if conn not in dead and conn.poll():
                        continue  # read its last answers first; the next round sees the sentinel again
                    del by_sentinel[r]
                    lost = busy.pop(conn, [])
                    proc.join(KILL_GRACE)
                    if lost:
                        yield [(i, [_died(proc.exitcode)], False, False) for i in range(*lost[0][0])]
                        pending.extendleft(reversed(lost[1:]))
                    _feed(busy, pending, dead)
                    continue
                assert isinstance(r, Connection)
                try:
                    outcome = r.recv()
                except (EOFError, OSError):  # it died: its sentinel tells
                    dead.add(r)
                    continue
                busy[r].pop(0)
                _feed(busy, pending, dead)
                yield outcome
        for _, conn in workers:
            try:
                conn.send(None)
            except OSError:
                pass
        for proc, _ in workers:
            proc.join(KILL_GRACE)
    finally:
        _stop(workers)


def _feed(busy: dict[Connection, list[Task]], pending: deque, dead: set[Connection]) -> None:
    """Keep two chunks in flight per live worker: it never waits for the next one."""
    for conn, handed in busy.items():
        while pending and len(handed) < 2 and conn not in dead:
            task = pending.popleft()
            handed.append(task)
            try:
                conn.send(task)
            except OSError:  # dead: its sentinel gives the chunks back
                break


def _died(code: int | None) -> str:
    how = f" (mã {code})" if code is not None else ""
    return str(Problem(f"tiến trình tạo văn bản dừng đột ngột{how}; chạy lại lệnh"))


def _stop(workers: list[tuple[Any, Connection]]) -> None:
    """Stop every worker still alive: SIGTERM, then SIGKILL after a bounded wait. Never blocks longer."""
    alive = [proc for proc, _ in workers if proc.is_alive()]
    for proc in alive:
        proc.terminate()
    for proc in alive:
        proc.join(KILL_GRACE)
        if proc.is_alive():
            proc.kill()
            proc.join(KILL_GRACE)
    for _, conn in workers:
        conn.close()


def _libc_syncfs() -> Callable[[int], int] | None:
    try:
        syncfs = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):  # not Linux (or no C library to ask): sync(2) does it
        return None
    syncfs.argtypes, syncfs.restype = [ctypes.c_int], ctypes.c_int
    return syncfs


def sync_folder(folder: Path) -> None:
    """Make what a batch wrote under ``folder`` durable, once for all its files: syncfs(2) of the folder's
    filesystem on Linux, so a stalled network share or USB drive elsewhere does not hold the batch up as
    sync(2) of every filesystem would; sync(2) where syncfs is missing or fails."""
    syncfs = _libc_syncfs()
    if syncfs is not None:
        try:
            fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            fd = -1
        if fd >= 0:
            try:
                if syncfs(fd) == 0:
                    return
            finally:
                os.close(fd)
    os.sync()


def _sweep(out_dir: Path, tag: str) -> None:
    """Remove this run's temporary files (atomic writes never leave a document half-done)."""
    if out_dir.is_dir():
        for tmp in out_dir.glob(temp_pattern(tag)):
            try:
                tmp.unlink()
            except OSError:
                pass
