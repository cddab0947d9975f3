"""Helpers shared by the tests: reading produced documents back."""
from __future__ import annotations

import difflib
import io
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from docgen.ooxml import Styles, parse, q, text

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "fixtures" / "seed_ke_hoach_cchc_2023.txt"  # copy of ../shared/seed
PLAN = ROOT / "data" / "ke_hoach_2023.yaml"
FIXTURES = ROOT / "tests" / "fixtures"
# Real documents nobody here wrote (../shared/realdocs next to the checkout; DOCGEN_REALDOCS for a checkout elsewhere)
REALDOCS = Path(os.environ.get("DOCGEN_REALDOCS") or ROOT.parent / "shared" / "realdocs")


class Doc:
    """A produced .docx opened for assertions on effective formatting."""

    def __init__(self, data: bytes) -> None:
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        names = self.zip.namelist()
        self.document = parse(self.zip.read("word/document.xml"))
        self.styles = Styles(self.zip.read("word/styles.xml"),
                             self.zip.read("word/theme/theme1.xml") if "word/theme/theme1.xml" in names else None)
        self.body = self.document.find(q("w:body"))

    def part(self, name: str) -> etree._Element:
        return parse(self.zip.read(name))

    def paragraphs(self, within: etree._Element | None = None) -> list[etree._Element]:
        return list((within if within is not None else self.body).iter(q("w:p")))

    def body_paragraphs(self) -> list[etree._Element]:
        """Paragraphs outside tables."""
        return [p for p in self.body.findall(q("w:p"))]

    def find(self, needle: str) -> etree._Element:
        for p in self.paragraphs():
            if needle in text(p):
                return p
        raise AssertionError(f"no paragraph contains {needle!r}")

    def text(self) -> str:
        return "\n".join(text(p) for p in self.paragraphs())

    def tables(self) -> list[etree._Element]:
        return self.body.findall(q("w:tbl"))


def tokens(s: str) -> list[str]:
    return s.split()


def recall_in_order(reference: str, produced: str) -> tuple[float, list[str]]:
    """Share of reference tokens found in order in produced; and the missing ones."""
    ref, out = tokens(reference), tokens(produced)
    sm = difflib.SequenceMatcher(None, ref, out, autojunk=False)
    matched = sum(b.size for b in sm.get_matching_blocks())
    missing = []
    for tag, i1, i2, _, _ in sm.get_opcodes():
        if tag in ("replace", "delete"):
            missing.extend(ref[i1:i2])
    return matched / len(ref), missing


# ---- hostile input helpers ------------------------------------------------------------------------

MEMORY_LIMIT_MB = 500  # the bound: no input may make docgen use more


@dataclass
class Run:
    """A finished ``docgen`` process: exit status, output, and its peak memory (MB)."""

    code: int
    out: str
    err: str
    peak_mb: float

    def assert_clean(self, codes=(0, 1, 2)) -> None:
        """Exit status in ``codes``, no traceback, every error line Vietnamese (``Lỗi: ...``)."""
        assert self.code in codes, (self.code, self.err[-3000:])
        assert "Traceback" not in self.err, self.err[-3000:]
        if self.code:
            lines = [line for line in self.err.splitlines() if line.strip()]
            assert lines, "an error exit prints why"
            assert any(line.startswith(("Lỗi:", "Cách dùng:")) for line in lines), self.err[-3000:]
        assert self.peak_mb < MEMORY_LIMIT_MB, self.peak_mb


def run_docgen(*args, cwd: Path | None = None, env: dict | None = None, mem_mb: int = MEMORY_LIMIT_MB,
               cpu_s: int = 120, stdin: bytes | None = None) -> Run:
    """Run the CLI in a subprocess under an address-space limit of ``mem_mb`` and a CPU-time limit.

    Going over the memory limit makes allocations fail inside docgen (a MemoryError, so a traceback
    and a non-clean run); going over the CPU limit kills it (exit -24): both fail ``assert_clean``.
    """
    import os
    import resource
    import subprocess
    import sys
    import tempfile

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (mem_mb * 2**20, mem_mb * 2**20))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s))

    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as inp:
        inp.write(stdin or b"")
        inp.seek(0)
        proc = subprocess.Popen([sys.executable, "-m", "docgen", *map(str, args)], cwd=cwd or ROOT,
                                stdout=out, stderr=err, stdin=inp, env=full_env, preexec_fn=limit)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(proc.returncode, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                   usage.ru_maxrss / 1024)


def docx_with(source: Path, dest: Path, edits: dict[str, list[tuple[str, str]]] | None = None,
              parts: dict[str, bytes | None] | None = None) -> Path:
    """A copy of the .docx ``source`` with text replaced in its parts (``edits``) or parts replaced
    or removed (``parts``: None removes)."""
    edits, parts = edits or {}, parts or {}
    with zipfile.ZipFile(source) as zin:
        members = [(i.filename, zin.read(i)) for i in zin.infolist()]
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in members:
            if name in parts:
                if parts[name] is None:
                    continue
                data = parts[name]
            for old, new in edits.get(name, []):
                text = data.decode("utf-8")
                assert old in text, (name, old)
                data = text.replace(old, new, 1).encode("utf-8")
            zout.writestr(name, data)
        for name, data in parts.items():
            if data is not None and name not in dict(members):
                zout.writestr(name, data)
    return dest


def _shipped_data() -> list[Path]:
    """The example files shipped in data/ (tracked by git), not whatever a user has added there since."""
    import subprocess

    try:
        done = subprocess.run(["git", "ls-files", "-z", "data"], cwd=ROOT, capture_output=True, timeout=30)
        names = [n for n in done.stdout.decode("utf-8").split("\0") if n] if done.returncode == 0 else []
    except OSError:
        names = []
    if names:
        return sorted(ROOT / n for n in names)
    return sorted(p for p in (ROOT / "data").rglob("*") if p.is_file())  # no git (an unpacked archive)


DATA_FILES = _shipped_data()
# The example documents (plans and reports) shipped in data/.
EXAMPLES = [p for p in DATA_FILES if p.suffix == ".yaml" and p.parent == ROOT / "data"
            and p.read_text(encoding="utf-8").count("\nloai: don_vi") == 0 and not p.name.startswith("don_vi")]


def copy_data(dest: Path) -> Path:
    """A private copy of the shipped data/ (tests never read a data/ a user may have added files to)."""
    import shutil

    for path in DATA_FILES:
        target = dest / path.relative_to(ROOT / "data")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    return dest


def by_columns(layout: str, title_words: set[str]) -> str:
    """PDF text as a reader that goes column by column gives it: in the two-column header (the lines before the
    document type) and footer (from "Nơi nhận" to the next page), the left column first, then the right one.
    ``layout`` is ``pdftotext -layout`` output."""
    import re

    lines = layout.split("\n")

    def block(rows: list[str]) -> list[str]:
        left: list[str] = []
        right: list[str] = []
        for row in rows:
            for m in re.finditer(r"\S+(?: {1,2}\S+)*", row):
                (left if m.start() < 30 else right).append(m.group())
        return left + right

    title = next(i for i, line in enumerate(lines) if line.strip() in title_words)
    nn = next((i for i, line in enumerate(lines) if line.strip().startswith("Nơi nhận")), None)
    if nn is None:
        return "\n".join(block(lines[:title]) + lines[title:])
    end = nn
    while end < len(lines) and "\f" not in lines[end] and end < nn + 30:
        end += 1
    return "\n".join(block(lines[:title]) + lines[title:nn] + block(lines[nn:end]) + lines[end:])
