"""Layout a template cannot express, applied to the rendered document body.

The context builder cannot write OOXML into a docxtpl template (values are escaped
text), so it leaves *marks* in the text: a private-use character, a letter and a
number. After Jinja has run, ``apply`` turns each mark into what it stands for:

- ``k``: the paragraph keeps with the next one (``w:keepNext``): headings, task labels,
  lines ending with ``:``, the last body paragraph before the signature block;
- ``f<n>``: a footnote reference; the text goes to ``word/footnotes.xml``;
- ``t<n>``: the paragraph is replaced by table ``n`` (caption, unit line, the table);
- ``s<n>``: the paragraph ends a section: the one before appendix ``n`` starts.

Tables, notes and sections are plain data collected by ``Layout`` while the context
is built (numbers already written, widths relative): the layout (fonts, borders,
spacing) stays in the template's named styles, looked up here by name.
"""
from __future__ import annotations

import copy
import re
from functools import lru_cache
from typing import Any, NamedTuple

from lxml import etree

from .lines import page_text_width
from .ooxml import Styles, W, q
from .ooxml import start_tag_bare as _start_tag_bare

_OPEN, _CLOSE = "\ue000", "\ue001"
_MARK = re.compile(f"{_OPEN}([kfts])(\\d*){_CLOSE}")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

# Style names the template defines (tools/make_templates.py); ids are looked up by name.
STYLE = {
    "cell": "Bang", "header": "Bang tieu de", "group": "Bang nhom", "caption": "Bang ten",
    "unit": "Bang don vi", "grid": "Table Grid", "note": "Chu thich", "note_ref": "Tham chieu chu thich",
}
ALIGN = {"trai": "left", "giua": "center", "phai": "right", None: None}
PORTRAIT = (11906, 16838)


_MARKED = etree.XPath(f'.//w:t[contains(., "{_OPEN}")]', namespaces={"w": W})


def mark(kind: str, n: int | str = "") -> str:
    return f"{_OPEN}{kind}{n}{_CLOSE}"


KEEP = mark("k")


class Layout:
    """What the marks refer to, collected while the context is built."""

    def __init__(self) -> None:
        self.tables: list[dict[str, Any]] = []
        self.notes: list[str] = []
        self.sections: list[bool] = []  # landscape flag of each appendix

    def note(self, text: str) -> int:
        """Number of a new footnote (from 1, in document order)."""
        self.notes.append(text)
        return len(self.notes)

    def note_mark(self, text: str) -> str:
        return mark("f", self.note(text))

    def table(self, spec: dict[str, Any]) -> str:
        self.tables.append(spec)
        return mark("t", len(self.tables) - 1)

    def section(self, landscape: bool) -> str:
        self.sections.append(landscape)
        return mark("s", len(self.sections) - 1)

    def as_dict(self) -> dict[str, Any]:
        return {"tables": self.tables, "notes": self.notes, "sections": self.sections}


# ---- small OOXML builders ------------------------------------------------------------------------


def _el(tag: str, parent: etree._Element | None = None, **attrs: str) -> etree._Element:
    el = etree.Element(q(tag)) if parent is None else etree.SubElement(parent, q(tag))
    for k, v in attrs.items():
        el.set(q(f"w:{k}"), v)
    return el


_PPR_ORDER = ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
              "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
              "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
              "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
              "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
              "sectPr", "pPrChange"]


def _ppr_insert(ppr: etree._Element, child: etree._Element) -> None:
    """Insert ``child`` into ``pPr`` at its schema position (replacing one of the same name)."""
    name = etree.QName(child).localname
    old = ppr.find(q(f"w:{name}"))
    if old is not None:
        ppr.replace(old, child)
        return
    rank = _PPR_ORDER.index(name)
    for i, existing in enumerate(ppr):
        local = etree.QName(existing).localname
        if local in _PPR_ORDER and _PPR_ORDER.index(local) > rank:
            ppr.insert(i, child)
            return
    ppr.append(child)


def _ppr(p: etree._Element) -> etree._Element:
    ppr = p.find(q("w:pPr"))
    if ppr is None:
        ppr = etree.Element(q("w:pPr"))
        p.insert(0, ppr)
    return ppr


def keep_with_next(p: etree._Element) -> None:
    _ppr_insert(_ppr(p), _el("w:keepNext"))


class _Ids:
    def __init__(self, styles: Styles) -> None:
        self.ids = styles.ids_named({name: 0 for name in STYLE.values()})
        self.by_name = {styles.name(sid): sid for sid in self.ids}

    def __getitem__(self, role: str) -> str | None:
        return self.by_name.get(STYLE[role])


def _run(text: str, parent: etree._Element, rstyle: str | None = None) -> etree._Element:
    r = _el("w:r", parent)
    if rstyle:
        _el("w:rStyle", _el("w:rPr", r), val=rstyle)
    t = _el("w:t", r)
    t.text = text
    t.set(XML_SPACE, "preserve")
    return r


def note_ref(ids: _Ids, n: int) -> etree._Element:
    r = etree.Element(q("w:r"))
    if ids["note_ref"]:
        _el("w:rStyle", _el("w:rPr", r), val=ids["note_ref"])
    _el("w:footnoteReference", r, id=str(n))
    return r


# ---- tables ------------------------------------------------------------------------------------------


def _widths(relative: list[float], total: int) -> list[int]:
    s = sum(relative)
    out = [int(total * r / s) for r in relative]
    out[-1] += total - sum(out)
    return out


def table_elements(spec: dict[str, Any], text_width: int, ids: _Ids) -> list[etree._Element]:
    """Caption, unit line and the table of one spec (see ``context.table_spec``), parsed from ``table_xml``."""
    return list(etree.fromstring(f'<w:body xmlns:w="{W}">{table_xml(spec, text_width, ids)}</w:body>'))


# Built as text and parsed once: ~10× faster than one lxml call per element (a task table has ~900).
# The text is what lxml writes for the same elements (escapes, empty elements), so the fast path puts it in
# the serialized body as it is, unparsed; lxml's checks on values are kept (see _check).
_BAD_XML_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _check(value: str) -> str:
    if _BAD_XML_CHAR.search(value):  # what lxml refuses when the value is set on an element
        raise ValueError("All strings must be XML compatible: Unicode or ASCII, no NULL bytes or control characters")
    return value


_TEXT_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(value: str) -> str:
    """Element text as lxml writes it."""
    # most text: printable (no control character, surrogate or noncharacter) and nothing to escape
    if value.isprintable() and not ("&" in value or "<" in value or ">" in value) or not _TEXT_SPECIAL.search(value):
        return value
    return _check(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _xml_attr(value: str) -> str:
    """An attribute value as lxml writes it (between double quotes)."""
    return (_xml_text(value).replace('"', "&quot;").replace("\t", "&#9;").replace("\n", "&#10;"))


def _style_xml(tag: str, sid: str | None) -> str:
    return f'<w:{tag} w:val="{_xml_attr(sid)}"/>' if sid else ""


def _note_ref_xml(ids: _Ids, n: int) -> str:
    style = _style_xml("rStyle", ids["note_ref"])
    return f'<w:r>{f"<w:rPr>{style}</w:rPr>" if style else ""}<w:footnoteReference w:id="{n}"/></w:r>'


@lru_cache(maxsize=256)
def _paragraph_start(style: str | None, align: str | None, keep: bool) -> str:
    ppr = _style_xml("pStyle", style) + ("<w:keepNext/>" if keep else "") + (
        f'<w:jc w:val="{_xml_attr(align)}"/>' if align else "")
    return f"<w:p><w:pPr>{ppr}</w:pPr>" if ppr else "<w:p><w:pPr/>"


def _paragraph_xml(out: list[str], text: str, style: str | None, align: str | None = None, keep: bool = False,
                   note: int = 0, ids: _Ids | None = None) -> None:
    out.append(_paragraph_start(style, align, keep))
    if text:
        out.append(f'<w:r><w:t xml:space="preserve">{_xml_text(text)}</w:t></w:r>')
    if note and ids is not None:
        out.append(_note_ref_xml(ids, note))
    out.append("</w:p>")


_END: Any = object()  # the end of a row's cells
_BORDERS = "".join(f'<w:{edge} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                   for edge in ("top", "left", "bottom", "right", "insideH", "insideV"))


def table_xml(spec: dict[str, Any], text_width: int, ids: _Ids) -> str:
    """Caption, unit line and the table of one spec as XML text (prefix ``w`` bound by the container)."""
    captions, table, _ = _table_xml(spec, text_width, ids)
    return captions + table


def _table_xml(spec: dict[str, Any], text_width: int, ids: _Ids) -> tuple[str, str, int]:
    """``table_xml`` as the caption paragraphs and the ``w:tbl``, and the most grid columns a row covers
    (docxtpl's fix-up drops the columns beyond)."""
    out: list[str] = []
    widest = 0
    if spec.get("ten"):
        _paragraph_xml(out, spec["ten"], ids["caption"], keep=True)
    if spec.get("don_vi"):
        _paragraph_xml(out, spec["don_vi"], ids["unit"], keep=True)
    widths = _widths(spec["rong"], text_width)
    captions = "".join(out)
    out = [f"<w:tbl><w:tblPr>{_style_xml('tblStyle', ids['grid'])}"
           f'<w:tblW w:w="{text_width}" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders>{_BORDERS}'
           '</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblLook w:val="0000" w:firstRow="0" '
           'w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
           "<w:tblGrid>"]
    out.extend(f'<w:gridCol w:w="{w}"/>' for w in widths)
    out.append("</w:tblGrid>")
    header_rows = spec.get("tieu_de") or []
    body_rows = spec["dong"]
    total = spec.get("tong")
    rows = ([("header", r) for r in header_rows] + [("group" if r.get("nhom") else "body", r["o"])
                                                     for r in body_rows]
            + ([("total", total)] if total else []))
    below = [0] * len(widths)  # header rows (this one included) a cell spanning down still covers
    span_at: dict[int, int] = {}  # first column of a cell spanning down → its width in columns
    styles = {"header": ids["header"], "group": ids["group"], "total": ids["group"], "body": ids["cell"]}
    columns = len(widths)
    for index, (kind, cells) in enumerate(rows):
        # a row never splits across pages; a header row repeats at the top of every page
        out.append("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if kind == "header"
                   else "<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        # the last body row keeps with the total row: the total row stays with the table
        keep = kind == "header" or (total is not None and index == len(rows) - 2)
        style = styles[kind]
        col = covered = 0
        queue = iter(cells)
        while col < columns:
            if below[col]:
                span = span_at[col]
                covered += span
                _cell_xml(out, sum(widths[col:col + span]), span, "continue", [""], style, None, False, 0, ids)
                col += span
                continue
            cell = next(queue, _END)
            if cell is _END:
                break
            span, down = cell.get("gop", 1), cell.get("gop_dong", 1)
            if down > 1:
                span_at[col] = span
                for c in range(col, col + span):
                    below[c] = down
            align = None if kind == "header" else ALIGN[cell.get("can") or spec["can"][col]]
            lines = cell.get("van_ban", "")
            note = cell.get("chu_thich", 0)
            width = widths[col] if span == 1 else sum(widths[col:col + span])
            vmerge = "restart" if down > 1 else None
            if type(lines) is str and not note:  # the common cell, one line and no note: _cell_xml's text at once
                run = f'<w:r><w:t xml:space="preserve">{_xml_text(lines)}</w:t></w:r>' if lines else ""
                out.append(f"{_cell_start(width, span, vmerge, kind == 'header')}"
                           f"{_paragraph_start(style, align, keep)}{run}</w:p></w:tc>")
            else:
                lines = (lines if isinstance(lines, list) else [lines]) or [""]
                _cell_xml(out, width, span, vmerge, lines, style, align, keep, note, ids, center=kind == "header")
            col += span
            covered += span
        widest = max(widest, covered)
        below = [max(0, b - 1) for b in below]
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return captions, "".join(out), widest


@lru_cache(maxsize=512)
def _cell_start(width: int, span: int, vmerge: str | None, center: bool) -> str:
    return "".join((f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>',
                    f'<w:gridSpan w:val="{span}"/>' if span > 1 else "",
                    '<w:vMerge w:val="restart"/>' if vmerge == "restart" else "<w:vMerge/>" if vmerge else "",
                    '<w:vAlign w:val="center"/></w:tcPr>' if center else '<w:vAlign w:val="top"/></w:tcPr>'))


def _cell_xml(out: list[str], width: int, span: int, vmerge: str | None, lines: list[str], style: str | None,
              align: str | None, keep: bool, note: int, ids: _Ids, center: bool = False) -> None:
    out.append(_cell_start(width, span, vmerge, center))
    start = _paragraph_start(style, align, keep)  # each line a paragraph (_paragraph_xml, written here at once)
    last = len(lines) - 1
    for i, line in enumerate(lines):
        run = f'<w:r><w:t xml:space="preserve">{_xml_text(line)}</w:t></w:r>' if line else ""
        ref = _note_ref_xml(ids, note) if note and i == last else ""
        out.append(f"{start}{run}{ref}</w:p>")
    out.append("</w:tc>")


# ---- sections ------------------------------------------------------------------------------------

_SECT_ORDER = ["headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
               "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote",
               "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange"]


def _sect_set(sect: etree._Element, child: etree._Element) -> None:
    name = etree.QName(child).localname
    for old in sect.findall(q(f"w:{name}")):
        sect.remove(old)
    rank = _SECT_ORDER.index(name)
    for i, existing in enumerate(sect):
        local = etree.QName(existing).localname
        if local in _SECT_ORDER and _SECT_ORDER.index(local) > rank:
            sect.insert(i, child)
            return
    sect.append(child)


def appendix_section(main: etree._Element, landscape: bool) -> etree._Element:
    """An appendix's section: a new page, numbered from 1, portrait or landscape, same margins and header."""
    sect = copy.deepcopy(main)
    _sect_set(sect, _el("w:type", val="nextPage"))
    pg = sect.find(q("w:pgSz"))
    w, h = (int(pg.get(q("w:w"))), int(pg.get(q("w:h")))) if pg is not None else PORTRAIT
    short, long_ = sorted((w, h))
    size = _el("w:pgSz", w=str(long_), h=str(short), orient="landscape") if landscape else _el(
        "w:pgSz", w=str(short), h=str(long_))
    _sect_set(sect, size)
    _sect_set(sect, _el("w:pgNumType", start="1"))  # the decree: an appendix is paginated on its own
    return sect


def section_text_width(sect: etree._Element) -> int:
    return page_text_width(sect)


# ---- applying the marks -------------------------------------------------------------------------------


def _split_run(r: etree._Element, t: etree._Element) -> list[tuple[str, str, str]]:
    """The pieces of a text element: ("text", s) and ("mark", kind, n)."""
    pieces: list[tuple[str, str, str]] = []
    pos = 0
    value = t.text or ""
    for m in _MARK.finditer(value):
        if m.start() > pos:
            pieces.append(("text", value[pos:m.start()], ""))
        pieces.append(("mark", m.group(1), m.group(2)))
        pos = m.end()
    if pos < len(value):
        pieces.append(("text", value[pos:], ""))
    return pieces


def apply(body: etree._Element, data: dict[str, Any] | None, styles: Styles) -> bytes | None:
    """Turn the marks of ``body`` into OOXML; return the footnotes part (None without footnotes)."""
    if not data:
        data = {"tables": [], "notes": [], "sections": []}
    ids = _ids(styles)
    main = body.find(q("w:sectPr"))
    sections = data["sections"]
    # section of each appendix (and the main one) in document order
    props = [main] + [appendix_section(main, landscape) for landscape in sections] if main is not None else []
    current = 0  # which section the text being walked belongs to
    for t in _MARKED(body):  # only the text elements holding a mark (the walk stays in C)
        if t.text is None or _OPEN not in t.text:
            continue
        r = t.getparent()
        p = next(r.iterancestors(q("w:p")), None)
        if p is None:
            continue
        pieces = _split_run(r, t)
        marks = [(k, n) for kind, k, n in pieces if kind == "mark"]
        for kind, n in marks:
            if kind == "k":
                keep_with_next(p)
            elif kind == "s":
                current = int(n) + 1
                if props:
                    _ppr_insert(_ppr(p), copy.deepcopy(props[current - 1]))
            elif kind == "t":
                spec = data["tables"][int(n)]
                width = section_text_width(props[current]) if props else 9355
                anchor = p
                for el in table_elements(spec, width, ids):
                    anchor.addnext(el)
                    anchor = el
        if any(k == "t" for k, _ in marks):
            p.getparent().remove(p)
            continue
        # rebuild the run: text pieces stay in the run's format, notes become reference runs
        anchor = r
        rpr = r.find(q("w:rPr"))
        for kind, a, b in pieces:
            if kind == "text":
                new = etree.Element(q("w:r"))
                if rpr is not None:
                    new.append(copy.deepcopy(rpr))
                nt = _el("w:t", new)
                nt.text = a
                nt.set(XML_SPACE, "preserve")
            elif a == "f":
                new = note_ref(ids, int(b))
            else:
                continue
            anchor.addnext(new)
            anchor = new
        r.getparent().remove(r)
    if props and sections:
        body.replace(main, copy.deepcopy(props[-1]))
    return footnotes_xml(data["notes"], ids) if data["notes"] else None


# ---- the same, on the text of the body before it is parsed (the fast path) ---------------------------

# A paragraph whose marks ``apply_text`` handles: an optional pPr holding only a style, then one run (an
# optional rPr and one text). Any mark elsewhere sends the whole body to ``apply`` (see there).
_MARKED_P = re.compile('<w:p(?: [^>]*)?>(?:<w:pPr><w:pStyle w:val="([^"<]*)"/></w:pPr>)?'
                       # the rPr of this run only: it never reaches into another run's
                       '<w:r>(<w:rPr>(?:(?!</w:rPr>)[^\ue000])*</w:rPr>)?'
                       '<w:t(?: xml:space="preserve")?>([^<]*)</w:t></w:r></w:p>')
def _sections_text(open_tag: str, main_xml: str, sections: tuple[bool, ...]) -> tuple[list[str], list[int]] | None:
    """The section properties (main, then each appendix) as XML text, and their text widths."""
    key = (open_tag, main_xml, sections)
    if key not in _SECTIONS:
        if len(_SECTIONS) > 64:
            _SECTIONS.clear()
        main = etree.fromstring(f"{open_tag}{main_xml}</w:body>")[0]
        props = [main] + [appendix_section(main, landscape) for landscape in sections]
        for el in props[1:]:
            main.getparent().append(el)  # serialized in the body's namespace context, like main
        texts = [_start_tag_bare(etree.tostring(el, encoding="unicode")) for el in props]
        # a section with namespaces of its own would lose them here: then apply does it
        _SECTIONS[key] = (texts, [section_text_width(el) for el in props]) if texts[0] == main_xml else None
    return _SECTIONS[key]


_SECTIONS: dict[tuple[str, str, tuple[bool, ...]], tuple[list[str], list[int]] | None] = {}


def _ids(styles: Styles) -> _Ids:
    ids = styles.__dict__.get("_layout_ids")
    if ids is None:
        ids = styles.__dict__["_layout_ids"] = _Ids(styles)
    return ids


_PLACEHOLDER = "w:_docgen"


def placeholder(number: int) -> str:
    """The empty ``w:tbl`` standing for table ``number`` until the body is serialized (as lxml writes it)."""
    return f'<w:tbl {_PLACEHOLDER}="{number}"/>'


class Laid(NamedTuple):
    text: str  # the body with the marks done; each table put in is a placeholder
    footnotes: bytes | None
    tables: dict[int, str]  # XML of each table put in, as lxml writes it, by its number among the body's tables

    def full_text(self) -> str:
        """The body's text with the tables in place of their placeholders (what ``apply`` gives, as text)."""
        text = self.text
        for number, table in self.tables.items():
            text = text.replace(placeholder(number), table, 1)
        return text


def apply_text(xml: str, data: dict[str, Any] | None, styles: Styles) -> Laid | None:
    """``apply`` on the body's XML text (a ``w:body`` element), before it is parsed: the same tree once parsed.

    Tables go in as text after the body's parse and serialization (``Laid.tables``), so neither builds
    nor reads their elements; each table is left as it is by docxtpl's table fix-up. None when a mark is
    where this does not look (``apply`` then does it all on the tree), or docxtpl's fix-up would change a
    table put in.
    """
    if not data:
        data = {"tables": [], "notes": [], "sections": []}
    ids = _ids(styles)
    sections = data["sections"]
    if not xml.startswith("<w:body") or "sectPrChange" in xml or _PLACEHOLDER in xml:
        return None
    open_tag = xml[:xml.index(">") + 1]
    main_at = xml.rfind("<w:sectPr")
    if main_at != -1 and not xml.endswith("</w:sectPr></w:body>"):
        return None
    if main_at != -1 and (_OPEN in xml or sections):
        found = _sections_text(open_tag, xml[main_at:-len("</w:body>")], tuple(sections))
        if found is None:
            return None
        props, widths = found
    else:
        props, widths = [], []
    out: list[str] = []
    done = 0  # text of xml already in out
    current = 0  # which section the text being walked belongs to
    counted, tables = 0, 0  # the body's own tables before xml[counted:]
    own: dict[int, str] = {}  # the tables put in, by document-order number among the body's tables
    at = xml.find(_OPEN)
    while at != -1:
        start = xml.rfind("<w:p", done, at)  # the paragraph's start tag: <w:p> or <w:p ...>, not <w:pPr> ...
        while start != -1 and xml[start + 4] not in " >":  # (two searches for those missed ones scan far back)
            start = xml.rfind("<w:p", done, start)
        m = _MARKED_P.match(xml, start) if start != -1 else None
        if m is None or m.end() < at:
            return None
        style, rpr, value = m.groups()
        marks = list(_MARK.finditer(value))
        if xml.count(_OPEN, start, m.end()) != len(marks):  # every mark must be handled, or None (the marks
            return None  # between paragraphs are found by the search above)
        out.append(xml[done:start])
        done = m.end()
        at = xml.find(_OPEN, done)
        kinds = "".join(m.group(1) for m in marks) if len(marks) > 1 else marks[0].group(1) if marks else ""
        if "t" in kinds:  # the paragraph gives way to its tables (a section mark before them still counts)
            for k in marks:
                if k.group(1) == "s":
                    current = int(k.group(2)) + 1
                elif k.group(1) == "t":
                    spec = data["tables"][int(k.group(2))]
                    captions, table, columns = _table_xml(spec, widths[current] if props else 9355, ids)
                    if columns < len(spec["rong"]):  # docxtpl's fix-up would drop grid columns: not here
                        return None
                    tables += xml.count("<w:tbl>", counted, start) + xml.count("<w:tbl ", counted, start)
                    counted = start
                    number = tables + len(own)
                    own[number] = table
                    out.append(captions)
                    out.append(placeholder(number))
            continue
        ppr = f'<w:pStyle w:val="{style}"/>' if style is not None else ""  # as it was (escaped already)
        if "k" in kinds:
            ppr += "<w:keepNext/>"
        for k in marks:
            if k.group(1) == "s":
                current = int(k.group(2)) + 1
        if "s" in kinds and props:  # the paragraph ending a section carries that section's properties
            ppr += props[current - 1]
        opening = xml[start:xml.index(">", start) + 1]
        out.append(opening)
        before = len(out)
        if ppr:  # apply makes a pPr only for what it puts there
            out.append(f"<w:pPr>{ppr}</w:pPr>")
        pos = 0
        for cut in [*marks, None]:  # each piece of text a run of its own, as apply makes them
            piece = value[pos:cut.start() if cut else len(value)]
            if piece:
                out.append(f'<w:r>{rpr or ""}<w:t xml:space="preserve">{piece}</w:t></w:r>')
            if cut is not None:
                if cut.group(1) == "f":
                    out.append(_note_ref_xml(ids, int(cut.group(2))))
                pos = cut.end()
        if len(out) == before:  # nothing left in it (a section mark without sections): empty, as lxml writes it
            out[-1] = opening[:-1] + "/>"
        else:
            out.append("</w:p>")
    if props and sections:
        out.append(xml[done:main_at])
        out.append(props[-1])
        out.append("</w:body>")
    else:
        out.append(xml[done:])
    return Laid("".join(out), footnotes_xml(data["notes"], ids) if data["notes"] else None, own)


def footnotes_xml(notes: list[str], ids: _Ids) -> bytes:
    """``word/footnotes.xml``: the separators Word expects, then one footnote per note (ids from 1)."""
    root = etree.Element(q("w:footnotes"), nsmap={"w": W})
    for fid, kind, child in (("-1", "separator", "w:separator"), ("0", "continuationSeparator",
                                                                   "w:continuationSeparator")):
        fn = _el("w:footnote", root, type=kind, id=fid)
        p = _el("w:p", fn)
        _el("w:spacing", _el("w:pPr", p), after="0", line="240", lineRule="auto")
        _el(child, _el("w:r", p))
    for n, note in enumerate(notes, 1):
        fn = _el("w:footnote", root, id=str(n))
        p = _el("w:p", fn)
        if ids["note"]:
            _el("w:pStyle", _el("w:pPr", p), val=ids["note"])
        r = _el("w:r", p)
        if ids["note_ref"]:
            _el("w:rStyle", _el("w:rPr", r), val=ids["note_ref"])
        _el("w:footnoteRef", r)
        _run(" " + note, p)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
