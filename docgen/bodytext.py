"""The rendered body's text as lxml writes it, without parsing and serializing it.

The render parses the body Jinja wrote (after the marks and the lines are done on its text, see layout.py
and lines.py) only to write it out again: for docxtpl's table fix-up, the drawing ids, and because lxml
writes some things otherwise than Jinja (``<a/>`` for ``<a></a>``, ``"`` for markupsafe's ``&#34;``). For a
template that can only write well-formed XML, that round trip is done here on the text:

- ``balanced``, once per template: the source is plain (lines.plain_source: its tags are lxml's, no Jinja
  inside a tag, values are escaped text), uses only output, ``if``, ``for`` and ``set`` (no macro, block,
  filter block or ``caller``: everything a value can write is escaped text), and every branch and loop
  body closes each element it opens. Then any render writes the tags of the source in a balanced order:
  the text is well-formed whenever its characters are allowed in XML.
- ``as_lxml_writes``, per document: None when a character is not allowed in XML or is one the parser would
  change (a carriage return); else the text with the two differences above undone.
"""
from __future__ import annotations

import re

import jinja2
import markupsafe
from jinja2 import nodes

from .sandbox import _NOT_XML_AS_IS, Seen

_TAG = re.compile(r"<(/?)([^\s/>]+)[^>]*?(/?)>")


class _Tags:
    """The elements a body's static text leaves open, read tag by tag."""

    def __init__(self) -> None:
        self.open: list[str] = []
        self.ok = True
        self.closed_root = False  # at the top: the root element has ended (nothing may follow)

    def read(self, text: str, top: bool) -> None:
        for m in _TAG.finditer(text):
            end, name, empty = m.groups()
            if self.closed_root:
                self.ok = False
            if end:
                if not self.open or self.open.pop() != name:
                    self.ok = False
            elif not empty:
                self.open.append(name)
            elif top and not self.open:
                self.ok = False  # an empty element beside the root
            if top and not self.open:
                self.closed_root = True


_EMPTY = re.compile(r'<([^\s/>]+)(?: [^<>]*")?></\1>')
_LAST_START = re.compile(r"<([^\s/>]+)(?: [^<>]*\")?>$")  # a start tag ending a piece of static text


def _constant_is_plain(node: nodes.Expr, ctx: nodes.EvalContext) -> bool:
    """Whether a value Jinja may write as a constant (folded when compiled, never through the sandbox's escape)
    is text lxml writes as it is: no quote (markupsafe's reference) and no character XML refuses."""
    try:
        value = node.as_const(ctx)
    except Exception:  # noqa: BLE001 - not a constant (or failing): written when rendered, through the escape
        return True
    text = str(markupsafe.escape(value))
    return "&#" not in text and not _NOT_XML_AS_IS.search(text)


def _statements_balanced(body: list[nodes.Node], empties: set[str], ctx: nodes.EvalContext,
                         top: bool = False) -> bool:
    """Whether ``body`` (a template's or a branch's statements) writes balanced XML whatever the data; at the
    ``top``, one root element with every value, branch and loop inside it. Adds to ``empties`` each element
    a render may write empty (its start tag ends static text: a value, branch or loop may write nothing)."""
    tags = _Tags()
    for node in body:
        if isinstance(node, nodes.Output):
            for child in node.nodes:
                if isinstance(child, nodes.TemplateData):
                    tags.read(child.data, top)
                    if (m := _LAST_START.search(child.data)) is not None:
                        empties.add(f"{m.group(0)}</{m.group(1)}>")
                    empties.update(m.group(0) for m in _EMPTY.finditer(child.data))  # (a comment taken out)
                    continue
                # a value: escaped text in a plain source (no markup can come from it)
                if top and not tags.open or not _constant_is_plain(child, ctx):
                    return False
        elif top and not tags.open:
            return False  # a branch or a loop outside the root element
        elif isinstance(node, nodes.If):
            branches = (node.body, node.else_, *(e.body for e in node.elif_))
            if not all(_statements_balanced(b, empties, ctx) for b in branches):
                return False
        elif isinstance(node, nodes.For):
            if node.recursive or not all(_statements_balanced(b, empties, ctx) for b in (node.body, node.else_)):
                return False
        elif not isinstance(node, nodes.Assign):  # a macro, call, filter or set block, a block ...: not read
            return False
        if not tags.ok:
            return False
    return tags.ok and not tags.open and (tags.closed_root or not top)


def balanced(env: jinja2.Environment, source: str) -> tuple[tuple[bytes, bytes], ...] | None:
    """Whether every render of ``source``, a plain body (see above), writes well-formed XML: None if not, else
    the elements it may write empty as (``<a ...></a>``, ``<a .../>``) in UTF-8 (see ``as_lxml_writes``)."""
    empties: set[str] = set()
    try:
        ok = (source.startswith("<") and source.endswith(">")  # no text outside the root element
              and _statements_balanced(env.parse(source).body, empties, nodes.EvalContext(env), top=True))
    except jinja2.TemplateSyntaxError:
        return None
    return tuple((e.encode(), e[:e.index(">")].encode() + b"/>") for e in sorted(empties)) if ok else None


def as_lxml_writes(text: str, seen: Seen, empties: tuple[tuple[bytes, bytes], ...]) -> bytes | None:
    """The body's text rendered from a balanced template (``empties``: ``balanced``'s answer), in UTF-8 as lxml
    writes its parse; None when a value brought a character the parser refuses or changes (``seen``)."""
    if seen.odd:
        return None
    try:
        xml = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: lxml refuses it
        return None
    if seen.quotes:  # lxml writes the quotes markupsafe escaped as they are (a plain source has no reference)
        xml = xml.replace(b"&#34;", b'"').replace(b"&#39;", b"'")
    for empty, short in empties:  # an element written empty: <a></a> is <a/> for lxml
        if empty in xml:
            xml = xml.replace(empty, short)
    return xml
