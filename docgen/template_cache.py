"""A persistent cache of prepared templates, so that a fresh process skips python-docx, docxtpl and Jinja's compiler.

A template is prepared (opened with python-docx, patched by docxtpl, compiled by Jinja: ≈ 60 ms in a fresh
process, bench/README.md) once per content and version of the code that prepares it; the result is kept
under the user's cache folder (``DOCGEN_CACHE_DIR``, else ``$XDG_CACHE_HOME/docgen``, else
``~/.cache/docgen``; ``%LOCALAPPDATA%\\docgen`` on Windows). ``DOCGEN_CACHE_DIR=`` (empty) turns it off.

Format: no pickle. A file is ``MAGIC``, the SHA-256 of the rest, then ``marshal`` data: the key it was
written for and plain values (bytes, str, numbers, tuples, dicts) plus Jinja's compiled code objects,
exactly what Jinja's own ``BytecodeCache`` stores; loading runs no code (the code objects run later as
Jinja's own templates, as Python's ``__pycache__`` does). A file that is truncated, corrupt, written for
another key or by another format, or not owned by the user is ignored and rewritten; the cache never
fails a command: a folder that cannot be written simply means no cache.

The key: the template's members (names and uncompressed bytes: the content, never its path, size or time),
the Python version and bytecode magic, Jinja's and lxml's versions, the sources of python-docx's and
docxtpl's modules that read and patch a template, and docgen's own modules that prepare it.
"""
from __future__ import annotations

import hashlib
import importlib.util
import marshal
import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from lxml import etree

from .write import write_atomic

MAGIC = b"docgen prepared template 1\n"
SUFFIX = ".tpl"
MAX_FILE = 64 * 1024 * 1024  # bytes: far above a prepared template (the bundled ones: 40-90 KB)
KEEP = 64  # entries; the least recently written go when there are more
# docgen's modules whose code decides what a prepared template holds
_OURS = ("rendering.py", "sandbox.py", "lines.py", "bodytext.py", "template_cache.py")
# the libraries' files that decide it (read, not imported: importing python-docx is what the cache saves)
_THEIRS = (("docx", ("__init__.py", "oxml/parser.py")), ("docxtpl", ("__init__.py", "template.py")))


def cache_dir() -> Path | None:
    """The folder of the cache, or None when it is turned off (``DOCGEN_CACHE_DIR`` set empty)."""
    chosen = os.environ.get("DOCGEN_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen.strip() else None
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        return Path(xdg) / "docgen"
    local = os.environ.get("LOCALAPPDATA", "") if os.name == "nt" else ""
    if os.path.isabs(local):
        return Path(local) / "docgen"
    try:
        return Path.home() / ".cache" / "docgen"
    except RuntimeError:  # no home folder to be found
        return None


@lru_cache(maxsize=1)
def _stamp() -> bytes:
    """Everything besides the template that the prepared form depends on (computed once per process)."""
    digest = hashlib.sha256()
    for part in (sys.version, importlib.util.MAGIC_NUMBER.hex(), jinja2.__version__, etree.LXML_VERSION,
                 etree.LIBXML_VERSION):
        digest.update(repr(part).encode() + b"\0")
    here = Path(__file__).parent
    files = [here / name for name in _OURS]
    for package, names in _THEIRS:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            digest.update(f"no {package}\0".encode())
            continue
        root = Path(list(spec.submodule_search_locations)[0])
        files += [root / name for name in names]
    for path in files:
        try:
            data = path.read_bytes()
        except OSError:
            data = b"missing"
        digest.update(f"{path.name}:{len(data)}:".encode() + data)
    return digest.digest()


def key(members: list[tuple[str, bytes]]) -> str:
    """The cache key of a template's content (its zip members, in order) with this code."""
    digest = hashlib.sha256(_stamp())
    for name, data in members:
        raw = name.encode("utf-8", "surrogateescape")
        digest.update(len(raw).to_bytes(8, "little") + raw + len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def _path(folder: Path, key: str) -> Path:
    return folder / (key + SUFFIX)


def load(key: str) -> Any:
    """The value stored for ``key``, or None (no cache, no entry, or an entry not to be trusted)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with open(_path(folder, key), "rb") as fh:
            if hasattr(os, "getuid") and os.fstat(fh.fileno()).st_uid != os.getuid():
                return None  # someone else's file: never run code from it
            data = fh.read(MAX_FILE + 1)
    except (OSError, ValueError):
        return None
    head = len(MAGIC) + 32
    if len(data) > MAX_FILE or len(data) < head or not data.startswith(MAGIC):
        return None
    payload = data[head:]
    if hashlib.sha256(payload).digest() != data[len(MAGIC):head]:
        return None  # truncated or corrupt
    try:
        stored_key, value = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None
    return value if stored_key == key else None


def store(key: str, value: Any) -> None:
    """Keep ``value`` (marshal-able) for ``key``; any failure just leaves the cache as it was."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        payload = marshal.dumps((key, value))
    except ValueError:
        return
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_atomic(_path(folder, key), MAGIC + hashlib.sha256(payload).digest() + payload, durable=False,
                     tag="cache")
        _trim(folder)
    except Exception:  # noqa: BLE001 - a cache that cannot be written is no cache, never the user's problem
        return


def _trim(folder: Path) -> None:
    """Keep the ``KEEP`` most recently written entries (an edited template leaves its old entry behind)."""
    entries = []
    with os.scandir(folder) as found:
        for entry in found:
            if entry.name.endswith(SUFFIX) and entry.is_file(follow_symlinks=False):
                entries.append((entry.stat(follow_symlinks=False).st_mtime_ns, entry.path))
    for _, path in sorted(entries, reverse=True)[KEEP:]:
        try:
            os.unlink(path)
        except OSError:
            pass
