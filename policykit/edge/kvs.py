"""The key value store a CloudFront Function reads with `cf.kvs()`: from `--kvs FILE` (the whole store, in the
format CloudFront imports: `{"data": [{"key": ..., "value": ...}]}`), or from the keys a Terraform module declares
for the store the function is associated with (`aws_cloudfrontkeyvaluestore_key`: those keys; whether others exist
is not known). A CloudFormation store's keys come from its `ImportSource` in S3, which policykit does not read.

What the child's runtime gets is `{known, data}`: `known` when `data` is the whole store (a key not in it is
missing, and a function that does not handle that fails); otherwise a key not in `data` is treated as missing too,
but a failure that comes of it is "could not run here" (reason: key value store), never the function's.
https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/kvs-with-functions.html
"""

from __future__ import annotations

from pathlib import Path

from policykit.core.errors import InputError
from policykit.core.values import Unknown
from policykit.edge.check import read_json_file
from policykit.edge.events import JsonObject
from policykit.model.cloudfront import Model
from policykit.model.related import CloudFrontFunction, KeyValueStoreKey

MAX_KEYS = 100_000  # more keys than any store of a CloudFront Function holds (its quota is 5 MB)


def from_file(path: Path | str) -> JsonObject:
    """`--kvs FILE`: the store in CloudFront's import format; one-line errors naming the file."""
    name, document = read_json_file(path, "key value store (--kvs)")
    items = document.get("data") if isinstance(document, dict) else None
    if not isinstance(items, list):
        raise InputError(name, 'a key value store file is {"data": [{"key": "...", "value": "..."}, ...]}')
    if len(items) > MAX_KEYS:
        raise InputError(name, f"the key value store has {len(items)} keys (at most {MAX_KEYS:,} are read)")
    data: dict[str, object] = {}
    for index, item in enumerate(items):
        if not (isinstance(item, dict) and isinstance(item.get("key"), str) and isinstance(item.get("value"), str)):
            raise InputError(name, f"item {index} of data is not {{\"key\": string, \"value\": string}}")
        data[item["key"]] = item["value"]
    return {"known": True, "data": data}


def _store_name(value: object) -> str | None:
    """How a store is named: the resource a reference points at, or the ARN text."""
    if isinstance(value, Unknown):
        return value.ref.resource if value.ref else None
    return value if isinstance(value, str) else None


def for_function(function: CloudFrontFunction, model: Model) -> JsonObject | None:
    """The keys the module declares for the function's store, or None when it declares none."""
    stores = {name for name in (_store_name(s) for s in function.key_value_stores) if name}
    if not stores:
        return None
    data: dict[str, object] = {}
    for obj in model.resources.values():
        if (isinstance(obj, KeyValueStoreKey) and _store_name(obj.store) in stores and isinstance(obj.key, str)
                and isinstance(obj.value, str)):
            data[obj.key] = obj.value
    return {"known": False, "data": data} if data else None
