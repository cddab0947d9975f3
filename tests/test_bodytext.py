"""The body's text taken as the document part without a parse (bodytext): for a template that can only write
well-formed XML, the text with markupsafe's quote references and empty elements undone is byte for byte
lxml's serialization of its parse, whatever the values (quotes, empty text, no-break spaces, characters XML
refuses, carriage returns, lone surrogates); templates that could write anything else are never taken.
Whole documents: test_property (fast path == plain docxtpl, every example) and test_same_bytes.
"""
import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from docgen import bodytext, rendering
from docgen.core import build_document, default_template
from docgen.lines import plain_source
from docgen.ooxml import W
from docgen.rendering import prepared
from docgen.sandbox import template_env, unwatch, watch

from .util import EXAMPLES, ROOT

SLOW = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
OPEN = f'<w:body xmlns:w="{W}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
ENV = template_env()

# pieces of a body template: each closes what it opens (balanced), except those marked otherwise
BALANCED = [
    '<w:p><w:r><w:t xml:space="preserve">{{ v }}</w:t></w:r></w:p>',
    "<w:p><w:r><w:t>{{ v }}{{ w }}</w:t></w:r></w:p>",
    '<w:p><w:pPr><w:pStyle w:val="Muc"/></w:pPr>{% if c %}<w:r><w:t>{{ v }}</w:t></w:r>{% endif %}</w:p>',
    "<w:tbl><w:tr><w:tc>{% for x in xs %}<w:p><w:r><w:t>{{ x }}</w:t></w:r></w:p>{% endfor %}</w:tc></w:tr></w:tbl>",
    "<w:p>{% for x in xs %}<w:r><w:t>{{ x }}</w:t></w:r>{% else %}<w:r/>{% endfor %}</w:p>",
    "<w:p><w:r><w:t>{# a comment #}</w:t></w:r></w:p>",
    "<w:p><w:r><w:t>{{ 'Mục' }}{{ 'lớn'|upper }}</w:t></w:r></w:p>",  # constants without quotes
    "<w:p><w:r><w:t> {%- if c %}{{ v }}{% endif -%} </w:t></w:r></w:p>",
    '{% if c %}<w:p/>{% elif v %}<w:p><w:r><w:t>{{ v|upper }}</w:t></w:r></w:p>{% else %}{% endif %}',
    "{% set y = v ~ w %}<w:p><w:r><w:t>{{ y }}</w:t></w:r></w:p>",
    '<w:p><w:r><w:t xml:space="preserve">{{ v|e }}{{ xs|length }}{{ n }}</w:t></w:r></w:p>',
]
UNBALANCED = [  # each read as not balanced: what it writes depends on the data
    "{% if c %}<w:p>{% endif %}<w:r/>{% if c %}</w:p>{% endif %}",
    "{% macro m() %}<w:p/>{% endmacro %}{{ m() }}",
    "{% filter upper %}<w:p/>{% endfilter %}",
    "{% set b %}<w:p/>{% endset %}{{ b }}",
    "<w:p>{% for x in xs %}</w:p><w:p>{% endfor %}</w:p>",
]
VALUES = st.sampled_from(["", "Kế hoạch", 'a "b" \'c\'', "x & y < z > w", "\xa0\xa0/QĐ", "dòng 1\ndòng 2",
                          "tab\there", "a\rb", "bell\x07", "\ud800", "\ufffe", "&#34; typed", "<w:t></w:t>"])


@st.composite
def templates(draw):
    pieces = draw(st.lists(st.sampled_from(BALANCED + UNBALANCED), min_size=1, max_size=5))
    return OPEN + "".join(pieces) + "</w:body>"


@st.composite
def values(draw):
    return {"v": draw(VALUES), "w": draw(VALUES), "c": draw(st.booleans()), "n": draw(st.integers(-5, 5)),
            "xs": draw(st.lists(VALUES, max_size=3))}


def render(source: str, data: dict):
    seen, token = watch()
    try:
        return ENV.from_string(source).render(**data), seen
    finally:
        unwatch(token)


def lxml_writes(text: str) -> bytes:
    """What the render's parse path writes of the body's text (recovering parser, then lxml's serializer)."""
    return etree.tostring(etree.fromstring(text, etree.XMLParser(recover=True)), encoding="UTF-8")


@settings(max_examples=400, **SLOW)
@given(templates(), values())
def test_the_text_of_a_balanced_template_is_lxmls_serialization(source, data):
    assert plain_source(source)
    empties = bodytext.balanced(ENV, source)
    if any(piece in source for piece in UNBALANCED):
        assert empties is None
        return
    assert empties is not None  # every balanced piece is read as balanced
    text, seen = render(source, data)
    written = bodytext.as_lxml_writes(text, seen, empties)
    if written is None:  # a value the parser refuses or changes: only then
        assert any(c in text for c in "\r\x07\ud800\ufffe")
        return
    assert written == lxml_writes(text)
    etree.fromstring(written, etree.XMLParser())  # well-formed, not recovered


@pytest.mark.parametrize("source", [
    "<w:p/>" + OPEN + "</w:body>",  # an element beside the root
    OPEN + "</w:body>{% if c %}<w:p/>{% endif %}",  # a branch outside the root
    "{{ v }}" + OPEN + "</w:body>",  # text outside the root
    OPEN + "<w:p></w:r></w:body>",  # an end tag that closes another element
    OPEN + "{% for x in xs recursive %}<w:p/>{% endfor %}</w:body>",
    OPEN + "<w:p><w:r><w:t>{{ 'a \"b\"' }}</w:t></w:r></w:p></w:body>",  # a constant Jinja escapes when compiling
    OPEN + "<w:p><w:r><w:t>{{ 'x\\x07'|upper }}</w:t></w:r></w:p></w:body>",  # ... with a character XML refuses
])
def test_templates_that_could_write_anything_else_are_not_taken(source):
    assert bodytext.balanced(ENV, source) is None


def test_every_example_is_written_without_a_parse(monkeypatch):
    """The examples take this path (so test_property's fast == plain checks it), and no body is parsed."""
    from docgen.loader import load

    written = []
    real = rendering.PreparedTemplate._written_document

    def spy(self, *args):
        written.append(real(self, *args))
        return written[-1]

    monkeypatch.setattr(rendering.PreparedTemplate, "_written_document", spy)
    for path in EXAMPLES:
        _, context, props = build_document(path)
        tpl = prepared(default_template(load(path).data["loai"]))
        assert tpl.empties is not None
        tpl.render(context, props)
    assert len(written) == len(EXAMPLES) and all(doc is not None for doc in written)


def test_a_template_table_the_fix_up_changes_goes_the_long_way(tmp_path):
    """docxtpl's fix-up of a template table (a row with more cells than the grid) is still done."""
    from .util import docx_with

    src = default_template("ke_hoach")
    path = docx_with(src, tmp_path / "mau.docx", {"word/document.xml": [("</w:tcPr>", "</w:tcPr><w:p/></w:tc>"
                                                                          "<w:tc><w:tcPr/>")]})
    tpl = prepared(path)
    _, context, props = build_document(ROOT / "data" / "ke_hoach_2023.yaml")
    names = rendering.to_namespace({k: v for k, v in context.items() if k != "layout"})
    text = tpl._finish(tpl.body.render(vars(names)), tpl.newlines)
    tables = etree.fromstring(text, rendering._RECOVER).iter(rendering._TBL)
    assert tpl.empties is not None and any(rendering._fix_tables_changes(t) for t in tables)
    fast = zipfile.ZipFile(io.BytesIO(tpl.render(context, props))).read("word/document.xml")
    plain = zipfile.ZipFile(io.BytesIO(rendering.render_plain(path, context))).read("word/document.xml")
    assert fast == plain


# ---- docxtpl's table fix-up decided on a template table's text ------------------------------------------

@st.composite
def tables(draw):
    """A table as lxml writes it: grids of 0-4 columns (or none), rows of 0-5 cells spanning 1-3 columns or an
    odd value, properties before the grid, rows and cells in shapes the text check leaves to the parse."""
    columns = draw(st.integers(0, 4))
    grid = "".join(f'<w:gridCol w:w="{draw(st.integers(100, 3000))}"/>' for _ in range(columns))
    fit = draw(st.booleans())  # rows that cover the grid (what the fix-up leaves alone), else anything
    grid = draw(st.sampled_from([f"<w:tblGrid>{grid}</w:tblGrid>" if grid else "<w:tblGrid/>"]
                                + ([] if fit else [""])))
    rows = []
    for _ in range(draw(st.integers(0, 3))):
        cells = []
        for _ in range(columns if fit else draw(st.integers(0, 5))):
            span = draw(st.sampled_from([None, "1"] if fit else [None, "1", "2", "3", "x", "²"]))
            pr = draw(st.sampled_from(["{w}", "{w}{s}", "{s}{w}", "<w:tcBorders>{s}</w:tcBorders>{w}"]))
            pr = pr.format(w='<w:tcW w:w="100" w:type="dxa"/>', s=f'<w:gridSpan w:val="{span}"/>' if span else "")
            cell = draw(st.sampled_from(["<w:tc><w:tcPr>{pr}</w:tcPr><w:p/></w:tc>", "<w:tc><w:p/></w:tc>"] + (
                [] if fit else ["<w:tc><w:p><w:pPr><w:tcPr>{pr}</w:tcPr></w:pPr></w:p></w:tc>"])))
            cells.append(cell.format(pr=pr))
        trpr = draw(st.sampled_from(["", "<w:trPr><w:cantSplit/></w:trPr>"]))
        shapes = ["<w:tr>{}</w:tr>"] + ([] if fit else ["<w:tr><w:customXml>{}</w:customXml></w:tr>"])
        rows.append(draw(st.sampled_from(shapes)).format(trpr + "".join(cells)))
    tblpr = draw(st.sampled_from(["", '<w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr>']))
    return f"<w:tbl>{tblpr}{grid}{''.join(rows)}</w:tbl>"


@settings(max_examples=400, **SLOW)
@given(tables())
def test_the_fix_up_decided_on_a_tables_text_is_the_trees(table):
    tbl = etree.fromstring(f"{OPEN}{table}</w:body>")[0]
    decided = rendering._fix_tables_changes_text(table)
    assert decided is None or decided == rendering._fix_tables_changes(tbl)


def test_the_bundled_templates_tables_are_decided_on_their_text():
    _, context, props = build_document(ROOT / "data" / "ke_hoach_2023.yaml")
    tpl = prepared(default_template("ke_hoach"))
    names = rendering.to_namespace({k: v for k, v in context.items() if k != "layout"})
    text = tpl._finish(tpl.body.render(vars(names)), tpl.newlines)
    found = rendering._template_tables(text)
    assert len(found) == 2 and [rendering._fix_tables_changes_text(t) for t in found] == [False, False]


def test_the_marks_leave_no_element_written_empty():
    """apply_text writes a paragraph left with nothing (a section mark in a body without sections) as lxml
    does: the document part from the text (no parse) must not hold <w:p></w:p>."""
    from docgen import layout

    from .test_layout_text import STYLES

    body = (f'<w:body xmlns:w="{W}"><w:p w:rsidR="00AB"><w:r><w:t>{layout.mark("s", 0)}</w:t></w:r></w:p>'
            f'<w:p><w:r><w:t>x</w:t></w:r></w:p></w:body>')
    laid = layout.apply_text(body, {"tables": [], "notes": [], "sections": [True]}, STYLES)
    assert laid is not None and '<w:p w:rsidR="00AB"/>' in laid.text
    assert laid.text.encode() == lxml_writes(laid.text)


def test_the_template_cache_key_covers_the_code_that_reads_the_body():
    """The prepared form holds bodytext's reading of the body: a change to that code must not reuse it."""
    from docgen import template_cache

    assert "bodytext.py" in template_cache._OURS and "lines.py" in template_cache._OURS
