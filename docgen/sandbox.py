"""The Jinja environment for templates that may come from anywhere (e-mailed .docx files).

A template is untrusted code. It runs in Jinja's ``ImmutableSandboxedEnvironment``
(no ``__class__``/``__globals__``/``__init__``, no mutation of data) and every way a
template could make the machine work or allocate without end is bounded:

- work: each render of a part has ``MAX_STEPS`` steps; a loop iteration, a call (macro,
  method, filter, test) or handling 100 characters of the values involved is one step;
  ``range`` gives at most the sandbox's 100,000 items;
- size: every string, list or number a template computes (``~``, ``+``, ``*``, ``**``,
  slices, method and filter results, macro output, the rendered part) holds at most
  ``MAX_CHARS`` characters/items (numbers at most ``MAX_INT_BITS`` bits), checked *before*
  the operations that could allocate more (``*``, ``**``, ``join``, ``replace``, widths);
- features: ``include``/``import``/``extends`` (a template must be self-contained),
  recursive loops, ``%`` and ``format`` on strings and the filters that can grow text
  without bound (``center``, ``indent``, ``wordwrap``, ``format``, ``batch``, ``sum``...)
  are refused.

Whatever a template does wrong ends in :class:`TemplateLimitError` (a Vietnamese message)
or one of Jinja's own errors; the renderer turns both into an error naming the template.
"""
from __future__ import annotations

import contextvars
import functools
import inspect
import numbers
import re
from collections.abc import Iterable, Iterator
from types import SimpleNamespace
from typing import Any

import jinja2
import markupsafe
from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

MAX_STEPS = 1_000_000  # per rendered part
CHARS_PER_STEP = 100
MAX_CHARS = 8_000_000  # characters (or items) in any value a template computes, and in a rendered part
MAX_INT_BITS = 4096

# Filters whose output is linear in their input (join and replace are measured first).
SAFE_FILTERS = (
    "abs", "attr", "capitalize", "count", "d", "default", "dictsort", "e", "escape", "first", "float",
    "forceescape", "groupby", "int", "items", "join", "last", "length", "list", "lower", "map", "max", "min",
    "reject", "rejectattr", "replace", "reverse", "round", "safe", "select", "selectattr", "sort", "string",
    "striptags", "title", "trim", "truncate", "unique", "upper", "wordcount",
)
# str methods a template may call; the others can grow text without bound or reach internals.
SAFE_STR_METHODS = frozenset((
    "capitalize", "casefold", "center", "count", "endswith", "find", "index", "isalnum", "isalpha",
    "isdecimal", "isdigit", "islower", "isnumeric", "isspace", "istitle", "isupper", "join", "ljust", "lower",
    "lstrip", "partition", "removeprefix", "removesuffix", "replace", "rfind", "rindex", "rjust", "rpartition",
    "rsplit", "rstrip", "split", "splitlines", "startswith", "strip", "swapcase", "title", "upper", "zfill",
    "striptags", "unescape",
))
SAFE_GLOBALS = ("range", "dict")


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


class TemplateLimitError(jinja2.TemplateRuntimeError):
    """A template asked for more work or memory than any document needs, or for a refused feature.

    The message is Vietnamese and reaches the user as it is.
    """


TOO_MUCH_WORK = f"mẫu chạy quá {_n(MAX_STEPS)} bước (vòng lặp, lời gọi hoặc xử lý chuỗi quá nhiều)"
TOO_LONG = f"mẫu tạo ra chuỗi hoặc danh sách quá dài (hơn {_n(MAX_CHARS)} ký tự hoặc phần tử)"
TOO_BIG = f"mẫu tạo ra số quá lớn (hơn {MAX_INT_BITS} bit)"


class _Budget:
    __slots__ = ("steps",)

    def __init__(self) -> None:
        self.steps = 0


_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("docgen_template_budget", default=None)


def _step(chars: int = 0, more: int = 0) -> None:
    """Charge one step and one per CHARS_PER_STEP of ``chars``, plus ``more`` steps."""
    budget = _BUDGET.get()
    if budget is None:  # not inside a render
        return
    budget.steps += 1 + chars // CHARS_PER_STEP + more
    if budget.steps > MAX_STEPS:
        raise TemplateLimitError(TOO_MUCH_WORK)


def _weight(value: Any) -> int:
    """Characters and items in ``value``, counting shared parts each time; stops past MAX_CHARS."""
    if isinstance(value, str):  # the common case, without the walk
        return len(value)
    total = 0
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, (str, bytes)):
            total += len(v)
        elif isinstance(v, dict):
            total += len(v)
            if total <= MAX_CHARS:
                stack.extend(v.keys())
                stack.extend(v.values())
        elif isinstance(v, (list, tuple, set, frozenset)):
            total += len(v)
            if total <= MAX_CHARS:
                stack.extend(v)
        if total > MAX_CHARS:
            break
    return total


def _check(value: Any) -> int:
    """The weight of ``value``; TemplateLimitError if it is over the limits."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_INT_BITS:
        raise TemplateLimitError(TOO_BIG)
    weight = _weight(value)
    if weight > MAX_CHARS:
        raise TemplateLimitError(TOO_LONG)
    return weight


def _expect(size: int) -> None:
    """Refuse an operation before it allocates ``size`` characters or items."""
    if size > MAX_CHARS:
        raise TemplateLimitError(TOO_LONG)


def _join_size(items: list | tuple, sep: Any) -> int:
    return sum(len(str(x)) for x in items) + max(len(items) - 1, 0) * len(str(sep))


def _replace_size(s: Any, old: Any, new: Any, count: Any = None) -> int:
    s, old, new = str(s), str(old), str(new)
    hits = s.count(old)
    if isinstance(count, int) and count >= 0:
        hits = min(hits, count)
    return len(s) + hits * max(len(new) - len(old), 0)


def _bounded(name: str, func: Any, env: jinja2.Environment) -> Any:
    """A filter or test with its work charged and its result checked (join/replace measured first)."""
    # only join and replace bind their arguments (inspect.signature of the 79 filters and tests: ≈ 3.5 ms)
    signature = inspect.signature(func) if name in ("join", "replace") else None

    @functools.wraps(func)  # keeps jinja_pass_arg (pass_context, pass_eval_context ...)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if signature is not None:
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            a = bound.arguments
            if name == "join":
                items = a["value"]
                if a.get("attribute") is not None:
                    getter = jinja2.filters.make_attrgetter(env, a["attribute"])
                    items = map(getter, items)
                items = items if isinstance(items, (list, tuple)) else list(items)
                _expect(len(items))
                _expect(_join_size(items, a["d"]))
                a["value"], a["attribute"] = items, None
            else:
                _expect(_replace_size(a["s"], a["old"], a["new"], a.get("count")))
            args, kwargs = bound.args, bound.kwargs
        _step(sum(_check(v) for v in args) + sum(_check(v) for v in kwargs.values()))
        result = func(*args, **kwargs)
        _step(_check(result))
        return result

    return wrapper


# The bounds' hooks are filters named so that no template can name them (a filter name in a template is an
# identifier, maybe dotted): only the compiler inserts them.
LOOP_HOOK, SIZE_HOOK = "docgen loop", "docgen sized"


def _hook(name: str, lineno: int, arg: nodes.Node, *args: nodes.Expr) -> nodes.Filter:
    # a filter, not a call: Jinja calls filters directly where every call goes through the sandbox's
    # ``call`` (~40 % of a render's Jinja time); a context filter is never folded at compile time either
    return nodes.Filter(arg, name, list(args), [], None, None, lineno=lineno)


class _Bound(NodeTransformer):
    """Count loop iterations, check ``~`` results, charge comparisons; refuse what a template may not use."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        if node.recursive:
            raise jinja2.TemplateSyntaxError("vòng lặp 'recursive' không được dùng trong mẫu", node.lineno)
        self.generic_visit(node)
        node.iter = _hook(LOOP_HOOK, node.lineno, node.iter)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return _hook(SIZE_HOOK, node.lineno, node)

    def visit_Compare(self, node: nodes.Compare) -> nodes.Node:
        self.generic_visit(node)  # `a == b`, `a in b` cost the size of a and b
        if len(node.ops) == 1 and not isinstance(node.expr, nodes.Const):
            const = node.ops[0].expr
            if isinstance(const, nodes.Const) and type(const.value) is str and len(const.value) <= MAX_CHARS:
                # `b.kieu == "gach"`: the text's steps, known now, charged with the other side's (one call less;
                # nothing happens between the two charges, so the same sum ends the render at the same point)
                node.expr = _hook(SIZE_HOOK, node.lineno, node.expr,
                                  nodes.Const(1 + len(const.value) // CHARS_PER_STEP, lineno=node.lineno))
                return node
        node.expr = _hook(SIZE_HOOK, node.lineno, node.expr)
        for operand in node.ops:
            operand.expr = _hook(SIZE_HOOK, node.lineno, operand.expr)
        return node

    def _refuse(self, node: nodes.Node) -> nodes.Node:
        raise jinja2.TemplateSyntaxError("mẫu không được dùng include, import hay extends (mẫu phải tự đủ)",
                                         node.lineno)

    visit_Include = visit_Import = visit_FromImport = visit_Extends = _refuse


class Seen:
    """What the values written by ``{{ }}`` during a render brought (see ``watch``): ``odd``, a character XML
    refuses or a carriage return (which its parser changes); ``quotes``, a quote markupsafe wrote as a
    character reference (``&#34;``, ``&#39;``)."""

    __slots__ = ("odd", "quotes")

    def __init__(self) -> None:
        self.odd = self.quotes = False


_SEEN: contextvars.ContextVar[Seen | None] = contextvars.ContextVar("docgen_values_seen", default=None)
_NOT_XML_AS_IS = re.compile("[\x00-\x08\x0b\x0c\r\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def watch() -> tuple[Seen, contextvars.Token[Seen | None]]:
    """Watch the values written from now on (until ``_SEEN.reset(token)``)."""
    seen = Seen()
    return seen, _SEEN.set(seen)


def unwatch(token: contextvars.Token[Seen | None]) -> None:
    _SEEN.reset(token)


def _note(text: str) -> None:
    """A value's text that is not all printable or holds a quote: what ``Seen`` notes of it."""
    seen = _SEEN.get()
    if seen is not None:
        if not text.isprintable() and _NOT_XML_AS_IS.search(text):
            seen.odd = True
        if "'" in text or '"' in text:
            seen.quotes = True


def _escape(value: Any) -> Any:
    """``markupsafe.escape`` for what ``{{ }}`` writes, without making a Markup of text that has nothing to
    escape (most values): the compiled code only joins what it writes, so the characters are the same."""
    if type(value) is str:
        if not value.isprintable():
            _note(value)
        if not ("&" in value or "<" in value or ">" in value or "'" in value or '"' in value):
            return value
        _note(value)
        return markupsafe.escape(value)
    out = markupsafe.escape(value)
    seen = _SEEN.get()
    if seen is not None:  # a number, or markup from an earlier escape (whose quotes are references already)
        seen.odd = seen.odd or bool(_NOT_XML_AS_IS.search(out))
        seen.quotes = seen.quotes or "&#" in out
    return out


class BoundedTemplate(jinja2.Template):
    """A compiled template whose every render gets its own work budget."""

    @classmethod
    def _from_namespace(cls, environment: jinja2.Environment, namespace: Any, globals: Any) -> Any:  # noqa: A002
        # the compiled module's ``escape`` (used only to write the value of ``{{ }}``), found at call time
        if namespace.get("escape") is markupsafe.escape:
            namespace["escape"] = _escape
        return super()._from_namespace(environment, namespace, globals)

    def render(self, *args: Any, **kwargs: Any) -> str:
        token = _BUDGET.set(_Budget())
        try:
            return super().render(*args, **kwargs)
        finally:
            _BUDGET.reset(token)


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox plus bounded work and size (see the module docstring)."""

    template_class = BoundedTemplate
    intercepted_binops = frozenset(("*", "**", "+", "-", "/", "//", "%"))

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.filters = {name: _bounded(name, self.filters[name], self) for name in SAFE_FILTERS}
        self.filters.update({LOOP_HOOK: _docgen_loop, SIZE_HOOK: _docgen_sized})  # the bounds' own hooks
        self.tests = {name: _bounded(name, func, self) for name, func in self.tests.items()}
        self.globals = {name: self.globals[name] for name in SAFE_GLOBALS}

    # ---- compile --------------------------------------------------------------------------------
    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        try:
            tree = _Bound().visit(tree)
        except jinja2.TemplateSyntaxError as exc:
            exc.name, exc.filename = name, filename
            raise
        tree.set_environment(self)
        return tree

    # ---- run ------------------------------------------------------------------------------------
    @staticmethod
    def concat(chunks: Iterable[str]) -> str:  # type: ignore[override]  # a bounded "".join
        out: list[str] = []
        append, total, limit = out.append, 0, MAX_CHARS
        for chunk in chunks:
            total += len(chunk)
            if total > limit:
                raise TemplateLimitError(TOO_LONG)
            append(chunk)
        _step(total)
        return "".join(out)

    def wrap_str_format(self, value: Any) -> Any:
        if super().wrap_str_format(value) is None:
            return None

        def refused(*args: Any, **kwargs: Any) -> str:
            raise TemplateLimitError("mẫu gọi 'format' trên chuỗi: không được phép")

        return refused

    def getattr(self, obj: Any, attribute: str) -> Any:
        # The data of a document reaches templates as SimpleNamespace objects (render.to_namespace):
        # reading one of their own public fields is what Jinja's checks would allow anyway, and the
        # hottest path of every render; anything else goes through the sandbox's checks.
        if type(obj) is SimpleNamespace and type(attribute) is str and attribute[:1] != "_":
            try:
                return obj.__dict__[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        value = super().getitem(obj, argument)
        if isinstance(argument, slice):
            _step(_check(value))
        return value

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's API
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str):
            method = getattr(__obj, "__name__", "")
            if method not in SAFE_STR_METHODS:
                raise TemplateLimitError(f"mẫu gọi '{method}' trên chuỗi: không được phép")
            if method == "join" and args:
                items = args[0] if isinstance(args[0], (list, tuple)) else list(args[0])
                _expect(len(items))
                _expect(_join_size(items, owner))
                args = (items,) + args[1:]
            elif method == "replace" and len(args) >= 2:
                _expect(_replace_size(owner, args[0], args[1], args[2] if len(args) > 2 else kwargs.get("count")))
            for value in list(args) + list(kwargs.values()):
                if isinstance(value, int) and not isinstance(value, bool):
                    _expect(value)  # widths (center, ljust, zfill...)
        _step(_weight(owner) + sum(_check(v) for v in args) + sum(_check(v) for v in kwargs.values()))
        result = super().call(__context, __obj, *args, **kwargs)
        _step(_check(result))
        return result

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _step(_check(left) + _check(right))
        ints = isinstance(left, numbers.Integral) and isinstance(right, numbers.Integral)
        if operator == "*":
            if ints:
                if int(left).bit_length() + int(right).bit_length() > MAX_INT_BITS:
                    raise TemplateLimitError(TOO_BIG)
            elif isinstance(right, numbers.Integral) and _weight(left):
                _expect(_weight(left) * int(right))
            elif isinstance(left, numbers.Integral) and _weight(right):
                _expect(_weight(right) * int(left))
        elif operator == "**" and ints and int(right) > 0 and abs(int(left)) > 1:
            if int(left).bit_length() * int(right) > MAX_INT_BITS:
                raise TemplateLimitError(TOO_BIG)
        elif operator == "%" and isinstance(left, str):
            raise TemplateLimitError("mẫu dùng phép '%' trên chuỗi: không được phép")
        result = super().call_binop(context, operator, left, right)
        _step(_check(result))
        return result


@jinja2.pass_context
def _docgen_loop(context: Any, iterable: Any) -> Iterator[Any]:
    """Each loop iteration is a step (inserted by _Bound around every ``for``)."""
    for item in iterable:
        _step()
        yield item


@jinja2.pass_context
def _docgen_sized(context: Any, value: Any, more: int = 0) -> Any:
    """A value built or compared costs its size (inserted by _Bound around ``~`` and comparisons), plus
    ``more`` steps (a text it is compared with)."""
    if isinstance(value, str):  # _check's answer for text, without its calls (the common case)
        if len(value) > MAX_CHARS:
            raise TemplateLimitError(TOO_LONG)
        _step(len(value), more)
    else:
        _step(_check(value), more)
    return value


def template_env() -> BoundedEnvironment:
    """The one Jinja environment: sandboxed and bounded; undefined variables fail; values XML-escaped."""
    return BoundedEnvironment(undefined=jinja2.StrictUndefined, autoescape=True, keep_trailing_newline=False)
