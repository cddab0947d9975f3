"""Never a wrong document with exit 0: inputs that used to give a silently wrong result.

Each case either gives the right document or refuses, with the exact message.
"""
from __future__ import annotations

import codecs
import os

import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.core import default_template
from docgen.reporting import load_report, report_blocks

from .util import FIXTURES, ROOT

PLAN = ROOT / "data" / "ke_hoach_2023.yaml"
MINIMAL = (FIXTURES / "toi_thieu.yaml").read_text(encoding="utf-8").replace(
    "        id: nv2\n", "        id: nv2\n        thoi_gian: Quý IV năm 2023\n")  # every task has a deadline


def invoke(tmp_path, *args):
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        return CliRunner().invoke(main, [str(a) for a in args])
    finally:
        os.chdir(cwd)


# ---- rollover keeps the file's bytes: BOM and CRLF ---------------------------------------------------

@pytest.mark.parametrize("bom,crlf", [(True, False), (False, True), (True, True)], ids=["bom", "crlf", "both"])
def test_rollover_keeps_bom_and_line_endings_and_edits_the_right_bytes(tmp_path, bom, crlf):
    plain = PLAN.read_text(encoding="utf-8")
    (tmp_path / "lf.yaml").write_text(plain, encoding="utf-8")
    text = plain.replace("\n", "\r\n") if crlf else plain
    (tmp_path / "kh.yaml").write_bytes((codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8"))
    assert invoke(tmp_path, "rollover", "lf.yaml", "--year", "2024", "-o", "lf_2024.yaml").exit_code == 0
    result = invoke(tmp_path, "rollover", "kh.yaml", "--year", "2024", "-o", "kh_2024.yaml")
    assert result.exit_code == 0, result.output
    expected = (tmp_path / "lf_2024.yaml").read_text(encoding="utf-8")
    expected = expected.replace("\n", "\r\n") if crlf else expected
    assert (tmp_path / "kh_2024.yaml").read_bytes() == (codecs.BOM_UTF8 if bom else b"") + expected.encode()
    assert "nam: 2024\n" in expected.replace("\r\n", "\n") and "nam: 20243" not in expected


# ---- rollover --from-report of another plan -----------------------------------------------------------

def _report(plan: str, statuses: dict[str, str]) -> str:
    entries = "".join(f"  {tid}:\n    trang_thai: {state}\n" for tid, state in statuses.items())
    return f"loai: bao_cao\nke_hoach: {plan}\nky: nam\nnoi_nhan: [Sở Nội vụ]\ntien_do:\n{entries}"


def test_rollover_refuses_a_report_of_another_plan(tmp_path):
    (tmp_path / "kh_a.yaml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "kh_b.yaml").write_text(MINIMAL.replace("Mục đích", "Mục tiêu"), encoding="utf-8")
    (tmp_path / "bc_b.yaml").write_text(_report("kh_b.yaml", {"nv1": "hoan_thanh", "nv2": "dang_thuc_hien"}),
                                        encoding="utf-8")
    result = invoke(tmp_path, "rollover", "kh_a.yaml", "--year", "2024", "--from-report", "bc_b.yaml")
    assert result.exit_code == 1
    assert result.stderr == ("Lỗi: bc_b.yaml:2: ke_hoach: báo cáo này về kế hoạch 'kh_b.yaml', không phải kh_a.yaml: "
                             "chọn báo cáo năm của đúng kế hoạch này\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bc_b.yaml", "kh_a.yaml", "kh_b.yaml"]


def test_rollover_accepts_the_report_of_its_own_plan(tmp_path):
    (tmp_path / "kh.yaml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "bc.yaml").write_text(_report("./kh.yaml", {"nv1": "hoan_thanh", "nv2": "dang_thuc_hien"}),
                                      encoding="utf-8")
    result = invoke(tmp_path, "rollover", "kh.yaml", "--year", "2024", "--from-report", "bc.yaml", "-o", "m.yaml")
    assert result.exit_code == 0, result.output
    assert "Chuyển tiếp (1): nv2" in result.output


# ---- -o equal to one of the command's own inputs -------------------------------------------------------

def _inputs(tmp_path):
    (tmp_path / "kh.yaml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "bc.yaml").write_text(_report("kh.yaml", {"nv1": "hoan_thanh", "nv2": "hoan_thanh"}),
                                      encoding="utf-8")
    (tmp_path / "mau.docx").write_bytes(default_template("ke_hoach").read_bytes())
    (tmp_path / "kh.docx").write_bytes(default_template("ke_hoach").read_bytes())
    (tmp_path / "vb.txt").write_text("KẾ HOẠCH\nThực hiện công tác năm 2023\n", encoding="utf-8")
    os.symlink("mau.docx", tmp_path / "lien_ket.docx")


OUT_CASES = [
    ("render_template", ["render", "kh.yaml", "-o", "mau.docx", "--template", "mau.docx"],
     "Lỗi: mau.docx: tệp kết quả trùng mẫu Word (--template) (sẽ mất mẫu Word (--template)); chọn tên khác với -o"),
    ("render_template_symlink", ["render", "kh.yaml", "-o", "lien_ket.docx", "--template", "mau.docx"],
     "Lỗi: lien_ket.docx: tệp kết quả trùng mẫu Word (--template) (sẽ mất mẫu Word (--template)); chọn tên khác "
     "với -o"),
    ("render_source", ["render", "kh.docx", "-o", "./kh.docx"],
     "Lỗi: kh.docx: tệp kết quả trùng tệp nguồn (sẽ mất tệp nguồn); chọn tên khác với -o"),
    ("import_force", ["import", "vb.txt", "-o", "vb.txt", "--force"],
     "Lỗi: vb.txt: tệp kết quả trùng tệp đang nhập (sẽ mất tệp đang nhập); chọn tên khác với -o"),
    ("rollover_report", ["rollover", "kh.yaml", "--year", "2024", "--from-report", "bc.yaml", "-o", "bc.yaml",
                         "--force"],
     "Lỗi: bc.yaml: tệp kết quả trùng báo cáo (--from-report) (sẽ mất báo cáo (--from-report)); chọn tên khác "
     "với -o"),
    ("rollover_plan", ["rollover", "kh.yaml", "--year", "2024", "-o", "kh.yaml", "--force"],
     "Lỗi: kh.yaml: tệp mới trùng tệp cũ: chọn tên khác với -o"),
]


@pytest.mark.parametrize("name,args,message", OUT_CASES, ids=[c[0] for c in OUT_CASES])
def test_output_equal_to_an_input_is_refused(tmp_path, name, args, message):
    _inputs(tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    result = invoke(tmp_path, *args)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == message
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


# ---- de_muc: only the documented field, never str.format ----------------------------------------------

@pytest.mark.parametrize("title", ["{ky_toi.__class__.__mro__}", "{ky_toi:>1000000000}", "{0}", "{}{", "{ky_toi!r}"])
def test_section_titles_are_not_format_strings(tmp_path, title):
    (tmp_path / "kh.yaml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "bc.yaml").write_text(
        "loai: bao_cao\nke_hoach: kh.yaml\nky: quy_1\nnoi_nhan: [Sở Nội vụ]\n"
        f"de_muc:\n  chi_dao: '{title}'\n  phuong_huong: 'Nhiệm vụ {{ky_toi}}'\n", encoding="utf-8")
    titles = [s.muc for s in report_blocks(load_report(tmp_path / "bc.yaml"))]
    assert titles == [title, "Nhiệm vụ quý II"]  # the heading upper-cases it when drawn


# ---- impossible dates in a plan: at the plan's line, for the plan and its reports ----------------------

DATE_CASES = [
    ("han: 2023-02-30", "han: ngày '2023-02-30' không có thật (tháng 2 năm 2023 không có ngày 30)"),
    ("thoi_gian: ngày 30 tháng 2 năm 2023", "thoi_gian: ngày 30 tháng 2 năm 2023 không có thật"),
    ("thoi_gian: Quý I năm 0000", "thoi_gian: năm 0000 không hợp lệ (phải từ 1900 đến 2100)"),
    ("thoi_gian: Trước 30/02/2023", "thoi_gian: ngày 30/02/2023 không có thật"),
]


@pytest.mark.parametrize("kind", ["plan", "report"])
@pytest.mark.parametrize("written,message", DATE_CASES, ids=[c[0] for c in DATE_CASES])
def test_impossible_dates_in_a_plan_are_errors_at_its_line(tmp_path, written, message, kind):
    (tmp_path / "kh.yaml").write_text(MINIMAL.replace("thoi_gian: Quý I năm 2023", written), encoding="utf-8")
    (tmp_path / "bc.yaml").write_text(_report("kh.yaml", {"nv1": "hoan_thanh"}).replace("ky: nam", "ky: quy_1"),
                                      encoding="utf-8")
    result = invoke(tmp_path, "render", "kh.yaml" if kind == "plan" else "bc.yaml", "-o", "o.docx")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith(f"Lỗi: kh.yaml:18: noi_dung[0].noi_dung[0].{message}")
    assert not (tmp_path / "o.docx").exists()


# ---- re-import after a task was deleted in Word: no id lands on another task -----------------------------

def _without_paragraphs(data: bytes, start: str, stop: str) -> bytes:
    """The .docx with the body paragraphs from the one containing ``start`` up to (not including) ``stop``."""
    import io
    import re
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    doc = parts["word/document.xml"].decode("utf-8")
    paras = list(re.finditer(r"<w:p[ >].*?</w:p>", doc, flags=re.S))
    texts = ["".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p.group())) for p in paras]
    a = next(i for i, t in enumerate(texts) if start in t)
    b = next(i for i, t in enumerate(texts) if i > a and stop in t)
    parts["word/document.xml"] = (doc[:paras[a].start()] + doc[paras[b].start():]).encode("utf-8")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, part in parts.items():
            zf.writestr(name, part)
    return buf.getvalue()


def _imported_tasks(blocks):
    for b in blocks:
        if isinstance(b, dict):
            if "nhiem_vu" in b:
                yield b
            yield from _imported_tasks(b.get("noi_dung", []))


def _reimport(tmp_path, data: bytes):
    import yaml

    (tmp_path / "kh.docx").write_bytes(data)
    result = invoke(tmp_path, "import", "kh.docx", "-o", "kh.yaml")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "kh.yaml").read_text(encoding="utf-8")
    return text, list(_imported_tasks(yaml.safe_load(text)["noi_dung"]))


def _plan_tasks():
    from docgen.validate import iter_tasks, load_plan

    _, plan = load_plan(PLAN)
    return [t for _, t in iter_tasks(plan.noi_dung)]


def test_reimport_after_a_task_was_deleted_maps_ids_by_name(tmp_path):
    from docgen.core import render_bytes

    tasks = _plan_tasks()
    ids = {t.ten.rstrip(":."): t.id for t in tasks}
    text, imported = _reimport(tmp_path, _without_paragraphs(render_bytes(PLAN), tasks[2].ten, tasks[3].ten))
    # every task still in the file has its own id back, and only the deleted one is missing
    assert [b["id"] for b in imported] == [ids[b["nhiem_vu"].rstrip(":.")] for b in imported]
    assert [b["id"] for b in imported] == [t.id for t in tasks if t is not tasks[2]]
    assert f"các nhiệm vụ có mã {tasks[2].id} không còn trong tệp Word" in text


def test_reimport_after_a_task_was_renamed_keeps_its_id_with_a_note(tmp_path):
    from docgen.core import render_bytes

    tasks = _plan_tasks()
    data = render_bytes(PLAN)
    doc = _replace_text(data, tasks[4].ten.rstrip(":."), "Nhiệm vụ đổi tên trong Word")
    text, imported = _reimport(tmp_path, doc)
    assert [b["id"] for b in imported] == [t.id for t in tasks]
    assert imported[4]["nhiem_vu"].startswith("Nhiệm vụ đổi tên trong Word")
    assert f"giữ mã cũ '{tasks[4].id}'" in text


def _replace_text(data: bytes, old: str, new: str) -> bytes:
    """The .docx with the first body run holding ``old`` rewritten to ``new`` (the task's name line)."""
    import io
    import zipfile
    from xml.sax.saxutils import escape

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    doc = parts["word/document.xml"].decode("utf-8")
    assert escape(old) in doc
    parts["word/document.xml"] = doc.replace(escape(old), escape(new), 1).encode("utf-8")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, part in parts.items():
            zf.writestr(name, part)
    return buf.getvalue()
