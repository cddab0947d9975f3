"""`docgen serve`: every endpoint through the ASGI app (Starlette's TestClient), on copies of data/."""
from __future__ import annotations

import io
import shutil
import subprocess
import threading
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.loader import load
from docgen.web.app import MAX_UPLOAD, create_app, is_local

from .util import ROOT, Doc

fastapi_testclient = pytest.importorskip("fastapi.testclient")
PLAN = "ke_hoach_2023.yaml"
REPORT = "bao_cao_2023_quy_1.yaml"


@pytest.fixture
def folder(tmp_path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    return data


@pytest.fixture
def client(folder):
    app = create_app(folder, cache=folder.parent / "cache")
    with fastapi_testclient.TestClient(app) as c:
        yield c
    app.state.previews.close()


def _read(client, tep=PLAN):
    r = client.get("/api/tep", params={"tep": tep})
    assert r.status_code == 200, r.text
    return r.json()


def _task(doc, task_id):
    def walk(blocks):
        for b in blocks:
            if isinstance(b, dict):
                if b.get("id") == task_id:
                    return b
                found = walk(b.get("noi_dung") or [])
                if found:
                    return found
    return walk(doc["noi_dung"])


def _docx_text(data: bytes) -> str:
    return "\n".join("".join(t.text or "" for t in p.iter("{*}t")) for p in Doc(data).paragraphs())


# ---- pages and static files ----

@pytest.mark.parametrize("url, title", [("/", "Văn bản"), ("/ke-hoach", "Kế hoạch"), ("/bao-cao", "Báo cáo"),
                                        ("/xem-truoc", "Xem trước"), ("/kiem-tra", "Kiểm tra"),
                                        ("/nam-sau", "Năm sau"), ("/dang-nhap", "Đăng nhập")])
def test_pages_are_vietnamese_and_served(client, url, title):
    r = client.get(url)
    assert r.status_code == 200
    assert f"<title>{title}" in r.text
    assert 'lang="vi"' in r.text


def test_every_script_and_style_is_served_by_the_app():
    web = ROOT / "docgen" / "web"
    for f in [*web.glob("templates/*.html"), *web.glob("static/*")]:
        text = f.read_text(encoding="utf-8")
        assert "http://" not in text and "https://" not in text and "//cdn" not in text, f
    for name in ("app.js", "ke_hoach.js", "bao_cao.js", "xem_truoc.js", "kiem_tra.js", "nam_sau.js", "van_ban.js",
                 "style.css"):
        assert (web / "static" / name).is_file()


def test_static_files(client):
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/static/../app.py").status_code == 404
    assert client.get("/static/%2e%2e/app.py").status_code == 404


# ---- Văn bản ----

def test_listing_states(client, folder):
    (folder / "hong.yaml").write_text("loai: ke_hoach\nnam: 20x\n", encoding="utf-8")
    text = (folder / PLAN).read_text(encoding="utf-8").replace("nam: 2023\n", "nam: 2023\n# TODO(rollover): xem lại\n")
    (folder / "con_todo.yaml").write_text(text, encoding="utf-8")
    files = {f["tep"]: f for f in client.get("/api/van-ban").json()["van_ban"]}
    assert files[PLAN]["loai"] == "ke_hoach" and files[PLAN]["loi"] == [] and files[PLAN]["todo"] == 0
    assert files[REPORT]["loai"] == "bao_cao" and files[REPORT]["loi"] == []
    assert len(files["hong.yaml"]["loi"]) >= 2
    assert all(p["dong_lenh"].startswith("Lỗi: hong.yaml:") for p in files["hong.yaml"]["loi"])
    assert files["con_todo.yaml"]["todo"] == 1 and files["con_todo.yaml"]["loi"] == []


def test_download_yaml_and_docx(client, folder):
    r = client.get("/api/tai", params={"tep": PLAN, "dang": "yaml"})
    assert r.status_code == 200 and r.content == (folder / PLAN).read_bytes()
    r = client.get("/api/tai", params={"tep": PLAN, "dang": "docx"})
    assert r.status_code == 200
    assert "attachment" in r.headers["content-disposition"]
    assert "KẾ HOẠCH" in _docx_text(r.content)
    assert client.get("/api/tai", params={"tep": PLAN, "dang": "exe"}).status_code == 400
    assert client.get("/api/tai", params={"tep": "khong_co.yaml"}).status_code == 404


# ---- traversal ----

@pytest.mark.parametrize("bad", ["../outside.yaml", "/etc/passwd.yaml", "sub/../../outside.yaml", "..\\outside.yaml",
                                 "~/outside.yaml", "C:/outside.yaml", "link_out.yaml", "dir_out/x.yaml",
                                 "ke_hoach_2023.docx", ""])
def test_no_file_outside_the_folder(client, folder, bad):
    outside = folder.parent / "outside.yaml"
    outside.write_text("loai: ke_hoach\n", encoding="utf-8")
    (folder.parent / "dir").mkdir()
    (folder.parent / "dir" / "x.yaml").write_text("bi_mat: 1\n", encoding="utf-8")
    (folder / "link_out.yaml").symlink_to(outside)
    (folder / "dir_out").symlink_to(folder.parent / "dir")
    before = outside.read_bytes()
    for r in (client.get("/api/tep", params={"tep": bad}),
              client.get("/api/tai", params={"tep": bad, "dang": "yaml"}),
              client.get("/api/xem-truoc", params={"tep": bad}),
              client.post("/api/xem-truoc", json={"tep": bad}),
              client.post("/api/luu", json={"tep": bad, "du_lieu": {"loai": "ke_hoach"}, "phien_ban": "moi"}),
              client.post("/api/bao-cao/thong-ke", json={"tep": bad, "tien_do": {}}),
              client.post("/api/nam-sau", json={"tep": PLAN, "nam": "2024", "ra": bad or "/"}),
              client.post("/api/nam-sau", json={"tep": bad, "nam": "2024"})):
        assert r.status_code in (400, 403), (bad, r.status_code, r.text)
        assert "bi_mat" not in r.text and "loai: ke_hoach" not in r.text
    assert outside.read_bytes() == before
    assert not (folder.parent / "outside.yaml.bak").exists()
    listed = [f["tep"] for f in client.get("/api/van-ban").json()["van_ban"]]
    assert "link_out.yaml" not in listed and "dir_out/x.yaml" not in listed


def test_symlink_inside_the_folder_is_allowed(client, folder):
    (folder / "ban_sao.yaml").symlink_to(folder / PLAN)
    assert client.get("/api/tep", params={"tep": "ban_sao.yaml"}).status_code == 200


# ---- saving ----

def test_save_changes_only_the_edited_line_and_keeps_a_backup(client, folder):
    original = (folder / PLAN).read_text(encoding="utf-8")
    got = _read(client)
    doc = got["du_lieu"]
    _task(doc, "the_che")["thoi_gian"] = "Trước ngày 30/6/2023"
    r = client.post("/api/luu", json={"tep": PLAN, "du_lieu": doc, "phien_ban": got["phien_ban"]})
    assert r.status_code == 200, r.text
    assert r.json()["ban_truoc"] == "ke_hoach_2023.yaml.bak"
    assert (folder / "ke_hoach_2023.yaml.bak").read_text(encoding="utf-8") == original
    new = (folder / PLAN).read_text(encoding="utf-8")
    old_lines, new_lines = original.splitlines(), new.splitlines()
    assert len(old_lines) == len(new_lines)
    changed = [(a, b) for a, b in zip(old_lines, new_lines, strict=True) if a != b]
    assert changed == [("        thoi_gian: Thường xuyên trong năm 2023", "        thoi_gian: Trước ngày 30/6/2023")]
    assert "# Nhãn các trường của nhiệm vụ" in new
    docx = client.get("/api/tai", params={"tep": PLAN, "dang": "docx"}).content
    assert "Thời gian thực hiện: Trước ngày 30/6/2023" in _docx_text(docx)


def test_save_structural_edits_keep_comments(client, folder):
    got = _read(client)
    doc = got["du_lieu"]
    body = doc["noi_dung"][1]["noi_dung"]
    body[0], body[1] = body[1], body[0]  # move a task down
    body.append({"nhiem_vu": "Nhiệm vụ mới", "id": "nv_moi", "thoi_gian": "Quý IV năm 2023"})
    doc["noi_dung"][0]["noi_dung"].pop(1)  # delete a khoản
    r = client.post("/api/luu", json={"tep": PLAN, "du_lieu": doc, "phien_ban": got["phien_ban"]})
    assert r.status_code == 200, r.text
    new = (folder / PLAN).read_text(encoding="utf-8")
    for comment in ("# yaml-language-server", "# Những chỗ sửa so với bản gốc", "# để trống: văn thư điền số",
                    "# tên dùng trong câu văn"):
        assert comment in new
    assert load(folder / PLAN).data == {**doc}
    assert "      - nhiem_vu: Nhiệm vụ mới\n        id: nv_moi\n" in new


def test_invalid_save_shows_cli_messages_at_fields_and_writes_nothing(client, folder):
    before = (folder / PLAN).read_bytes()
    got = _read(client)
    doc = got["du_lieu"]
    doc["ngay_ban_hanh"] = "2023-02-30"
    _task(doc, "the_che")["han"] = "quy_V"
    r = client.post("/api/luu", json={"tep": PLAN, "du_lieu": doc, "phien_ban": got["phien_ban"]})
    assert r.status_code == 422
    problems = {p["truong"]: p for p in r.json()["loi"]}
    assert problems["ngay_ban_hanh"]["thong_bao"] == ("ngày '2023-02-30' không có thật "
                                                      "(tháng 2 năm 2023 không có ngày 30)")
    assert problems["ngay_ban_hanh"]["dong_lenh"] == ("Lỗi: ke_hoach_2023.yaml:30: ngay_ban_hanh: ngày '2023-02-30' "
                                                      "không có thật (tháng 2 năm 2023 không có ngày 30)")
    assert problems["noi_dung[1].noi_dung[1].han"]["thong_bao"].startswith(("thời hạn 'quy_V'", "giá trị 'quy_V'"))
    # the very messages `docgen render` prints for that text
    from docgen.core import build_document
    from docgen.errors import DocgenError
    from docgen.loader import load_text
    from docgen.web.yamledit import patch

    with pytest.raises(DocgenError) as cli:
        build_document(load_text(patch(before.decode("utf-8"), doc), folder / PLAN))
    assert [p["thong_bao"] for p in r.json()["loi"]] == [p.message for p in cli.value.problems]
    assert (folder / PLAN).read_bytes() == before
    assert not (folder / "ke_hoach_2023.yaml.bak").exists()


def test_stale_version_is_refused(client, folder):
    got = _read(client)
    first, second = got["du_lieu"], _read(client)["du_lieu"]
    first["dia_danh"] = "Đà Nẵng"
    second["dia_danh"] = "Huế"
    r = client.post("/api/luu", json={"tep": PLAN, "du_lieu": first, "phien_ban": got["phien_ban"]})
    assert r.status_code == 200
    r = client.post("/api/luu", json={"tep": PLAN, "du_lieu": second, "phien_ban": got["phien_ban"]})
    assert r.status_code == 409
    assert "CHƯA được lưu" in r.json()["thong_bao"]
    assert load(folder / PLAN).data["dia_danh"] == "Đà Nẵng"


def test_concurrent_saves_exactly_one_wins(client, folder):
    got = _read(client)
    results: list[int] = []

    def save(name):
        doc = _read(client)["du_lieu"]
        doc["dia_danh"] = name
        r = client.post("/api/luu", json={"tep": PLAN, "du_lieu": doc, "phien_ban": got["phien_ban"]})
        results.append(r.status_code)

    threads = [threading.Thread(target=save, args=(f"Nơi {i}",)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [200] + [409] * 5
    assert load(folder / PLAN).data["dia_danh"].startswith("Nơi ")


def test_new_file_from_a_form(client, folder):
    doc = {"loai": "ke_hoach", "co_quan": {"ten": "PHÒNG NỘI VỤ", "viet_tat": "PNV"}, "dia_danh": "Huế", "nam": "2025",
           "trich_yeu": "Thực hiện công tác văn thư năm 2025", "mo_dau": {"sau": "Phòng xây dựng Kế hoạch như sau:"},
           "noi_dung": [{"muc": "Nhiệm vụ", "noi_dung": [{"nhiem_vu": "Lưu trữ hồ sơ", "id": "luu_tru",
                                                           "thoi_gian": "Quý II năm 2025"}]}],
           "noi_nhan": ["UBND huyện"], "nguoi_ky": {"chuc_vu": "Trưởng phòng", "ho_ten": "Lê Văn B"}}
    r = client.post("/api/luu", json={"tep": "moi/kh_2025.yaml", "du_lieu": doc, "phien_ban": "moi"})
    assert r.status_code == 200, r.text
    assert load(folder / "moi" / "kh_2025.yaml").data["nam"] == "2025"
    assert "1. Lưu trữ hồ sơ" in _docx_text(client.get("/api/tai", params={"tep": "moi/kh_2025.yaml"}).content)
    again = client.post("/api/luu", json={"tep": "moi/kh_2025.yaml", "du_lieu": doc, "phien_ban": "moi"})
    assert again.status_code == 409


def test_only_documents_are_saved(client, folder):
    got = _read(client, "don_vi.yaml")
    r = client.post("/api/luu", json={"tep": "don_vi.yaml", "du_lieu": got["du_lieu"], "phien_ban": got["phien_ban"]})
    assert r.status_code == 422
    for body in ({"tep": PLAN}, {"tep": PLAN, "du_lieu": [], "phien_ban": "x"}):
        assert client.post("/api/luu", json=body).status_code == 400
    json_type = {"content-type": "application/json"}
    assert client.post("/api/luu", content=b"{not json", headers=json_type).status_code == 400
    big = b'{"x": "' + b"a" * (3 * 1024 * 1024) + b'"}'
    assert client.post("/api/luu", content=big, headers={"content-type": "application/json"}).status_code == 413


def test_save_in_a_git_folder_commits(client, folder):
    git = ["git", "-C", str(folder), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "đầu"], check=True)
    app = create_app(folder)
    with fastapi_testclient.TestClient(app) as c:
        (folder / PLAN).write_text((folder / PLAN).read_text(encoding="utf-8") + "# sửa tay chưa commit\n",
                                   encoding="utf-8")
        got = _read(c)
        got["du_lieu"]["dia_danh"] = "Kon Tum"
        r = c.post("/api/luu", json={"tep": PLAN, "du_lieu": got["du_lieu"], "phien_ban": got["phien_ban"]})
        assert r.status_code == 200 and r.json()["ban_truoc"] == "git"
    log = subprocess.run([*git, "log", "--format=%s"], capture_output=True, text=True, check=True).stdout.splitlines()
    assert log == ["docgen serve: lưu ke_hoach_2023.yaml", "docgen serve: bản trước khi sửa ke_hoach_2023.yaml", "đầu"]
    assert not (folder / "ke_hoach_2023.yaml.bak").exists()
    assert subprocess.run([*git, "status", "--porcelain"], capture_output=True, text=True).stdout == ""


# ---- Kế hoạch numbering ----

def test_numbering_as_printed(client, folder):
    doc = _read(client)["du_lieu"]
    so = client.post("/api/ke-hoach/danh-so", json={"noi_dung": doc["noi_dung"]}).json()["so"]
    assert so["noi_dung[1]"] == "II."
    assert so["noi_dung[1].noi_dung[4]"] == "5."
    assert [so[f"noi_dung[1].noi_dung[4].noi_dung[{i}]"] for i in range(5)] == ["a)", "b)", "c)", "d)", "đ)"]
    typing = [{"muc": ""}, {"muc": "B", "noi_dung": [{"nhiem_vu": "", "id": ""}, {"khoan": "x"}]}]
    so = client.post("/api/ke-hoach/danh-so", json={"noi_dung": typing}).json()["so"]
    assert so == {"noi_dung[0]": "I.", "noi_dung[1]": "II.", "noi_dung[1].noi_dung[0]": "1.",
                  "noi_dung[1].noi_dung[1]": "2."}


# ---- Báo cáo ----

def test_report_counts_are_the_reports_own(client, folder):
    from docgen.reporting import load_report

    got = _read(client, REPORT)
    tien_do = got["du_lieu"]["tien_do"]
    r = client.post("/api/bao-cao/thong-ke", json={"tep": REPORT, "tien_do": tien_do}).json()
    s = load_report(folder / REPORT).stats
    assert r["thong_ke"] == {"den_han": s.den_han, "hoan_thanh": s.hoan_thanh, "dang_thuc_hien": s.dang_thuc_hien,
                             "chua_thuc_hien": s.chua_thuc_hien, "cham": s.cham, "ty_le": s.ty_le}
    for row in r["dong"]:
        tien_do[row["id"]] = {"trang_thai": "hoan_thanh", "ket_qua": "Xong."}
    done = client.post("/api/bao-cao/thong-ke", json={"tep": REPORT, "tien_do": tien_do}).json()["thong_ke"]
    assert done["hoan_thanh"] == done["den_han"] == s.den_han and done["ty_le"] == "100" and done["cham"] == 0
    saved = client.post("/api/luu", json={"tep": REPORT, "du_lieu": {**got["du_lieu"], "tien_do": tien_do},
                                          "phien_ban": got["phien_ban"]})
    assert saved.status_code == 200, saved.text
    assert load_report(folder / REPORT).stats.ty_le == "100"
    assert "# DỮ LIỆU VÍ DỤ" in (folder / REPORT).read_text(encoding="utf-8")
    bad = client.post("/api/bao-cao/thong-ke", json={"tep": REPORT, "tien_do": {"khong_co": {"trang_thai": "x"}}})
    assert bad.status_code == 422
    assert client.post("/api/bao-cao/thong-ke", json={"tep": PLAN, "tien_do": {}}).status_code == 422


# ---- Kiểm tra ----

def test_check_upload(client, folder):
    docx = client.get("/api/tai", params={"tep": PLAN, "dang": "docx"}).content
    r = client.post("/api/kiem-tra", content=docx, headers={"x-ten-tep": "ke%20ho%E1%BA%A1ch.docx"})
    assert r.status_code == 200
    assert r.json()["tep"] == "ke hoạch.docx"
    assert r.json()["dem"]["KHÔNG ĐẠT"] == 0 and r.json()["dem"]["ĐẠT"] > 10


def test_check_refuses_non_docx_and_oversized(client):
    r = client.post("/api/kiem-tra", content=b"%PDF-1.4", headers={"x-ten-tep": "a.pdf"})
    assert r.status_code == 415 and ".docx" in r.json()["thong_bao"]
    r = client.post("/api/kiem-tra", content=b"not a zip", headers={"x-ten-tep": "a.docx"})
    assert r.status_code == 415
    r = client.post("/api/kiem-tra", content=b"PK\x03\x04" + b"\0" * 100, headers={"x-ten-tep": "a.docx"})
    assert r.status_code == 422 and r.json()["loi"]
    big = b"PK\x03\x04" + b"\0" * MAX_UPLOAD
    r = client.post("/api/kiem-tra", content=big, headers={"x-ten-tep": "a.docx"})
    assert r.status_code == 413 and "10 MB" in r.json()["thong_bao"]

    def chunks():  # no Content-Length: the limit is counted while reading
        for _ in range(11):
            yield b"PK\x03\x04" + b"\0" * (1024 * 1024)
    r = client.post("/api/kiem-tra", content=chunks(), headers={"x-ten-tep": "a.docx"})
    assert r.status_code == 413


def test_check_reads_a_hostile_zip_safely(client):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<" + b"a" * 50_000_000)
    r = client.post("/api/kiem-tra", content=buf.getvalue(), headers={"x-ten-tep": "bom.docx"})
    assert r.status_code in (200, 422)


# ---- Năm sau ----

def test_rollover(client, folder):
    r = client.post("/api/nam-sau", json={"tep": PLAN, "nam": "2024"})
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["tep"] == "ke_hoach_2024.yaml"
    assert any(c["truong"] == "nam" and c["moi"] == "2024" for c in out["thay_doi"])
    assert out["xem_lai"] and out["giu_nguyen"] > 0
    assert load(folder / "ke_hoach_2024.yaml").data["nam"] == "2024"
    again = client.post("/api/nam-sau", json={"tep": PLAN, "nam": "2024"})
    assert again.status_code == 422 and "ghi đè" in again.json()["loi"][0]["thong_bao"]
    forced = client.post("/api/nam-sau", json={"tep": PLAN, "nam": "2024", "ghi_de": True,
                                               "bao_cao": "bao_cao_2023_nam.yaml"})
    assert forced.status_code == 200 and forced.json()["chuyen_tiep"]
    assert (folder / "ke_hoach_2024.yaml.bak").exists()
    assert client.post("/api/nam-sau", json={"tep": PLAN, "nam": "hai"}).status_code == 400


# ---- previews (LibreOffice) ----

@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftoppm") is None,
                    reason="cần LibreOffice và poppler-utils (README, lệnh 2)")
def test_preview_and_pdf_in_the_background(client, folder):
    assert client.get("/api/xem-truoc", params={"tep": PLAN}).json()["trang_thai"] == "chua_co"
    assert client.get("/api/tai", params={"tep": PLAN, "dang": "pdf"}).status_code == 202  # queued, never waits
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        state = client.get("/api/xem-truoc", params={"tep": PLAN}).json()
        if state["trang_thai"] in ("xong", "loi"):
            break
        time.sleep(0.5)
    assert state["trang_thai"] == "xong", state
    assert state["so_trang"] >= 5 and state["phien_ban"] == state["phien_ban_tep"]
    assert {f["trang_thai"] for f in state["kiem_tra"]} <= {"ĐẠT", "KHÔNG ĐÁNH GIÁ"}
    png = client.get("/api/xem-truoc/trang", params={"tep": PLAN, "so": 1})
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert client.get("/api/xem-truoc/trang", params={"tep": PLAN, "so": 99}).status_code == 404
    pdf = client.get("/api/tai", params={"tep": PLAN, "dang": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # a save queues a new preview: the old one is now stale
    got = _read(client)
    got["du_lieu"]["dia_danh"] = "Kon Tum"
    client.post("/api/luu", json={"tep": PLAN, "du_lieu": got["du_lieu"], "phien_ban": got["phien_ban"]})
    state = client.get("/api/xem-truoc", params={"tep": PLAN}).json()
    assert state["phien_ban"] != state["phien_ban_tep"] or state["trang_thai"] in ("cho", "dang_tao")


# ---- the password wall ----

def test_password_wall(folder):
    app = create_app(folder, password="mật khẩu 1")
    with fastapi_testclient.TestClient(app, follow_redirects=False) as c:
        for url in ("/", "/ke-hoach", "/static/app.js", "/static/style.css"):
            r = c.get(url)
            assert r.status_code == 303 and r.headers["location"] == "/dang-nhap"
        for method, url in (("GET", "/api/van-ban"), ("GET", f"/api/tep?tep={PLAN}"), ("GET", f"/api/tai?tep={PLAN}"),
                            ("POST", "/api/luu"), ("POST", "/api/kiem-tra"), ("POST", "/api/nam-sau"),
                            ("GET", "/api/xem-truoc/trang?tep=x.yaml&so=1")):
            r = c.request(method, url)
            assert r.status_code == 401 and "mật khẩu" in r.json()["thong_bao"]
        c.cookies.set("docgen_phien", "doan-bua")
        assert c.get("/api/van-ban").status_code == 401
        c.cookies.clear()
        assert c.post("/dang-nhap", data={"mat_khau": "sai"}).status_code == 401
        r = c.post("/dang-nhap", data={"mat_khau": "mật khẩu 1"})
        assert r.status_code == 303
        assert c.get("/api/van-ban").status_code == 200
        assert c.get("/").status_code == 200


def test_serve_refuses_another_address_without_password(folder, monkeypatch):
    monkeypatch.delenv("DOCGEN_MAT_KHAU", raising=False)
    r = CliRunner().invoke(main, ["serve", str(folder), "--host", "0.0.0.0"])
    assert r.exit_code == 1
    assert "cần mật khẩu" in r.output and "--mat-khau" in r.output
    assert is_local("127.0.0.1") and is_local("localhost") and is_local("::1")
    assert not is_local("0.0.0.0") and not is_local("127.0.0.2") and not is_local("192.168.1.5")


# ---- a report for a new period ----

def test_new_period_report_carries_the_previous_one_over(client, folder):
    for name in ("bao_cao_2023_6_thang.yaml", "bao_cao_2023_9_thang.yaml", "bao_cao_2023_nam.yaml"):
        (folder / name).unlink()
    r = client.post("/api/bao-cao/moi", json={"ke_hoach": PLAN, "ky": "6_thang", "tep": "bc/bao_cao_6_thang.yaml"})
    assert r.status_code == 200, r.text
    text = (folder / "bc" / "bao_cao_6_thang.yaml").read_text(encoding="utf-8")
    assert "# DỮ LIỆU VÍ DỤ" in text  # the quarter's comments carried over
    data = load(folder / "bc" / "bao_cao_6_thang.yaml").data
    quarter = load(folder / REPORT).data
    assert data["ke_hoach"] == "../ke_hoach_2023.yaml" and data["ky"] == "6_thang"
    assert data["so"] is None and data["ngay_ban_hanh"] is None
    assert data["tien_do"] == quarter["tien_do"] and data["noi_nhan"] == quarter["noi_nhan"]
    year = client.post("/api/bao-cao/moi", json={"ke_hoach": PLAN, "ky": "nam", "tep": "bc_nam.yaml"})
    assert year.status_code == 200, year.text
    from docgen.reporting import load_report

    assert load_report(folder / "bc_nam.yaml").tong == len(load(folder / "bc_nam.yaml").data["tien_do"])
    again = client.post("/api/bao-cao/moi", json={"ke_hoach": PLAN, "ky": "nam", "tep": "bc_nam.yaml"})
    assert again.status_code == 409
    assert client.post("/api/bao-cao/moi", json={"ke_hoach": PLAN, "ky": "quy_5", "tep": "x.yaml"}).status_code == 400
    assert client.post("/api/bao-cao/moi", json={"ke_hoach": PLAN, "ky": "nam", "tep": "../x.yaml"}).status_code == 403


def test_first_report_of_a_plan_takes_recipients_from_the_plan(client, folder):
    for report in folder.glob("bao_cao_*.yaml"):
        report.unlink()
    r = client.post("/api/bao-cao/moi", json={"ke_hoach": PLAN, "ky": "quy_1", "tep": "bao_cao_2023_quy_1.yaml"})
    assert r.status_code == 200, r.text
    data = load(folder / REPORT).data
    assert data["noi_nhan"] == load(folder / PLAN).data["noi_nhan"] and data["ky"] == "quy_1"


# ---- requests from other sites ----

def test_requests_from_other_sites_are_refused(client, folder):
    before = (folder / PLAN).read_bytes()
    got = _read(client)
    body = {"tep": PLAN, "du_lieu": got["du_lieu"], "phien_ban": got["phien_ban"]}
    r = client.post("/api/luu", json=body, headers={"origin": "http://evil.example"})
    assert r.status_code == 403
    import json as json_

    r = client.post("/api/luu", content=json_.dumps(body), headers={"content-type": "text/plain"})
    assert r.status_code == 415
    r = client.post("/api/nam-sau", data={"tep": PLAN, "nam": "2024"})  # a plain HTML form
    assert r.status_code == 415
    assert (folder / PLAN).read_bytes() == before and not (folder / "ke_hoach_2024.yaml").exists()
    assert client.post("/api/luu", json=body, headers={"origin": "http://testserver"}).status_code == 200


def test_host_names_when_local(folder):
    app = create_app(folder, hosts=("127.0.0.1", "localhost", "[::1]"))
    with fastapi_testclient.TestClient(app, base_url="http://127.0.0.1:8000") as c:
        assert c.get("/api/van-ban").status_code == 200
        assert c.get("/api/van-ban", headers={"host": "attacker.example:8000"}).status_code == 400


def test_unit_lists_are_listed_with_their_state(client, folder):
    (folder / "sai.csv").write_text("ma,ten\nCON,Phòng A\n", encoding="utf-8")
    files = {f["tep"]: f for f in client.get("/api/van-ban").json()["van_ban"]}
    assert files["don_vi.yaml"]["loai"] == "don_vi" and files["don_vi.yaml"]["loi"] == []
    assert files["don_vi.csv"]["loai"] == "don_vi" and files["don_vi.csv"]["tieu_de"].endswith("đơn vị")
    assert files["sai.csv"]["loi"] and "Windows" in files["sai.csv"]["loi"][0]["thong_bao"]
    progress = files["tien_do_quy_1/van_phong.xlsx"]  # a progress workbook is no unit list
    assert progress["loai"] == "bang" and progress["loi"] == []
    r = client.get("/api/tai", params={"tep": "don_vi.csv", "dang": "goc"})
    assert r.status_code == 200 and r.content == (folder / "don_vi.csv").read_bytes()
    assert client.get("/api/tai", params={"tep": "../x.csv", "dang": "goc"}).status_code == 403
    assert client.get("/api/tai", params={"tep": "don_vi.csv", "dang": "docx"}).status_code == 400
