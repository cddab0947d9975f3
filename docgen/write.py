"""Write files atomically: a temporary file beside the target, then a rename.

A reader (or a crash, or Ctrl-C) never sees a half-written document.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import DocgenError, Problem


def write_atomic(path: Path, data: bytes, durable: bool = True) -> None:
    """Write ``data`` to ``path`` atomically; ``durable`` also fsyncs (a batch syncs once at the end)."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise DocgenError(Problem(f"không ghi được tệp ({exc.strerror})", str(path))) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):
            raise DocgenError(Problem(f"không ghi được tệp ({exc.strerror})", str(path))) from None
        raise
