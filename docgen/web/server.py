"""Start the web app with uvicorn (the ``docgen serve`` command)."""
from __future__ import annotations

from pathlib import Path

import click

from ..errors import DocgenError, Problem
from .app import create_app, is_local

SHUTDOWN_SECONDS = 5  # open browser connections are closed after this at Ctrl-C; previews then stop


def serve(directory: Path | str, host: str = "127.0.0.1", port: int = 8000, password: str | None = None) -> None:
    if not is_local(host) and not password:
        raise DocgenError(Problem(f"nghe trên địa chỉ {host} (máy khác trong mạng mở được) cần mật khẩu: thêm "
                                  "--mat-khau hoặc đặt biến môi trường DOCGEN_MAT_KHAU"))
    if password is not None and not password.strip():
        raise DocgenError(Problem("mật khẩu không được để trống"))
    import uvicorn

    local = ("127.0.0.1", "localhost", "[::1]") if is_local(host) else None
    app = create_app(directory, password if password else None, hosts=local)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"docgen đang chạy: mở http://{shown}:{port} trong trình duyệt (thư mục {app.state.ws.root}).")
    click.echo("Dừng: bấm Ctrl+C.")
    # a browser tab keeps its connection open: without a bound, Ctrl-C would wait for the tab to close
    uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=SHUTDOWN_SECONDS)
