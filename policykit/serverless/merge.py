"""lodash's `_.merge`, which the framework merges configuration with, over marked nodes.

`_.merge(dst, src)`: mappings merge key by key, recursively; lists merge item by item at the same index (a
shorter list changes the first items of a longer one, the rest stay); any other value of `src` replaces
`dst`'s (`null` too; only an absent key leaves `dst` as it is); a mapping or list of `src` where `dst` has
none is copied. Used for `resources` and `functions` given as lists and for `resources` over the template the
framework compiles (packages/serverless/lib/classes/service.js `mergeArrays`,
plugins/aws/package/lib/merge-custom-provider-resources.js).

Nothing the service wrote is changed (self-references share values): a node of `dst` is copied the first time
the merge changes it, and a node of `src` is copied where it is put, so merging n items costs their size once.
Marks come from whichever side each value comes from.
"""

from __future__ import annotations

from collections.abc import Iterable

from policykit.core.nodes import MAX_DEPTH, Mark, MDict, MList
from policykit.serverless.values import Value


def merged(dst: Value, src: Value) -> Value:
    """`_.merge(dst, src)` as a new value."""
    return _merge(dst, src, set(), 0)


def merged_all(mark: Mark, items: Iterable[Value]) -> MDict:
    """`items.reduce((memo, value) => _.merge(memo, value), {})` over the mappings among `items`."""
    out = MDict(mark)
    owned = {id(out)}
    for item in items:
        if isinstance(item, MDict):
            result = _merge(out, item, owned, 0)
            assert isinstance(result, MDict)  # a mapping merged into a mapping
            out = result
    return out


def _merge(dst: Value, src: Value, owned: set[int], depth: int) -> Value:
    if depth > MAX_DEPTH or not isinstance(src, (MDict, MList)):  # both sides are bounded: the first never holds
        return src
    if isinstance(src, MDict):
        out = dst if isinstance(dst, MDict) and id(dst) in owned else _own_mapping(dst, src, owned)
        for key, value in src.items():
            if isinstance(value, (MDict, MList)):
                key_mark = out.key_marks.get(key, src.mark) if key in out else src.key_marks.get(key, src.mark)
                out.set(key, _merge(out.get(key), value, owned, depth + 1), key_mark, src.mark_of(key))
            else:
                out.set(key, value, src.key_marks.get(key, src.mark), src.mark_of(key))
        return out
    items = dst if isinstance(dst, MList) and id(dst) in owned else _own_list(dst, src, owned)
    for index, value in enumerate(src):
        new = _merge(items[index] if index < len(items) else None, value, owned, depth + 1)
        if index < len(items):
            items[index] = new
            items.marks[index] = src.mark_of(index)
        else:
            items.add(new, src.mark_of(index))
    return items


def _own_mapping(dst: Value, src: MDict, owned: set[int]) -> MDict:
    """A copy of `dst` this merge may change (a new mapping where `dst` is none)."""
    out = MDict(dst.mark if isinstance(dst, MDict) else src.mark)
    owned.add(id(out))
    if isinstance(dst, MDict):
        for key, value in dst.items():
            out.set(key, value, dst.key_marks.get(key, dst.mark), dst.mark_of(key))
    return out


def _own_list(dst: Value, src: MList, owned: set[int]) -> MList:
    out = MList(dst.mark if isinstance(dst, MList) else src.mark)
    owned.add(id(out))
    if isinstance(dst, MList):
        for index, value in enumerate(dst):
            out.add(value, dst.mark_of(index))
    return out
