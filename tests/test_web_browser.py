"""`docgen serve` in a real browser: Playwright driving Debian's chromium (headless, never downloaded).

Each scenario runs the app with uvicorn on a loopback address over a copy of data/, and
takes a screenshot of every page it visits (tests/screenshots/, looked at by a person).
"""
from __future__ import annotations

import contextlib
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from docgen.loader import load
from docgen.web.server import SHUTDOWN_SECONDS

from .util import ROOT, Doc

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "tests" / "screenshots"
PLAN = "ke_hoach_2023.yaml"

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="cần gói chromium của Debian (README, lệnh 2)")


def _free_port(host: str) -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def _server(folder: Path, host: str = "127.0.0.1", password: str | None = None):
    import uvicorn

    from docgen.web.app import create_app

    app = create_app(folder, password, cache=folder.parent / "cache")
    port = _free_port(host)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on",
                                           timeout_graceful_shutdown=SHUTDOWN_SECONDS))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)


@pytest.fixture
def folder(tmp_path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    return data


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True, locale="vi-VN")
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    context.close()
    assert errors == [], errors  # no JavaScript error on any page


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def _docx_text(path: Path) -> str:
    doc = Doc(path.read_bytes())
    return "\n".join("".join(t.text or "" for t in p.iter("{*}t")) for p in doc.paragraphs())


def test_change_a_deadline_save_and_download(page, folder):
    """Open the bundled plan, change a task's deadline, save; the YAML (comments intact) and the .docx have it."""
    with _server(folder) as url:
        page.goto(url + "/")
        page.wait_for_selector(f'tr[data-tep="{PLAN}"] .hop-le')
        shot(page, "van_ban")
        page.click(f'tr[data-tep="{PLAN}"] >> text=Mở')
        page.wait_for_selector('[data-so="noi_dung[1]"]:text("II.")')
        assert page.inner_text('[data-so="noi_dung[1].noi_dung[4].noi_dung[4]"]') == "đ)"
        shot(page, "ke_hoach")
        page.evaluate("window.scrollTo(0, document.getElementById('dan-y').getBoundingClientRect().top"
                      " + scrollY - 130)")
        shot(page, "ke_hoach_dan_y")
        field = page.locator('textarea[name="noi_dung[1].noi_dung[1].thoi_gian"]')
        field.scroll_into_view_if_needed()
        field.fill("Trước ngày 30/6/2023")
        shot(page, "ke_hoach_sua")
        page.click("#luu")
        page.wait_for_selector("#trang-thai-luu:has-text('Đã lưu')")
        text = (folder / PLAN).read_text(encoding="utf-8")
        assert "        thoi_gian: Trước ngày 30/6/2023\n" in text
        assert "# Nhãn các trường của nhiệm vụ, in đúng như kế hoạch" in text
        assert text.startswith("# yaml-language-server")
        with page.expect_download() as download:
            page.click("#tai-docx")
        saved = folder.parent / "tai_ve.docx"
        download.value.save_as(saved)
        assert "Thời gian thực hiện: Trước ngày 30/6/2023" in _docx_text(saved)


def test_new_plan_from_an_empty_form(page, folder):
    """Build a plan from nothing in the form until it saves, then download a valid .docx."""
    with _server(folder) as url:
        page.goto(url + "/ke-hoach?tep=ke_hoach_moi.yaml&moi=1")
        page.wait_for_selector("#bieu-mau:not([hidden])")
        page.click("#luu")  # empty: refused, every missing field marked
        page.wait_for_selector(".loi-o")
        assert not (folder / "ke_hoach_moi.yaml").exists()
        fill = {"co_quan.chu_quan": "UBND HUYỆN SƠN TỊNH", "co_quan.ten": "PHÒNG NỘI VỤ", "co_quan.viet_tat": "PNV",
                "dia_danh": "Sơn Tịnh", "ngay_ban_hanh": "10/01/2025", "nam": "2025",
                "trich_yeu": "Thực hiện công tác văn thư, lưu trữ năm 2025",
                "mo_dau.sau": "Phòng Nội vụ xây dựng Kế hoạch thực hiện như sau:",
                "noi_nhan": "UBND huyện\nCác phòng, ban", "nguoi_ky.chuc_vu": "Trưởng phòng",
                "nguoi_ky.ho_ten": "Trần Thị C"}
        for name, value in fill.items():
            page.fill(f'[name="{name}"]', value)
        page.click('[data-them="muc"]')
        page.fill('input[name="noi_dung[0].muc"]', "Mục đích, yêu cầu")
        page.select_option('[data-path="noi_dung[0]"] > .them-con select', "khoan")
        page.fill('input[name="noi_dung[0].noi_dung[0].khoan"]', "Nâng cao chất lượng lưu trữ hồ sơ.")
        page.select_option('[data-path="noi_dung[0].noi_dung[0]"] > .them-con select', "gach")
        page.fill('textarea[name="noi_dung[0].noi_dung[0].noi_dung[0].gach"]',
                  "- Hồ sơ được lập đúng quy định:\n  + đủ thành phần\n- Không để tồn đọng")
        page.click('[data-them="muc"]')
        page.fill('input[name="noi_dung[1].muc"]', "Nhiệm vụ")
        for _ in range(2):
            page.select_option('[data-path="noi_dung[1]"] > .them-con select', "nhiem_vu")
        page.fill('input[name="noi_dung[1].noi_dung[0].nhiem_vu"]', "Chỉnh lý tài liệu tồn đọng")
        page.fill('textarea[name="noi_dung[1].noi_dung[0].thoi_gian"]', "Quý II năm 2025")
        page.fill('input[name="noi_dung[1].noi_dung[1].nhiem_vu"]', "Số hóa hồ sơ")
        page.fill('textarea[name="noi_dung[1].noi_dung[1].thoi_gian"]', "Quý IV năm 2025")
        page.click('[data-path="noi_dung[1].noi_dung[1]"] >> button[title="Lên trên"]')  # move up
        page.wait_for_selector('input[name="noi_dung[1].noi_dung[0].nhiem_vu"]')
        assert page.input_value('input[name="noi_dung[1].noi_dung[0].nhiem_vu"]') == "Số hóa hồ sơ"
        page.click('[data-path="noi_dung[1].noi_dung[1]"] >> button[title^="Vào trong"]')  # indent under task 1
        page.wait_for_selector('[data-path="noi_dung[1].noi_dung[0].noi_dung[0]"]')
        assert page.locator('[data-path="noi_dung[1]"] > .con > .khoi').count() == 1
        page.click('[data-path="noi_dung[1].noi_dung[0].noi_dung[0]"] >> button[title="Ra ngoài một cấp"]')  # back
        page.wait_for_selector('[data-so="noi_dung[1].noi_dung[1]"]:text("2.")')
        assert page.inner_text('[data-so="noi_dung[1]"]') == "II."
        shot(page, "ke_hoach_moi")
        page.click("#luu")
        page.wait_for_selector("#trang-thai-luu:has-text('Đã lưu')")
        data = load(folder / "ke_hoach_moi.yaml").data
        assert data["noi_dung"][0]["noi_dung"][0]["noi_dung"] == [
            {"gach": [{"doan": "Hồ sơ được lập đúng quy định:", "gach": ["đủ thành phần"]}, "Không để tồn đọng"]}]
        names = [t["nhiem_vu"] for t in data["noi_dung"][1]["noi_dung"]]
        assert names == ["Số hóa hồ sơ", "Chỉnh lý tài liệu tồn đọng"]
        with page.expect_download() as download:
            page.click("#tai-docx")
        saved = folder.parent / "moi.docx"
        download.value.save_as(saved)
        text = _docx_text(saved)
        assert "+ đủ thành phần" in text and "- Không để tồn đọng" in text
        assert "II. NHIỆM VỤ" in text and "1. Số hóa hồ sơ" in text and "2. Chỉnh lý tài liệu tồn đọng" in text
        from docgen.checker import KHONG_DAT, check

        assert [f.ten for f in check(saved) if f.trang_thai == KHONG_DAT] == []


def test_record_quarter_progress_and_see_counts(page, folder):
    """Quý I: change statuses and results; the counts follow as you type and the saved report has them."""
    from docgen.reporting import load_report

    with _server(folder) as url:
        page.goto(url + "/bao-cao?tep=bao_cao_2023_quy_1.yaml")
        page.wait_for_selector("#nhiem-vu tbody tr")
        before = load_report(folder / "bao_cao_2023_quy_1.yaml").stats
        assert page.inner_text("#dem-den_han") == str(before.den_han)
        assert page.inner_text("#dem-hoan_thanh") == str(before.hoan_thanh)
        row = page.locator('tr[data-id="chuyen_doi_vi_tri"]')
        assert row.locator("select").input_value() == "chua_thuc_hien"
        row.locator("select").select_option("hoan_thanh")
        row.locator("textarea").fill("Đã ban hành Kế hoạch chuyển đổi vị trí công tác năm 2023.")
        page.wait_for_function(f"document.getElementById('dem-hoan_thanh').textContent === '{before.hoan_thanh + 1}'")
        assert page.inner_text("#dem-chua_thuc_hien") == str(before.chua_thuc_hien - 1)
        assert page.inner_text("#dem-den_han") == str(before.den_han)
        shot(page, "bao_cao")
        page.click("#luu")
        page.wait_for_selector("#trang-thai-luu:has-text('Đã lưu')")
        after = load_report(folder / "bao_cao_2023_quy_1.yaml").stats
        assert (after.hoan_thanh, after.chua_thuc_hien) == (before.hoan_thanh + 1, before.chua_thuc_hien - 1)
        saved = (folder / "bao_cao_2023_quy_1.yaml").read_text(encoding="utf-8")
        assert "Đã ban hành Kế hoạch chuyển đổi vị trí" in saved
        assert page.inner_text("#dem-ty_le") == after.ty_le


def test_validation_error_at_its_field_nothing_saved(page, folder):
    before = (folder / PLAN).read_bytes()
    with _server(folder) as url:
        page.goto(url + f"/ke-hoach?tep={PLAN}")
        page.wait_for_selector('[data-so="noi_dung[0]"]:text("I.")')
        page.fill('[name="ngay_ban_hanh"]', "30/02/2023")
        page.fill('input[name="noi_dung[1].noi_dung[0].han"]', "quy_V")
        page.click("#luu")
        error = page.locator('[data-field="ngay_ban_hanh"] > .loi-o')
        error.wait_for()
        assert error.inner_text() == "ngày '30/02/2023' không có thật (tháng 2 năm 2023 không có ngày 30)"
        task_error = page.locator('[data-field="noi_dung[1].noi_dung[0].han"] > .loi-o')
        assert "'quy_V' không đúng dạng" in task_error.inner_text()
        assert "Lỗi: ke_hoach_2023.yaml:30: ngay_ban_hanh:" in page.inner_text("#tom-tat-loi")
        page.locator('[data-field="ngay_ban_hanh"]').scroll_into_view_if_needed()
        shot(page, "ke_hoach_loi")
    assert (folder / PLAN).read_bytes() == before


def test_preview_check_and_rollover_pages(page, folder):
    with _server(folder) as url:
        if shutil.which("soffice") and shutil.which("pdftoppm"):
            started = time.monotonic()
            page.goto(url + f"/xem-truoc?tep={PLAN}")
            page.wait_for_selector("#trang-anh img", timeout=240_000)
            page.wait_for_function("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
            seconds = time.monotonic() - started
            assert page.locator("#trang-anh img").count() >= 5
            assert "KHÔNG ĐẠT" not in page.inner_text("#ket-qua-kiem-tra")
            assert "ĐẠT" in page.inner_text("#ket-qua-kiem-tra")
            shot(page, "xem_truoc")
            print(f"click → preview: {seconds:.1f} s")
            # a save (here from another tab) refreshes the open preview by itself
            got = page.request.get(url + f"/api/tep?tep={PLAN}").json()
            got["du_lieu"]["dia_danh"] = "Kon Tum"
            saved = page.request.post(url + "/api/luu", data={"tep": PLAN, "du_lieu": got["du_lieu"],
                                                                "phien_ban": got["phien_ban"]})
            assert saved.ok
            version = saved.json()["phien_ban"]
            page.wait_for_selector(f'#trang-anh img[src*="v={version}"]', timeout=240_000)
        page.goto(url + "/kiem-tra")
        docx = folder.parent / "kiem.docx"
        from docgen.core import render_bytes

        docx.write_bytes(render_bytes(folder / PLAN))
        page.set_input_files("#chon", str(docx))
        page.wait_for_selector("#ket-qua h2")
        assert "0 không đạt" in page.inner_text("#ket-qua h2")
        shot(page, "kiem_tra")
        notes = folder.parent / "ghi_chu.txt"
        notes.write_text("không phải docx", encoding="utf-8")
        page.set_input_files("#chon", str(notes))
        page.wait_for_selector("#thong-bao:not([hidden])")
        assert "docx" in page.inner_text("#thong-bao")
        page.goto(url + "/nam-sau")
        page.wait_for_function("document.getElementById('nam').value === '2024'")
        page.click("#form-nam-sau button[type=submit]")
        page.wait_for_selector("#ket-qua h2")
        assert "ke_hoach_2024.yaml" in page.inner_text("#ket-qua h2")
        assert "Cần xem lại" in page.inner_text("#ket-qua")
        shot(page, "nam_sau")
    assert load(folder / "ke_hoach_2024.yaml").data["nam"] == "2024"


def test_password_wall_on_another_address(page, folder):
    """Bound to 127.0.0.2 (not this computer's private address): nothing without the password."""
    with _server(folder, host="127.0.0.2", password="bí mật") as url:
        page.goto(url + "/ke-hoach")
        assert page.url.endswith("/dang-nhap")
        response = page.request.get(url + "/api/van-ban")
        assert response.status == 401
        assert page.request.get(url + f"/api/tai?tep={PLAN}&dang=yaml").status == 401
        page.fill('[name="mat_khau"]', "sai")
        page.click("button[type=submit]")
        assert "Mật khẩu không đúng" in page.inner_text("form")
        shot(page, "dang_nhap")
        page.fill('[name="mat_khau"]', "bí mật")
        page.click("button[type=submit]")
        page.wait_for_selector(f'tr[data-tep="{PLAN}"]')
        assert page.request.get(url + "/api/van-ban").status == 200


def test_new_period_report_from_the_page(page, folder):
    (folder / "bao_cao_2023_6_thang.yaml").unlink()
    with _server(folder) as url:
        page.goto(url + "/bao-cao")
        page.wait_for_selector("#nhiem-vu tbody tr")
        page.click("#ky-moi summary")
        page.select_option("#ky-bao-cao", "6_thang")
        assert page.input_value("#tep-moi") == "bao_cao_2023_6_thang.yaml"
        shot(page, "bao_cao_ky_moi")
        page.click("#form-ky-moi button[type=submit]")
        page.wait_for_url("**/bao-cao?tep=bao_cao_2023_6_thang.yaml")
        page.wait_for_function("document.getElementById('ky').textContent.includes('6 tháng đầu năm 2023')")
        page.fill('[name="danh_gia.uu_diem"]', "Hoàn thành đúng hạn các nhiệm vụ 6 tháng.")
        page.click("#luu")
        page.wait_for_selector("#trang-thai-luu:has-text('Đã lưu')")
    data = load(folder / "bao_cao_2023_6_thang.yaml").data
    assert data["ky"] == "6_thang" and data["danh_gia"]["uu_diem"] == ["Hoàn thành đúng hạn các nhiệm vụ 6 tháng."]
