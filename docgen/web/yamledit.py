"""Write edited data back into a person's YAML file, changing only what changed.

The web forms send the whole document as plain data. Instead of dumping it (which
loses comments, quoting and line wrapping), the new data is compared with the data
of the file, node by node, and only the spans of the nodes that differ are rewritten,
at the positions PyYAML's marks give (the technique ``rollover`` uses). Comments,
key order and untouched lines stay byte for byte. Every result is parsed again and
compared with the wanted data; if a span edit ever gave something else, the
top-level key concerned is rewritten whole, and failing that the whole file.
"""
from __future__ import annotations

import difflib
import json
import unicodedata
from typing import Any

import yaml

from ..loader import _LOADER, load_text

_NULL = "tag:yaml.org,2002:null"


# ---- emitting new values ------------------------------------------------------------------------


def _plain_ok(s: str, flow: bool = False) -> bool:
    """Can ``s`` be written unquoted and read back (by docgen's loader) as the same text?"""
    if not s or s != s.strip() or "\n" in s or "\t" in s:
        return False
    try:
        node = yaml.compose(f"[{s}]" if flow else f"- {s}", Loader=_LOADER)
    except yaml.YAMLError:
        return False
    if not isinstance(node, yaml.SequenceNode) or len(node.value) != 1:
        return False
    item = node.value[0]
    return (isinstance(item, yaml.ScalarNode) and not item.style and item.tag != _NULL
            and item.value == s and s not in ("~", "null"))


def scalar(value: Any, flow: bool = False) -> str:
    if value is None:
        return ""
    s = str(value)
    return s if _plain_ok(s, flow) else json.dumps(s, ensure_ascii=False)


WIDTH = 110  # the bundled sources wrap long text near here


def _wrapped(value: Any, first: int, indent: int) -> str:
    """A scalar for a line where it starts at column ``first``; long plain text folded onto lines at ``indent``
    (a folded plain scalar reads back with single spaces, as the sources are written)."""
    text = scalar(value)
    if text.startswith('"') or first + len(text) <= WIDTH or "  " in text:
        return text
    lines: list[str] = []
    line: list[str] = []
    col = first
    for word in text.split(" "):
        if line and col + 1 + len(word) > WIDTH:
            lines.append(" ".join(line))
            line, col = [], indent
        col += len(word) + (1 if line else 0)
        line.append(word)
    lines.append(" ".join(line))
    return ("\n" + " " * indent).join(lines)


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, (dict, list))


def _flow_list(values: list) -> str:
    return "[" + ", ".join(scalar(v, flow=True) for v in values) + "]"


def emit(value: Any, indent: int) -> list[str]:
    """Block YAML lines for a collection placed at ``indent`` (sequences indented under their key)."""
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, v in value.items():
            if v is None:
                continue
            if _is_scalar(v):
                lines.append(f"{pad}{scalar(key)}: {_wrapped(v, indent + len(str(key)) + 2, indent + 2)}")
            elif not v:
                lines.append(f"{pad}{scalar(key)}: {'[]' if isinstance(v, list) else '{}'}")
            else:
                lines.append(f"{pad}{scalar(key)}:")
                lines.extend(emit(v, indent + 2))
    elif isinstance(value, list):
        for item in value:
            if _is_scalar(item):
                lines.append(f"{pad}- {_wrapped(item, indent + 2, indent + 2)}")
            elif not item:
                lines.append(f"{pad}- {'[]' if isinstance(item, list) else '{}'}")
            else:
                inner = emit(item, indent + 2)
                inner[0] = f"{pad}- {inner[0].lstrip()}"
                lines.extend(inner)
    else:
        lines.append(pad + scalar(value))
    return lines


def dump(data: Any) -> str:
    """A whole new file."""
    return "\n".join(emit(data, 0)) + "\n"


# ---- comparing ----------------------------------------------------------------------------------


def normalize(value: Any) -> Any:
    """Plain data as docgen's loader gives it: text in NFC, no keys holding nothing."""
    if isinstance(value, dict):
        return {str(k): normalize(v) for k, v in value.items() if v is not None and v != ""}
    if isinstance(value, list):
        return [normalize(v) for v in value]
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return unicodedata.normalize("NFC", str(value))


def _key(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


# ---- span editing -------------------------------------------------------------------------------


def _implicit_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.value == "" and not node.style


class _Patcher:
    def __init__(self, text: str) -> None:
        self.text = text
        self.edits: list[tuple[int, int, str]] = []

    # positions
    def last(self, node: yaml.Node) -> int:
        """Index just after the node's last character (comments and blank lines after it excluded)."""
        if isinstance(node, yaml.ScalarNode) or node.flow_style:
            end = node.end_mark.index
            while end > node.start_mark.index and self.text[end - 1] in " \t\r\n":
                end -= 1
            return end
        best = node.start_mark.index
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                best = max(best, self.last(k) + 1, best if _implicit_null(v) else self.last(v))
        else:
            for v in node.value:
                best = max(best, self.last(v))
        return best

    def line_start(self, index: int) -> int:
        return self.text.rfind("\n", 0, index) + 1

    def line_end(self, index: int) -> int:
        end = self.text.find("\n", index)
        return len(self.text) if end < 0 else end

    def item_range(self, item: yaml.Node) -> tuple[int, int]:
        """From the start of the item's line (with the comment lines right above it) through its last line's
        newline."""
        return self._lines(item.start_mark.index, self.last(item))

    def entry_range(self, key: yaml.Node, value: yaml.Node) -> tuple[int, int]:
        """The lines of a ``key: value`` entry, with the comment lines right above it."""
        last = self.last(key) + 1 if _implicit_null(value) else max(self.last(key) + 1, self.last(value))
        return self._lines(key.start_mark.index, last)

    def _lines(self, first: int, last: int) -> tuple[int, int]:
        start = self.line_start(first)
        while start > 0:
            prev = self.line_start(start - 1)
            if self.text[prev:start - 1].strip().startswith("#"):
                start = prev
            else:
                break
        end = self.line_end(last)
        return start, min(end + 1, len(self.text))

    # editing
    def replace_value(self, key: yaml.Node, node: yaml.Node, new: Any, indent: int) -> None:
        """Rewrite a mapping value whole: from just after ``key:`` to the value's end."""
        colon = key.end_mark.index
        while colon < len(self.text) and self.text[colon] in " \t":
            colon += 1
        if self.text[colon:colon + 1] != ":":
            raise _Fallback
        start = colon + 1
        end = start if _implicit_null(node) else self.last(node)
        if _is_scalar(new):
            text = "" if new is None else " " + scalar(new)
        elif not new:
            text = " []" if isinstance(new, list) else " {}"
        elif (isinstance(new, list) and all(_is_scalar(v) for v in new) and isinstance(node, yaml.SequenceNode)
              and node.flow_style and len(_flow_list(new)) < 100):
            text = " " + _flow_list(new)
        else:
            text = "\n" + "\n".join(emit(new, indent))
        self.edits.append((start, end, text))

    def mapping(self, node: yaml.MappingNode, old: dict, new: dict) -> None:
        if node.flow_style:
            raise _Fallback
        indent = node.start_mark.column
        for k, v in node.value:
            if k.value not in new:
                start, end = self.entry_range(k, v)
                self.edits.append((start, end, ""))
            else:
                self.value(k, v, old.get(k.value), new[k.value], indent + 2)
        added = {k: v for k, v in new.items() if k not in old and v is not None}
        if added:
            at = self.line_end(self.last(node))
            self.edits.append((at, at, "\n" + "\n".join(emit(added, indent))))

    def value(self, key: yaml.Node, node: yaml.Node, old: Any, new: Any, indent: int) -> None:
        if normalize(old) == normalize(new):
            return
        if isinstance(node, yaml.MappingNode) and isinstance(new, dict) and isinstance(old, dict):
            self.mapping(node, old, new)
        elif (isinstance(node, yaml.SequenceNode) and not node.flow_style and isinstance(new, list) and new
              and isinstance(old, list)):
            self.sequence(node, old, new)
        elif isinstance(node, yaml.ScalarNode) and _is_scalar(new) and not _implicit_null(node) and new is not None:
            self.edits.append((node.start_mark.index, self.last(node), scalar(new)))
        else:
            self.replace_value(key, node, new, indent)

    def sequence(self, node: yaml.SequenceNode, old: list, new: list) -> None:
        dash = node.start_mark.column
        items = node.value
        matcher = difflib.SequenceMatcher(None, [_key(normalize(v)) for v in old], [_key(normalize(v)) for v in new],
                                          autojunk=False)
        opcodes = matcher.get_opcodes()
        # items that leave one place and arrive at another of the same list move with their own text
        leaving: dict[str, list[int]] = {}
        for op, i1, i2, j1, j2 in opcodes:
            if op == "delete" or (op == "replace" and i2 - i1 != j2 - j1):
                for i in range(i1, i2):
                    leaving.setdefault(_key(normalize(old[i])), []).append(i)

        def text_of(j: int) -> str:
            moved = leaving.get(_key(normalize(new[j])))
            if moved:
                start, end = self.item_range(items[moved.pop(0)])
                return self.text[start:end].rstrip("\n")
            return "\n".join(emit([new[j]], dash))

        for op, i1, i2, j1, j2 in opcodes:
            if op == "equal":
                continue
            if op == "replace" and i2 - i1 == j2 - j1:
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                    self.item(items[i], old[i], new[j], dash)
                continue
            for i in range(i1, i2):
                start, end = self.item_range(items[i])
                self.edits.append((start, end, ""))
            if j2 > j1:
                block = "\n".join(text_of(j) for j in range(j1, j2))
                if i1 < len(items):
                    at = self.item_range(items[i1])[0]
                    self.edits.append((at, at, block + "\n"))
                else:
                    at = self.line_end(self.last(items[-1]))
                    self.edits.append((at, at, "\n" + block))

    def item(self, node: yaml.Node, old: Any, new: Any, dash: int) -> None:
        """One sequence item changed in place."""
        if isinstance(node, yaml.MappingNode) and isinstance(old, dict) and isinstance(new, dict):
            self.mapping(node, old, new)
        elif isinstance(node, yaml.ScalarNode) and _is_scalar(new) and new is not None and not _implicit_null(node):
            self.edits.append((node.start_mark.index, self.last(node), scalar(new)))
        else:
            start, end = self.item_range(node)
            self.edits.append((start, end, "\n".join(emit([new], dash)) + "\n"))

    def result(self) -> str:
        out = self.text
        for start, end, text in sorted(self.edits, key=lambda e: (e[0], e[1]), reverse=True):
            out = out[:start] + text + out[end:]
        return out


class _Fallback(Exception):
    pass


def _data_of(text: str) -> Any:
    return load_text(text, "<mới>").data


def patch(text: str, new: Any) -> str:
    """``text`` edited so that it reads as ``new``; lines of unchanged values untouched."""
    new = _clean(new)
    if not text.strip():
        return dump(new)
    root = yaml.compose(text, Loader=_LOADER)
    old = _data_of(text)
    want = normalize(new)
    if not isinstance(root, yaml.MappingNode) or not isinstance(new, dict) or root.flow_style:
        return dump(new)
    try:
        p = _Patcher(text)
        p.mapping(root, old, new)
        out = p.result()
        if normalize(_data_of(out)) == want:
            return out
    except (_Fallback, yaml.YAMLError, Exception):  # noqa: BLE001 - any surprise falls back to a safe rewrite
        pass
    # a top-level key at a time: rewrite each changed key whole
    p = _Patcher(text)
    for k, v in root.value:
        if k.value in new and normalize(old.get(k.value)) != normalize(new[k.value]):
            p.replace_value(k, v, new[k.value], 2)
        elif k.value not in new:
            start, end = p.entry_range(k, v)
            p.edits.append((start, end, ""))
    added = {k: v for k, v in new.items() if k not in old and v is not None}
    if added:
        at = p.line_end(p.last(root))
        p.edits.append((at, at, "\n" + "\n".join(emit(added, 0))))
    try:
        out = p.result()
        if normalize(_data_of(out)) == want:
            return out
    except Exception:  # noqa: BLE001
        pass
    return dump(new)


def _clean(value: Any) -> Any:
    """JSON from a form → loader-shaped data: text everywhere, empty text is nothing."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return unicodedata.normalize("NFC", str(value))
