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
from typing import Any

from lxml import etree

from .lines import page_text_width
from .ooxml import Styles, W, q

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


def _paragraph(parent: etree._Element, text: str, style: str | None, align: str | None = None,
               keep: bool = False, note: int = 0, ids: _Ids | None = None) -> etree._Element:
    p = _el("w:p", parent)
    ppr = _el("w:pPr", p)
    if style:
        _el("w:pStyle", ppr, val=style)
    if keep:
        _el("w:keepNext", ppr)
    if align:
        _el("w:jc", ppr, val=align)
    if text:
        _run(text, p)
    if note and ids is not None:
        p.append(note_ref(ids, note))
    return p


# ---- tables ------------------------------------------------------------------------------------------


def _widths(relative: list[float], total: int) -> list[int]:
    s = sum(relative)
    out = [int(total * r / s) for r in relative]
    out[-1] += total - sum(out)
    return out


def table_elements(spec: dict[str, Any], text_width: int, ids: _Ids) -> list[etree._Element]:
    """Caption, unit line and the table of one spec (see ``context.table_spec``)."""
    out: list[etree._Element] = []
    holder = etree.Element(q("w:body"), nsmap={"w": W})  # children need no namespace of their own
    if spec.get("ten"):
        out.append(_paragraph(holder, spec["ten"], ids["caption"], keep=True))
    if spec.get("don_vi"):
        out.append(_paragraph(holder, spec["don_vi"], ids["unit"], keep=True))
    widths = _widths(spec["rong"], text_width)
    tbl = _el("w:tbl", holder)
    tblpr = _el("w:tblPr", tbl)
    if ids["grid"]:
        _el("w:tblStyle", tblpr, val=ids["grid"])
    _el("w:tblW", tblpr, w=str(text_width), type="dxa")
    _el("w:jc", tblpr, val="center")
    borders = _el("w:tblBorders", tblpr)
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _el(f"w:{edge}", borders, val="single", sz="4", space="0", color="000000")
    _el("w:tblLayout", tblpr, type="fixed")
    _el("w:tblLook", tblpr, val="0000", firstRow="0", lastRow="0", firstColumn="0", lastColumn="0",
        noHBand="1", noVBand="1")
    grid = _el("w:tblGrid", tbl)
    for w in widths:
        _el("w:gridCol", grid, w=str(w))
    header_rows = spec.get("tieu_de") or []
    body_rows = spec["dong"]
    total = spec.get("tong")
    rows = ([("header", r) for r in header_rows] + [("group" if r.get("nhom") else "body", r["o"])
                                                     for r in body_rows]
            + ([("total", total)] if total else []))
    below = [0] * len(widths)  # header rows (this one included) a cell spanning down still covers
    span_at: dict[int, int] = {}  # first column of a cell spanning down → its width in columns
    for index, (kind, cells) in enumerate(rows):
        tr = _el("w:tr", tbl)
        trpr = _el("w:trPr", tr)
        _el("w:cantSplit", trpr)  # a row never splits across pages
        if kind == "header":
            _el("w:tblHeader", trpr)  # repeated at the top of every page
        # the last body row keeps with the total row: the total row stays with the table
        keep = kind == "header" or (total is not None and index == len(rows) - 2)
        style = {"header": ids["header"], "group": ids["group"], "total": ids["group"]}.get(kind, ids["cell"])
        col = 0
        queue = list(cells)
        while col < len(widths):
            if below[col]:
                span = span_at[col]
                _cell(tr, sum(widths[col:col + span]), span, "continue", [""], style, None, False, 0, ids)
                col += span
                continue
            if not queue:
                break
            cell = queue.pop(0)
            span, down = cell.get("gop", 1), cell.get("gop_dong", 1)
            if down > 1:
                span_at[col] = span
                for c in range(col, col + span):
                    below[c] = down
            align = None if kind == "header" else ALIGN[cell.get("can") or spec["can"][col]]
            lines = cell.get("van_ban", "")
            lines = (lines if isinstance(lines, list) else [lines]) or [""]
            _cell(tr, sum(widths[col:col + span]), span, "restart" if down > 1 else None, lines, style, align,
                  keep, cell.get("chu_thich", 0), ids, center=kind == "header")
            col += span
        below = [max(0, b - 1) for b in below]
    out.append(tbl)
    return out


def _cell(tr: etree._Element, width: int, span: int, vmerge: str | None, lines: list[str], style: str | None,
          align: str | None, keep: bool, note: int, ids: _Ids, center: bool = False) -> None:
    tc = _el("w:tc", tr)
    tcpr = _el("w:tcPr", tc)
    _el("w:tcW", tcpr, w=str(width), type="dxa")
    if span > 1:
        _el("w:gridSpan", tcpr, val=str(span))
    if vmerge == "restart":
        _el("w:vMerge", tcpr, val="restart")
    elif vmerge:
        _el("w:vMerge", tcpr)
    _el("w:vAlign", tcpr, val="center" if center else "top")
    for i, line in enumerate(lines):
        _paragraph(tc, line, style, align, keep=keep, note=note if i == len(lines) - 1 else 0, ids=ids)


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
    ids = _Ids(styles)
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
