"""Templates are untrusted: they travel between offices by e-mail.

A template that calls what it may not, loops too long, builds huge values or is simply
broken ends with one Vietnamese error naming the template, exit 1, and no file; whether
the code sits in the body or in a header.
"""
import jinja2
import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.core import build_document, default_template, render_bytes
from docgen.rendering import _template_problem, prepared
from docgen.sandbox import MAX_CHARS, MAX_STEPS, TOO_BIG, TOO_LONG, TOO_MUCH_WORK

from .util import PLAN, Doc, docx_with, run_docgen

LOOP = "mẫu chạy quá 1.000.000 bước (vòng lặp, lời gọi hoặc xử lý chuỗi quá nhiều)"
LONG = "mẫu tạo ra chuỗi hoặc danh sách quá dài (hơn 8.000.000 ký tự hoặc phần tử)"
UNSAFE = "mẫu truy cập thuộc tính '{}': không được phép (mẫu có thể chứa mã độc)"
SYNTAX = "thẻ mẫu sai cú pháp ({}); gõ lại thẻ liền một lần trong Word"
TYPE = ("mẫu làm một phép tính hoặc lời gọi không hợp với kiểu giá trị (ví dụ cộng chữ với số, gọi một giá trị "
        "không phải hàm)")

CASES = [
    # code execution through Python internals
    ("popen", "{{ cycler.__init__.__globals__.os.popen('id').read() }}", UNSAFE.format("__init__")),
    ("class_mro", "{{ ''.__class__.__mro__[1].__subclasses__() }}", UNSAFE.format("__class__")),
    ("globals_of_data", "{{ co_quan.__class__.__init__.__globals__ }}", UNSAFE.format("__init__")),
    ("format_internals", "{{ '{0.__class__}'.format(trich_yeu) }}", "mẫu gọi 'format' trên chuỗi: không được phép"),
    # unbounded work and memory
    ("huge_range", "{{ range(10**10)|list }}", "mẫu dùng số hoặc range quá lớn (range tối đa 100.000 phần tử)"),
    ("nested_loops", "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", LOOP),
    ("huge_string", "{{ 'x'*10**10 }}", LONG),
    ("huge_width", "{{ 'x'.center(10**9) }}", LONG),
    ("format_width", "{{ '%1000000000d' % 1 }}", "mẫu dùng phép '%' trên chuỗi: không được phép"),
    ("huge_number", "{{ 9**9999 }}", TOO_BIG),
    ("doubling_macro", "{% macro d(s, n) %}{% if n %}{{ d(s ~ s, n - 1) }}{% else %}{{ s|length }}{% endif %}"
     "{% endmacro %}{{ d('x', 40) }}", LONG),
    ("replace_blowup", "{{ ('x'*1000000).replace('', 'yyyyyyy') }}", LONG),
    ("join_blowup", "{{ (['x'*1000000]*1000)|join }}", LONG),
    ("compare_loop", "{% set s = 'x'*7000000 %}{% for i in range(100000) %}{% if s == s ~ '' %}{% endif %}"
     "{% endfor %}", LOOP),
    ("unbounded_filter", "{{ 'x'|center(10**9) }}", SYNTAX.format("No filter named 'center'.")),
    # runtime errors of the template
    ("division", "{{ 1/0 }}", "mẫu chia cho 0"),
    ("none_call", "{{ none() }}", TYPE),
    ("text_plus_number", "{{ trich_yeu + 1 }}", TYPE),
    ("missing_substring", "{{ trich_yeu.index('§') }}", "mẫu dùng một giá trị không hợp với phép tính hoặc lời gọi "
     "(ví dụ tìm trong chuỗi một chữ không có)"),
    ("recursion", "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "mẫu gọi lồng nhau quá sâu (macro gọi lại "
     "chính nó)"),
    ("include", "{% include 'x.xml' %}", SYNTAX.format("mẫu không được dùng include, import hay extends (mẫu "
                                                        "phải tự đủ)")),
    ("recursive_loop", "{% for x in [1] recursive %}{{ loop([1]) }}{% endfor %}",
     SYNTAX.format("vòng lặp 'recursive' không được dùng trong mẫu")),
    # malformed XML produced by the template
    ("bad_xml", "{{ '</w:t>'|safe }}", "mẫu Word có phần XML hỏng hoặc tạo ra XML không hợp lệ"),
]


def _template(tmp_path, expr: str, part: str) -> str:
    src = default_template("ke_hoach")
    if part == "body":
        edits = {"word/document.xml": [("{{ trich_yeu }}", expr)]}
    else:
        edits = {"word/header1.xml": [("<w:t>2</w:t>", f"<w:t>{expr}</w:t>")]}
    return str(docx_with(src, tmp_path / "mau.docx", edits))


@pytest.mark.parametrize("part", ["body", "header"])
@pytest.mark.parametrize("name,expr,message", CASES, ids=[c[0] for c in CASES])
def test_hostile_template_is_a_template_error(tmp_path, name, expr, message, part):
    tpl = _template(tmp_path, expr, part)
    out = tmp_path / "o.docx"
    result = CliRunner().invoke(main, ["render", str(PLAN), "-o", str(out), "--template", tpl])
    assert result.exit_code == 1, result.output
    assert result.stderr == f"Lỗi: {tpl}: {message}\n"
    assert not out.exists()


def test_code_in_a_template_never_runs_in_batch_either(tmp_path):
    marker = tmp_path / "pwned"
    tpl = _template(tmp_path, "{{ self._TemplateReference__context.cycler.__init__.__globals__.os"
                              f".system('touch {marker}') }}}}", "body")
    units = tmp_path / "don_vi.csv"
    units.write_text("ma,dia_danh\nA,Tư Nghĩa\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["batch", str(PLAN), "--units", str(units), "-o", str(tmp_path / "out"),
                                       "--template", tpl, "-j", "1"])
    assert result.exit_code == 1
    # refused when the unit renders, in the worker: the unit fails with the template's name and why
    assert (f"Lỗi: đơn vị A: {tpl}: mẫu truy cập thuộc tính '_TemplateReference__context': không được phép"
            in result.stderr)
    assert not marker.exists()
    assert not list(tmp_path.rglob("*.docx"))[1:]  # only the template itself


def test_limits_are_the_documented_ones():
    """The README states these numbers; the messages carry them."""
    assert (MAX_STEPS, MAX_CHARS) == (1_000_000, 8_000_000)
    assert (TOO_MUCH_WORK, TOO_LONG) == (LOOP, LONG)


@pytest.mark.parametrize("expr", ["{{ 'x'*10**10 }}", "{{ range(10**10)|list }}",
                                  "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"])
def test_hostile_template_memory_and_time_bounded(tmp_path, expr):
    """In a separate process under 500 MB of address space: a clean error, no traceback."""
    tpl = _template(tmp_path, expr, "body")
    run = run_docgen("render", PLAN, "-o", tmp_path / "o.docx", "--template", tpl, cpu_s=60)
    run.assert_clean(codes=(1,))
    assert run.err.startswith(f"Lỗi: {tpl}: ")
    assert not (tmp_path / "o.docx").exists()


def test_the_bundled_templates_still_render_in_the_sandbox(plan_doc):
    assert "KẾ HOẠCH" in plan_doc.text()


def test_escaped_tags_in_data_stay_as_typed(tmp_path, minimal_text):
    """``{_{ 7*7 }_}`` typed in the data is printed as typed (docxtpl turned it into ``{{ 7*7 }}``)."""
    src = tmp_path / "kh.yaml"
    src.write_text(minimal_text.replace("trich_yeu: Thực hiện", "trich_yeu: Thực hiện {_{ 7*7 }_} {_% x %_}"),
                   encoding="utf-8")
    doc = Doc(render_bytes(src))
    assert "{_{ 7*7 }_} {_% x %_}" in doc.text()
    assert "{{ 7*7 }}" not in doc.text()


def test_escaped_tags_in_a_template_are_literal(tmp_path):
    """A template author's ``{_{ x }_}`` still prints ``{{ x }}`` (docxtpl's documented escape)."""
    tpl = _template(tmp_path, "{_{ trich_yeu }_}", "body")
    _, context, props = build_document(PLAN)
    assert "{{ trich_yeu }}" in Doc(prepared(tpl).render(context, props)).text()


@pytest.mark.parametrize("source", ["{{ range(3)|docgen_loop }}", "{{ 'a'|docgen_sized }}",
                                    "{{ range(3)|docgen loop }}"])
def test_the_bounds_hooks_cannot_be_named_by_a_template(source):
    """The compiler inserts the bounds' hooks as filters; a template cannot call them itself."""
    import jinja2

    from docgen.sandbox import LOOP_HOOK, SIZE_HOOK, template_env

    env = template_env()
    assert {LOOP_HOOK, SIZE_HOOK} <= set(env.filters)
    with pytest.raises(jinja2.TemplateSyntaxError):
        env.from_string(source)
    assert env.from_string("{% for i in range(3) %}{{ i }}{% endfor %}").render() == "012"


@pytest.mark.parametrize("exc, message", [
    (KeyError("x"), "mẫu lấy một phần tử không có trong dữ liệu"),
    (IndexError("x"), "mẫu lấy một phần tử không có trong dữ liệu"),
    (UnicodeError("x"), "mẫu dùng một giá trị không hợp với phép tính hoặc lời gọi (ví dụ tìm trong chuỗi một chữ "
                        "không có)"),
    (AssertionError("x"), "lỗi khi chạy mẫu; kiểm tra lại các thẻ {{ }} và {% %} vừa sửa trong mẫu Word"),
    (jinja2.UndefinedError("'so_lieu' is undefined"), "mẫu dùng biến 'so_lieu' mà dữ liệu không có"),
    (jinja2.UndefinedError("'types.SimpleNamespace object' has no attribute 'ten_cu'"),
     "mẫu dùng trường 'ten_cu' mà dữ liệu không có"),
    (jinja2.UndefinedError(None), "mẫu dùng một biến không có trong dữ liệu"),
])
def test_every_template_error_reads_in_vietnamese_without_a_python_name(exc, message):
    """Errors that Jinja's own code raises from a template's data: the clerk sees what to look at, never the
    Python class (KeyError...)."""
    problem = _template_problem("mau.docx", exc).problems[0]
    assert (problem.file, problem.message) == ("mau.docx", message)
    assert type(exc).__name__ not in problem.message


def _steps(source: str, **context) -> tuple[str, int]:
    """The output of ``source`` in the sandbox and the steps its render was charged."""
    from docgen import sandbox

    budgets = []

    class Recording(sandbox._Budget):
        def __init__(self) -> None:
            super().__init__()
            budgets.append(self)

    real, sandbox._Budget = sandbox._Budget, Recording
    try:
        out = sandbox.template_env().from_string(source).render(**context)
    finally:
        sandbox._Budget = real
    return out, budgets[-1].steps


@pytest.mark.parametrize("length", [0, 1, 99, 100, 250])
def test_comparing_with_a_text_costs_what_comparing_with_the_same_value_costs(length):
    """`x == "..."` is charged at once for both sides (sandbox._Bound.visit_Compare): the same steps as two
    charges, so every render ends or not at the same point."""
    text = "a" * length
    values = ["", "b", text, "c" * 180]
    literal = _steps('{% for x in xs %}{% if x == "' + text + '" %}1{% elif x != "b" %}2{% endif %}{% endfor %}',
                     xs=values)
    variable = _steps("{% for x in xs %}{% if x == t %}1{% elif x != b %}2{% endif %}{% endfor %}", xs=values,
                      t=text, b="b")
    assert literal == variable and literal[1] > len(values)


def test_text_with_nothing_to_escape_is_written_as_it_is_and_the_rest_escaped():
    out, _ = _steps("{{ a }}|{{ b }}|{{ c }}|{{ d }}", a="Kế hoạch", b="<w:t> & \"'", c=5, d=None)
    assert out == "Kế hoạch|&lt;w:t&gt; &amp; &#34;&#39;|5|None"
