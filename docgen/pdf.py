"""PDF export with LibreOffice headless."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import DocgenError, Problem


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx: Path, out_dir: Path | None = None, timeout: int = 180) -> Path:
    """Convert ``docx`` to PDF beside it (or in ``out_dir``); return the PDF's path."""
    exe = soffice()
    if exe is None:
        raise DocgenError(Problem("không tìm thấy LibreOffice (lệnh soffice) để xuất PDF; cài gói "
                                  "libreoffice-writer-nogui (Debian/Ubuntu) hoặc LibreOffice rồi chạy lại",
                                  str(docx)))
    out_dir = Path(out_dir or docx.parent)
    # A private profile: parallel conversions must not share (and lock) the user's profile.
    with tempfile.TemporaryDirectory(prefix="docgen-lo-") as profile:
        cmd = [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(out_dir), str(docx)]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                                  env={**os.environ, "HOME": profile})
        except subprocess.TimeoutExpired:
            raise DocgenError(Problem(f"LibreOffice không xuất xong PDF sau {timeout} giây", str(docx))) from None
    pdf = out_dir / (docx.stem + ".pdf")
    if done.returncode != 0 or not pdf.exists():
        raise DocgenError(Problem(f"LibreOffice không xuất được PDF ({(done.stderr or done.stdout).strip()})",
                                  str(docx)))
    return pdf
