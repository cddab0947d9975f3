"""Read effective formatting from WordprocessingML.

Run properties resolve through direct → character style → paragraph style →
basedOn chain → document defaults; theme fonts resolve through the theme part.
Used to size the decree's lines and by tests that assert layout on what Word
would show, not only on direct formatting.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from lxml import etree

from . import vn

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS = {"w": W, "a": A}


@cache
def q(tag: str) -> str:
    """Clark notation for a prefixed name: ``w:p`` → ``{...main}p``."""
    prefix, local = tag.split(":")
    return f"{{{NS[prefix]}}}{local}"


_ON = {None, "1", "true", "on"}

# Safe parser for files that may come from anywhere: no entities, no network, no huge trees.
SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                              load_dtd=False, remove_blank_text=False)


def parse(xml: bytes) -> etree._Element:
    return etree.fromstring(xml, SAFE_PARSER)


_NSDECL = re.compile(' xmlns(?::[A-Za-z0-9_.-]+)?="[^"]*"')


def start_tag_bare(xml: str) -> str:
    """An element's XML without the namespace declarations lxml copies onto a serialized child."""
    end = xml.index(">")
    return _NSDECL.sub("", xml[:end]) + xml[end:]


def _toggle(el: etree._Element | None) -> bool | None:
    if el is None:
        return None
    return el.get(q("w:val")) in _ON


@dataclass
class RunFormat:
    size_pt: float | None = None
    bold: bool | None = None
    italic: bool | None = None
    caps: bool | None = None
    underline: str | None = None
    fonts: dict[str, str] = field(default_factory=dict)
    color: str | None = None


@dataclass
class ParaFormat:
    alignment: str | None = None
    left: int = 0  # twips
    right: int = 0
    first_line: int = 0  # negative for hanging
    before: int = 0  # twips
    after: int = 0
    line: int | None = None
    line_rule: str | None = None
    borders: dict[str, dict[str, str]] = field(default_factory=dict)
    keep_next: bool | None = None
    page_break_before: bool | None = None


def _apply_rpr(fmt: RunFormat, rpr: etree._Element | None, theme: dict[str, str]) -> None:
    if rpr is None:
        return
    sz = rpr.find(q("w:sz"))
    if sz is not None and sz.get(q("w:val")):
        half_points = _number(sz.get(q("w:val")))
        if half_points is not None:
            fmt.size_pt = half_points / 2
    for name, tag in (("bold", "w:b"), ("italic", "w:i"), ("caps", "w:caps")):
        val = _toggle(rpr.find(q(tag)))
        if val is not None:
            setattr(fmt, name, val)
    u = rpr.find(q("w:u"))
    if u is not None:
        fmt.underline = u.get(q("w:val"))
    color = rpr.find(q("w:color"))
    if color is not None:
        fmt.color = color.get(q("w:val"))
    fonts = rpr.find(q("w:rFonts"))
    if fonts is not None:
        for slot, theme_attr in (("ascii", "asciiTheme"), ("hAnsi", "hAnsiTheme"), ("cs", "cstheme"),
                                 ("eastAsia", "eastAsiaTheme")):
            themed = fonts.get(q(f"w:{theme_attr}"))
            if themed:
                fmt.fonts[slot] = theme.get(themed, themed)
            elif fonts.get(q(f"w:{slot}")):
                fmt.fonts[slot] = fonts.get(q(f"w:{slot}"))


def _twips(el: etree._Element | None, attr: str) -> int | None:
    if el is None:
        return None
    return _number(el.get(q(f"w:{attr}")))


def _number(val: str | None) -> int | None:
    """An integer attribute of a file from anywhere: None when absent, not a number or absurd (never raises)."""
    if val in (None, ""):
        return None
    try:
        number = float(val)
    except (TypeError, ValueError):
        return None
    if number != number or abs(number) > 10**9:  # NaN, inf, absurd sizes
        return None
    return int(number)


def _apply_ppr(fmt: ParaFormat, ppr: etree._Element | None) -> None:
    if ppr is None:
        return
    jc = ppr.find(q("w:jc"))
    if jc is not None:
        fmt.alignment = jc.get(q("w:val"))
    ind = ppr.find(q("w:ind"))
    if ind is not None:
        for attr, alt, name in (("left", "start", "left"), ("right", "end", "right")):
            val = _twips(ind, attr)
            val = _twips(ind, alt) if val is None else val
            if val is not None:
                setattr(fmt, name, val)
        first, hanging = _twips(ind, "firstLine"), _twips(ind, "hanging")
        if hanging is not None:
            fmt.first_line = -hanging
        elif first is not None:
            fmt.first_line = first
    sp = ppr.find(q("w:spacing"))
    if sp is not None:
        for attr in ("before", "after", "line"):
            val = _twips(sp, attr)
            if val is not None:
                setattr(fmt, attr, val)
        if sp.get(q("w:lineRule")):
            fmt.line_rule = sp.get(q("w:lineRule"))
        elif sp.get(q("w:line")) and fmt.line_rule is None:
            fmt.line_rule = "auto"
    bdr = ppr.find(q("w:pBdr"))
    if bdr is not None:
        for edge in bdr:
            fmt.borders[etree.QName(edge).localname] = {etree.QName(k).localname: v for k, v in edge.attrib.items()}
    for name, tag in (("keep_next", "w:keepNext"), ("page_break_before", "w:pageBreakBefore")):
        val = _toggle(ppr.find(q(tag)))
        if val is not None:
            setattr(fmt, name, val)


class Styles:
    """The style sheet of one document, with the theme's fonts."""

    def __init__(self, styles_xml: bytes | None, theme_xml: bytes | None = None) -> None:
        self.theme: dict[str, str] = {}
        if theme_xml:
            theme = parse(theme_xml)
            for kind, prefix in (("major", "major"), ("minor", "minor")):
                font = theme.find(f".//a:{kind}Font/a:latin", NS)
                if font is not None:
                    for suffix in ("HAnsi", "Ascii", "Bidi", "EastAsia"):
                        self.theme[f"{prefix}{suffix}"] = font.get("typeface")
        root = parse(styles_xml) if styles_xml else None
        self.by_id: dict[str, etree._Element] = {}
        self.default_para: str | None = None
        self.default_char: str | None = None
        self.doc_rpr = self.doc_ppr = None
        if root is None:
            return
        for st in root.findall(q("w:style")):
            sid = st.get(q("w:styleId"))
            self.by_id[sid] = st
            if st.get(q("w:default")) in _ON - {None}:
                kind = st.get(q("w:type"))
                if kind == "paragraph":
                    self.default_para = sid
                elif kind == "character":
                    self.default_char = sid
        defaults = root.find(q("w:docDefaults"))
        if defaults is not None:
            self.doc_rpr = defaults.find(f"{q('w:rPrDefault')}/{q('w:rPr')}")
            self.doc_ppr = defaults.find(f"{q('w:pPrDefault')}/{q('w:pPr')}")

    def chain(self, style_id: str | None) -> list[etree._Element]:
        """The style and its basedOn ancestors, root first."""
        out: list[etree._Element] = []
        seen: set[str] = set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            st = self.by_id[style_id]
            out.append(st)
            based = st.find(q("w:basedOn"))
            style_id = based.get(q("w:val")) if based is not None else None
        return list(reversed(out))

    def ids_named(self, names: dict[str, float]) -> dict[str, float]:
        """Style ids whose names are keys of ``names``, with their values (cached per style sheet)."""
        cache = self.__dict__.setdefault("_named", {})
        key = tuple(sorted(names.items()))
        if key not in cache:
            cache[key] = {sid: names[n] for sid in self.by_id if (n := self.name(sid)) is not None and n in names}
        return cache[key]

    def name(self, style_id: str | None) -> str | None:
        st = self.by_id.get(style_id or "")
        if st is None:
            return None
        n = st.find(q("w:name"))
        return n.get(q("w:val")) if n is not None else None

    def para_style_id(self, p: etree._Element) -> str | None:
        ps = p.find(f"{q('w:pPr')}/{q('w:pStyle')}")
        return ps.get(q("w:val")) if ps is not None else self.default_para

    def _style_para(self, style_id: str | None) -> ParaFormat:
        """Doc defaults plus a paragraph style chain, resolved once per style."""
        cache = self.__dict__.setdefault("_para_cache", {})
        if style_id not in cache:
            fmt = ParaFormat()
            _apply_ppr(fmt, self.doc_ppr)
            for st in self.chain(style_id):
                _apply_ppr(fmt, st.find(q("w:pPr")))
            cache[style_id] = fmt
        return cache[style_id]

    def _style_run(self, para_style: str | None, char_style: str | None) -> RunFormat:
        cache = self.__dict__.setdefault("_run_cache", {})
        key = (para_style, char_style)
        if key not in cache:
            fmt = RunFormat()
            _apply_rpr(fmt, self.doc_rpr, self.theme)
            for st in self.chain(para_style):
                _apply_rpr(fmt, st.find(q("w:rPr")), self.theme)
            for st in self.chain(char_style):
                _apply_rpr(fmt, st.find(q("w:rPr")), self.theme)
            cache[key] = fmt
        return cache[key]

    def paragraph(self, p: etree._Element) -> ParaFormat:
        base = self._style_para(self.para_style_id(p))
        fmt = copy.copy(base)
        fmt.borders = dict(base.borders)
        _apply_ppr(fmt, p.find(q("w:pPr")))
        return fmt

    def run(self, p: etree._Element, r: etree._Element | None = None, shared: bool = False) -> RunFormat:
        """Effective run format; ``r=None`` gives the paragraph's own (its mark's style chain). ``shared``: the
        caller only reads it, so a run without properties may get the style's own (cached) format."""
        char_style = None
        rpr = r.find(q("w:rPr")) if r is not None else None
        if rpr is not None:
            rs = rpr.find(q("w:rStyle"))
            char_style = rs.get(q("w:val")) if rs is not None else None
        base = self._style_run(self.para_style_id(p), char_style)
        if shared and rpr is None:
            return base
        fmt = copy.copy(base)
        fmt.fonts = dict(base.fonts)
        _apply_rpr(fmt, rpr, self.theme)
        return fmt

    def runs(self, p: etree._Element, shared: bool = False) -> list[tuple[str, RunFormat]]:
        """(text, format) of each run holding text (``shared``: see ``run``)."""
        out = []
        for r in p.iter(q("w:r")):
            text = "".join(t.text or "" for t in r.iter(q("w:t")))
            if text:
                out.append((text, self.run(p, r, shared)))
        return out


def text(el: etree._Element) -> str:
    """Visible text of a paragraph or any element (tabs as spaces)."""
    parts = []
    for node in el.iter(q("w:t"), q("w:tab")):
        parts.append(node.text or "" if node.tag == q("w:t") else "\t")
    return "".join(parts)


def attrs(el: Any) -> dict[str, str]:
    return {etree.QName(k).localname: v for k, v in el.attrib.items()}


class Numbering:
    """Word list numbering (numbering.xml) rendered as the text markers a reader sees: ``1.``, ``a)``, ``I.``,
    ``-``. Call :meth:`label` on paragraphs in document order (counters advance as Word's do)."""

    def __init__(self, root: etree._Element | None, styles: Styles | None = None) -> None:
        self.styles = styles
        self.levels: dict[tuple[str, str], tuple[str, str, int]] = {}
        self.counters: dict[str, list[int]] = {}
        if root is None:
            return
        abstract = {}
        for a in root.findall(q("w:abstractNum")):
            lv = {}
            for lvl in a.findall(q("w:lvl")):
                fmt = lvl.find(q("w:numFmt"))
                txt = lvl.find(q("w:lvlText"))
                start = lvl.find(q("w:start"))
                try:
                    first = int(start.get(q("w:val"))) if start is not None else 1
                except (TypeError, ValueError):
                    first = 1
                lv[lvl.get(q("w:ilvl"))] = (fmt.get(q("w:val")) if fmt is not None else "decimal",
                                            txt.get(q("w:val")) if txt is not None else "%1.", first)
            abstract[a.get(q("w:abstractNumId"))] = lv
        for num in root.findall(q("w:num")):
            ref = num.find(q("w:abstractNumId"))
            for ilvl, spec in abstract.get(ref.get(q("w:val")) if ref is not None else "", {}).items():
                self.levels[(num.get(q("w:numId")), ilvl)] = spec

    def label(self, p: etree._Element) -> str:
        num_pr = p.find(f"{q('w:pPr')}/{q('w:numPr')}")
        if num_pr is None and self.styles is not None:  # numbering that comes with the paragraph style
            for st in reversed(self.styles.chain(self.styles.para_style_id(p))):
                num_pr = st.find(f"{q('w:pPr')}/{q('w:numPr')}")
                if num_pr is not None:
                    break
        if num_pr is None or not self.levels:
            return ""
        num_id_el, ilvl_el = num_pr.find(q("w:numId")), num_pr.find(q("w:ilvl"))
        num_id = num_id_el.get(q("w:val")) if num_id_el is not None else None
        try:
            level = min(8, max(0, int(ilvl_el.get(q("w:val"))))) if ilvl_el is not None else 0
        except (TypeError, ValueError):
            level = 0
        if num_id is None:
            return ""
        spec = self.levels.get((num_id, str(level)))
        if spec is None:
            return ""
        fmt, text, _ = spec
        counts = self.counters.setdefault(num_id, [0] * 9)
        counts[level] += 1
        for deeper in range(level + 1, 9):
            counts[deeper] = 0
        if fmt in ("bullet", "none"):
            return "- " if fmt == "bullet" else ""

        def render(k: int) -> str:
            kfmt, _, kstart = self.levels.get((num_id, str(k)), ("decimal", "", 1))
            value = max(counts[k], 1) + kstart - 1
            if not 0 < value <= vn.MAX_LA_MA:  # list starting at 0 or past 3,999: digits, as Word falls back
                return str(value)
            if kfmt == "lowerLetter":
                return vn.chu_cai(value)
            if kfmt == "upperLetter":
                return vn.chu_cai(value).upper()
            if kfmt == "upperRoman":
                return vn.so_la_ma(value)
            if kfmt == "lowerRoman":
                return vn.so_la_ma(value).lower()
            return str(value)

        out = re.sub(r"%(\d)", lambda m: render(int(m.group(1)) - 1), text)
        return out + " " if out else ""
