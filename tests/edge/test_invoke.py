"""Real handlers, run as `policykit edge run` runs them: Python and Node.js, bounded."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from policykit.edge import invoke as child
from policykit.edge.events import RequestShape, lambda_event
from policykit.edge.invoke import LOG_CAP, invoke, parse_handler
from tests.helpers import RunCli, Write

PY_HANDLERS = '''\
import os, subprocess, sys, time


def read_only(event, context):
    request = event["Records"][0]["cf"]["request"]
    request["headers"]["host"] = [{"key": "Host", "value": "other.example.com"}]
    return request


def no_content(event, context):
    return {"status": "204", "body": "OK"}


def too_big(event, context):
    return {"status": "200", "body": "x" * (41 * 1024)}


def slow(event, context):
    print("waiting for the database")
    time.sleep(30)


def raises(event, context):
    print("looking up the user")
    raise KeyError("x-user-id")


def redirect(event, context):
    return {"status": "302", "statusDescription": "Found",
            "headers": {"location": [{"key": "Location", "value": "https://www.example.com/"}]}}


def environment(event, context):
    return {"status": "200", "body": repr(sorted(os.environ))}


def chatty(event, context):
    sys.stdout.write("y" * (4 * 1024 * 1024))
    return {"status": "302", "headers": {"location": [{"key": "Location", "value": "/"}]}}


def spawns(event, context):
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    with open(os.environ["LAMBDA_TASK_ROOT"] + "/child.pid", "w") as out:
        out.write(str(child.pid))
    time.sleep(60)


def not_json(event, context):
    return {"status": "200", "body": object()}


def exits(event, context):
    os._exit(3)


def hungry(event, context):
    return len(bytearray(4 * 1024 ** 3))  # 4 GiB: past policykit's bound on a handler's memory
'''

JS_HANDLERS = '''\
exports.readOnly = async (event) => {
  const response = event.Records[0].cf.response;
  response.headers["via"] = [{ key: "Via", value: "1.1 my-proxy" }];
  return response;
};
exports.asyncRedirect = async () => {
  await new Promise((resolve) => setTimeout(resolve, 10));
  return { status: "302", headers: { location: [{ key: "Location", value: "https://www.example.com/" }] } };
};
exports.callback = (event, context, callback) => {
  setTimeout(() => callback(null, { status: "204", body: "no" }), 10);
};
exports.callbackError = (event, context, callback) => callback(new Error("upstream said no"));
exports.plainReturn = (event) => event.Records[0].cf.request;  // ignored by Lambda: the result is null
exports.slow = async () => new Promise(() => setTimeout(() => {}, 60000));
exports.raises = async () => { throw new TypeError("cannot read properties of undefined"); };
exports.tooBig = async () => ({ status: "200", body: "x".repeat(41 * 1024) });
exports.hungry = async () => { const kept = []; for (;;) kept.push(new Array(1e6).fill(kept.length)); };
'''


@pytest.fixture
def handlers(write: Write) -> Path:
    write("code/handlers.py", PY_HANDLERS)
    write("code/handlers.js", JS_HANDLERS)
    return write("code/esm.mjs", 'export const handler = async (event) => event.Records[0].cf.request;\n').parent


def run(run_cli: RunCli, spec: str, event: str, *extra: str) -> tuple[int, list[dict[str, object]], str]:
    code, out, err = run_cli("edge", "run", spec, "--event", event, "--format", "json", *extra)
    return code, json.loads(out)["findings"] if out.strip() else [], err


def ids(findings: list[dict[str, object]]) -> list[str]:
    return sorted(str(f["policy_id"]) for f in findings)


@pytest.mark.parametrize(("function", "event", "expected"), [
    ("read_only", "viewer-request", ["PK706"]),
    ("no_content", "viewer-request", ["PK710"]),
    ("too_big", "viewer-request", ["PK708"]),
    ("redirect", "viewer-request", []),
    ("not_json", "viewer-request", ["PK701"]),
])
def test_python_results(run_cli: RunCli, handlers: Path, function: str, event: str, expected: list[str]) -> None:
    code, findings, _ = run(run_cli, f"{handlers}/handlers.py:{function}", event)
    assert ids(findings) == expected
    assert code == (1 if expected else 0)


def test_python_timeout_is_enforced_and_is_a_503(run_cli: RunCli, handlers: Path) -> None:
    started = time.monotonic()
    code, findings, _ = run(run_cli, f"{handlers}/handlers.py:slow", "viewer-request", "--timeout", "0.5")
    assert time.monotonic() - started < 10
    assert code == 1 and ids(findings) == ["PK715"]
    assert "503" in str(findings[0]["message"]) and "0.5 s" in str(findings[0]["message"])
    assert "waiting for the database" in json.dumps(findings[0]["evidence"])


def test_python_exception_is_a_503_with_the_log(run_cli: RunCli, handlers: Path) -> None:
    code, findings, _ = run(run_cli, f"{handlers}/handlers.py:raises", "origin-request")
    assert code == 1 and ids(findings) == ["PK715"]
    assert "KeyError" in str(findings[0]["message"])
    assert "looking up the user" in json.dumps(findings[0]["evidence"])


def test_a_python_handler_past_the_memory_bound_fails_naming_it(handlers: Path) -> None:
    outcome = invoke(parse_handler(f"{handlers}/handlers.py:hungry"), lambda_event("viewer-request", RequestShape()),
                     5)
    assert outcome.outcome == "error"
    assert outcome.detail.startswith("the handler ran out of memory (policykit's bound on a handler run: 1,024 MB)")
    assert outcome.detail.endswith("at handlers.py:58")  # where the handler asked for it


def test_a_node_handler_past_the_memory_bound_fails_naming_it(handlers: Path, node: str,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(child, "MEMORY_MB", 64)  # a V8 heap of 64 MB fills in a moment
    outcome = invoke(parse_handler(f"{handlers}/handlers.js:hungry"), lambda_event("viewer-request", RequestShape()),
                     20)
    assert (outcome.outcome, outcome.detail) == (
        "error", "the handler ran out of memory (policykit's bound on a handler run: 64 MB)")


def test_a_handler_that_exits_is_a_failure(handlers: Path) -> None:
    outcome = invoke(parse_handler(f"{handlers}/handlers.py:exits"), lambda_event("viewer-request", RequestShape()), 3)
    assert outcome.outcome == "error" and "code 3" in outcome.detail


def test_the_timeout_never_exceeds_the_event_quota(run_cli: RunCli, handlers: Path) -> None:
    started = time.monotonic()
    _, findings, _ = run(run_cli, f"{handlers}/handlers.py:slow", "viewer-request", "--timeout", "60")
    assert 4.5 < time.monotonic() - started < 15
    assert "5 s timeout" in str(findings[0]["message"])


def test_the_child_gets_a_minimal_environment(handlers: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "caller-secret")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "caller-token")
    monkeypatch.setenv("GITHUB_TOKEN", "caller-gh")
    outcome = invoke(parse_handler(f"{handlers}/handlers.py:environment"),
                     lambda_event("viewer-request", RequestShape()), 3)
    names = outcome.value["body"]  # type: ignore[index]
    for secret in ("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "GITHUB_TOKEN", "AWS_ACCESS_KEY_ID"):
        assert secret not in names
    assert "AWS_REGION" in names


def test_output_is_capped_and_the_result_still_comes_back(handlers: Path) -> None:
    outcome = invoke(parse_handler(f"{handlers}/handlers.py:chatty"), lambda_event("viewer-request", RequestShape()), 5)
    assert outcome.outcome == "returned" and outcome.value["status"] == "302"  # type: ignore[index]
    assert len(outcome.log) <= LOG_CAP


def test_the_process_group_is_killed_on_timeout(handlers: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without namespaces (in them the handler's pids are the namespace's own, and the namespace ends with it:
    tests/edge/test_sandbox.py), the handler's whole process group is killed."""
    monkeypatch.setenv("POLICYKIT_EDGE_ISOLATION", "off")
    outcome = invoke(parse_handler(f"{handlers}/handlers.py:spawns"), lambda_event("viewer-request", RequestShape()),
                     1.0)
    assert outcome.outcome == "timeout"
    pid = int((handlers / "child.pid").read_text())
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.05)
    assert not _alive(pid), "the handler's own child survived the timeout"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie waiting for its reaper is dead for our purpose
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize(("function", "event", "expected"), [
    ("readOnly", "viewer-response", ["PK706"]),
    ("asyncRedirect", "viewer-request", []),
    ("callback", "viewer-request", ["PK710"]),
    ("plainReturn", "viewer-request", ["PK701"]),
    ("tooBig", "viewer-request", ["PK708"]),
])
def test_node_results(run_cli: RunCli, handlers: Path, node: str, function: str, event: str,
                      expected: list[str]) -> None:
    code, findings, _ = run(run_cli, f"{handlers}/handlers.js:{function}", event)
    assert ids(findings) == expected
    assert code == (1 if expected else 0)


@pytest.mark.parametrize(("function", "text"), [("raises", "TypeError"), ("callbackError", "upstream said no")])
def test_node_failures_are_503(run_cli: RunCli, handlers: Path, node: str, function: str, text: str) -> None:
    code, findings, _ = run(run_cli, f"{handlers}/handlers.js:{function}", "origin-request")
    assert code == 1 and ids(findings) == ["PK715"]
    assert text in str(findings[0]["message"])


def test_node_timeout(run_cli: RunCli, handlers: Path, node: str) -> None:
    started = time.monotonic()
    code, findings, _ = run(run_cli, f"{handlers}/handlers.js:slow", "viewer-request", "--timeout", "0.5")
    assert time.monotonic() - started < 10
    assert code == 1 and ids(findings) == ["PK715"]


def test_node_esm_module(run_cli: RunCli, handlers: Path, node: str) -> None:
    code, findings, _ = run(run_cli, f"{handlers}/esm.mjs:handler", "viewer-request")
    assert (code, findings) == (0, [])


def test_node_directory_with_index(run_cli: RunCli, write: Write, node: str) -> None:
    write("pkg/index.js", "exports.handler = async (e) => e.Records[0].cf.request;\n")
    code, findings, _ = run(run_cli, str(write("pkg/package.json", "{}").parent), "viewer-request")
    assert (code, findings) == (0, [])


def test_cloudfront_function_runtime(run_cli: RunCli, write: Write, node: str) -> None:
    good = write("cff/redirect.js", "function handler(event) {\n  return {statusCode: 302, statusDescription: 'Found',"
                 " headers: {location: {value: 'https://www.example.com' + event.request.uri}}};\n}\n")
    code, findings, _ = run(run_cli, str(good) + ":handler", "viewer-request", "--runtime", "cloudfront-js")
    assert (code, findings) == (0, [])
    bad = write("cff/bad.js", "function handler(event) {\n  event.request.headers['x-cache'] = {value: 'x'};\n"
                "  return event.request;\n}\n")
    code, findings, _ = run(run_cli, str(bad) + ":handler", "viewer-request", "--runtime", "cloudfront-js")
    assert code == 1 and ids(findings) == ["PK705"]
    code, _, err = run_cli("edge", "run", str(good) + ":handler", "--event", "origin-request", "--runtime",
                           "cloudfront-js")
    assert code == 2 and "viewer-request, viewer-response" in err


def test_request_options_shape_the_event(run_cli: RunCli, write: Write) -> None:
    echo = write("echo.py", "import json\n\ndef handler(event, context):\n"
                 "    r = event['Records'][0]['cf']['request']\n"
                 "    return {'status': '200', 'body': json.dumps(r)}\n")
    code, out, _ = run_cli("edge", "run", f"{echo}:handler", "--event", "origin-request", "--uri", "/a/b",
                           "--method", "post", "--header", "X-Token: abc", "--querystring", "x=1", "--body", "hi",
                           "--format", "json")
    assert code == 0, out
    outcome = invoke(parse_handler(f"{echo}:handler"), lambda_event("origin-request", RequestShape(
        uri="/a/b", method="POST", querystring="x=1", headers=(("X-Token", "abc"),), body="hi")), 3)
    request = json.loads(outcome.value["body"])  # type: ignore[index]
    assert (request["uri"], request["method"], request["querystring"]) == ("/a/b", "POST", "x=1")
    assert request["headers"]["x-token"] == [{"key": "X-Token", "value": "abc"}]
    assert request["body"]["data"] == "aGk="
    assert request["origin"]["custom"]["domainName"]
