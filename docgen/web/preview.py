"""Page images of a source, made in the background: render → PDF (LibreOffice) → PNG (pdftoppm).

One worker thread does every conversion with the app's own ``pdf.Converter`` (its
LibreOffice profile stays warm between previews), so at most one LibreOffice runs for the app,
and a request only ever queues a job and returns. A file saved again while its job
waits is converted once, from its newest version.
"""
from __future__ import annotations

import dataclasses
import hashlib
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DocgenError

WAITING, WORKING, DONE, FAILED = "cho", "dang_tao", "xong", "loi"


@dataclass
class State:
    trang_thai: str = WAITING
    phien_ban: str = ""
    so_trang: int = 0
    loi: list[str] = field(default_factory=list)
    kiem_tra: list[dict[str, str]] = field(default_factory=list)
    giay: float = 0.0  # seconds the last conversion took
    dir: Path | None = None

    def public(self) -> dict[str, Any]:
        return {"trang_thai": self.trang_thai, "phien_ban": self.phien_ban, "so_trang": self.so_trang,
                "loi": self.loi, "kiem_tra": self.kiem_tra, "giay": round(self.giay, 2)}


class Previewer:
    def __init__(self, workspace, cache: Path | None = None) -> None:
        self.ws = workspace
        self.cache = Path(cache or tempfile.mkdtemp(prefix="docgen-xem-truoc-"))
        self.states: dict[str, State] = {}
        self._queue: list[str] = []
        self._cv = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stop = False
        self._converter: Any = None  # pdf.Converter once the first preview needs it

    def request(self, rel: str) -> State:
        """Queue a conversion of ``rel`` (its current version) unless one is already waiting."""
        with self._cv:
            state = self.states.setdefault(rel, State())
            if rel not in self._queue:
                self._queue.append(rel)
            if state.trang_thai != WORKING:
                state.trang_thai = WAITING
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="docgen-xem-truoc", daemon=True)
                self._thread.start()
            self._cv.notify()
            return state

    def state(self, rel: str) -> State | None:
        with self._cv:
            return self.states.get(rel)

    def page(self, rel: str, number: int) -> Path | None:
        state = self.state(rel)
        if state is None or state.dir is None or not 1 <= number <= state.so_trang:
            return None
        return state.dir / f"trang-{number}.png"

    def pdf(self, rel: str) -> Path | None:
        state = self.state(rel)
        return state.dir / "van_ban.pdf" if state and state.dir and state.trang_thai == DONE else None

    def close(self) -> None:
        with self._cv:
            self._stop = True
            self._cv.notify_all()
            converter = self._converter
        if converter is not None:  # stops a conversion under way too: its LibreOffice is not started again
            converter.close()
        if self._thread is not None:
            self._thread.join(timeout=30)
        shutil.rmtree(self.cache, ignore_errors=True)

    # ---- the worker ----
    def _run(self) -> None:
        while True:
            with self._cv:
                while not self._queue and not self._stop:
                    self._cv.wait()
                if self._stop:
                    return
                rel = self._queue.pop(0)
                state = self.states[rel]
                state.trang_thai = WORKING
            started = time.perf_counter()
            try:
                result = self._convert(rel)
            except DocgenError as exc:
                result = {"trang_thai": FAILED, "loi": [self.ws.message(p)["dong_lenh"] for p in exc.problems]}
            except Exception as exc:  # noqa: BLE001 - a preview failure is shown, never kills the worker
                result = {"trang_thai": FAILED, "loi": [f"Lỗi: không tạo được bản xem trước ({exc})"]}
            with self._cv:
                if rel in self._queue:  # saved again meanwhile: that job follows
                    result["trang_thai"] = WAITING if result["trang_thai"] == DONE else result["trang_thai"]
                for key, value in result.items():
                    setattr(state, key, value)
                state.giay = time.perf_counter() - started

    def _convert(self, rel: str) -> dict[str, Any]:
        from ..api import check
        from ..core import render_bytes
        from ..pdf import Converter, soffice
        from .store import version_of

        path, raw = self.ws.read(rel)
        version = version_of(raw)
        out = self.cache / hashlib.sha256(f"{rel}\0{version}".encode()).hexdigest()[:16]
        if out.exists():
            shutil.rmtree(out)
        out.mkdir(parents=True)
        docx = out / "van_ban.docx"
        docx.write_bytes(render_bytes(path))
        if soffice() is None:
            raise DocgenError("không tìm thấy LibreOffice (lệnh soffice) để tạo bản xem trước; cài gói "
                              "libreoffice-writer-nogui")
        with self._cv:
            if self._stop:
                raise DocgenError("đang dừng: không tạo bản xem trước")
            if self._converter is None:  # the app's own LibreOffice, kept up between previews
                self._converter = Converter(stay_up=True)
            converter = self._converter
        converter.to_pdf(docx, out)
        pdftoppm = shutil.which("pdftoppm")
        if pdftoppm is None:
            raise DocgenError("không tìm thấy pdftoppm (gói poppler-utils) để tạo ảnh trang")
        subprocess.run([pdftoppm, "-png", "-r", "60", str(out / "van_ban.pdf"), str(out / "p")], check=True,
                       capture_output=True, timeout=120)
        pages = sorted(out.glob("p-*.png"), key=lambda p: int(p.stem.split("-")[-1]))
        for i, page in enumerate(pages, 1):
            page.rename(out / f"trang-{i}.png")
        findings = [dataclasses.asdict(f) for f in check(docx)]
        with self._cv:
            old = self.states[rel].dir
        if old and old != out:
            shutil.rmtree(old, ignore_errors=True)
        return {"trang_thai": DONE, "phien_ban": version, "so_trang": len(pages), "loi": [], "kiem_tra": findings,
                "dir": out}
