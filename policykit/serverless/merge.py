"""lodash's `_.merge`, which the framework merges configuration with, over marked nodes.

`_.merge(dst, src)`: mappings merge key by key, recursively; lists merge item by item at the same index (a
shorter list changes the first items of a longer one, the rest stay); any other value of `src` replaces
`dst`'s (`null` too; only an absent key leaves `dst` as it is). Used for `resources` given as a list and for
`resources` over the template the framework compiles (packages/serverless/lib/classes/service.js
`mergeArrays`, plugins/aws/package/lib/merge-custom-provider-resources.js). Nothing is changed in place: the
result is new where it differs, with the marks of whichever side each value comes from.
"""

from __future__ import annotations

from policykit.core.nodes import MAX_DEPTH, MDict, MList
from policykit.serverless.values import Value


def merged(dst: Value, src: Value, depth: int = 0) -> Value:
    """`_.merge(dst, src)` as a new value."""
    if depth > MAX_DEPTH:  # both sides are bounded by their loaders and the resolver: never reached
        return src
    if isinstance(src, MDict):
        out = MDict(dst.mark if isinstance(dst, MDict) else src.mark)
        if isinstance(dst, MDict):
            for key, value in dst.items():
                out.set(key, value, dst.key_marks.get(key, dst.mark), dst.mark_of(key))
        for key, value in src.items():
            old = out.get(key) if key in out else None
            new = merged(old, value, depth + 1) if isinstance(value, (MDict, MList)) else value
            if key in out and isinstance(value, (MDict, MList)):
                out.set(key, new, out.key_marks.get(key, src.mark), src.mark_of(key))
            else:
                out.set(key, new, src.key_marks.get(key, src.mark), src.mark_of(key))
        return out
    if isinstance(src, MList):
        base = dst if isinstance(dst, MList) else MList(src.mark)
        items = MList(base.mark if isinstance(dst, MList) else src.mark)
        for index in range(max(len(base), len(src))):
            if index < len(src):
                old = base[index] if index < len(base) else None
                value = src[index]
                items.add(merged(old, value, depth + 1) if isinstance(value, (MDict, MList)) else value,
                          src.mark_of(index))
            else:
                items.add(base[index], base.mark_of(index))
        return items
    return src
