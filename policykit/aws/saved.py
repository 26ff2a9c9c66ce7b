"""A saved read (`--save DIR`): one JSON file per call as the AWS CLI prints it, the code that came with some
(`.zip`, `.js`), and a manifest, `policykit-aws.json`, that makes the directory an input of its own.

`policykit scan DIR` reads it with no network and no boto3: the same traversal asks this source instead of AWS,
so it gives the same findings, at the lines of the saved files. The directory may come from anyone: the
manifest is bounded, and names only plain files inside the directory.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

from policykit.aws.calls import Answer, Call, Param
from policykit.aws.documents import parse
from policykit.core.errors import InputError
from policykit.core.nodes import MDict, MList
from policykit.source.discover import SAVED_READ_MANIFEST
from policykit.source.files import read_bounded

MANIFEST = SAVED_READ_MANIFEST
FORMAT = 1
MAX_MANIFEST = 16 * 1024 * 1024  # bytes
MAX_DOCUMENT = 64 * 1024 * 1024  # bytes of one saved answer (a large account's list of load balancers)
MAX_CALLS = 100_000
_PLAIN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,254}")


def write_manifest(directory: Path, inputs: list[str], distributions: list[str], answers: Iterable[Answer]) -> None:
    """The manifest of a saved read: what was asked, which file holds each answer, and the errors AWS gave."""
    calls = []
    for answer in answers:
        call = answer.call
        entry: dict[str, object] = {
            "service": call.service, "operation": call.operation, "region": call.region,
            "params": {name: list(value) if isinstance(value, tuple) else value for name, value in call.params},
            "command": call.command}
        if answer.error:
            entry["error"] = answer.error
        else:
            entry["file"] = Path(answer.file).name
        if answer.code_file is not None:
            entry["code_file"] = answer.code_file.name
        elif answer.code_note:
            entry["code_note"] = answer.code_note
        calls.append(entry)
    document = {"policykit": "aws-read", "format": FORMAT, "inputs": inputs, "distributions": distributions,
                "calls": calls}
    (directory / MANIFEST).write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def is_saved_read(directory: Path) -> bool:
    return (directory / MANIFEST).is_file()


class SavedSource:
    """Answers from a saved directory; a call it does not hold was not made by the read that saved it."""

    def __init__(self, directory: Path, edge: bool) -> None:
        self.directory = directory
        self.edge = edge
        self.manifest = directory / MANIFEST
        self.distributions: list[str] = []
        self._entries: dict[str, tuple[MDict, Call]] = {}
        self._answers: dict[str, Answer] = {}
        self._load()

    def _fail(self, message: str, node: object = None) -> InputError:
        mark = getattr(node, "mark", (0, 0))
        return InputError(str(self.manifest), message, mark[0], mark[1])

    def _load(self) -> None:
        try:
            with self.manifest.open("rb") as stream:
                data = read_bounded(stream, MAX_MANIFEST)
        except OSError as exc:
            raise self._fail(f"cannot be read ({exc.strerror or exc})") from None
        if len(data) > MAX_MANIFEST:
            raise self._fail(f"is larger than {MAX_MANIFEST // (1024 * 1024)} MB")
        try:
            root = parse(data.decode("utf-8"), str(self.manifest))
        except UnicodeDecodeError:
            raise self._fail("is not UTF-8 text") from None
        if root.get("policykit") != "aws-read" or root.get("format") != FORMAT:
            raise self._fail(f"is not a policykit saved read of format {FORMAT}", root)
        ids, calls = root.get("distributions"), root.get("calls")
        if not isinstance(ids, MList) or not all(isinstance(i, str) for i in ids):
            raise self._fail("'distributions' is a list of distribution ids", root)
        if not isinstance(calls, MList) or len(calls) > MAX_CALLS:
            raise self._fail(f"'calls' is a list of at most {MAX_CALLS} calls", root)
        self.distributions = list(ids)
        for entry in calls:
            call = self._call(entry)
            self._entries[call.key] = (entry, call)

    def _call(self, entry: object) -> Call:
        if not isinstance(entry, MDict):
            raise self._fail("each call is an object", entry)
        words = [entry.get(k) for k in ("service", "operation", "region")]
        params = entry.get("params")
        if not all(isinstance(w, str) for w in words) or not isinstance(params, MDict):
            raise self._fail("a call names its service, operation, region and params", entry)
        values: list[tuple[str, Param]] = []
        for name, value in params.items():
            if isinstance(value, str):
                values.append((name, value))
            elif isinstance(value, list) and all(isinstance(v, str) for v in value):
                values.append((name, tuple(value)))
            else:
                raise self._fail(f"the parameter {name} is a string or a list of strings", entry)
        for key in ("file", "code_file"):
            file_name = entry.get(key)
            if file_name is not None and not (isinstance(file_name, str) and _PLAIN_NAME.fullmatch(file_name)):
                raise self._fail(f"'{key}' is the plain name of a file in the directory", entry)
        service, operation, region = (str(w) for w in words)
        return Call(service, operation, region, tuple(values))

    def _inside(self, name: str) -> Path | None:
        """The file `name` of the directory, when it is a regular file there (a link out of it is not)."""
        path = self.directory / name
        try:
            if path.is_file() and path.resolve().parent == self.directory.resolve():
                return path
        except OSError:
            return None
        return None

    def ask(self, call: Call) -> Answer:
        key = call.key
        if key in self._answers:
            return self._answers[key]
        found = self._entries.get(key)
        answer = Answer(call, error="NotSaved") if found is None else self._answer(*found)
        self._answers[key] = answer
        return answer

    def _answer(self, entry: MDict, call: Call) -> Answer:
        error = entry.get("error")
        if isinstance(error, str) and error:
            return Answer(call, error=error)
        name = str(entry.get("file") or "")
        path = self._inside(name) if name else None
        if path is None:
            raise self._fail(f"the file {name or '(none)'} of `{call.command}` is not in the directory", entry)
        try:
            with path.open("rb") as stream:
                data = read_bounded(stream, MAX_DOCUMENT)
        except OSError as exc:
            raise InputError(str(path), f"cannot be read ({exc.strerror or exc})") from None
        if len(data) > MAX_DOCUMENT:
            raise InputError(str(path), f"is larger than {MAX_DOCUMENT // (1024 * 1024)} MB")
        try:
            document = parse(data.decode("utf-8"), str(path))
        except UnicodeDecodeError:
            raise InputError(str(path), "is not UTF-8 text") from None
        code = entry.get("code_file")
        code_file = self._inside(code) if isinstance(code, str) else None
        written = entry.get("code_note")
        note = written if isinstance(written, str) else ""
        if code_file is None and isinstance(code, str):
            note = f"its code file {code} is not in the directory"
        return Answer(call, document, str(path), code_file=code_file, code_note=note)
