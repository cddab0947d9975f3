"""One vocabulary for periods: plans' ``han`` and reports' ``ky`` accept the same spellings and dates."""
import datetime as dt

import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.deadline import chuan_ky, chuan_ma
from docgen.reporting import compute, load_sources

from .test_report_time import _plan, _report

FORMS = ("ngày (2023-03-31, 31/3/2023), quy_1..quy_4 (hoặc quy_I..quy_IV), thang_1..thang_12, 6_thang, 9_thang, "
         "ca_nam (hoặc nam), thuong_xuyen")


@pytest.mark.parametrize("written, stored", [
    ("quy_I", "quy_I"), ("quy_1", "quy_I"), ("quy_iv", "quy_IV"), ("quy_4", "quy_IV"), ("thang_06", "thang_6"),
    ("30/6/2025", "2025-06-30"), ("05/01/2025", "2025-01-05"), ("2025-6-30", "2025-06-30"), ("nam", "ca_nam"),
    ("ca_nam", "ca_nam"), ("6_thang", "6_thang"), ("thuong_xuyen", "thuong_xuyen"),
])
def test_han_accepts_every_spelling(written, stored):
    assert chuan_ma(written) == stored


@pytest.mark.parametrize("written, stored", [("quy_1", "quy_1"), ("quy_I", "quy_1"), ("nam", "nam"),
                                             ("ca_nam", "nam"), ("6_thang", "6_thang")])
def test_ky_accepts_every_spelling(written, stored):
    assert chuan_ky(written) == stored


@pytest.mark.parametrize("han, message", [
    ("quy_5", f"thời hạn 'quy_5' không đúng dạng; 'han' nhận: {FORMS}"),
    ("31/6/2025", f"ngày '31/6/2025' không có thật (tháng 6 năm 2025 không có ngày 31); 'han' nhận: {FORMS}"),
    ("cuoi_nam", f"thời hạn 'cuoi_nam' không đúng dạng; 'han' nhận: {FORMS}"),
])
def test_bad_han_lists_the_accepted_forms(tmp_path, monkeypatch, han, message):
    text = _plan({"nv": dt.date(2025, 6, 30)}).replace("han: 2025-06-30", f"han: {han}")
    (tmp_path / "kh.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["render", "kh.yaml", "-o", "kh.docx"])
    assert result.exit_code == 1
    line = text.splitlines().index(f"        han: {han}") + 1
    assert result.stderr.splitlines() == [f"Lỗi: kh.yaml:{line}: noi_dung[0].noi_dung[0].han: {message}"]


def test_report_with_roman_quarter_and_plan_with_vietnamese_date(tmp_path):
    # the pair: the report says quy_I, the plan's han is 30/6/2025-style
    (tmp_path / "ke_hoach.yaml").write_text(
        _plan({"nv": dt.date(2023, 3, 10)}).replace("han: 2023-03-10", "han: 10/3/2023"), encoding="utf-8")
    (tmp_path / "bao_cao.yaml").write_text(_report("quy_I", dt.date(2023, 3, 20), ["nv"]), encoding="utf-8")
    r = compute(load_sources(tmp_path / "bao_cao.yaml"))
    assert r.report.ky == "quy_1" and [row.id for row in r.rows] == ["nv"] and r.rows[0].cham


def test_enum_messages_have_no_english(tmp_path, monkeypatch):
    (tmp_path / "ke_hoach.yaml").write_text(_plan({"nv": dt.date(2023, 3, 10)}), encoding="utf-8")
    (tmp_path / "bao_cao.yaml").write_text(_report("quy_1", None, ["nv"]).replace("dang_thuc_hien", "xong"),
                                           encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["render", "bao_cao.yaml", "-o", "bc.docx"])
    assert result.exit_code == 1
    assert result.stderr.endswith("chọn một trong: 'hoan_thanh', 'dang_thuc_hien' hoặc 'chua_thuc_hien'\n")


@pytest.mark.parametrize("kind", ["ke_hoach", "bao_cao", "don_vi"])
def test_schema_descriptions_editors_show_are_vietnamese(kind):
    import re

    from docgen.schema import json_schema

    found = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "description" and isinstance(value, str):
                    found.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(json_schema(kind))
    assert found
    english = [d for d in found if re.search(r"\b(the|of|and|or|with|its|an|for|one)\b", d, re.I)]
    assert english == []


def test_rollover_moves_a_han_written_as_a_vietnamese_date():
    from docgen.next_year import roll

    text = _plan({"nv": dt.date(2023, 3, 10)}).replace("han: 2023-03-10", "han: 10/3/2023")
    rolled = roll(text, 2023, 2024)
    assert "        han: 10/3/2024\n" in rolled.text
    assert [(c.path, c.old, c.new) for c in rolled.changes if c.path.endswith("han")] == [
        ("noi_dung[0].noi_dung[0].han", "10/3/2023", "10/3/2024")]
