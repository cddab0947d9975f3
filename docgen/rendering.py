"""Render a context into a .docx with docxtpl, preparing each template once.

Plain docxtpl re-opens the package, re-patches the XML and re-compiles Jinja for
every document. ``PreparedTemplate`` does that work once per template and process;
per document it only renders Jinja, applies docxtpl's own post-processing (the same
functions, so the XML is identical to the plain path) and writes the zip, copying
unchanged parts. ``render_plain`` is the plain path, kept for tests and benchmarks.
"""
from __future__ import annotations

import copy
import datetime as dt
import io
import os
import re
import struct
import zipfile
import zlib
from functools import cached_property, lru_cache
from pathlib import Path
from types import CodeType, SimpleNamespace
from typing import Any

import jinja2
import jinja2.meta
from jinja2.exceptions import SecurityError
from lxml import etree

from . import bodytext, layout, template_cache
from .docx_safe import SafeZip
from .errors import DocgenError, Problem
from .lines import page_text_width, parse_in, plain_source, size_lines, size_lines_text
from .model import Properties
from .ooxml import Styles, q
from .sandbox import Seen, TemplateLimitError, template_env, unwatch, watch

_HEADER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
_FOOTER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
FOOTNOTES = "word/footnotes.xml"  # the template carries the part (separators only); notes fill it per document


def to_namespace(value: Any) -> Any:
    """Dicts as attribute objects for Jinja.

    ``{{ b.items }}`` on a dict finds the method, not the key; and Jinja tries the
    attribute first, so every dict lookup costs a caught AttributeError. Objects fix both.
    """
    kind = type(value)
    if kind is dict:  # (loops, not comprehensions: each comprehension is a function call of its own)
        out = {}
        for k, v in value.items():
            out[k] = v if type(v) is str else to_namespace(v)
        return SimpleNamespace(**out)
    if kind is list:
        items = []
        for v in value:
            items.append(v if type(v) is str else to_namespace(v))
        return items
    return value


_ESCAPES = (("{_{", "{{"), ("}_}", "}}"), ("{_%", "{%"), ("%_}", "%}"))


def jinja_env() -> jinja2.Environment:
    """The one Jinja environment: sandboxed with bounded work (templates are untrusted, see sandbox.py)."""
    return template_env()


def escape(text: str) -> str:
    """XML text escaping, as ``xml.sax.saxutils.escape`` (which imports urllib.request: ~30 ms at start-up)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


_LATEST = dt.datetime(2107, 12, 31, 23, 59, 58)  # the last time a zip entry can hold


def fixed_time(date: dt.date | None) -> dt.datetime:
    """The timestamp of every zip entry and of the core properties.

    ``SOURCE_DATE_EPOCH`` wins (reproducible-builds.org); else the document's own date;
    else 1980-01-01, the earliest a zip can hold.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit() and len(epoch.strip()) < 20:
        # clamped first: a timestamp past year 9999 is no datetime at all
        seconds = min(int(epoch), int(_LATEST.replace(tzinfo=dt.UTC).timestamp()))
        when = dt.datetime.fromtimestamp(seconds, dt.UTC).replace(tzinfo=None)
    elif date is not None:
        when = dt.datetime(date.year, date.month, date.day)
    else:
        when = dt.datetime(1980, 1, 1)
    # a zip entry holds 1980-01-01 to 2107-12-31
    return min(max(when, dt.datetime(1980, 1, 1)), _LATEST)


def core_xml(props: Properties, when: dt.datetime) -> bytes:
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
        ' xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(props.title)}</dc:title><dc:subject>{escape(props.subject)}</dc:subject>"
        f"<dc:creator>{escape(props.creator)}</dc:creator><cp:lastModifiedBy>{escape(props.creator)}"
        "</cp:lastModifiedBy><cp:revision>1</cp:revision><dc:language>vi-VN</dc:language>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    ).encode()


_UNDEFINED = re.compile(r"'(?P<name>[^']*)' is undefined|has no attribute '(?P<attribute>[^']*)'")


def _undefined_message(jinja_message: str) -> str:
    """Jinja's "'x' is undefined" / "'... object' has no attribute 'y'" in Vietnamese, naming the variable."""
    found = _UNDEFINED.search(jinja_message)
    if found is None:
        return "mẫu dùng một biến không có trong dữ liệu"
    if found.group("name") is not None:
        return f"mẫu dùng biến '{found.group('name')}' mà dữ liệu không có"
    return f"mẫu dùng trường '{found.group('attribute')}' mà dữ liệu không có"


def _template_problem(name: str, exc: BaseException) -> DocgenError:
    """A Vietnamese error naming the template, for anything that went wrong inside it."""
    if isinstance(exc, TemplateLimitError):
        message = str(exc)
    elif isinstance(exc, jinja2.UndefinedError):
        message = _undefined_message(exc.message or "")
    elif isinstance(exc, jinja2.TemplateSyntaxError):
        message = f"thẻ mẫu sai cú pháp ({exc.message}); gõ lại thẻ liền một lần trong Word"
    elif isinstance(exc, SecurityError):
        found = re.search(r"attribute '([^']*)'", str(exc))
        what = f"thuộc tính '{found.group(1)}'" if found else "một hàm không an toàn"
        message = f"mẫu truy cập {what}: không được phép (mẫu có thể chứa mã độc)"
    elif isinstance(exc, RecursionError):
        message = "mẫu gọi lồng nhau quá sâu (macro gọi lại chính nó)"
    elif isinstance(exc, ZeroDivisionError):
        message = "mẫu chia cho 0"
    elif isinstance(exc, OverflowError):
        message = "mẫu dùng số hoặc range quá lớn (range tối đa 100.000 phần tử)"
    elif isinstance(exc, etree.XMLSyntaxError):
        message = "mẫu Word có phần XML hỏng hoặc tạo ra XML không hợp lệ"
    elif isinstance(exc, MemoryError):
        message = "mẫu cần quá nhiều bộ nhớ"
    elif isinstance(exc, TypeError):
        message = ("mẫu làm một phép tính hoặc lời gọi không hợp với kiểu giá trị (ví dụ cộng chữ với số, "
                   "gọi một giá trị không phải hàm)")
    elif isinstance(exc, LookupError):
        message = "mẫu lấy một phần tử không có trong dữ liệu"
    elif isinstance(exc, ValueError):
        message = "mẫu dùng một giá trị không hợp với phép tính hoặc lời gọi (ví dụ tìm trong chuỗi một chữ không có)"
    else:
        message = "lỗi khi chạy mẫu; kiểm tra lại các thẻ {{ }} và {% %} vừa sửa trong mẫu Word"
    return DocgenError(Problem(message, name))


_RECOVER = etree.XMLParser(recover=True)
_STRICT = etree.XMLParser()  # the same tree as _RECOVER's for well-formed text; raises on anything else
# python-docx's part parser and writer (docx.opc.oxml), without importing python-docx
_PART_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)


def _parse_part(xml: bytes) -> etree._Element:
    return etree.fromstring(xml, _PART_PARSER)


def _serialize_part(element: etree._Element) -> bytes:
    return etree.tostring(element, encoding="UTF-8", standalone=True)


_TBL, _GRID, _COL, _TR, _TC, _TCPR, _SPAN, _VAL = (q(f"w:{n}") for n in ("tbl", "tblGrid", "gridCol", "tr", "tc",
                                                                         "tcPr", "gridSpan", "val"))


def _fix_tables_changes(tbl: etree._Element) -> bool:
    """Whether docxtpl's ``fix_tables`` would change this table (or fail on it): a row with more cells than
    grid columns, or no row covering them all. Most tables need no fix-up: their parse is the same tree."""
    # iterchildren: find/findall with a tag go through ElementPath (a few µs a call)
    grid = next(tbl.iterchildren(_GRID), None)
    if grid is None:
        return True
    columns = sum(1 for _ in grid.iterchildren(_COL))
    widest = 0
    for tr in tbl.iter(_TR):
        cells = list(tr.iterchildren(_TC))
        if len(cells) > columns:
            return True
        covered = 0
        for tc in cells:
            # tc.find("w:tcPr/w:gridSpan"): the first gridSpan of the tcPr children, in order
            span = next((sp for pr in tc.iterchildren(_TCPR) for sp in pr.iterchildren(_SPAN)), None)
            if span is None:
                covered += 1
            elif (val := span.get(_VAL, "")).isdigit() and val.isascii():
                covered += int(val)
            else:
                return True  # not a plain number: docxtpl's own code decides (and raises)
        widest = max(widest, covered)
    return widest < columns


_DECLARATION = re.compile(rb' xmlns(?::([^=]+))?="([^"]*)"')


@lru_cache(maxsize=64)
def _bare_start_tag(tag: bytes, outer: tuple[tuple[str | None, str], ...]) -> bytes | None:
    """``tag`` without the namespace declarations ``outer`` makes already, or None when it binds a name the
    outer element binds to another prefix (lxml would then rename elements: left to lxml)."""
    bound = dict(outer)
    by_name = {uri: prefix for prefix, uri in outer}
    if len(by_name) < len(outer):  # a name bound to two prefixes: lxml picks one of them for the body
        return None

    def drop(m: re.Match[bytes]) -> bytes:
        prefix = m.group(1).decode() if m.group(1) else None
        uri = m.group(2).decode()
        if uri not in by_name:
            return m.group(0)
        if bound.get(prefix) != uri:
            raise KeyError(prefix)
        return b""

    try:
        return _DECLARATION.sub(drop, tag)
    except KeyError:
        return None


_STAND_IN = q("w:_docgen")  # the attribute of a table's stand-in (layout.placeholder)


def _tables_in(document: bytes, laid: layout.Laid) -> bytes | None:
    """The document part with ``laid``'s tables in place of their stand-ins; None if one is not there once."""
    for number, table in laid.tables.items():
        stand_in = layout.placeholder(number).encode()
        at = document.find(stand_in)
        if at == -1 or document.find(stand_in, at + len(stand_in)) != -1:
            return None
        document = b"".join((document[:at], table.encode("utf-8"), document[at + len(stand_in):]))
    return document


_GRID_SPAN = re.compile(r'<w:gridSpan w:val="([^"]*)"/>')


def _starts(text: str, name: str, start: int = 0, end: int | None = None) -> list[int]:
    """Where the elements ``name`` (``<w:tr``, not ``<w:trPr``) start in ``text[start:end]``."""
    end = len(text) if end is None else end
    out, at = [], text.find(name, start, end)
    while at != -1:
        if text[at + len(name)] in " />":
            out.append(at)
        at = text.find(name, at + len(name), end)
    return out


def _depth(text: str, start: int, k: int) -> int:
    """Elements opened in ``text[start:k]`` and still open at ``k`` (text as lxml writes it: ``<`` only
    starts a tag, ``/>`` only ends an empty element)."""
    return text.count("<", start, k) - 2 * text.count("</", start, k) - text.count("/>", start, k)


def _fix_tables_changes_text(table: str) -> bool | None:
    """``_fix_tables_changes`` of a table from its text as lxml writes it (``_template_tables``); None when it
    is not one read here: a table, content control, custom XML or change record inside it."""
    if (len(_starts(table, "<w:tbl")) != 1 or "Change" in table or "<w:sdt" in table or "customXml" in table
            or "AlternateContent" in table):
        return None
    grids = _starts(table, "<w:tblGrid")
    if len(grids) != 1:
        return None if grids else True
    k = grids[0]  # the grid must be the table's own child: one element open before it, the table
    if _depth(table, 0, k) != 1:
        return None
    grid_end = k if table[table.index(">", k) - 1] == "/" else table.find("</w:tblGrid>", k)
    columns = len(_starts(table, "<w:gridCol", k, grid_end))
    widest = 0
    for row in _starts(table, "<w:tr"):
        row_end = table.find("</w:tr>", row) if table[table.index(">", row) - 1] != "/" else row
        cells = _starts(table, "<w:tc", row, row_end)
        if len(cells) > columns:
            return True
        covered = 0
        for i, cell in enumerate(cells):
            if _depth(table, row, cell) != 1:  # a cell of this row must be its child
                return None
            cell_end = cells[i + 1] if i + 1 < len(cells) else row_end
            pr = _starts(table, "<w:tcPr", cell, cell_end)
            pr_end = table.find("</w:tcPr>", pr[0], cell_end) if pr else -1
            if len(pr) > 1 or pr and (_depth(table, cell, pr[0]) != 1 or pr_end == -1):
                return None  # (a tcPr written empty has no gridSpan either: -1 only then)
            span = _GRID_SPAN.search(table, pr[0], pr_end) if pr else None
            if span is None:
                if pr and table.find("<w:gridSpan", pr[0], pr_end) != -1:
                    return None  # written otherwise
                covered += 1
            elif _depth(table, pr[0], span.start()) != 1:
                return None
            elif (val := span.group(1)).isdigit() and val.isascii():
                covered += int(val)
            else:
                return True  # not a plain number: docxtpl's own code decides (and raises)
        widest = max(widest, covered)
    return widest < columns


def _template_tables(text: str) -> list[str]:
    """The text of each outermost table of a body's text that is not a stand-in (layout.placeholder)."""
    out: list[str] = []
    at = text.find("<w:tbl")
    while at != -1:
        if text[at + 6] not in " >/" or text.startswith(f"<w:tbl {layout._PLACEHOLDER}=", at):
            at = text.find("<w:tbl", at + 6)
            continue
        depth, pos = 0, at
        while True:  # to the end tag that closes it (tables nest in cells)
            opening, closing = text.find("<w:tbl", pos), text.find("</w:tbl>", pos)
            if opening != -1 and opening < closing and text[opening + 6] in " >/":
                pos = text.index(">", opening) + 1
                depth += text[pos - 2] != "/"
                if depth == 0:  # an empty table
                    break
            elif closing == -1:
                raise ValueError("a table without its end tag")  # not from a balanced template
            else:
                pos, depth = closing + len("</w:tbl>"), depth - 1
                if depth == 0:
                    break
        out.append(text[at:pos])
        at = text.find("<w:tbl", pos)
    return out


class PreparedTemplate:
    """A .docx template read, patched and compiled once; renders many documents.

    The prepared form is kept across processes (template_cache.py): a template prepared before opens
    without python-docx, docxtpl or Jinja's compiler; docxtpl is opened only when a document needs one
    of its passes (``_tpl``).
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.name = str(path)
        # read with limits (sizes counted while decompressing); docxtpl then reads an honest copy
        self.members = SafeZip(self.path).members()
        members = dict(self.members)
        if "word/document.xml" not in members:
            raise DocgenError(Problem("không phải mẫu Word .docx (thiếu word/document.xml)", self.name))
        self.env = jinja_env()
        key = template_cache.key(self.members)
        if not self._restore(template_cache.load(key)):
            try:
                prepared_form = self._prepare()
            except DocgenError:
                raise
            except Exception as exc:  # noqa: BLE001 - anything a hostile template does is the template's error
                raise _template_problem(self.name, exc) from None
            template_cache.store(key, prepared_form)  # only a template prepared without error is kept
        self.styles = Styles(members.get("word/styles.xml"), members.get("word/theme/theme1.xml"))
        # parts that differ from document to document; everything else is compressed once
        self.volatile = {self.document_name, "docProps/core.xml", "docProps/custom.xml", FOOTNOTES} | (
            set(self.parts) - self.static)

    def _prepare(self) -> dict[str, Any]:
        """Open, patch and compile the template; its prepared form as plain data (see ``_restore``)."""
        tpl = self._tpl
        doc = tpl.docx
        body_xml = tpl.patch_xml(tpl.get_xml())
        plain = plain_source(body_xml)  # the body's lines are sized on its text (lines.size_lines_text)
        # docxtpl's newline before each paragraph changes nothing but Jinja's string literals in a plain source
        # (and the output, where _finish takes it out again): then the body goes without
        newlines = not plain or self._strings_hold_paragraphs(body_xml)
        # and can it only write well-formed XML (then the text is the document part: see bodytext)
        empties = bodytext.balanced(self.env, self._source(body_xml)) if plain else None
        body = self._code(body_xml, newlines)
        parts: list[tuple[str, Any, bool]] = []
        for rel in doc.part.rels.values():
            if rel.reltype in (_HEADER, _FOOTER) and rel.target_part.blob:
                xml = tpl.patch_xml(tpl.get_part_xml(rel.target_part))
                code = self._code(xml)
                static = not jinja2.meta.find_undeclared_variables(self.env.parse(xml))
                parts.append((str(rel.target_part.partname).lstrip("/"), code, static))
        # the part around the body, serialized once: per document only the body is (see _document_xml)
        shell = _serialize_part(self._skeleton)
        form = {
            "body": body,
            "parts": tuple(parts),
            "document_name": str(doc.part.partname).lstrip("/"),
            "shell": tuple(shell.split(b"<w:body/>")) if shell.count(b"<w:body/>") == 1 else None,
            "nsmap": tuple(self._skeleton.nsmap.items()),
            "text_width": page_text_width(doc.element.body.find(q("w:sectPr"))),
            "plain": plain,
            "newlines": newlines,
            "empties": empties,
        }
        if not self._restore(form):
            raise AssertionError("a prepared template that does not restore")
        return form

    def _restore(self, form: Any) -> bool:
        """Take a prepared form (``_prepare``'s, or the cache's); False when it is not one."""
        def make(code: Any) -> jinja2.Template:
            if type(code) is not CodeType:
                raise TypeError(code)
            return self.env.template_class.from_code(self.env, code, self.env.make_globals(None), None)

        try:
            body = make(form["body"])
            parts = {name: make(code) for name, code, _ in form["parts"]}
            static = {name for name, _, is_static in form["parts"] if is_static is True}
            shell, nsmap = form["shell"], form["nsmap"]
            if not (shell is None or (len(shell) == 2 and all(type(s) is bytes for s in shell))):
                return False
            if not all(len(pair) == 2 and type(pair[1]) is str and (pair[0] is None or type(pair[0]) is str)
                       for pair in nsmap):
                return False
            document_name, text_width, plain = form["document_name"], form["text_width"], form["plain"]
            newlines, empties = form["newlines"], form["empties"]
            if (type(document_name) is not str or type(text_width) is not int or type(plain) is not bool
                    or type(newlines) is not bool or not (empties is None or type(empties) is tuple and all(
                        type(e) is tuple and len(e) == 2 and all(type(b) is bytes for b in e) for e in empties))):
                return False
        except Exception:  # noqa: BLE001 - a cache entry of another shape: prepared again
            return False
        self.body, self.parts, self.static = body, parts, static
        self.document_name, self._shell, self._nsmap, self.text_width = document_name, shell, nsmap, text_width
        self.plain, self.newlines, self.empties = plain, newlines, empties
        return True

    @cached_property
    def _tpl(self) -> Any:
        """docxtpl's template, opened when first needed: to prepare, and for its passes some documents need
        (``resolve_listing``, ``fix_tables``, ``fix_docpr_ids``)."""
        from docxtpl import DocxTemplate

        tpl = DocxTemplate(io.BytesIO(zip_bytes(self.members, dt.datetime(1980, 1, 1))))
        tpl.init_docx()
        return tpl

    @cached_property
    def _skeleton(self) -> Any:
        """The document element without the body's children (python-docx's element classes)."""
        skeleton = copy.deepcopy(self._tpl.docx.element)
        for child in list(skeleton.body):
            skeleton.body.remove(child)
        return skeleton

    @staticmethod
    def _source(xml: str) -> str:
        # docxtpl's escapes for a literal tag ({_{ ... }_}) become Jinja literals here, in the template, so the
        # same characters typed in the data stay as they are (docxtpl rewrote them in the output, data included)
        for escaped, tag in _ESCAPES:
            xml = xml.replace(escaped, "{{ '" + tag + "' }}")
        return xml

    def _code(self, xml: str, newlines: bool = True) -> Any:
        """Jinja's compiled code for a part (the code object, as Jinja's own bytecode cache keeps it)."""
        # the same preparation as DocxTemplate.render_xml_part (see _finish for ``newlines``)
        xml = self._source(xml)
        return self.env.compile(re.sub(r"<w:p([ >])", r"\n<w:p\1", xml) if newlines else xml)

    def _strings_hold_paragraphs(self, xml: str) -> bool:
        """Whether ``<w:p`` is anywhere in the Jinja code of a part (its string literals) rather than its data."""
        return any(kind != "data" and "<w:p" in value for _, kind, value in self.env.lex(self._source(xml)))

    def _finish(self, xml: str, newlines: bool = True) -> str:
        # same as docxtpl's re.sub(r"\n<w:p([ >])", r"<w:p\1", ...), at str.replace speed; a part compiled
        # without them (_prepare: only data holds <w:p, and a plain source has no newline of its own) has none
        if newlines:
            xml = xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
        # docxtpl's listing pass only rewrites tab, newline, \a and \f: skip it when there are none
        # (four substring scans in C: ~40× cheaper than one regex search over the part)
        listing = "\t" in xml or "\n" in xml or "\a" in xml or "\f" in xml
        return self._tpl.resolve_listing(xml) if listing else xml

    def render_parts(self, context: dict[str, Any]) -> dict[str, bytes]:
        """The rendered XML parts (document, headers, footers) by zip member name."""
        layout_data = context.get("layout") if isinstance(context, dict) else None
        if isinstance(context, dict):
            context = vars(to_namespace({k: v for k, v in context.items() if k != "layout"}))
        try:
            return self._render_parts(context, layout_data, _parse_part, _serialize_part)
        except DocgenError:
            raise
        except Exception as exc:  # noqa: BLE001 - the template's code and XML: its error, never a traceback
            raise _template_problem(self.name, exc) from None

    def _render_parts(self, context: dict[str, Any], layout_data: dict[str, Any] | None, parse_xml,
                      serialize_part_xml) -> dict[str, bytes]:
        watched, token = watch()  # what the values bring: the document part may be the text itself (bodytext)
        try:
            raw = self.body.render(context)
        finally:
            unwatch(token)
        body_xml = self._finish(raw, self.newlines)
        seen = watched if body_xml is raw else None  # else docxtpl's listing pass wrote runs of its own
        rendered = {name: self._finish(t.render(context)) for name, t in self.parts.items()
                    if name not in self.static}
        document, footnotes = self._body_part(body_xml, layout_data, serialize_part_xml, True, seen)
        if document is None:  # lxml wrote the tables' stand-ins otherwise (a template binding names twice)
            document, footnotes = self._body_part(body_xml, layout_data, serialize_part_xml, text_path=False)
        assert document is not None
        out = {self.document_name: document}
        if footnotes is not None:
            out[FOOTNOTES] = footnotes
        for name, xml in rendered.items():
            out[name] = serialize_part_xml(parse_xml(xml.encode("utf-8")))  # type: ignore[arg-type]
        static_out: dict[str, bytes] = self.__dict__.setdefault("_static_out", {})
        for name in self.static:
            if name not in static_out:
                xml = self._finish(self.parts[name].render({}))
                static_out[name] = serialize_part_xml(parse_xml(xml.encode("utf-8")))  # type: ignore[arg-type]
            out[name] = static_out[name]
        return out

    def _body_part(self, body_xml: str, layout_data: dict[str, Any] | None, serialize_part_xml, text_path: bool,
                   seen: Seen | None = None) -> tuple[bytes | None, bytes | None]:
        """The document part and the footnotes for the rendered body; None for the part when the text path
        cannot put its tables in (their stand-ins not written as it wrote them)."""
        # the marks' tables, notes and sections put in as text: one parse, no element built one by one
        # (the tables themselves go in after the serialization: see layout.Laid)
        laid = layout.apply_text(body_xml, layout_data, self.styles) if text_path else None
        sized = None  # the text with its lines sized, when that could be done on the text
        if laid is not None:
            if self.plain:
                sized = size_lines_text(laid.text, self.styles, self.text_width)
            if sized is not None and seen is not None and self.empties is not None and "docPr" not in body_xml:
                # a template that only writes well-formed XML: its text is what lxml would write of it
                written = bodytext.as_lxml_writes(sized, seen, self.empties)
                document = self._written_document(sized, written, laid) if written is not None else None
                if document is not None:
                    return document, laid.footnotes
            if sized is not None:
                try:  # read as text, the structure is the tree's only if the text is well-formed
                    tree = etree.fromstring(sized, _STRICT)
                except etree.XMLSyntaxError:
                    sized = None
            if sized is None:
                tree = etree.fromstring(laid.text, _RECOVER)  # the parser of docxtpl's fix_tables
            if any(_fix_tables_changes(t) for i, t in enumerate(tree.iter(_TBL)) if i not in laid.tables):
                laid = sized = None  # docxtpl's fix-up has work to do: all the long way
        if laid is None:
            tree = self._tpl.fix_tables(body_xml)
        if "docPr" in body_xml:  # docxtpl renumbers drawing ids; without drawings there is nothing to do
            self._tpl.docx_ids_index = 1000
            self._tpl.fix_docpr_ids(tree)
        footnotes = layout.apply(tree, layout_data, self.styles) if laid is None else laid.footnotes
        if sized is None:
            size_lines(tree, self.styles, self.text_width)
        document = self._document_xml(tree, serialize_part_xml)
        if laid is not None:
            document = _tables_in(document, laid)
            if document is None:
                return None, None
        return document, footnotes

    def _written_document(self, text: str, xml: bytes, laid: layout.Laid) -> bytes | None:
        """The document part from the body's text ``xml`` as lxml writes it (bodytext.as_lxml_writes of
        ``text``), None when docxtpl's table fix-up has work to do or the body's start tag is not one
        _document_xml takes."""
        try:
            tables = _template_tables(text)
            changes = [_fix_tables_changes_text(table) for table in tables]
            if any(changes):
                return None
            if None in changes:  # a table not read as text: parsed alone, all in one
                fragment = parse_in(text[:text.index(">") + 1], "".join(tables))
                if any(_fix_tables_changes(t) for t in fragment.iter(_TBL) if t.get(_STAND_IN) is None):
                    return None
        except (ValueError, etree.XMLSyntaxError):  # not from a balanced template: the parse decides
            return None
        end = xml.find(b">") + 1
        shell = self._shell
        start = _bare_start_tag(xml[:end], self._nsmap) if shell else None
        if shell is None or start is None:
            return None
        # the stand-ins are there once each, in order: apply_text wrote them, and no value can write "<"
        pieces, at = [shell[0], start], end
        for number, table in laid.tables.items():
            stand_in = layout.placeholder(number).encode()
            found = xml.find(stand_in, at)
            if found == -1:
                return None
            pieces += (xml[at:found], table.encode("utf-8"))
            at = found + len(stand_in)
        pieces += (xml[at:], shell[1])
        return b"".join(pieces)

    def _document_xml(self, body: etree._Element, serialize_part_xml) -> bytes:
        """The document part: the skeleton with ``body`` in place of its body, as serialize_part_xml writes it.

        Put in the skeleton, ``body`` would lose the namespace declarations the document element makes
        already (lxml drops them when an element moves under one declaring the same prefix and name); the
        same is done on its text, so neither the skeleton nor the body is copied.
        """
        xml = etree.tostring(body, encoding="UTF-8", xml_declaration=False)
        end = xml.find(b">") + 1
        shell = self._shell
        start = _bare_start_tag(xml[:end], self._nsmap) if shell else None
        if shell is None or start is None:  # a body binding a name otherwise than the document: the long way
            root = copy.deepcopy(self._skeleton)
            root.replace(root.body, body)
            return serialize_part_xml(root)
        return b"".join((shell[0], start, xml[end:], shell[1]))

    def render(self, context: dict[str, Any], props: Properties) -> bytes:
        """A complete .docx, byte-identical for the same context, properties and template."""
        when = fixed_time(props.date)
        parts = self.render_parts(context)
        parts["docProps/core.xml"] = core_xml(props, when)
        members = self.members
        if props.ids:
            members, parts = _with_custom(members, parts, props.ids)
        writer = _ZipWriter(when)
        for name, data in members:
            if name in parts and name in self.volatile:
                writer.add(name, parts[name])
            else:  # unchanged, or the same for every document (headers without variables, package parts)
                writer.add_compressed(name, *self._compressed(name, parts.get(name, data)))
        return writer.finish()

    def _compressed(self, name: str, data: bytes) -> tuple[int, int, bytes]:
        """Parts that repeat are compressed once per template and content, not once per document."""
        cache = self.__dict__.setdefault("_cache", {})
        key = (name, data)
        if key not in cache:
            cache[key] = (zlib.crc32(data), len(data), _deflate(data))
        return cache[key]


_CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"


def _with_custom(members: list[tuple[str, bytes]], parts: dict[str, bytes], ids):
    """Add docProps/custom.xml (custom properties ``docgen.<kind>``) with its content type and relation."""
    props = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{i}" name="docgen.{kind}">'
        f"<vt:lpwstr>{escape(' '.join(values))}</vt:lpwstr></property>" for i, (kind, values) in enumerate(ids, 2))
    custom = ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
              '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
              f'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">{props}</Properties>'
              ).encode()
    by_name = dict(members)
    parts = dict(parts)
    if "docProps/custom.xml" not in by_name:
        members = members + [("docProps/custom.xml", b"")]
        types = by_name["[Content_Types].xml"].decode("utf-8")
        parts["[Content_Types].xml"] = types.replace(
            "</Types>", f'<Override PartName="/docProps/custom.xml" ContentType="{_CUSTOM_TYPE}"/></Types>'
        ).encode("utf-8")
        rels = by_name["_rels/.rels"].decode("utf-8")
        parts["_rels/.rels"] = rels.replace(
            "</Relationships>", f'<Relationship Id="rIdDocgenCustom" Type="{_CUSTOM_REL}" '
            'Target="docProps/custom.xml"/></Relationships>').encode("utf-8")
    parts["docProps/custom.xml"] = custom
    return members, parts


def _deflate(data: bytes, level: int = 6) -> bytes:
    c = zlib.compressobj(level, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


class _ZipWriter:
    """A minimal deterministic zip writer that can take pre-compressed members.

    ``zipfile`` has no way to copy a member's compressed bytes; recompressing the
    unchanged parts of a template was a quarter of the time per document.
    """

    def __init__(self, when: dt.datetime) -> None:
        self.time = (when.hour << 11) | (when.minute << 5) | (when.second // 2)
        self.date = ((when.year - 1980) << 9) | (when.month << 5) | when.day
        self.buf = io.BytesIO()
        self.central: list[bytes] = []

    def add(self, name: str, data: bytes) -> None:
        # level 1: per-document parts are compressed on every render; files grow ~10 %, time drops ~3×
        self.add_compressed(name, zlib.crc32(data), len(data), _deflate(data, 1))

    def add_compressed(self, name: str, crc: int, size: int, cdata: bytes) -> None:
        raw_name = name.encode("utf-8")
        flags = 0x800 if not raw_name.isascii() else 0
        offset = self.buf.tell()
        self.buf.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, 8, self.time, self.date, crc,
                                   len(cdata), size, len(raw_name), 0))
        self.buf.write(raw_name)
        self.buf.write(cdata)
        self.central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, (3 << 8) | 20, 20, flags, 8,
                                        self.time, self.date, crc, len(cdata), size, len(raw_name), 0, 0, 0,
                                        0, 0o644 << 16, offset) + raw_name)

    def finish(self) -> bytes:
        start = self.buf.tell()
        for entry in self.central:
            self.buf.write(entry)
        size = self.buf.tell() - start
        self.buf.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(self.central), len(self.central), size,
                                   start, 0))
        return self.buf.getvalue()


def zip_bytes(members: list[tuple[str, bytes]], when: dt.datetime) -> bytes:
    """A zip whose bytes depend only on its members and ``when`` (the same writer as every document)."""
    writer = _ZipWriter(when)
    for name, data in members:
        writer.add_compressed(name, zlib.crc32(data), len(data), _deflate(data))
    return writer.finish()


@lru_cache(maxsize=16)
def _prepared(path: str, mtime_ns: int, size: int) -> PreparedTemplate:
    return PreparedTemplate(path)


def prepared(path: Path | str) -> PreparedTemplate:
    """The prepared template for ``path``, cached per process (and per file version)."""
    try:
        st = os.stat(path)
    except OSError:
        raise DocgenError(Problem("không tìm thấy mẫu Word", str(path))) from None
    return _prepared(str(path), st.st_mtime_ns, st.st_size)


def render_plain(path: Path | str, context: dict[str, Any]) -> bytes:
    """Plain docxtpl (a new DocxTemplate per document) plus docgen's line sizing.

    The reference the fast path must equal, and the baseline of the benchmarks.
    """
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(str(path))
    layout_data = context.get("layout") if isinstance(context, dict) else None
    if isinstance(context, dict):
        context = vars(to_namespace({k: v for k, v in context.items() if k != "layout"}))
    tpl.render(context, jinja_env=jinja_env(), autoescape=True)
    with zipfile.ZipFile(path) as zf:
        styles = Styles(zf.read("word/styles.xml"), zf.read("word/theme/theme1.xml")
                        if "word/theme/theme1.xml" in zf.namelist() else None)
    body = tpl.docx.element.body
    width = page_text_width(body.find(q("w:sectPr")))
    footnotes = layout.apply(body, layout_data, styles)
    size_lines(body, styles, width)
    buf = io.BytesIO()
    tpl.save(buf)
    if footnotes is None:
        return buf.getvalue()
    with zipfile.ZipFile(buf) as zf:
        members = [(i.filename, footnotes if i.filename == FOOTNOTES else zf.read(i)) for i in zf.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return out.getvalue()
