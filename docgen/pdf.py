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

One converter per process (``shared()``) serves ``render --pdf``, ``build --pdf`` and the
web preview; ``batch --pdf`` gives each worker its own.
"""
from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path

from .errors import DocgenError, Problem
from .write import write_atomic

START_SECONDS = 120  # a launch: first start with a new profile can take a while on a loaded machine
PER_DOCUMENT_SECONDS = 60  # added per document handed to one launch


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _missing(where: str | None) -> DocgenError:
    return DocgenError(Problem("không tìm thấy LibreOffice (lệnh soffice) để xuất PDF; cài gói "
                               "libreoffice-writer-nogui (Debian/Ubuntu) hoặc LibreOffice rồi chạy lại", where))


class Converter:
    """LibreOffice with one private profile, converting many .docx files per launch."""

    def __init__(self, workdir: Path | str | None = None, per_document: float = PER_DOCUMENT_SECONDS,
                 start: float = START_SECONDS) -> None:
        self.exe = soffice()
        self.per_document = per_document
        self.start = start
        self._own = workdir is None
        self.home = Path(tempfile.mkdtemp(prefix="docgen-lo-", dir=workdir))
        self.launches = 0  # how many times LibreOffice was started (benchmarks, tests)
        self._lock = threading.Lock()  # one conversion at a time (the web app may call from threads)

    def close(self) -> None:
        shutil.rmtree(self.home, ignore_errors=True)

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
                for doc, made in self._convert_group(group).items():
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
