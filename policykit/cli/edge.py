"""`policykit edge validate|run`: what a Lambda@Edge function or CloudFront Function returns, checked
against CloudFront's rules (PK7xx) before viewers get 502."""

# No `from __future__ import annotations`: Typer reads the options from the annotations, and evaluating them
# once here is cheaper than Typer evaluating each string on every run.

import dataclasses
import enum
from typing import TYPE_CHECKING, Annotated

import typer

from policykit.cli.common import Color, ColorOption, CompactOption, QuietOption
from policykit.core.errors import UsageError
from policykit.findings import ScanResult, Severity
from policykit.reporters import Format, ReportOptions

if TYPE_CHECKING:
    from policykit.model.function_runs import EdgeRun

app = typer.Typer(help="Check what edge functions return (Lambda@Edge, CloudFront Functions).", no_args_is_help=True)


class Event(str, enum.Enum):
    viewer_request = "viewer-request"
    origin_request = "origin-request"
    origin_response = "origin-response"
    viewer_response = "viewer-response"


class Runtime(str, enum.Enum):
    auto = "auto"
    python = "python"
    nodejs = "nodejs"
    cloudfront_js = "cloudfront-js"
    cloudfront_js_1 = "cloudfront-js-1.0"
    cloudfront_js_2 = "cloudfront-js-2.0"


EventOption = Annotated[Event, typer.Option("--event", "-e", help="The event the function ran for.")]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
OutputOption = Annotated[list[str] | None, typer.Option(
    "--output", "-o", help="Write the report to FILE, or FORMAT=FILE (repeatable; - is stdout).")]
ThresholdOption = Annotated[Severity, typer.Option(
    "--severity-threshold", help="Exit 1 when a finding at or above this severity exists.")]
RequestOption = Annotated[str | None, typer.Option(
    "--request", help="JSON file (or -) of what the function received: the whole event, or the request "
    "(response, for response events).")]


@app.command("validate", no_args_is_help=True)
def validate(
    file: Annotated[str, typer.Argument(help="JSON file of what the function returned, or - for stdin.")],
    event: EventOption,
    request: RequestOption = None,
    runtime: Annotated[Runtime, typer.Option(
        "--runtime", help="cloudfront-js: a CloudFront Function's result; otherwise Lambda@Edge.")] = Runtime.auto,
    format: FormatOption = Format.text,
    output: OutputOption = None,
    severity_threshold: ThresholdOption = Severity.ERROR,
    quiet: QuietOption = False,
    compact: CompactOption = False,
    color: ColorOption = Color.auto,
) -> None:
    """Validate a function's result for EVENT: structure (JSON Schema), status, headers, body, uri, origin."""
    from policykit.edge.check import check_event, validate_file
    from policykit.model.function_runs import CLOUDFRONT_FUNCTIONS, LAMBDA_EDGE

    platform = CLOUDFRONT_FUNCTIONS if runtime.value.startswith("cloudfront-js") else LAMBDA_EDGE
    run = validate_file(file, check_event(event.value, platform), request, platform)
    _report([run], [run.function], format, output, severity_threshold, ReportOptions(quiet=quiet, compact=compact),
            color)


@app.command("run", no_args_is_help=True)
def run(
    handler: Annotated[str, typer.Argument(
        help="path/file.py:function, file.js:handler, file.mjs:handler, or a directory with index.js.")],
    event: EventOption,
    runtime: Annotated[str, typer.Option(
        "--runtime", help="auto (from the file); python or pythonX.Y, nodejs or nodejsNN.x (the function's Runtime: "
        "that interpreter runs it when it is on PATH); cloudfront-js (2.0), cloudfront-js-1.0 or cloudfront-js-2.0 "
        "for a CloudFront Function.")] = "auto",
    kvs: Annotated[str | None, typer.Option(
        "--kvs", help="A CloudFront Function's key value store: a JSON file in CloudFront's import format "
        '({"data": [{"key": ..., "value": ...}]}). Without it, every get() rejects as for a missing key.')] = None,
    origin_id: Annotated[list[str] | None, typer.Option(
        "--origin-id", help="An origin id of the distribution (repeatable): what cf.selectRequestOriginById and "
        "cf.createRequestOriginGroup may name.")] = None,
    uri: Annotated[str, typer.Option("--uri", help="Request URI.")] = "/",
    method: Annotated[str, typer.Option("--method", help="Request method.")] = "GET",
    header: Annotated[list[str] | None, typer.Option(
        "--header", "-H", help="Request header 'Name: value' (repeatable).")] = None,
    querystring: Annotated[str, typer.Option("--querystring", help="Query string, without '?'.")] = "",
    body: Annotated[str | None, typer.Option("--body", help="Request body (as IncludeBody passes it).")] = None,
    request: RequestOption = None,
    timeout: Annotated[float | None, typer.Option(
        "--timeout", help="Seconds [default: Lambda's 3 s; never above the event's quota, 5 s viewer / 30 s origin].",
        show_default=False)] = None,
    format: FormatOption = Format.text,
    output: OutputOption = None,
    severity_threshold: ThresholdOption = Severity.ERROR,
    quiet: QuietOption = False,
    compact: CompactOption = False,
    color: ColorOption = Color.auto,
) -> None:
    """Run HANDLER on a generated CloudFront event and validate what it returns.

    This executes the handler's code on this machine, in a child process with none of your
    secrets and, where the machine allows it, in namespaces of its own (no network, no view of
    other processes); the report says when it ran without them. Even so, use it only on code
    you trust. Not covered for CloudFront Functions: the compute-utilization limit (the code
    runs in Node.js).
    """
    from policykit.core.edge_rules import timeout_for
    from policykit.edge.check import check_event, read_json_file
    from policykit.edge.events import RequestShape
    from policykit.edge.handlers import parse_handler
    from policykit.edge.run import build_event, platform_of, run_handler

    wanted = None if runtime == "auto" else runtime
    found = parse_handler(handler, wanted)
    event_type = check_event(event.value, platform_of(found))
    if timeout is not None and timeout <= 0:
        raise UsageError("--timeout must be more than 0 seconds")
    limit = timeout_for(event_type, timeout)
    given = None
    if request is not None:
        _, value = read_json_file(request, "request (--request)")
        if not isinstance(value, dict):
            raise UsageError(f"{request}: the request (--request) is not a JSON object")
        given = value
    shape = RequestShape(uri=uri, method=method.upper(), querystring=querystring,
                         headers=tuple(_header(h) for h in header or ()), body=body)
    store = None
    if kvs is not None:
        from policykit.edge.kvs import from_file

        store = from_file(kvs)
    edge_run = run_handler(found, event_type, build_event(found, event_type, shape, given), limit,
                           f"handler {handler}", kvs=store, origin_ids=tuple(origin_id) if origin_id else None)
    _say_what_it_did(edge_run, format, output)
    _report([edge_run], [str(found.file)], format, output, severity_threshold,
            ReportOptions(quiet=quiet, compact=compact), color)


def _say_what_it_did(edge_run: "EdgeRun", format: Format, output: list[str] | None) -> None:
    """The origin a CloudFront Function chose (on the text report's stdout, else stderr), and how the handler
    was contained when it ran without isolation (a note on stderr, as `scan` gives it)."""
    from policykit.edge.sandbox import isolation
    from policykit.reporters import visible

    changes = edge_run.result.origin_changes if edge_run.result is not None else ()
    text_on_stdout = format is Format.text and not output
    for change in changes:
        line = f"{edge_run.function} chooses the {change.label}"
        if change.helper == "updateRequestOrigin" and change.params:
            import json

            line += ": " + json.dumps(change.params, sort_keys=True)[:500]
        typer.echo(visible(line), err=not text_on_stdout)
    notice = isolation().notice if edge_run.log != "(not run)" or edge_run.reason == "isolation" else ""
    if notice:
        typer.echo(f"policykit: note: {visible(notice)}", err=True)


def _header(text: str) -> tuple[str, str]:
    name, sep, value = text.partition(":")
    if not sep or not name.strip():
        raise UsageError(f"--header {text!r}: write 'Name: value'")
    return name.strip(), value.strip()


def _report(runs: "list[EdgeRun]", files: list[str], format: Format, output: list[str] | None,
            threshold: Severity, options: ReportOptions, color: Color) -> None:
    from policykit import api
    from policykit.cli.common import log_outcome, parse_outputs, write_report
    from policykit.policy.loader import load_policies

    policies = api.edge_policies(load_policies())
    result = ScanResult(findings=tuple(api.judge_edge_runs(runs, policies)), files=tuple(files),
                        policies=tuple(p.info() for p in policies))
    outputs = parse_outputs(output, format.value)
    options = dataclasses.replace(options, show_unknown=True)
    for name, target in outputs:
        write_report(result, name, target, options=options, color=color)
    log_outcome(result, outputs, options, templates=False)
    if result.worst_at_least(Severity(threshold.value)):
        raise typer.Exit(1)
