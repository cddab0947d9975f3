"""A LibreOffice that stays up between conversions (the web preview's converter): through
LibreOffice's UNO bridge, restarted when it dies, killed when it hangs, launches when it cannot start."""
import os
import subprocess
import sys
import threading
import time

import pytest

from docgen import pdf as pdf_mod
from docgen.core import render_bytes
from docgen.errors import DocgenError

from .util import PLAN

FAKE_WORKER = """
# A stand-in for lo_worker.py: FAKE_WORKER=nostart | slowstart | hang | die
import json, os, sys, time
mode = os.environ["FAKE_WORKER"]
with open(os.environ["FAKE_LOG"], "a") as log:
    log.write(f"{os.getpid()}\\n")
if mode == "slowstart":  # writes its profile while it starts, as LibreOffice does
    for i in range(15):
        os.makedirs(os.path.join(os.environ["HOME"], "profile"), exist_ok=True)
        open(os.path.join(os.environ["HOME"], "profile", f"{i}.xcu"), "w").close()
        time.sleep(0.1)
print(json.dumps({"san_sang": mode != "nostart"}), flush=True)
for line in sys.stdin:
    job = json.loads(line)
    if mode == "hang":
        time.sleep(600)
    if mode == "die":
        sys.exit(3)
"""


@pytest.fixture
def fake_worker(tmp_path, monkeypatch):
    script = tmp_path / "fake_worker.py"
    script.write_text(FAKE_WORKER)
    log = tmp_path / "workers.log"
    log.touch()
    monkeypatch.setattr(pdf_mod, "WORKER", script)
    monkeypatch.setattr(pdf_mod, "uno_python", lambda: sys.executable)
    monkeypatch.setenv("FAKE_LOG", str(log))
    return log


def _doc(tmp_path, name="a"):
    path = tmp_path / f"{name}.docx"
    path.write_bytes(render_bytes(PLAN))
    return path


def _pdftext(path):
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _gone(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.fixture(scope="module")
def uno():
    pdf_mod.uno_python.cache_clear()
    assert pdf_mod.uno_python(), "LibreOffice's Python bridge (Debian python3-uno) is required: .ci/run installs it"


def test_one_libreoffice_for_many_calls(tmp_path, uno):
    docs = [_doc(tmp_path, n) for n in ("a", "b", "c")]
    with pdf_mod.Converter(workdir=tmp_path, stay_up=True) as conv:
        first = conv.convert(docs[:1])
        rest = conv.convert(docs[1:])
        data = conv.pdf_bytes(docs[0].read_bytes(), "xem_truoc")
        assert conv.launches == 1  # three calls, one LibreOffice
        worker = conv._worker.pid
    assert _gone(worker)  # closed with the converter, its LibreOffice with it
    for made in [*first.values(), *rest.values()]:
        assert "KẾ HOẠCH" in _pdftext(made)
    assert data.startswith(b"%PDF")
    assert not list(tmp_path.glob("docgen-lo-*"))  # profile removed


def test_a_libreoffice_killed_between_calls_is_started_again(tmp_path, uno):
    a, b = _doc(tmp_path, "a"), _doc(tmp_path, "b")
    with pdf_mod.Converter(workdir=tmp_path, stay_up=True) as conv:
        conv.to_pdf(a)
        os.killpg(conv._worker.pid, 9)  # LibreOffice and its worker gone, as after a crash
        time.sleep(0.2)
        made = conv.to_pdf(b)
        assert conv.launches == 2
    assert "KẾ HOẠCH" in _pdftext(made)


def test_a_hang_is_killed_and_fails_alone(tmp_path, fake_worker, monkeypatch):
    monkeypatch.setenv("FAKE_WORKER", "hang")
    doc = _doc(tmp_path)
    start = time.monotonic()
    with pdf_mod.Converter(workdir=tmp_path, stay_up=True, per_document=0.5) as conv:
        with pytest.raises(DocgenError) as exc:
            conv.to_pdf(doc)
    assert time.monotonic() - start < 30
    assert str(exc.value.problems[0]) == f"{doc}: LibreOffice không xuất xong PDF sau 1 giây"
    assert _gone(int(fake_worker.read_text().split()[0]))


def test_a_document_that_kills_libreoffice_twice_fails_alone(tmp_path, fake_worker, monkeypatch):
    monkeypatch.setenv("FAKE_WORKER", "die")
    doc = _doc(tmp_path)
    with pdf_mod.Converter(workdir=tmp_path, stay_up=True) as conv:
        with pytest.raises(DocgenError) as exc:
            conv.to_pdf(doc)
        assert conv.launches == 2  # one fresh try
    assert str(exc.value.problems[0]) == f"{doc}: LibreOffice dừng đột ngột khi xuất PDF tệp này"


def test_no_worker_means_launches(tmp_path, fake_worker, monkeypatch):
    """The bridge cannot start (or python3-uno is missing): LibreOffice is launched as for batch."""
    monkeypatch.setenv("FAKE_WORKER", "nostart")
    docs = [_doc(tmp_path, "a"), _doc(tmp_path, "b")]
    with pdf_mod.Converter(workdir=tmp_path, stay_up=True) as conv:
        made = conv.convert(docs[:1])
        made.update(conv.convert(docs[1:]))
        tries = len(fake_worker.read_text().split())
    assert tries == 2  # two failed starts, then launches only
    assert all("KẾ HOẠCH" in _pdftext(made[d]) for d in docs)


def test_uno_python_can_be_switched_off(monkeypatch):
    monkeypatch.setenv("DOCGEN_UNO_PYTHON", "")
    pdf_mod.uno_python.cache_clear()
    try:
        assert pdf_mod.uno_python() is None
    finally:
        monkeypatch.delenv("DOCGEN_UNO_PYTHON")
        pdf_mod.uno_python.cache_clear()


def test_closed_while_its_libreoffice_starts_leaves_nothing_running(tmp_path, fake_worker, monkeypatch):
    """The web app shuts down while a preview's LibreOffice is still starting: it must not outlive the app."""
    monkeypatch.setenv("FAKE_WORKER", "slowstart")
    doc = _doc(tmp_path)
    conv = pdf_mod.Converter(workdir=tmp_path, stay_up=True)
    results = {}
    thread = threading.Thread(target=lambda: results.update(conv.convert([doc])))
    thread.start()
    deadline = time.monotonic() + 20
    while not fake_worker.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    conv.close()
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert str(results[doc].problems[0]) == f"{doc}: {pdf_mod.CLOSED}"
    pid = int(fake_worker.read_text().split()[0])
    time.sleep(0.5)
    assert _gone(pid)
    assert not conv.home.exists()  # killed before its folder was removed: nothing writes it again
