"""Saving from the web forms keeps the person's file: span edits, checked on random edits of the bundled plan."""
from __future__ import annotations

import copy

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docgen.loader import _LOADER, load_text
from docgen.web.yamledit import dump, normalize, patch

from .util import PLAN

TEXT = PLAN.read_text(encoding="utf-8")
DATA = load_text(TEXT, PLAN).data
words = st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyÀÁẢẠỆỘ 0123456789:#-'\"[]{},.&*!|>%@`", min_size=1,
                max_size=40).filter(lambda s: s.strip())


def _scalars(value, loc=()):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _scalars(v, loc + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _scalars(v, loc + (i,))
    elif isinstance(value, str):
        yield loc


def _lists(value, loc=()):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _lists(v, loc + (k,))
    elif isinstance(value, list):
        yield loc
        for i, v in enumerate(value):
            yield from _lists(v, loc + (i,))


SCALARS = list(_scalars(DATA))
LISTS = [loc for loc in _lists(DATA) if loc]


def _at(data, loc):
    for part in loc:
        data = data[part]
    return data


def _node(root, loc):
    for part in loc:
        if isinstance(root, yaml.MappingNode):
            root = next(v for k, v in root.value if k.value == part)
        else:
            root = root.value[part]
    return root


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SCALARS), words)
def test_one_value_changes_only_its_own_lines(loc, value):
    new = copy.deepcopy(DATA)
    _at(new, loc[:-1])[loc[-1]] = value
    out = patch(TEXT, new)
    assert normalize(load_text(out, "x").data) == normalize(new)
    node = _node(yaml.compose(TEXT, Loader=_LOADER), loc)
    first, last = node.start_mark.line, node.end_mark.line
    old_lines, new_lines = TEXT.split("\n"), out.split("\n")
    assert new_lines[:first] == old_lines[:first]  # everything above, comments included, byte for byte
    tail = len(old_lines) - last - 1
    assert new_lines[len(new_lines) - tail:] == old_lines[last + 1:]  # and everything below


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(LISTS), st.data())
def test_list_edits_read_back_and_keep_the_header_comments(loc, data):
    new = copy.deepcopy(DATA)
    items = _at(new, loc)
    op = data.draw(st.sampled_from(["delete", "insert", "swap", "duplicate"]))
    i = data.draw(st.integers(0, len(items) - 1))
    if op == "delete" and len(items) > 1:
        items.pop(i)
    elif op == "insert":
        items.insert(i, data.draw(words))
    elif op == "swap" and len(items) > 1:
        j = (i + 1) % len(items)
        items[i], items[j] = items[j], items[i]
    else:
        items.insert(i, copy.deepcopy(items[i]))
    out = patch(TEXT, new)
    assert normalize(load_text(out, "x").data) == normalize(new)
    assert out.split("\n")[:20] == TEXT.split("\n")[:20]
    assert out.count("# ") >= TEXT.count("# ") - 3  # only the comments inside a removed item may go


def test_unchanged_data_is_the_same_bytes():
    assert patch(TEXT, copy.deepcopy(DATA)) == TEXT


def test_a_new_file_reads_back():
    assert normalize(load_text(dump(DATA), "x").data) == normalize(DATA)


def test_emptied_value_keeps_its_key_and_comment():
    new = copy.deepcopy(DATA)
    new["ngay_ban_hanh"] = None
    out = patch(TEXT, new)
    assert "ngay_ban_hanh:   # không có trong bản gốc, xem ghi chú ở đầu tệp" in out
    assert load_text(out, "x").data["ngay_ban_hanh"] is None


def test_blank_number_gets_a_value_beside_its_comment():
    new = copy.deepcopy(DATA)
    new["so"] = "12"
    out = patch(TEXT, new)
    assert [line for line in out.split("\n") if line.startswith("so:")] == [
        "so: 12                     # để trống: văn thư điền số khi ban hành"]


def test_moved_item_keeps_its_wrapping():
    new = copy.deepcopy(DATA)
    body = new["noi_dung"][1]["noi_dung"]
    body.append(body.pop(0))
    out = patch(TEXT, new)
    moved = "Triển khai thực hiện tốt Quyết định số 1782/QĐ-UBND ngày 21/12/2022 của Chủ tịch UBND tỉnh\n"
    assert moved in out and moved in TEXT
