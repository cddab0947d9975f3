"""The library API (`docgen.api`, re-exported from `docgen`) and the kind registry it stands on."""
import json
import shutil

import click
import pytest
from click.testing import CliRunner

import docgen
from docgen import api
from docgen.cli import main
from docgen.kinds import DOCUMENTS, KINDS
from docgen.schema import json_schema

from .util import PLAN, ROOT


def test_the_documented_imports_work(tmp_path):
    from docgen import DocgenError, build, check, render

    result = render(PLAN, tmp_path / "kh.docx")
    assert result == api.Rendered(PLAN, tmp_path / "kh.docx") and result.docx.is_file()
    findings = check(result.docx, kind="KH")
    assert findings and all(f.trang_thai == "ĐẠT" for f in findings), [f.line() for f in findings
                                                                       if f.trang_thai != "ĐẠT"]
    assert callable(build) and issubclass(DocgenError, Exception)


def test_every_api_name_is_exported():
    for name in docgen.__all__:
        assert getattr(docgen, name) is not None
    assert docgen.render is api.render and docgen.import_ is api.import_


def test_docgen_error_does_not_depend_on_click(tmp_path):
    assert not issubclass(docgen.DocgenError, click.ClickException)
    bad = tmp_path / "x.yaml"
    bad.write_text("loai: ke_hoach\nnam: 2023\n", encoding="utf-8")
    with pytest.raises(docgen.DocgenError) as caught:
        docgen.render(bad, tmp_path / "x.docx")
    messages = [str(p) for p in caught.value.problems]
    assert f"{bad}:1: co_quan: thiếu trường bắt buộc" in messages and len(messages) > 3  # every problem at once
    assert caught.value.exit_code == 1 and not (tmp_path / "x.docx").exists()


def test_report_figures_are_the_computed_ones():
    figures = docgen.report(ROOT / "data" / "bao_cao_2023_quy_1.yaml")
    assert figures.den_han == figures.hoan_thanh + figures.dang_thuc_hien + figures.chua_thuc_hien
    assert figures.tong >= figures.den_han > 0
    done = round(100 * figures.hoan_thanh / figures.den_han, 1)
    assert figures.ty_le == f"{done:.1f}".rstrip("0").rstrip(".").replace(".", ",")


def test_rollover_and_import_return_what_they_wrote(tmp_path):
    plan = tmp_path / "ke_hoach_2023.yaml"
    shutil.copy(PLAN, plan)
    rolled = docgen.rollover(plan, 2024)
    assert rolled.path == tmp_path / "ke_hoach_2024.yaml" and rolled.path.is_file()
    assert rolled.changes and all(c.new != c.old for c in rolled.changes)
    imported = docgen.import_(docgen.render(plan, tmp_path / "kh.docx").docx, tmp_path / "lai.yaml")
    assert imported.path.is_file() and imported.counts["nhiem_vu"] > 10


def test_batch_returns_one_result_per_unit(tmp_path):
    results = docgen.batch(PLAN, ROOT / "data" / "don_vi.yaml", tmp_path, jobs=1)
    assert results and all(r.path is not None and r.path.is_file() and not r.problems for r in results)


# ---- the registry ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", DOCUMENTS, ids=lambda k: k.loai)
def test_each_document_kind_has_its_template_schema_and_ky_hieu(kind):
    assert kind.template_path().is_file()
    assert kind.schema_path().is_file()
    assert kind.check and kind.model_class().model_fields["loai"].annotation.__args__ == (kind.loai,)
    assert kind.ky_hieu is None or kind.ky_hieu == kind.check


def test_schema_command_offers_every_kind():
    for loai in KINDS:
        out = CliRunner().invoke(main, ["schema", loai])
        assert out.exit_code == 0 and json.loads(out.output) == json_schema(loai)
    assert CliRunner().invoke(main, ["schema", "khong_co"]).exit_code == 2


def test_unknown_kind_lists_the_registry(tmp_path, minimal_text):
    src = tmp_path / "x.yaml"
    src.write_text(minimal_text.replace("loai: ke_hoach", "loai: thong_bao"), encoding="utf-8")
    out = CliRunner().invoke(main, ["render", str(src), "-o", str(tmp_path / "x.docx")])
    assert out.exit_code == 1
    assert out.stderr == (f"Lỗi: {src}:1: loai: loại văn bản 'thong_bao' chưa hỗ trợ; chọn một trong: "
                          + ", ".join(k.loai for k in DOCUMENTS) + "\n")

