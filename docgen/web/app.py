"""``docgen serve``: the pages and the JSON API over one folder of sources.

Pages are server-side Jinja2 with a little plain JavaScript (``static/``); every
script and style is served by the app itself. The API calls the same library code
as the CLI: loading, validation and messages, the report's statistics, rollover, check.
"""
from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import hashlib
import hmac
import ipaddress
import json
import secrets
import tempfile
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from ..domain import TRANG_THAI, trang_thai_bang
from ..errors import DocgenError, Problem
from .outline import markers
from .preview import Previewer
from .store import NEW, Refused, Workspace, version_of

HERE = Path(__file__).resolve().parent
MAX_UPLOAD = 10 * 1024 * 1024  # Kiểm tra: the largest .docx accepted (10 MB)
MAX_JSON = 2 * 1024 * 1024  # a saved source is far smaller
COOKIE = "docgen_phien"
PUBLIC = ("/dang-nhap",)


def is_local(host: str) -> bool:
    """Only the loopback address the app binds by default counts as private to this computer."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host) in (ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1"))
    except ValueError:
        return False


def _error(message: str, status: int = 400, **extra: Any) -> JSONResponse:
    return JSONResponse({"thong_bao": message, **extra}, status_code=status)


def create_app(directory: Path | str, password: str | None = None, cache: Path | None = None,
               hosts: tuple[str, ...] | None = None) -> FastAPI:
    """The app over ``directory``; with ``password`` every request needs it (a login page sets a cookie).

    ``hosts``: the only names the browser may call the app by (``Host`` header), against DNS rebinding when it
    listens on this computer only. A request that changes something must come from the app's own pages (its
    ``Origin``, when sent, is the app) and JSON must say so (a cross-site form cannot send it).
    """
    ws = Workspace(directory)
    previews = Previewer(ws, cache)
    @contextlib.asynccontextmanager
    async def lifespan(_app):
        yield
        previews.close()

    app = FastAPI(title="docgen", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.ws, app.state.previews = ws, previews
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    secret = secrets.token_bytes(32)
    token = hmac.new(secret, (password or "").encode(), hashlib.sha256).hexdigest()

    @app.middleware("http")
    async def same_origin(request: Request, call_next):
        host = request.headers.get("host", "")
        if hosts is not None and host.rsplit(":", 1)[0] not in hosts:
            return _error("Địa chỉ không hợp lệ: mở docgen bằng http://127.0.0.1:<cổng>.", 400)
        origin = request.headers.get("origin")
        if request.method not in ("GET", "HEAD") and origin and origin.split("://", 1)[-1] != host:
            return _error("Yêu cầu từ trang khác bị từ chối.", 403)
        return await call_next(request)

    # ---- the password wall ----
    @app.middleware("http")
    async def wall(request: Request, call_next):
        if password is None or request.url.path in PUBLIC:
            return await call_next(request)
        if hmac.compare_digest(request.cookies.get(COOKIE, ""), token):
            return await call_next(request)
        if request.url.path.startswith("/api/"):
            return _error("Cần đăng nhập (mật khẩu) để dùng docgen qua mạng.", 401)
        return RedirectResponse("/dang-nhap", status_code=303)

    @app.exception_handler(Refused)
    async def refused(_: Request, exc: Refused):
        return _error(exc.message, exc.status)

    @app.get("/dang-nhap", response_class=HTMLResponse)
    async def login_page(request: Request):
        return templates.TemplateResponse(request, "dang_nhap.html", {"loi": None, "can": password is not None})

    @app.post("/dang-nhap")
    async def login(request: Request):
        form = await request.form()
        given = str(form.get("mat_khau", ""))
        if password is not None and hmac.compare_digest(given.encode(), password.encode()):
            response = RedirectResponse("/", status_code=303)
            response.set_cookie(COOKIE, token, httponly=True, samesite="strict")
            return response
        return templates.TemplateResponse(request, "dang_nhap.html", {"loi": "Mật khẩu không đúng.", "can": True},
                                          status_code=401)

    # ---- pages ----
    def page(name: str, title: str):
        async def handler(request: Request):
            return templates.TemplateResponse(request, f"{name}.html", {"trang": name, "tieu_de": title,
                                                                        "thu_muc": str(ws.root),
                                                                        "gioi_han": MAX_UPLOAD // (1024 * 1024)})
        return handler

    for route, name, title in (("/", "van_ban", "Văn bản"), ("/ke-hoach", "ke_hoach", "Kế hoạch"),
                               ("/bao-cao", "bao_cao", "Báo cáo"), ("/xem-truoc", "xem_truoc", "Xem trước"),
                               ("/kiem-tra", "kiem_tra", "Kiểm tra"), ("/nam-sau", "nam_sau", "Năm sau")):
        app.add_api_route(route, page(name, title), methods=["GET"], response_class=HTMLResponse)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    # ---- API ----
    async def body(request: Request) -> dict[str, Any]:
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            raise Refused("dữ liệu gửi lên phải là JSON (Content-Type: application/json)", 415)
        raw = await _read_limited(request, MAX_JSON)
        try:
            data = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise Refused("dữ liệu gửi lên không phải JSON") from None
        if not isinstance(data, dict):
            raise Refused("dữ liệu gửi lên phải là một đối tượng JSON")
        return data

    def problems(exc: DocgenError) -> list[dict[str, Any]]:
        return [ws.message(p) for p in exc.problems]

    @app.get("/api/van-ban")
    def listing():
        return {"thu_muc": str(ws.root), "van_ban": ws.listing()}

    @app.get("/api/tep")
    def read(tep: str):
        from ..loader import load_text

        path, raw = ws.read(tep)
        try:
            source = load_text(raw.decode("utf-8-sig"), path)
        except DocgenError as exc:
            return _error("Tệp có lỗi cú pháp, chưa mở được bằng biểu mẫu: sửa tệp bằng trình soạn thảo.", 422,
                          loi=problems(exc))
        except UnicodeDecodeError:
            return _error("tệp không phải văn bản UTF-8", 422)
        return {"tep": tep, "phien_ban": version_of(raw), "du_lieu": source.data}

    @app.post("/api/luu")
    async def save(request: Request):
        data = await body(request)
        tep, du_lieu, phien_ban = data.get("tep"), data.get("du_lieu"), data.get("phien_ban")
        if not isinstance(tep, str) or not isinstance(du_lieu, dict) or not isinstance(phien_ban, str):
            raise Refused("cần 'tep', 'du_lieu' và 'phien_ban'")
        try:
            saved = await asyncio.to_thread(ws.save, tep, du_lieu, phien_ban)
        except DocgenError as exc:
            return _error("Chưa lưu: dữ liệu có lỗi (xem từng ô được đánh dấu).", 422, loi=problems(exc))
        previews.request(ws.rel(ws.path(tep)))
        note = {"git": "bản trước đã ghi vào git", "": "tệp mới"}.get(saved.backup, f"bản trước: {saved.backup}")
        return {"phien_ban": saved.version, "thong_bao": f"Đã lưu {tep} ({note}).", "ban_truoc": saved.backup}

    @app.post("/api/ke-hoach/danh-so")
    async def numbering(request: Request):
        data = await body(request)
        return {"so": markers(data.get("noi_dung"))}

    @app.post("/api/bao-cao/thong-ke")
    async def statistics(request: Request):
        data = await body(request)
        tep, tien_do = data.get("tep"), data.get("tien_do")
        if not isinstance(tep, str) or not isinstance(tien_do, dict):
            raise Refused("cần 'tep' và 'tien_do'")
        try:
            return await asyncio.to_thread(_statistics, ws, tep, tien_do)
        except DocgenError as exc:
            return _error("Chưa tính được số liệu: dữ liệu có lỗi.", 422, loi=problems(exc))

    @app.post("/api/bao-cao/moi")
    async def new_report(request: Request):
        data = await body(request)
        try:
            made = await asyncio.to_thread(_new_report, ws, data)
        except DocgenError as exc:
            return _error("Chưa tạo được báo cáo.", 422, loi=problems(exc))
        return {"tep": made, "thong_bao": f"Đã tạo {made}."}

    @app.get("/api/tai")
    async def download(tep: str, dang: str = "docx"):
        from ..core import render_bytes

        if dang == "goc":  # the source file itself, unit lists in .csv/.xlsx included
            from .store import SOURCES

            path = ws.path(tep, SOURCES)
            if not path.is_file():
                raise Refused("không tìm thấy tệp", 404)
            return Response(path.read_bytes(), media_type="application/octet-stream", headers=_attachment(path.name))
        path, raw = ws.read(tep)
        name = Path(tep).stem
        if dang == "yaml":
            return Response(raw, media_type="application/yaml", headers=_attachment(f"{name}.yaml"))
        if dang == "docx":
            try:
                data = await asyncio.to_thread(render_bytes, path)
            except DocgenError as exc:
                return _error("Chưa tạo được văn bản: tệp nguồn có lỗi.", 422, loi=problems(exc))
            return Response(data, headers=_attachment(f"{name}.docx"),
                            media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        if dang == "pdf":
            state = previews.state(ws.rel(path))
            pdf = previews.pdf(ws.rel(path))
            if pdf is not None and state is not None and state.phien_ban == version_of(raw) and pdf.exists():
                return FileResponse(pdf, media_type="application/pdf", filename=f"{name}.pdf")
            state = previews.request(ws.rel(path))
            if state.trang_thai == "loi":
                return _error("Chưa tạo được PDF.", 422, loi=[{"dong_lenh": line} for line in state.loi])
            return _error("Đang tạo PDF (LibreOffice), thử lại sau vài giây.", 202)
        raise Refused("dạng tải về phải là docx, pdf, yaml hoặc goc")

    @app.post("/api/xem-truoc")
    async def preview_request(request: Request):
        data = await body(request)
        tep = data.get("tep")
        if not isinstance(tep, str):
            raise Refused("cần 'tep'")
        ws.read(tep)
        return previews.request(ws.rel(ws.path(tep))).public()

    @app.get("/api/xem-truoc")
    def preview_state(tep: str):
        path, raw = ws.read(tep)
        state = previews.state(ws.rel(path))
        if state is None:
            return {"trang_thai": "chua_co", "phien_ban": "", "so_trang": 0, "loi": [], "kiem_tra": [],
                    "phien_ban_tep": version_of(raw)}
        return {**state.public(), "phien_ban_tep": version_of(raw)}

    @app.get("/api/xem-truoc/trang")
    def preview_page(tep: str, so: int):
        path = ws.path(tep)
        png = previews.page(ws.rel(path), so)
        if png is None or not png.exists():
            raise Refused("chưa có trang này", 404)
        return FileResponse(png, media_type="image/png", headers={"Cache-Control": "no-store"})

    @app.post("/api/kiem-tra")
    async def check_upload(request: Request):
        return await _check_upload(request)

    @app.post("/api/nam-sau")
    async def rollover(request: Request):
        data = await body(request)
        try:
            return await asyncio.to_thread(_rollover, ws, data)
        except DocgenError as exc:
            return _error("Chưa soạn được kế hoạch năm sau.", 422, loi=problems(exc))

    return app


def _attachment(name: str) -> dict[str, str]:
    from urllib.parse import quote

    return {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"}


async def _read_limited(request: Request, limit: int) -> bytes:
    """The request body, refused (413) as soon as it is longer than ``limit``: never held whole beyond it."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise Refused(f"dữ liệu quá lớn (giới hạn {limit // (1024 * 1024)} MB)", 413)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise Refused(f"dữ liệu quá lớn (giới hạn {limit // (1024 * 1024)} MB)", 413)
        chunks.append(chunk)
    return b"".join(chunks)


async def _check_upload(request: Request) -> JSONResponse:
    """Kiểm tra: the raw .docx is the request body (the page sends the dropped file as is)."""
    from urllib.parse import unquote

    from ..api import check

    name = unquote(request.headers.get("x-ten-tep", "van_ban.docx"))  # the page sends it URI-encoded
    if not name.lower().endswith(".docx"):
        raise Refused("chỉ kiểm tra tệp Word .docx (tệp .doc, .pdf… cần lưu lại thành .docx trước)", 415)
    raw = await _read_limited(request, MAX_UPLOAD)
    if not raw.startswith(b"PK\x03\x04"):
        raise Refused("tệp không phải .docx (không phải tệp nén của Word)", 415)
    with tempfile.TemporaryDirectory(prefix="docgen-kiem-tra-") as tmp:
        path = Path(tmp) / "van_ban.docx"
        path.write_bytes(raw)
        try:
            findings = await asyncio.to_thread(check, path)
        except DocgenError as exc:
            return _error("Không đọc được tệp.", 422, loi=[{"dong_lenh": f"Lỗi: {name}: {p.message}"}
                                                           for p in exc.problems])
    rows = [dataclasses.asdict(f) for f in findings]
    counts = {s: sum(f["trang_thai"] == s for f in rows) for s in ("ĐẠT", "KHÔNG ĐẠT", "KHÔNG ĐÁNH GIÁ")}
    return JSONResponse({"tep": name, "ket_qua": rows, "dem": counts})


def _statistics(ws: Workspace, tep: str, tien_do: dict[str, Any]) -> dict[str, Any]:
    """The report's rows and counts for a progress being typed: the report's own code (report.compute)."""
    from .. import reporting as report
    from ..loader import load_text
    from .yamledit import _clean

    path, raw = ws.read(tep)
    source = load_text(raw.decode("utf-8-sig"), path)
    if not isinstance(source.data, dict) or source.data.get("loai") != "bao_cao":
        raise DocgenError(source.problem(("loai",), "tệp này không phải báo cáo (loai: bao_cao)"))
    source.data = {**source.data, "tien_do": _clean(tien_do) or {}}
    r = report.compute(report.load_sources(source))
    s = r.stats
    rows = [{"stt": row.stt, "id": row.id, "ten": row.ten, "linh_vuc": row.linh_vuc, "chu_tri": row.chu_tri,
             "thoi_han": row.han.mo_ta(), "trang_thai": row.trang_thai, "ket_qua": row.ket_qua or "",
             "cham": row.cham} for row in r.rows]
    return {"ky": report.ky_label(r.report.ky, r.plan.nam), "ke_hoach": r.report.ke_hoach, "dong": rows,
            "thong_ke": {"den_han": s.den_han, "hoan_thanh": s.hoan_thanh, "dang_thuc_hien": s.dang_thuc_hien,
                         "chua_thuc_hien": s.chua_thuc_hien, "cham": s.cham, "ty_le": s.ty_le},
            "trang_thai": {code: trang_thai_bang(code) for code in TRANG_THAI}}


KY_ORDER = ("quy_1", "6_thang", "9_thang", "nam")


def _new_report(ws: Workspace, data: dict[str, Any]) -> str:
    """A report for another period of a plan: the latest earlier report of that plan carried over (its comments,
    recipients, signer and progress so far), or a bare one taking its recipients from the plan."""
    import os

    from ..loader import load_text
    from ..validate import load_plan

    plan_rel, ky, tep = data.get("ke_hoach"), data.get("ky"), data.get("tep")
    if not isinstance(plan_rel, str) or ky not in KY_ORDER or not isinstance(tep, str):
        raise Refused("chọn kế hoạch, kỳ báo cáo và tên tệp")
    plan_path, out = ws.path(plan_rel), ws.path(tep)
    if out.exists():
        raise Refused(f"tệp {tep} đã có: mở nó ở trang Báo cáo, hoặc chọn tên khác", 409)
    plan_source, plan = load_plan(plan_path)
    earlier: list[tuple[int, Path, dict]] = []
    for entry in ws.listing():
        if entry["loai"] != "bao_cao" or entry["loi"]:
            continue
        path = ws.path(entry["tep"])
        source = load_text(path.read_bytes().decode("utf-8-sig"), path)
        same_plan = (path.parent / str(source.data.get("ke_hoach"))).resolve() == plan_path
        if same_plan and source.data.get("ky") in KY_ORDER:
            order = KY_ORDER.index(source.data["ky"])
            earlier.append((order if order < KY_ORDER.index(ky) else order - len(KY_ORDER), path, source.data))
    link = Path(os.path.relpath(plan_path, out.parent)).as_posix()
    if earlier:
        _, path, previous = max(earlier, key=lambda e: e[0])
        report = {**previous, "ke_hoach": link, "ky": ky, "so": None, "ngay_ban_hanh": None}
    else:
        report = {"loai": "bao_cao", "ke_hoach": link, "ky": ky, "so": None, "ngay_ban_hanh": None, "tien_do": {},
                  "noi_nhan": list(plan.noi_nhan), "luu": list(plan.luu)}
    if ky == "nam":  # a year report lists every task: those not yet recorded start as not done
        from ..schedule import deadlines

        tien_do = dict(report.get("tien_do") or {})
        for task_id in deadlines(plan_source, plan):
            tien_do.setdefault(task_id, {"trang_thai": "chua_thuc_hien"})
        report["tien_do"] = tien_do
    if earlier:
        ws.save(tep, report, NEW, base=path.read_bytes().decode("utf-8-sig"))
    else:
        ws.save(tep, report, NEW)
    return ws.rel(out)


def _rollover(ws: Workspace, data: dict[str, Any]) -> dict[str, Any]:
    from ..api import rollover
    from ..next_year import default_output
    from ..validate import load_plan

    tep, nam = data.get("tep"), str(data.get("nam", ""))
    if not isinstance(tep, str) or not nam.isdigit() or not 1981 <= int(nam) <= 2099:
        raise Refused("chọn kế hoạch và ghi năm mới (từ 1981 đến 2099)")
    plan_path = ws.path(tep)
    report_path = ws.path(data["bao_cao"]) if data.get("bao_cao") else None
    if data.get("ra"):
        out = ws.path(str(data["ra"]))
    else:
        _, plan = load_plan(plan_path)
        out = ws.path(ws.rel(default_output(plan_path, plan.nam, int(nam))))
    with ws.lock(out):
        force = bool(data.get("ghi_de"))
        if force and out.exists():
            from ..write import write_atomic

            write_atomic(out.with_name(out.name + ".bak"), out.read_bytes())
        result = rollover(plan_path, int(nam), from_report=report_path, out=out, force=force)
    path = result.path
    return {"tep": ws.rel(path),
            "thay_doi": [{"dong": c.line, "truong": c.path, "cu": c.old, "moi": c.new} for c in result.changes],
            "xem_lai": [{"dong": f.line, "truong": f.path, "ly_do": f.reason} for f in result.flags],
            "chuyen_tiep": result.carried, "giu_nguyen": len(result.kept)}


__all__ = ["create_app", "is_local", "MAX_UPLOAD", "NEW", "Problem"]
