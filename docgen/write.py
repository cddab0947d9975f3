"""Write files atomically: a temporary file beside the target, then a rename.

A reader (or a crash, or Ctrl-C) never sees a half-written document.
"""
from __future__ import annotations

import itertools
import os
from pathlib import Path

from .errors import DocgenError, Problem

_counter = itertools.count()


def write_atomic(path: Path, data: bytes, durable: bool = True, tag: str = "w") -> None:
    """Write ``data`` to ``path`` atomically; ``durable`` also fsyncs (a batch syncs once at the end).

    The rename replaces whatever is at ``path``, a symlink included: the file it points to is
    never written. ``tag`` names the run in the temporary file's name, so that a run cleaning up
    after an interruption (``temp_pattern``) removes its own temporary files and no other run's.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        while True:  # a name no other writer (process or thread) uses; O_EXCL makes sure
            tmp = path.parent / f".{path.name}.{tag}.{os.getpid()}.{next(_counter)}.tmp"
            try:
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
                break
            except FileExistsError:
                continue
    except OSError as exc:
        raise DocgenError(Problem(f"không ghi được tệp ({exc.strerror})", str(path))) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):
            raise DocgenError(Problem(f"không ghi được tệp ({exc.strerror})", str(path))) from None
        raise


def temp_pattern(tag: str) -> str:
    """The glob matching the temporary files of the run ``tag`` in one folder."""
    return f".*.{tag}.*.tmp"


def same_file(a: Path | str, b: Path | str) -> bool:
    """Whether ``a`` and ``b`` name the same file (through symlinks, ``..`` or hard links)."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        try:
            return Path(a).resolve() == Path(b).resolve()
        except (OSError, ValueError, RuntimeError):
            return False


def refuse_inputs(out: Path | str, inputs: dict[str, Path | str | None]) -> None:
    """DocgenError if the output ``out`` is one of the command's own inputs (``{label: path}``)."""
    for label, path in inputs.items():
        if path is not None and same_file(out, path):
            raise DocgenError(Problem(f"tệp kết quả trùng {label} (sẽ mất {label}); chọn tên khác với -o",
                                      str(out)))
