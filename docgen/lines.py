"""Size the decree's lines from the text they underline.

ND 30 asks for a line as long as the motto (Tiêu ngữ) and a centred line of 1/3
to 1/2 of the text under the agency name and the summary. The template draws
each line as the top border of an empty paragraph styled ``Duong ke du`` (full)
or ``Duong ke ngan`` (short); here its indents are set from the width of the
paragraph above, measured with Times New Roman's advance widths.
"""
from __future__ import annotations

from functools import lru_cache

from lxml import etree

from .metrics import text_width_pt
from .ooxml import Styles, W, q, text

RATIO = {"Duong ke du": 1.0, "Duong ke ngan": 0.4}
_DEFAULT_CELL_MARGIN = 108  # twips, Word's default left/right cell margin


def _container_width(p: etree._Element, page_text_width: int) -> int:
    tc = next((a for a in p.iterancestors(q("w:tc"))), None)
    if tc is None:
        return page_text_width
    tcw = tc.find(f"{q('w:tcPr')}/{q('w:tcW')}")
    width = int(tcw.get(q("w:w"))) if tcw is not None else page_text_width
    return width - 2 * _DEFAULT_CELL_MARGIN


def line_length_twips(above: etree._Element, styles: Styles, ratio: float, available: int) -> int:
    """Length of the line under ``above``: ``ratio`` × its widest line of text."""
    runs = styles.runs(above)
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
