"""Page flow on paper: every example document through LibreOffice, judged from the PDF text of each page.

No page ends with a heading or a label that introduces what follows (the lines docgen marks
keep-with-next), the signature block always has body text above it on its page, and no table row's
text is spread over two pages.
"""
import re
import shutil
import subprocess
from collections import Counter

import pytest
import yaml

from docgen.core import build_document, render_bytes
from docgen.layout import KEEP
from docgen.loader import load

from .util import EXAMPLES as SHIPPED
from .util import FIXTURES

EXAMPLES = [p for p in SHIPPED
            if isinstance(load(p).data, dict) and load(p).data.get("loai") in ("ke_hoach", "bao_cao")]
# A plan made so that, without keep-with-next, two of its pages end with a heading (measured: pages 1 and 3).
STRESS = "nhieu_tieu_de"
NAMES = [p.stem for p in EXAMPLES] + [STRESS]


def _stress_plan(path) -> None:
    plan = yaml.safe_load((FIXTURES / "toi_thieu.yaml").read_text(encoding="utf-8"))
    words = "Nội dung triển khai thực hiện nhiệm vụ cải cách hành chính của cơ quan trong năm".split()
    points = []
    for k in range(1, 23):
        length = 25 + (k * 37) % 90
        text = " ".join(words[i % len(words)] for i in range(length)) + "."
        points.append({"diem": f"Tiêu đề điểm số {k} cần đi cùng đoạn sau:", "noi_dung": [text]})
    plan["noi_dung"] = [{"muc": "Nội dung", "noi_dung": [{"khoan": "Các điểm", "noi_dung": points}]}]
    path.write_text(yaml.safe_dump(plan, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    assert shutil.which("soffice") and shutil.which("pdftotext"), "LibreOffice and poppler: .ci/run installs them"
    from docgen.pdf import Converter

    out = tmp_path_factory.mktemp("flow")
    _stress_plan(out / f"{STRESS}.yaml")
    sources = EXAMPLES + [out / f"{STRESS}.yaml"]
    docs = []
    for path in sources:
        docx = out / (path.stem + ".docx")
        docx.write_bytes(render_bytes(path))
        docs.append(docx)
    with Converter() as converter:  # its own: the process's shared converter is other tests' business
        result = converter.convert(docs)
    pdfs = {}
    for path, docx in zip(sources, docs, strict=True):
        pdf = result[docx]
        assert not isinstance(pdf, Exception), pdf
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        pages = text.split("\f")
        pdfs[path.stem] = (path, pages[:-1] if text.endswith("\f") else pages)
    return pdfs


def _blocks(context):
    yield from context["noi_dung"]
    for appendix in context.get("phu_luc", []):
        yield from appendix["noi_dung"]


def _lines(page: str) -> list[str]:
    return [line.strip() for line in page.splitlines() if line.strip()]


@pytest.mark.parametrize("name", NAMES)
def test_no_page_ends_with_a_heading_or_label(converted, name):
    path, pages = converted[name]
    _, context, _ = build_document(path)
    kept = [_norm(b["so"] + b["van_ban"]) for b in _blocks(context) if b["kieu"] != "bang" and KEEP in b["mark"]]
    assert kept, "the document marks its headings"
    notes = [_norm(f"{i} {n}") for i, n in enumerate(context["layout"]["notes"], 1)]
    assert len(pages) >= 2
    for number, page in enumerate(pages[:-1], 1):
        lines = _lines(page)
        while lines and any(_norm(lines[-1]) in note for note in notes):  # footnotes sit below the text
            lines.pop()
        last = _norm(lines[-1])
        ending = [h for h in kept if h.endswith(last) and (len(last) >= 8 or h == last)]
        assert not ending, f"page {number} ends with {last!r} (of {ending[0]!r})"


@pytest.mark.parametrize("name", NAMES)
def test_signature_never_alone(converted, name):
    _, pages = converted[name]
    at = next(i for i, page in enumerate(pages) if "Nơi nhận:" in page)
    lines = _lines(pages[at])
    before = [x for x in lines[:lines.index("Nơi nhận:")] if not re.fullmatch(r"\d+", x)]
    assert before, f"page {at + 1}: the signature block has no body text above it"


def _cell_text(cell) -> str:
    value = cell.get("van_ban", "")
    return " ".join(value) if isinstance(value, list) else value


@pytest.mark.parametrize("name", [p.stem for p in EXAMPLES])
def test_no_table_row_split_over_two_pages(converted, name):
    path, pages = converted[name]
    _, context, _ = build_document(path)
    page_words = [Counter(page.split()) for page in pages]
    signed = next(i for i, page in enumerate(pages) if "Nơi nhận:" in page)
    # a table is looked for in its part: the body's pages or the appendices' (a task table repeats the body)
    in_appendix = {int(m) for a in context.get("phu_luc", []) for b in a["noi_dung"] if b["kieu"] == "bang"
                   for m in re.findall(r"t(\d+)", b["van_ban"])}
    tables = context["layout"]["tables"]
    assert tables
    checked = total = 0
    for n, table in enumerate(tables):
        part = range(signed + 1, len(pages)) if n in in_appendix else range(0, signed + 1)
        everywhere = sum((page_words[i] for i in part), Counter())
        for row in [r["o"] for r in table["dong"]] + ([table["tong"]] if table.get("tong") else []):
            total += 1
            words = [w for c in row for w in _cell_text(c).split()]
            # words printed once in their part of the document place the row without doubt
            unique = [w for w in words if everywhere[w] == 1 and len(w) > 3]
            if len(unique) < 2:
                continue
            checked += 1
            on = {i + 1 for i in part if any(page_words[i][w] for w in unique)}
            assert len(on) == 1, f"row {words[:8]} is on pages {sorted(on)}"
    assert checked >= total // 2, (checked, total)
