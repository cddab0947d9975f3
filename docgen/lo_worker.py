"""A LibreOffice that stays up: run by the Python that has LibreOffice's ``uno`` module.

Not imported by docgen. :class:`docgen.pdf.Converter` (``stay_up=True``) starts this file as a script
with the Python LibreOffice ships with (Debian: ``/usr/bin/python3`` with the ``python3-uno`` package),
in a process group of its own:

    python3 -I lo_worker.py SOFFICE PROFILE_URI PIPE_NAME START_SECONDS

It starts LibreOffice listening on a private pipe, connects through UNO, prints ``{"san_sang": true}``
and then converts one document per input line ``{"docx": path, "pdf": path}``, answering each with
``{"ok": true}`` or ``{"ok": false, "loi": "..."}``. The standard library and ``uno`` only: the
interpreter is not docgen's. A lost connection ends the worker (exit 3) and the converter starts
another; the end of input closes LibreOffice.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time

import uno  # type: ignore[import-not-found]  # LibreOffice's Python bridge (python3-uno)
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

LOST = 3  # exit status: LibreOffice went away; the converter starts a new worker


def _prop(name: str, value: object) -> PropertyValue:
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def _say(message: dict) -> None:
    sys.stdout.write(json.dumps(message, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _connect(pipe: str, soffice: subprocess.Popen, seconds: float):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + seconds
    while True:
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        except Exception:  # noqa: BLE001 - NoConnectException until LibreOffice listens
            if soffice.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _convert(desktop, docx: str, pdf: str) -> None:
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(docx), "_blank", 0,
                                       (_prop("Hidden", True), _prop("ReadOnly", True)))
    if doc is None:
        raise ValueError("không mở được tệp")
    try:
        doc.storeToURL(uno.systemPathToFileUrl(pdf), (_prop("FilterName", "writer_pdf_Export"),))
    finally:
        doc.close(True)


def main(argv: list[str]) -> int:
    exe, profile, pipe, start = argv[1], argv[2], argv[3], float(argv[4])
    soffice = subprocess.Popen(
        [exe, f"-env:UserInstallation={profile}", "--headless", "--invisible", "--norestore", "--nolockcheck",
         "--nodefault", f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        try:
            desktop = _connect(pipe, soffice, start)
        except Exception:  # noqa: BLE001
            _say({"san_sang": False})
            return LOST
        _say({"san_sang": True})
        for line in sys.stdin:
            job = json.loads(line)
            try:
                _convert(desktop, job["docx"], job["pdf"])
            except Exception as exc:  # noqa: BLE001 - one document's failure is its own
                if soffice.poll() is not None or type(exc).__name__ in ("DisposedException", "RuntimeException"):
                    _say({"ok": False, "mat_ket_noi": True})
                    return LOST
                _say({"ok": False})
                continue
            _say({"ok": True})
        try:
            desktop.terminate()
        except Exception:  # noqa: BLE001, S110 - already gone
            pass
        return 0
    finally:
        try:
            soffice.wait(timeout=10)
        except subprocess.TimeoutExpired:
            soffice.kill()
            soffice.wait()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
