"""Size the decree's lines from the text they underline.

ND 30 asks for a line as long as the motto (Tiêu ngữ) and a centred line of 1/3
to 1/2 of the text under the agency name and the summary. The template draws
each line as the top border of an empty paragraph styled ``Duong ke du`` (full)
or ``Duong ke ngan`` (short); here its indents are set from the width of the
paragraph above, measured with Times New Roman's advance widths.
"""
from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree

from .metrics import text_width_pt
from .ooxml import RunFormat, Styles, W, q, start_tag_bare, text

RATIO = {"Duong ke du": 1.0, "Duong ke ngan": 0.4}
_DEFAULT_CELL_MARGIN = 108  # twips, Word's default left/right cell margin


def _container_width(p: etree._Element, page_text_width: int) -> int:
    tc = next((a for a in p.iterancestors(q("w:tc"))), None)
    if tc is None:
        return page_text_width
    return _cell_width(tc.find(f"{q('w:tcPr')}/{q('w:tcW')}"), page_text_width)


def _cell_width(tcw: etree._Element | None, page_text_width: int) -> int:
    width = int(tcw.get(q("w:w"))) if tcw is not None else page_text_width
    return width - 2 * _DEFAULT_CELL_MARGIN


def line_length_twips(above: etree._Element, styles: Styles, ratio: float, available: int) -> int:
    """Length of the line under ``above``: ``ratio`` × its widest line of text."""
    return _length(styles.runs(above, shared=True), ratio, available)


def _length(runs: list[tuple[str, RunFormat]], ratio: float, available: int) -> int:
    if not runs:
        return 0
    width_pt = sum(text_width_pt(t, f.size_pt or 14, bool(f.bold), bool(f.italic)) for t, f in runs)
    width = min(int(width_pt * 20), available)  # a wrapped text is as wide as its container
    return int(width * ratio)


@lru_cache(maxsize=8)
def _finder(style_ids: tuple[str, ...]) -> etree.XPath:
    condition = " or ".join(f'@w:val="{sid}"' for sid in style_ids)
    return etree.XPath(f".//w:pPr/w:pStyle[{condition}]", namespaces={"w": W})


# the line an attached plan carries under its title (Mẫu 1.3); the short line below measures the title
DECISION_LINE = "(Kèm theo Quyết định"


def size_lines(body: etree._Element, styles: Styles, page_text_width: int) -> None:
    """Set the indents of every line paragraph in ``body`` (in place)."""
    wanted = styles.ids_named(RATIO)
    if not wanted:
        return
    # several sections (a landscape appendix): each line measured against its own section
    breaks = _BREAKS(body)
    several = bool(breaks)
    for ps in _finder(tuple(sorted(wanted)))(body):
        sid = ps.get(q("w:val"))
        p = ps.getparent().getparent()
        if p.tag != q("w:p") or text(p).strip():
            continue
        above = p.getprevious()
        while above is not None and above.tag != q("w:p"):
            above = above.getprevious()
        if above is not None and text(above).startswith(DECISION_LINE):
            above = above.getprevious()  # a plan issued by a decision: the line measures its title, not this
        if above is None:
            continue
        top = p if p.getparent() is body else next((a for a in p.iterancestors() if a.getparent() is body), p)
        available = _container_width(p, _section_width(top, body, breaks) if several else page_text_width)
        length = line_length_twips(above, styles, wanted[sid], available)
        side = max(0, (available - length) // 2)
        ppr = p.find(q("w:pPr"))
        if ppr is None:
            ppr = etree.SubElement(p, q("w:pPr"))
            p.insert(0, ppr)
        _indent(ppr, side)


def _indent(ppr: etree._Element, side: int) -> None:
    """Indent a line paragraph by ``side`` twips on both sides (its pPr, in place)."""
    ind = ppr.find(q("w:ind"))
    if ind is None:
        ind = etree.SubElement(ppr, q("w:ind"))
    for attr in ("start", "end", "hanging"):
        ind.attrib.pop(q(f"w:{attr}"), None)
    ind.set(q("w:left"), str(side))
    ind.set(q("w:right"), str(side))
    ind.set(q("w:firstLine"), "0")
    # keep pPr children in schema order: ind comes after spacing/borders, before jc
    jc = ppr.find(q("w:jc"))
    if jc is not None:
        jc.addprevious(ind)


# the paragraphs ending a section (all but the last, whose properties are the body's own sectPr)
_BREAKS = etree.XPath("w:p[w:pPr/w:sectPr]", namespaces={"w": W})


def _section_width(top: etree._Element, body: etree._Element, breaks: list[etree._Element]) -> int:
    """Text width of the section of ``top`` (a child of ``body``) when the body has several sections: the
    section break closing it is ``top`` itself or the next paragraph ending a section."""
    at = body.index(top)
    found = next((p for p in breaks if body.index(p) >= at), None)
    return page_text_width(found.find(f"{q('w:pPr')}/{q('w:sectPr')}") if found is not None
                           else body.find(q("w:sectPr")))


def page_text_width(sect_pr: etree._Element | None) -> int:
    """Text block width in twips from a section's page size and margins (A4 default)."""
    if sect_pr is None:
        return 9355
    pg, mar = sect_pr.find(q("w:pgSz")), sect_pr.find(q("w:pgMar"))
    width = int(pg.get(q("w:w"))) if pg is not None else 11906
    left = int(mar.get(q("w:left"))) if mar is not None else 1701
    right = int(mar.get(q("w:right"))) if mar is not None else 850
    return width - left - right


# ---- the same, on the body's text before it is parsed (the render's fast path) ---------------------------
#
# A template source is *plain* when every tag of its rendered text is a tag of the source as lxml wrote it:
# no comment, CDATA, processing instruction or character reference, no Jinja inside a tag (so values, escaped
# by autoescape, are never markup: no ``safe``, no ``autoescape`` block), no whitespace but spaces, namespaces
# declared on the body only, every ``w:pStyle`` written ``<w:pStyle w:val="..."/>``, no empty ``<w:tc .../>``.
# In such text ``<`` only starts a tag, ``>`` only ends one and ``/>`` only ends an empty element, so the
# structure is read from a few substring counts; the caller checks the parse of the result had no error.

_JINJA_IN_TAG = re.compile(r"<[^>]*[{}]")
_ODD_PSTYLE = re.compile(r'<w:pStyle (?!w:val="[^"<>&]*"/>)')
_EMPTY_TC = re.compile(r"<w:tc(?: [^>]*)?/>")
_NOT_PLAIN = ("<!", "<?", "&#", "\t", "\n", "\r", "safe", "autoescape")


def plain_source(xml: str) -> bool:
    """Whether the text a template source renders can be sized by ``size_lines_text`` (see above)."""
    end = xml.find(">") + 1
    start = xml[:end]
    return (xml.startswith("<w:body") and f' xmlns:w="{W}"' in start and start.count(f'"{W}"') == 1
            and xml.find("xmlns", end) == -1 and not any(s in xml for s in _NOT_PLAIN)
            and not _JINJA_IN_TAG.search(xml) and not _ODD_PSTYLE.search(xml) and not _EMPTY_TC.search(xml))


_TCW = re.compile(r'<w:tcW (?:w:type="dxa" )?w:w="([0-9]+)"')  # tcW's width as lxml writes it (digits)
# a paragraph of a style and runs of plain text (no properties, no character references)
_SIMPLE_P = re.compile(r'<w:p>(?:<w:pPr><w:pStyle w:val="([^"<>&]*)"/></w:pPr>)?'
                       r'((?:<w:r><w:t(?: xml:space="preserve")?>[^<>&]*</w:t></w:r>)*)</w:p>')
_RUN_TEXT = re.compile(r"<w:t[^>]*>([^<]*)</w:t>")
_ATTR = re.compile(r' w:([A-Za-z]+)="([^"<>&]*)"')


def _attrs(xml: str, name: str, start: int, end: int) -> dict[str, str] | None:
    """The ``w:`` attributes of the first element ``name`` in ``xml[start:end]`` ({} without one), None when
    it has attributes of other namespaces or escaped characters."""
    at = xml.find(f"<w:{name}", start, end)
    while at != -1 and xml[at + len(name) + 3] not in " />":
        at = xml.find(f"<w:{name}", at + 1, end)
    if at == -1:
        return {}
    close = xml.find(">", at)
    written = xml[at + len(name) + 3:close].rstrip("/")
    found = _ATTR.findall(written)
    return dict(found) if "".join(f' w:{k}="{v}"' for k, v in found) == written else None


_FRAGMENT = etree.XMLParser()  # strict: a piece that does not parse alone leaves the sizing to the tree
_W_ONLY = f'<w:body xmlns:w="{W}">'


def parse_in(open_tag: str, xml: str) -> etree._Element:
    """``xml`` (elements) parsed strictly in a body of start tag ``open_tag``: with ``w`` alone when no other
    prefix seems used (a tenth of the time of the body's ~20 declarations), else, or if that fails, all."""
    # (UTF-8 bytes: lxml reads them faster than a str holding non-Latin-1 text)
    if xml.count(":") == xml.count("w:") + xml.count("xml:"):
        try:
            return etree.fromstring(f"{_W_ONLY}{xml}</w:body>".encode(), _FRAGMENT)
        except etree.XMLSyntaxError:
            pass
    return etree.fromstring(f"{open_tag}{xml}</w:body>".encode(), _FRAGMENT)


def _opens(xml: str, name: str, start: int, end: int) -> int:
    return xml.count(f"<{name}>", start, end) + xml.count(f"<{name} ", start, end)


def _last_open(xml: str, name: str, start: int, end: int) -> int:
    """Start of the last start tag of ``name`` in ``xml[start:end]`` (-1 without)."""
    tag = f"<{name}"
    at = xml.rfind(tag, start, end)
    while at != -1 and xml[at + len(tag)] not in " >/":  # a longer name (w:pPr after w:p)
        at = xml.rfind(tag, start, at)
    return at if at == -1 or xml[at + len(tag)] != "/" else _last_open(xml, name, start, at)


class _Text:
    """The body's text and how to read its structure (see ``plain_source``)."""

    def __init__(self, xml: str) -> None:
        self.xml = xml
        self.start = xml.find(">") + 1  # after the body's start tag
        self.end = len(xml) - len("</w:body>")
        self.open_tag = xml[:self.start]

    def depth(self, k: int) -> int:
        """Elements open at ``k`` (the start of a tag), the body included; counted on the shorter side."""
        xml, start, end = self.xml, self.start, self.end
        if k - start <= end - k:  # start tags open one, end tags close one, empty elements do neither
            return 1 + xml.count("<", start, k) - 2 * xml.count("</", start, k) - xml.count("/>", start, k)
        return 1 + 2 * xml.count("</", k, end) + xml.count("/>", k, end) - xml.count("<", k, end)

    def cells_open(self, k: int) -> int:
        """Table cells open at ``k``."""
        xml = self.xml
        if k - self.start <= self.end - k:
            return _opens(xml, "w:tc", self.start, k) - xml.count("</w:tc>", self.start, k)
        return xml.count("</w:tc>", k, self.end) - _opens(xml, "w:tc", k, self.end)

    def element(self, a: int, b: int) -> etree._Element:
        """The element written at ``xml[a:b]``, parsed in the body's namespaces."""
        return parse_in(self.open_tag, self.xml[a:b])[0]

    def paragraph_before(self, k: int) -> int | None:
        """Start of the paragraph ending right before ``k`` (its previous sibling), None if that is no
        paragraph or holds one."""
        xml = self.xml
        if not xml.startswith("</w:p>", k - 6):
            return None
        a = _last_open(xml, "w:p", self.start, k)
        if a == -1 or xml.find("</w:p>", a, k - 6) != -1 or xml[xml.find(">", a) - 1] == "/":
            return None
        return a

    def sections(self) -> tuple[list[tuple[int, int]], int | None]:
        """The paragraphs ending a section as (start of the paragraph, start of its sectPr), and the start
        of the body's own sectPr (None without); raises LookupError on a sectPr anywhere else."""
        xml = self.xml
        breaks: list[tuple[int, int]] = []
        own = None
        k = xml.find("<w:sectPr", self.start)
        while k != -1:
            if xml[k + 9] in " />":
                depth = self.depth(k)
                if depth == 1:
                    own = k if own is None else own
                else:
                    j = xml.rfind("<w:pPr>", self.start, k)
                    p = xml.rfind("<", self.start, j) if j != -1 else -1
                    if (depth != 3 or j == -1 or xml.find("</w:pPr>", j, k) != -1 or xml[j - 2] == "/"
                            or not xml.startswith(("<w:p>", "<w:p "), p)):
                        raise LookupError(k)
                    if not breaks or breaks[-1][0] != p:  # the first sectPr of the pPr counts
                        breaks.append((p, k))
            k = xml.find("<w:sectPr", k + 9)
        return breaks, own

    def section_width(self, k: int) -> int:
        """``page_text_width`` of the sectPr starting at ``k``."""
        xml = self.xml
        close = xml.find(">", k)
        end = close + 1 if xml[close - 1] == "/" else xml.find("</w:sectPr>", k) + len("</w:sectPr>")
        # read as text when its page size and margins are written as lxml writes whole numbers
        size, margins = _attrs(xml, "pgSz", k, end), _attrs(xml, "pgMar", k, end)
        if size is not None and margins is not None:
            # page_text_width's defaults for an element not there; a value missing or not a plain number: its way
            values = [size.get("w", "") if size else "11906", margins.get("left", "") if margins else "1701",
                      margins.get("right", "") if margins else "850"]
            if all(v.isdigit() and v.isascii() for v in values):
                return int(values[0]) - int(values[1]) - int(values[2])
        return page_text_width(self.element(k, end))

    def runs(self, a: int, b: int, styles: Styles) -> tuple[str, list[tuple[str, RunFormat]]]:
        """``text`` and ``styles.runs`` of the paragraph at ``xml[a:b]``, read as text when it is a paragraph
        style and runs of text only (what the decree's headings are)."""
        m = _SIMPLE_P.fullmatch(self.xml, a, b)
        if m is None:
            p = self.element(a, b)
            return text(p), styles.runs(p, shared=True)
        base = styles._style_run(m.group(1) if m.group(1) is not None else styles.default_para, None)
        texts = _RUN_TEXT.findall(m.group(2))
        return "".join(texts), [(t, base) for t in texts if t]


def size_lines_text(xml: str, styles: Styles, text_width: int) -> str | None:
    """``size_lines`` on the body's text (a ``w:body`` element) rendered from a plain source (see
    ``plain_source``): the text whose parse is the tree ``size_lines`` makes of the parse of ``xml`` when
    ``xml`` is well-formed (the caller checks its parse). None when a line, or what its width depends on, is
    written in a shape this does not read: then the tree is sized."""
    wanted = styles.ids_named(RATIO)
    if not wanted:
        return xml
    found: list[tuple[int, float]] = []
    for sid, ratio in wanted.items():
        tag = f'<w:pStyle w:val="{sid}"/>'
        at = xml.find(tag)
        while at != -1:
            found.append((at, ratio))
            at = xml.find(tag, at + len(tag))
    if not found:
        return xml
    try:
        return _size_lines_text(_Text(xml), sorted(found), styles, text_width)
    except Exception:  # noqa: BLE001 - whatever fails here, the tree's way fails or succeeds as it always did
        return None


def _size_lines_text(body: _Text, found: list[tuple[int, float]], styles: Styles, text_width: int
                     ) -> str | None:
    xml = body.xml
    breaks, own = body.sections()
    widths: dict[int | None, int] = {}
    out: list[str] = []
    done = 0
    for at, ratio in found:
        # the pStyle is the first child of the pPr that is the first child of an empty paragraph
        ppr_at = at - len("<w:pPr>")
        p = xml.rfind("<", body.start, ppr_at)
        if (not xml.startswith("<w:pPr>", ppr_at) or not xml.startswith(("<w:p>", "<w:p "), p)
                or xml[ppr_at - 2] == "/"):
            return None
        p_end = xml.find("</w:p>", at)
        ppr_end = xml.find("</w:pPr>", at) + len("</w:pPr>")
        if (_last_open(xml, "w:p", ppr_at, p_end) != -1 or xml.find("<w:t>", at, p_end) != -1
                or xml.find("<w:t ", at, p_end) != -1 or not at < ppr_end <= p_end
                or xml.find("<w:pPr", at, ppr_end) != -1 or xml.find("Change", at, ppr_end) != -1):
            return None
        above = body.paragraph_before(p)
        if above is None:
            return None
        above_text, runs = body.runs(above, p, styles)
        if above_text.startswith(DECISION_LINE):
            before = body.paragraph_before(above)
            if before is None:
                return None
            runs = body.runs(before, above, styles)[1]
        # the width it may take: its cell's, else its section's
        if breaks:
            section = next((k for start, k in breaks if start >= p), own)
            if section not in widths:
                widths[section] = body.section_width(section) if section is not None else page_text_width(None)
            available = widths[section]
        else:
            available = text_width
        cell = _last_open(xml, "w:tc", body.start, p)
        if cell != -1 and cell > xml.rfind("</w:tc>", body.start, p):
            tcpr = xml.find(">", cell) + 1
            if not xml.startswith("<w:tcPr>", tcpr):
                return None
            tcpr_end = xml.find("</w:tcPr>", tcpr) + len("</w:tcPr>")
            if not tcpr < tcpr_end <= p or xml.find("Change", tcpr, tcpr_end) != -1:
                return None
            tcw = xml.find("<w:tcW ", tcpr, tcpr_end)
            width = _TCW.match(xml, tcw) if tcw != -1 else None
            if width is None:  # no tcW, or one this does not read: the tree's way
                return None
            available = int(width.group(1)) - 2 * _DEFAULT_CELL_MARGIN
        elif body.cells_open(p) != 0:
            return None  # in a cell of a table nested in a cell
        length = _length(runs, ratio, available)
        side = max(0, (available - length) // 2)
        out.append(xml[done:ppr_at])
        if ppr_end == at + len(tag := xml[at:xml.find(">", at) + 1]) + len("</w:pPr>"):  # a pPr of the style only
            out.append(f'<w:pPr>{tag}<w:ind w:left="{side}" w:right="{side}" w:firstLine="0"/></w:pPr>')
        else:
            ppr = body.element(ppr_at, ppr_end)
            _indent(ppr, side)
            out.append(start_tag_bare(etree.tostring(ppr, encoding="unicode")))
        done = ppr_end
    out.append(xml[done:])
    return "".join(out)
