"""Function runs from the command line's inputs: a result file (`edge validate`), an event's name, a JSON file."""

from __future__ import annotations

from pathlib import Path

from policykit.core.edge_rules import CLOUDFRONT_FUNCTION_EVENTS, EVENTS
from policykit.core.errors import InputError, UsageError
from policykit.edge.build import build_result, received_object
from policykit.edge.paths import in_file
from policykit.model.function_runs import LAMBDA_EDGE, EdgeRun, Platform
from policykit.source.json_loader import load_json

MAX_INPUT_BYTES = 8 * 1024 * 1024  # a result or event file larger than this is not a function's


def check_event(event: str, platform: Platform = LAMBDA_EDGE) -> str:
    allowed = CLOUDFRONT_FUNCTION_EVENTS if platform != LAMBDA_EDGE else EVENTS
    if event not in allowed:
        kind = "CloudFront Functions" if platform != LAMBDA_EDGE else "Lambda@Edge"
        raise UsageError(f"--event {event}: {kind} events are " + ", ".join(allowed))
    return event


def read_json_file(path: Path | str, what: str) -> tuple[str, object]:
    """A JSON file (or `-` for stdin) with positions; one-line errors naming the file."""
    import sys

    name = str(path)
    try:
        if name == "-":
            text = sys.stdin.read(MAX_INPUT_BYTES + 1)
            name = "-"  # as `scan -` names standard input
        else:
            with open(name, encoding="utf-8") as handle:
                text = handle.read(MAX_INPUT_BYTES + 1)
    except FileNotFoundError:
        raise InputError(name, f"no such {what} file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(name, f"cannot read the {what}: {exc}") from None
    if len(text) > MAX_INPUT_BYTES:
        raise InputError(name, f"the {what} is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB")
    return name, load_json(text, name)


def validate_file(path: str, event: str, received_path: str | None, platform: Platform = LAMBDA_EDGE) -> EdgeRun:
    """An EdgeRun for a result file, with locations inside it."""
    name, value = read_json_file(path, "result")
    received = None
    if received_path is not None:
        _, given = read_json_file(received_path, "input (--request)")
        received = received_object(given, event)
        if received is None:
            raise InputError(received_path, "the input (--request) is not a JSON object")
    result = build_result(value, event, name, in_file(value, name), received, platform)
    return EdgeRun(function=name, event_type=event, platform=platform, result=result, loc=result.loc)
