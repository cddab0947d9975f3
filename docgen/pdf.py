"""PDF export with LibreOffice headless, one LibreOffice for many documents.

Starting LibreOffice costs about a second (a fresh profile two or three); converting a
page-long document costs a tenth of that. So a :class:`Converter` keeps one private
profile for its whole life (never the user's: other conversions may run at the same
time) and hands LibreOffice many documents per launch. A launch that crashes or runs
past its time (a per-document allowance) is killed with its whole process group; the
documents it did not finish are retried one by one, so one bad document fails alone.

PDFs are written like every other docgen output (:func:`docgen.write.write_atomic`):
LibreOffice writes into a private folder and the bytes are moved into place, so a
symlink at the PDF's path is replaced, never followed.

One converter per process (``shared()``) serves ``render --pdf`` and ``build --pdf``; ``batch
--pdf`` gives each worker its own. A long-lived process (the web preview) asks for ``stay_up``:
then one LibreOffice stays up between calls, driven through its UNO bridge by ``lo_worker.py``
run with the Python that has LibreOffice's ``uno`` module (Debian: ``python3-uno``), so a
conversion costs a tenth of a second instead of a start. Without that module, or when the
worker cannot start, the converter launches LibreOffice as above.
"""
from __future__ import annotations

import atexit
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import uuid
import weakref
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from .errors import DocgenError, Problem
from .write import write_atomic

START_SECONDS = 120  # a launch: first start with a new profile can take a while on a loaded machine
PER_DOCUMENT_SECONDS = 60  # added per document handed to one launch
RESTART_AFTER = 500  # documents one LibreOffice that stays up converts before a fresh one (its memory grows)
WORKER = Path(__file__).with_name("lo_worker.py")
CLOSED = "đã dừng xuất PDF (chương trình đang đóng)"


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@lru_cache(maxsize=1)
def uno_python() -> str | None:
    """A Python that imports LibreOffice's ``uno`` module, or None.

    ``DOCGEN_UNO_PYTHON`` names one (empty: never stay up); else LibreOffice's own (next to
    ``soffice`` in its program folder), else the system's ``python3`` (Debian's ``python3-uno``).
    """
    wanted = os.environ.get("DOCGEN_UNO_PYTHON")
    exe = soffice()
    if wanted is not None:
        candidates = [wanted] if wanted else []
    else:
        candidates = [str(Path(os.path.realpath(exe)).with_name("python"))] if exe else []
        candidates += [p for p in ("/usr/bin/python3", shutil.which("python3")) if p]
    for python in dict.fromkeys(candidates):
        if not os.access(python, os.X_OK):
            continue
        try:
            done = subprocess.run([python, "-I", "-c", "import uno"], stdin=subprocess.DEVNULL,
                                  capture_output=True, timeout=30)
        except (OSError, subprocess.SubprocessError):
            continue
        if done.returncode == 0:
            return python
    return None


def _missing(where: str | None) -> DocgenError:
    return DocgenError(Problem("không tìm thấy LibreOffice (lệnh soffice) để xuất PDF; cài gói "
                               "libreoffice-writer-nogui (Debian/Ubuntu) hoặc LibreOffice rồi chạy lại", where))


class Converter:
    """LibreOffice with one private profile, converting many .docx files per launch."""

    def __init__(self, workdir: Path | str | None = None, per_document: float = PER_DOCUMENT_SECONDS,
                 start: float = START_SECONDS, stay_up: bool = False) -> None:
        self.exe = soffice()
        self.stay_up = stay_up
        self._worker: subprocess.Popen | None = None  # lo_worker.py with its LibreOffice (stay_up)
        self._worker_done = 0  # documents the running worker converted
        self._worker_failures = 0  # starts that failed: after two, launches only
        self._closed = False  # closed (maybe from another thread while a conversion runs): start nothing more
        self._state = threading.Lock()  # guards _closed and _worker between close() and a converting thread
        self.per_document = per_document
        self.start = start
        self._own = workdir is None
        self.home = Path(tempfile.mkdtemp(prefix="docgen-lo-", dir=workdir))
        # what the converter leaves on the machine goes at close(), or at exit when close() is never reached
        # (a process ending while its web app still stops): a LibreOffice kept up, then the folder
        self._left = _Left(self.home)
        self._cleanup = weakref.finalize(self, self._left)
        self.launches = 0  # how many times LibreOffice was started (benchmarks, tests)
        self._lock = threading.Lock()  # one conversion at a time (the web app may call from threads)

    def close(self) -> None:
        with self._state:
            self._closed = True
        self._stop_worker()
        self._cleanup()

    def __enter__(self) -> Converter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- public API ---------------------------------------------------------------------------

    def convert(self, docx: Iterable[Path | str], out_dir: Path | str | None = None, tag: str = "w"
                ) -> dict[Path, Path | DocgenError]:
        """Convert each .docx to ``<stem>.pdf`` beside it (or in ``out_dir``).

        Returns, per input, the PDF written or the error of that document (the others go on).
        Raises :class:`DocgenError` only when LibreOffice is not installed. ``tag`` names the
        run in temporary file names (see :func:`docgen.write.write_atomic`).
        """
        docs = [Path(d) for d in docx]
        if not docs:
            return {}
        if self.exe is None:
            raise _missing(str(docs[0]))
        targets = {d: Path(out_dir or d.parent) / (d.stem + ".pdf") for d in docs}
        results: dict[Path, Path | DocgenError] = {}
        with self._lock:
            # LibreOffice names its output after the input's stem: one launch takes distinct stems only
            for group in _distinct_stems(docs):
                if self._closed:
                    results.update((doc, DocgenError(Problem(CLOSED, str(doc)))) for doc in group)
                    continue
                made_by = self._convert_staying_up(group) if self.stay_up else self._convert_group(group)
                for doc, made in made_by.items():
                    if isinstance(made, DocgenError):
                        results[doc] = made
                        continue
                    try:
                        write_atomic(targets[doc], made.read_bytes(), durable=False, tag=tag)
                        results[doc] = targets[doc]
                    except OSError as exc:
                        results[doc] = DocgenError(Problem(f"không ghi được tệp ({exc.strerror})",
                                                           str(targets[doc])))
                    except DocgenError as exc:
                        results[doc] = exc
                    finally:
                        made.unlink(missing_ok=True)
            for outdir in self.home.glob("out-*"):
                shutil.rmtree(outdir, ignore_errors=True)
        return results

    def to_pdf(self, docx: Path | str, out_dir: Path | str | None = None) -> Path:
        """Convert one document; raise its error."""
        made = self.convert([docx], out_dir)[Path(docx)]
        if isinstance(made, DocgenError):
            raise made
        return made

    def pdf_bytes(self, data: bytes, name: str = "van_ban") -> bytes:
        """The PDF of a .docx given as bytes (for previews); nothing left on disk."""
        with tempfile.TemporaryDirectory(dir=self.home) as tmp:
            docx = Path(tmp) / f"{name}.docx"
            docx.write_bytes(data)
            return self.to_pdf(docx).read_bytes()

    # -- launches -----------------------------------------------------------------------------

    def _convert_group(self, docs: list[Path]) -> dict[Path, Path | DocgenError]:
        """One launch for all of ``docs``; whatever it leaves undone is retried alone."""
        outdir = Path(tempfile.mkdtemp(prefix="out-", dir=self.home))
        failure = self._launch(docs, outdir)
        done: dict[Path, Path | DocgenError] = {}
        left = []
        for doc in docs:
            pdf = outdir / (doc.stem + ".pdf")
            if pdf.is_file() and pdf.stat().st_size > 0:
                done[doc] = pdf
            else:
                left.append(doc)
        if left and len(docs) > 1:  # a crash or a hang: restart LibreOffice, one document per launch
            for doc in left:
                done.update(self._convert_group([doc]))
        elif left:
            done[left[0]] = DocgenError(Problem(failure or "LibreOffice không xuất được PDF", str(left[0])))
        return done

    def _launch(self, docs: list[Path], outdir: Path) -> str | None:
        """Run LibreOffice once; the reason it failed, if it did."""
        assert self.exe is not None
        profile = self.home / "profile"
        cmd = [self.exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--nolockcheck", "--convert-to", "pdf", "--outdir", str(outdir), *map(str, docs)]
        timeout = self.start + self.per_document * len(docs)
        self.launches += 1
        # its own session: a timeout (or our own end) kills LibreOffice's whole process tree
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                env={**os.environ, "HOME": str(self.home)}, start_new_session=True)
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            return f"LibreOffice không xuất xong PDF sau {int(timeout)} giây"
        finally:
            _kill_group(proc)
        if proc.returncode != 0:
            text = out.decode("utf-8", "replace").strip().splitlines()
            return f"LibreOffice không xuất được PDF (mã thoát {proc.returncode}{': ' + text[-1] if text else ''})"
        return None


    # -- a LibreOffice that stays up (lo_worker.py) -------------------------------------------

    def _convert_staying_up(self, docs: list[Path]) -> dict[Path, Path | DocgenError]:
        outdir = Path(tempfile.mkdtemp(prefix="out-", dir=self.home))
        done: dict[Path, Path | DocgenError] = {}
        for i, doc in enumerate(docs):
            made = self._worker_convert(doc, outdir / (doc.stem + ".pdf"))
            if made is None and self._closed:
                done.update((d, DocgenError(Problem(CLOSED, str(d)))) for d in docs[i:])
                break
            if made is None:  # no worker could start: launches for the rest
                done.update(self._convert_group(docs[i:]))
                break
            done[doc] = made
        return done

    def _worker_convert(self, doc: Path, pdf: Path) -> Path | DocgenError | None:
        """One document through the worker; None when no worker can be started."""
        for _ in range(2):  # a LibreOffice that died under this document gets one fresh try
            worker = self._started_worker()
            if worker is None:
                return None
            assert worker.stdin is not None
            try:
                worker.stdin.write((json.dumps({"docx": str(doc.resolve()), "pdf": str(pdf.resolve())})
                                    + "\n").encode("utf-8"))
                worker.stdin.flush()
            except (OSError, ValueError):  # gone, or its input closed by close() from another thread
                self._stop_worker()
                continue
            try:
                reply = _reply(worker, self.per_document)
            except TimeoutError:  # a hang: the document fails alone
                self._stop_worker()
                seconds = max(1, round(self.per_document))
                return DocgenError(Problem(f"LibreOffice không xuất xong PDF sau {seconds} giây", str(doc)))
            if reply is None or reply.get("mat_ket_noi"):
                self._stop_worker()
                continue
            self._worker_done += 1
            if self._worker_done >= RESTART_AFTER:
                self._stop_worker()
            if reply.get("ok") and pdf.is_file() and pdf.stat().st_size > 0:
                return pdf
            return DocgenError(Problem("LibreOffice không xuất được PDF", str(doc)))
        return DocgenError(Problem("LibreOffice dừng đột ngột khi xuất PDF tệp này", str(doc)))

    def _started_worker(self) -> subprocess.Popen | None:
        if self._worker is not None and self._worker.poll() is None:
            return self._worker
        self._stop_worker()
        if self._closed:
            return None
        python = uno_python() if self._worker_failures < 2 else None
        if python is None or self.exe is None:
            return None
        profile = (self.home / "profile").as_uri()
        pipe = f"docgen-{os.getpid()}-{uuid.uuid4().hex[:12]}"
        self.launches += 1
        worker = subprocess.Popen(
            [python, "-I", str(WORKER), self.exe, profile, pipe, str(self.start)], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env={**os.environ, "HOME": str(self.home)},
            start_new_session=True)  # its own group: stopping it stops its LibreOffice too
        with self._state:
            if self._closed:
                _kill_group(worker)
                return None
            self._left.worker = worker  # close() while it starts kills it before removing the folder
        try:
            reply = _reply(worker, self.start + 10)
        except TimeoutError:
            reply = None
        if not reply or not reply.get("san_sang"):
            _kill_group(worker)
            self._worker_failures += 0 if self._closed else 1
            return None
        with self._state:
            if not self._closed:  # closed while it started: nobody would stop it
                self._worker, self._worker_done = worker, 0
                return worker
        _kill_group(worker)
        return None

    def _stop_worker(self) -> None:
        with self._state:
            worker, self._worker = self._worker, None
        if worker is None:
            return
        try:
            assert worker.stdin is not None
            worker.stdin.close()  # the end of input: LibreOffice is closed, the worker ends
            worker.wait(timeout=15)
        except (OSError, subprocess.TimeoutExpired):
            pass
        _kill_group(worker)
        if self._left.worker is worker:  # until now, an exit meanwhile kills it before removing the folder
            self._left.worker = None


class _Left:
    """A converter's folder and the LibreOffice it keeps up: removed once, by close() or at exit."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.worker: subprocess.Popen | None = None

    def __call__(self) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            _kill_group(worker)
        shutil.rmtree(self.home, ignore_errors=True)


def _reply(worker: subprocess.Popen, seconds: float) -> dict | None:
    """The worker's next answer line; None if it ended; TimeoutError if it said nothing for ``seconds``."""
    assert worker.stdout is not None
    fd = worker.stdout.fileno()
    deadline = time.monotonic() + seconds
    line = b""
    while not line.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise TimeoutError
        chunk = os.read(fd, 4096)
        if not chunk:
            return None
        line += chunk
    try:
        reply = json.loads(line)
    except ValueError:
        return None
    return reply if isinstance(reply, dict) else None


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def _distinct_stems(docs: list[Path]) -> list[list[Path]]:
    groups: list[tuple[set[str], list[Path]]] = []
    for doc in docs:
        for stems, group in groups:
            if doc.stem not in stems:
                stems.add(doc.stem)
                group.append(doc)
                break
        else:
            groups.append(({doc.stem}, [doc]))
    return [group for _, group in groups]


_SHARED: Converter | None = None
_SHARED_LOCK = threading.Lock()


def shared() -> Converter:
    """The process's converter (its profile removed when the process exits)."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None:
            _SHARED = Converter()
            atexit.register(_SHARED.close)
        return _SHARED


def to_pdf(docx: Path | str, out_dir: Path | str | None = None) -> Path:
    """Convert ``docx`` to PDF beside it (or in ``out_dir``); return the PDF's path."""
    if soffice() is None:
        raise _missing(str(docx))
    return shared().to_pdf(docx, out_dir)


def convert(docx: list[Path]) -> dict[Path, Path | DocgenError]:
    """Convert many documents with the process's converter (see :meth:`Converter.convert`)."""
    if docx and soffice() is None:
        raise _missing(str(docx[0]))
    return shared().convert(docx)


def pdf_bytes(data: bytes, name: str = "van_ban") -> bytes:
    """The PDF of .docx bytes (the web preview's entry point)."""
    if soffice() is None:
        raise _missing(name + ".docx")
    return shared().pdf_bytes(data, name)
