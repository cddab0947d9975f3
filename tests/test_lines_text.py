"""The decree's lines sized on the body's text before its parse (lines.size_lines_text) give the tree that
sizing them on the parsed body (lines.size_lines) gives: lines in cells and at the top level, cells with and
without widths, sections portrait and landscape, the attached plan's title line, formatted headings; shapes
it does not read are left to the tree (None), never sized otherwise. Whole documents: test_property (fast
path == plain docxtpl) and test_same_bytes.
"""
import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from docgen import lines, rendering
from docgen.core import build_document, default_template
from docgen.lines import DECISION_LINE, plain_source, size_lines, size_lines_text
from docgen.ooxml import W
from docgen.rendering import prepared, render_plain

from .util import EXAMPLES, ROOT

STYLES = prepared(default_template("ke_hoach")).styles
SLOW = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OPEN = f'<w:body xmlns:w="{W}" xmlns:r="{R}" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml">'
PORTRAIT = ('<w:sectPr w:rsidR="00FC693F"><w:headerReference w:type="default" r:id="rId8"/>'
            '<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701" '
            'w:header="567" w:footer="567" w:gutter="0"/></w:sectPr>')
SECTIONS = [
    PORTRAIT,
    '<w:sectPr><w:type w:val="nextPage"/><w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>'
    '<w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701" w:header="567" w:footer="567" '
    'w:gutter="0"/><w:pgNumType w:start="1"/></w:sectPr>',
    '<w:sectPr><w:pgSz w:w="12240" w:h="15840"/></w:sectPr>',  # no margins: the defaults
    "<w:sectPr/>",
]
HEADINGS = ["Coquanbanhanh", "Tieungu", "Trichyeu", "Phuluckemtheo", "Tenloai", None]
TEXTS = ["BAN DÂN TỘC", "Độc lập - Tự do - Hạnh phúc", DECISION_LINE + " số 5/QĐ-UBND)", "a &amp; b", " ", ""]


@st.composite
def headings(draw):
    style = draw(st.sampled_from(HEADINGS))
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    runs = []
    for _ in range(draw(st.integers(0, 3))):
        rpr = draw(st.sampled_from(["", "<w:rPr><w:b/></w:rPr>", '<w:rPr><w:sz w:val="26"/><w:i/></w:rPr>',
                                    '<w:rPr><w:rStyle w:val="Thamchieuchuthich"/></w:rPr>']))
        space = draw(st.sampled_from(["", ' xml:space="preserve"']))
        runs.append(f"<w:r>{rpr}<w:t{space}>{draw(st.sampled_from(TEXTS))}</w:t></w:r>" if draw(st.integers(0, 5))
                    else "<w:r><w:tab/></w:r>")  # a tab before the decision's words: not the decision's line
    start = draw(st.sampled_from(["<w:p>", '<w:p w:rsidR="00AB12CD">']))
    return f"{start}{ppr}{''.join(runs)}</w:p>"


@st.composite
def line(draw):
    style = draw(st.sampled_from(["Duongkedu", "Duongkengan"]))
    extra = draw(st.sampled_from(["", '<w:jc w:val="center"/>', '<w:ind w:start="5" w:hanging="3"/>',
                                  '<w:spacing w:after="0"/><w:ind w:left="9"/><w:jc w:val="left"/>']))
    start = draw(st.sampled_from(["<w:p>", '<w:p w14:paraId="1A2B3C4D">']))
    return f'{start}<w:pPr><w:pStyle w:val="{style}"/>{extra}</w:pPr></w:p>'


@st.composite
def blocks(draw, depth=0):
    """A heading then its line, in the shapes templates have, plus what sits around them."""
    kind = draw(st.sampled_from(["pair", "pair", "decision", "cell", "cell", "other", "break", "lone line"]
                                + (["nested"] if depth == 0 else [])))
    if kind == "pair":
        return draw(headings()) + draw(line())
    if kind == "decision":  # the attached plan: title, the decision's line, then the short line
        return (draw(headings()) + f'<w:p><w:pPr><w:pStyle w:val="Phuluckemtheo"/></w:pPr><w:r><w:t>'
                f"{DECISION_LINE} số 1)</w:t></w:r></w:p>" + draw(line()))
    if kind in ("cell", "nested"):
        cells = []
        for _ in range(draw(st.integers(1, 2))):
            tcw = draw(st.sampled_from(['<w:tcW w:type="dxa" w:w="3798"/>', '<w:tcW w:w="5669" w:type="dxa"/>',
                                        "", '<w:tcW w:type="pct" w:w="2500"/>', '<w:vAlign w:val="top"/>',
                                        '<w:tcW w:type="dxa"/>']))
            inner = draw(blocks(depth + 1)) if kind == "nested" else ""
            cells.append(f"<w:tc><w:tcPr>{tcw}</w:tcPr>{inner}{draw(headings())}{draw(line())}</w:tc>")
        return f'<w:tbl><w:tblGrid><w:gridCol w:w="3798"/></w:tblGrid><w:tr>{"".join(cells)}</w:tr></w:tbl>'
    if kind == "break":  # a paragraph ending a section
        style = draw(st.sampled_from(["", '<w:pStyle w:val="Ngatphan"/>', '<w:pStyle w:val="Duongkengan"/>']))
        return f"<w:p><w:pPr>{style}{draw(st.sampled_from(SECTIONS))}</w:pPr></w:p>"
    if kind == "lone line":
        return draw(line())
    return draw(st.sampled_from(['<w:tbl w:_docgen="0"/>', '<w:bookmarkStart w:id="0" w:name="a"/>', "<w:p/>",
                                 "<w:p><w:r><w:t>x</w:t></w:r></w:p>"]))


@st.composite
def bodies(draw):
    body = "".join(draw(blocks()) for _ in range(draw(st.integers(1, 6))))
    return OPEN + body + draw(st.sampled_from(["", *SECTIONS])) + "</w:body>"


def by_tree(body: str, width: int) -> bytes:
    tree = etree.fromstring(body)
    size_lines(tree, STYLES, width)
    return etree.tostring(tree)


@settings(max_examples=300, **SLOW)
@given(bodies(), st.sampled_from([9355, 14287]))
def test_lines_sized_on_text_give_the_tree_sized_lines(body, width):
    try:
        expected = by_tree(body, width)
    except Exception:  # noqa: BLE001 - a tcW without a width: the tree's error stays the tree's
        assert size_lines_text(body, STYLES, width) is None
        return
    sized = size_lines_text(body, STYLES, width)
    if sized is not None:
        assert etree.tostring(etree.fromstring(sized)) == expected


def test_the_shapes_of_the_templates_are_read_as_text():
    """The property above must not pass by leaving everything to the tree."""
    cell = ('<w:tbl><w:tr><w:tc><w:tcPr><w:tcW w:type="dxa" w:w="3798"/></w:tcPr>'
            '<w:p><w:pPr><w:pStyle w:val="Coquanbanhanh"/></w:pPr><w:r><w:t>BAN DÂN TỘC</w:t></w:r></w:p>'
            '<w:p><w:pPr><w:pStyle w:val="Duongkengan"/></w:pPr></w:p></w:tc></w:tr></w:tbl>')
    appendix = ('<w:p><w:pPr><w:pStyle w:val="Phuluctieude"/></w:pPr><w:r><w:t>DANH MỤC</w:t></w:r></w:p>'
                f'<w:p><w:pPr><w:pStyle w:val="Phuluckemtheo"/></w:pPr><w:r><w:t>{DECISION_LINE} số 1)</w:t>'
                '</w:r></w:p><w:p><w:pPr><w:pStyle w:val="Duongkengan"/></w:pPr></w:p>')
    brk = f"<w:p><w:pPr>{SECTIONS[0]}</w:pPr></w:p>"
    for body in (cell, cell + brk + appendix, appendix + brk + cell):
        body = OPEN + body + SECTIONS[1] + "</w:body>"
        sized = size_lines_text(body, STYLES, 9355)
        assert sized is not None and sized != body
        assert etree.tostring(etree.fromstring(sized)) == by_tree(body, 9355)


@pytest.mark.parametrize("body", [
    '<w:p><w:r><w:t>x</w:t></w:r></w:p><w:p><w:pPr><w:pStyle w:val="Duongkedu"/></w:pPr>'
    "<w:r><w:t>not empty</w:t></w:r></w:p>",  # a line paragraph holding text
    '<w:tbl w:_docgen="0"/><w:p><w:pPr><w:pStyle w:val="Duongkedu"/></w:pPr></w:p>',  # a table above
    '<w:p><w:pPr><w:pStyle w:val="Duongkedu"/></w:pPr></w:p>',  # nothing above
    '<w:p><w:r><w:t>x</w:t></w:r></w:p><w:p><w:pPr><w:rPr><w:sectPr/></w:rPr></w:pPr></w:p>'
    '<w:p><w:pPr><w:pStyle w:val="Duongkedu"/></w:pPr></w:p>',  # a sectPr where no section ends
])
def test_other_shapes_are_left_to_the_tree(body):
    assert size_lines_text(OPEN + body + "</w:body>", STYLES, 9355) is None


def test_only_plain_sources_are_read_as_text():
    for template in sorted((ROOT / "docgen" / "templates").glob("*.docx")):
        assert prepared(template).plain, template.name
    good = f'<w:body xmlns:w="{W}"><w:p><w:pPr><w:pStyle w:val="A"/></w:pPr><w:r><w:t>{{{{ x }}}}</w:t></w:r></w:p>'
    assert plain_source(good + "</w:body>")
    for odd in ["<!-- c -->", "<![CDATA[<w:p/>]]>", "<?pi x?>", "&#65;", "\n", "{{ x|safe }}",
                "{% autoescape false %}{% endautoescape %}", '<w:p w:x="{{ a }}"/>', '<w:pStyle w:x="1" w:val="A"/>',
                f'<w:p xmlns:v="{W}"/>', '<w:tbl><w:tr><w:tc w:x="1"/></w:tr></w:tbl>']:
        assert not plain_source(good + odd + "</w:body>"), odd


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_sizes_its_lines_on_text(path, monkeypatch):
    """The examples' lines are sized as text (so test_property's fast == plain checks this path)."""
    _, context, props = build_document(path)
    from docgen.loader import load

    tpl = prepared(default_template(load(path).data["loai"]))
    sized = []
    real = rendering.size_lines_text

    def spy(*args):
        sized.append(real(*args))
        return sized[-1]

    monkeypatch.setattr(rendering, "size_lines_text", spy)
    monkeypatch.setattr(rendering, "size_lines", lambda *args: pytest.fail("lines sized on the tree"))
    tpl.render(context, props)
    assert sized and sized[0] is not None


def test_text_that_does_not_parse_is_sized_on_the_tree(monkeypatch):
    """The text's reading of the structure holds for well-formed text only: otherwise the tree is sized."""
    _, context, props = build_document(ROOT / "data" / "ke_hoach_2023.yaml")
    tpl = prepared(default_template("ke_hoach"))
    expected = tpl.render(context, props)
    monkeypatch.setattr(tpl, "empties", None)  # a template not known to write only well-formed XML (bodytext)
    monkeypatch.setattr(rendering, "size_lines_text", lambda xml, *args: xml.replace("</w:body>", "<w:p></w:body>"))
    calls = []
    monkeypatch.setattr(rendering, "size_lines", lambda *args: calls.append(lines.size_lines(*args)))
    assert tpl.render(context, props) == expected and calls


# ---- docxtpl's newline before each paragraph: left out of a plain body whose Jinja code holds no paragraph ----

@pytest.mark.parametrize("expr, newlines", [
    ("{{ trich_yeu }}", False),  # the bundled template: compiled without them
    ("{{ '&lt;w:p&gt;'|length }}/{{ trich_yeu }}", True),  # docxtpl's newline is in the literal: 6, not 5
    ("{% if '&lt;w:p&gt;' in trich_yeu %}x{% endif %}{{ trich_yeu }}", True),
])
def test_a_body_compiled_without_docxtpls_newlines_renders_as_docxtpl(tmp_path, expr, newlines):
    from .util import docx_with

    path = docx_with(default_template("ke_hoach"), tmp_path / "mau.docx",
                     {"word/document.xml": [("{{ trich_yeu }}", expr)]})
    tpl = prepared(path)
    assert tpl.plain and tpl.newlines is newlines
    _, context, props = build_document(ROOT / "data" / "ke_hoach_2023.yaml")
    fast = zipfile.ZipFile(io.BytesIO(tpl.render(context, props))).read("word/document.xml")
    plain = zipfile.ZipFile(io.BytesIO(render_plain(path, context))).read("word/document.xml")
    assert fast == plain
    if "length" in expr:
        assert b">6/" in fast  # the literal's length counts docxtpl's newline, as docxtpl's does
