"""PDF export: one LibreOffice for many documents, a timeout per document, a retry alone after a crash,
a clear error when LibreOffice is missing, and never writing through a symlink at the PDF's path."""
import os
import shutil
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from docgen import pdf as pdf_mod
from docgen.cli import main
from docgen.errors import DocgenError

from .util import PLAN, ROOT, copy_data

UNITS = ROOT / "data" / "don_vi.yaml"

FAKE = """#!{python}
# A stand-in for soffice: FAKE_SOFFICE=hang sleeps; =crash aborts when handed a file named bad*
# with others, and fails on it alone; otherwise writes a small "PDF" per input.
import os, sys, time
args = sys.argv[1:]
outdir = args[args.index("--outdir") + 1]
files = args[args.index("--outdir") + 2:]
with open(os.environ["FAKE_LOG"], "a") as log:
    log.write(f"{{os.getpid()}} {{len(files)}}\\n")
mode = os.environ.get("FAKE_SOFFICE")
if mode == "hang":
    time.sleep(600)
if any(os.path.basename(f).startswith("bad") for f in files):
    if len(files) > 1:
        os.abort()
    sys.exit(1)
for f in files:
    stem = os.path.splitext(os.path.basename(f))[0]
    with open(os.path.join(outdir, stem + ".pdf"), "wb") as fh:
        fh.write(b"%PDF-fake " + stem.encode())
"""


@pytest.fixture
def fake_soffice(tmp_path, monkeypatch):
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    exe = bin_ / "soffice"
    exe.write_text(FAKE.format(python=sys.executable))
    exe.chmod(0o755)
    log = tmp_path / "launches.log"
    log.touch()
    monkeypatch.setenv("PATH", str(bin_))
    monkeypatch.setenv("FAKE_LOG", str(log))
    # The process-wide converter remembers its soffice: one made with the fake must not outlive the test.
    monkeypatch.setattr(pdf_mod, "_SHARED", None)
    return log


def _docs(tmp_path, *names):
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    paths = []
    for name in names:
        (folder / f"{name}.docx").write_bytes(b"not read by the fake")
        paths.append(folder / f"{name}.docx")
    return paths


def test_many_documents_one_launch(tmp_path, fake_soffice):
    docs = _docs(tmp_path, "a", "b", "c")
    with pdf_mod.Converter() as conv:
        made = conv.convert(docs)
        assert conv.launches == 1
    assert {d.name: made[d].read_bytes() for d in docs} == {
        "a.docx": b"%PDF-fake a", "b.docx": b"%PDF-fake b", "c.docx": b"%PDF-fake c"}
    assert fake_soffice.read_text().split()[1::2] == ["3"]


def test_a_crash_is_retried_one_document_per_launch(tmp_path, fake_soffice):
    docs = _docs(tmp_path, "a", "bad", "c")
    with pdf_mod.Converter() as conv:
        made = conv.convert(docs)
        assert conv.launches == 4  # all three (crash), then each alone
    assert made[docs[0]].read_bytes() == b"%PDF-fake a" and made[docs[2]].read_bytes() == b"%PDF-fake c"
    error = made[docs[1]]
    assert isinstance(error, DocgenError)
    assert str(error.problems[0]) == f"{docs[1]}: LibreOffice không xuất được PDF (mã thoát 1)"
    assert not (tmp_path / "in" / "bad.pdf").exists()


def test_same_stem_in_two_folders_two_launches(tmp_path, fake_soffice):
    a = _docs(tmp_path, "x")[0]
    other = tmp_path / "other"
    other.mkdir()
    b = other / "x.docx"
    b.write_bytes(b"")
    with pdf_mod.Converter() as conv:
        made = conv.convert([a, b])
        assert conv.launches == 2  # LibreOffice names outputs by stem: one launch cannot take both
    assert made[a] == a.with_suffix(".pdf") and made[b] == b.with_suffix(".pdf")


def test_a_hang_is_killed_after_its_time(tmp_path, fake_soffice, monkeypatch):
    monkeypatch.setenv("FAKE_SOFFICE", "hang")
    doc = _docs(tmp_path, "a")[0]
    start = time.monotonic()
    with pdf_mod.Converter(per_document=0.5, start=1) as conv:
        with pytest.raises(DocgenError) as exc:
            conv.to_pdf(doc)
    assert time.monotonic() - start < 30
    assert str(exc.value.problems[0]) == f"{doc}: LibreOffice không xuất xong PDF sau 1 giây"
    pid = int(fake_soffice.read_text().split()[0])
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_profile_removed_on_close(tmp_path, fake_soffice):
    conv = pdf_mod.Converter(workdir=tmp_path)
    conv.to_pdf(_docs(tmp_path, "a")[0])
    assert conv.home.parent == tmp_path and conv.home.exists()
    conv.close()
    assert not conv.home.exists()


@pytest.mark.parametrize("args", [
    ["render", str(PLAN), "-o", "{tmp}/o.docx", "--pdf"],
    ["build", "{tmp}/data", "-o", "{tmp}/out", "--pdf"],
    ["batch", str(PLAN), "--units", str(UNITS), "-o", "{tmp}/out", "--pdf"],
])
def test_every_command_says_libreoffice_is_missing(tmp_path, monkeypatch, args):
    copy_data(tmp_path / "data")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = CliRunner().invoke(main, [a.format(tmp=tmp_path) for a in args])
    assert result.exit_code == 1, result.output
    assert "không tìm thấy LibreOffice (lệnh soffice) để xuất PDF; cài gói libreoffice-writer-nogui" in result.stderr
    assert result.stderr.startswith("Lỗi: ") and "Traceback" not in result.stderr
    assert not list(tmp_path.glob("**/*.pdf"))
    if args[0] == "batch":
        assert not (tmp_path / "out").exists()  # checked before any document is written


def test_symlink_at_pdf_path_is_replaced_not_followed(tmp_path, fake_soffice):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    out = tmp_path / "o.docx"
    (tmp_path / "o.pdf").symlink_to(victim)
    result = CliRunner().invoke(main, ["render", str(PLAN), "-o", str(out), "--pdf"])
    assert result.exit_code == 0, result.output
    assert victim.read_text() == "keep me"
    assert not (tmp_path / "o.pdf").is_symlink()
    assert (tmp_path / "o.pdf").read_bytes() == b"%PDF-fake o"


@pytest.fixture(scope="module")
def real_soffice():
    assert shutil.which("soffice"), "LibreOffice (soffice) is required: .ci/run installs it"


def _pdftext(path):
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_batch_pdf_with_libreoffice(tmp_path, real_soffice):
    """Real LibreOffice: every unit's PDF, one launch per worker, a symlink at a PDF path left alone."""
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    out = tmp_path / "out"
    out.mkdir()
    (out / "thanh_tra.pdf").symlink_to(victim)
    result = CliRunner().invoke(main, ["batch", str(PLAN), "--units", str(UNITS), "-o", str(out), "-j", "1",
                                       "--pdf"])
    assert result.exit_code == 0, result.output
    assert victim.read_text() == "keep me"
    texts = {p.stem: _pdftext(p) for p in out.glob("*.pdf")}
    assert sorted(texts) == ["phong_chinh_sach", "thanh_tra", "van_phong"]
    assert "THANH TRA BAN" in texts["thanh_tra"] and "VĂN PHÒNG" in texts["van_phong"]
    assert not (out / "thanh_tra.pdf").is_symlink()


def test_pdf_bytes_for_previews(tmp_path, real_soffice):
    from docgen.core import render_bytes

    with pdf_mod.Converter(workdir=tmp_path) as conv:
        data = conv.pdf_bytes(render_bytes(PLAN), "xem_truoc")
        left = [p for p in conv.home.rglob("*") if p.suffix in (".docx", ".pdf") or p.name.startswith("out-")]
        assert left == []  # nothing of the conversion left behind
    assert data.startswith(b"%PDF")
    (tmp_path / "x.pdf").write_bytes(data)
    assert "KẾ HOẠCH" in _pdftext(tmp_path / "x.pdf")
