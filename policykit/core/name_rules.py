"""Names and paths as CloudFront accepts them, and as a live probe may put them on the wire.

One set of rules for the static policies (PK307 aliases, PK110 OriginPath, policykit/facts/wire_names.py) and
for the probes (policykit/probes): a value that breaks them is a finding on the template's line and is never sent.
"""

from __future__ import annotations

import re
import urllib.parse

from policykit.core.values import Partial, Unknown

MAX_NAME = 253  # characters of a DNS name (RFC 1035, without the final dot)
MAX_LABEL = 63
MAX_PATH = 2048  # characters of a request path a probe sends
_LABEL = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$")


def shown(text: str) -> str:
    """A value quoted for a message: control characters and non-ASCII visible as escapes."""
    return repr(text)[1:-1] if not text.isprintable() else text


def _control(text: str) -> str:
    bad = next((c for c in text if ord(c) < 32 or ord(c) == 127), "")
    return f"it contains the control character {bad!r}" if bad else ""


def punycode(name: str) -> str:
    """The A-label (xn--) form CloudFront wants for an internationalized name; "" when there is none."""
    try:
        return ".".join(label.encode("idna").decode("ascii") if not label.isascii() else label
                        for label in name.split("."))
    except UnicodeError:
        return ""


def dns_name_problem(name: str, wildcard: bool = False) -> str:
    """Why `name` is not a DNS name CloudFront accepts ("" when it is): empty labels, lengths,
    control characters, spaces, non-ASCII (give the xn-- form), characters outside letters, digits, `-`."""
    if not name:
        return "it is empty"
    control = _control(name)
    if control:
        return control
    if any(c.isspace() for c in name):
        return "it contains a space"
    if not name.isascii():
        encoded = punycode(name)
        if encoded and not dns_name_problem(encoded, wildcard):
            return f"it is not ASCII: CloudFront wants the punycode form {encoded}"
        return "it is not ASCII, and has no valid punycode form"
    text = name[:-1] if name.endswith(".") else name
    if len(text) > MAX_NAME:
        return f"it is {len(text)} characters long, over the {MAX_NAME} a DNS name may have"
    labels = text.split(".")
    for index, label in enumerate(labels):
        if not label:
            return "it has an empty label ('..', or a leading dot)"
        if len(label) > MAX_LABEL:
            return f"its label '{label[:20]}...' is {len(label)} characters long, over the {MAX_LABEL} a label may have"
        if label == "*" and wildcard and index == 0 and len(labels) > 1:
            continue
        if "*" in label:
            return "a wildcard must be the whole left-most label (*.example.com)"
        if not _LABEL.match(label):
            bad = next((c for c in label if not (c.isalnum() or c == "-")), "")
            if bad:
                return f"it contains '{bad}', which a DNS name may not hold (letters, digits and '-' only)"
            return f"its label '{label}' starts or ends with '-'"
    return ""


def host_problem(host: str) -> str:
    """Why `host` may not be sent as SNI or Host ("" when it may)."""
    problem = dns_name_problem(host)
    return f"the name '{shown(host)}' cannot be sent: {problem}" if problem else ""


def request_path_problem(path: str) -> str:
    """Why `path` may not go in a request line ("" when it may): printable ASCII from `/`, no spaces."""
    if not path.startswith("/"):
        return f"the path '{shown(path)}' cannot be sent: it does not start with '/'"
    if len(path) > MAX_PATH:
        return f"the path cannot be sent: {len(path)} characters, over {MAX_PATH}"
    bad = next((c for c in path if not "!" <= c <= "~"), "")
    if bad:
        return f"the path '{shown(path)}' cannot be sent: it contains {bad!r}"
    return ""


def origin_path_text_problem(path: str) -> str:
    """Why an OriginPath value is not valid ("" when it is): `/` first, no control characters or
    spaces, ASCII (percent-encoded), no trailing `/`."""
    if path == "":
        return ""
    if not path.startswith("/"):
        return "it does not start with '/'"
    control = _control(path)
    if control:
        return control
    if any(c.isspace() for c in path):
        return "it contains a space (percent-encode it as %20)"
    if not path.isascii():
        return f"it is not ASCII: write it percent-encoded, {urllib.parse.quote(path, safe='/%')}"
    if path.endswith("/"):
        return "it ends with '/'"
    return ""


def partial_text_problem(value: Partial) -> str | Unknown:
    """A partly known value: a control character, space or non-ASCII in a known piece is wrong
    whatever the unknown pieces are; otherwise it is not known."""
    for piece in value.parts:
        if isinstance(piece, str):
            control = _control(piece)
            if control:
                return control
            if any(c.isspace() for c in piece):
                return "it contains a space"
    return Unknown(value.reason or "the value is only partly known")
