"""Answers from AWS itself, through boto3: the one module that imports it.

Credentials, profile, Region and endpoint come from the standard chain and variables (AWS_PROFILE,
AWS_ENDPOINT_URL, ...), `--aws-profile` and `--aws-region` over them; throttling is retried with the SDK's
standard retry mode. Every call is read-only, made once per scan (answers are shared by the distributions that
need them), and kept as the AWS CLI prints it: in `--save DIR`, or in memory.
"""

from __future__ import annotations

import threading
import urllib.parse
import urllib.request
from pathlib import Path

from policykit.aws.calls import Answer, Call
from policykit.aws.documents import parse, render
from policykit.aws.options import INSTALL_HINT, AwsOptions
from policykit.core.errors import PolicykitError

MAX_CODE_PACKAGE = 50 * 1024 * 1024  # bytes of a Lambda@Edge zip fetched (Lambda@Edge's own quota)
MAX_FUNCTION_CODE = 1024 * 1024  # bytes of a CloudFront Function's code kept (CloudFront takes 10 KB)
CODE_TIMEOUT = 60.0  # seconds to fetch a code package
# Errors of the local set-up, not of one call: the read stops with one line saying what to fix
_SETUP_ERRORS = ("NoCredentialsError", "PartialCredentialsError", "ProfileNotFound", "NoRegionError",
                 "InvalidConfigError", "SSOTokenLoadError", "UnauthorizedSSOTokenError", "TokenRetrievalError",
                 "CredentialRetrievalError", "UnknownCredentialError", "ConfigNotFound", "ConfigParseError",
                 "InvalidEndpointConfigurationError")
# A call's document is the AWS CLI's output; these answers carry a blob the CLI writes to a file of its own
_BLOB = {("cloudfront", "GetFunction"): "FunctionCode"}


class SetupError(PolicykitError):
    """The AWS set-up cannot be used (no boto3, no credentials, an unknown profile): the read stops, and the
    inputs it was reading for are named by the caller (policykit/aws/read.py)."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def _check_installed() -> None:
    try:
        import boto3  # noqa: F401
    except ImportError:
        raise SetupError(f"reading from AWS needs boto3, which is not installed: {INSTALL_HINT}") from None


class LiveSource:
    """Calls AWS; each answer once, whichever distribution asks first, the others wait for it."""

    def __init__(self, options: AwsOptions, edge: bool) -> None:
        _check_installed()
        import boto3
        from botocore.config import Config

        self.edge = edge
        self.save_dir = options.save_dir
        self.code_dir = options.save_dir or options.workdir
        try:
            self._session = boto3.session.Session(profile_name=options.profile, region_name=options.region)
        except Exception as exc:  # botocore's ProfileNotFound and configuration errors
            raise SetupError(_setup_message(exc)) from None
        # throttling is retried by the SDK's standard mode (attempts: AWS_MAX_ATTEMPTS, the profile, or 3)
        self._config = Config(retries={"mode": "standard"}, connect_timeout=10, read_timeout=60)
        self._clients: dict[tuple[str, str], object] = {}
        self._lock = threading.Lock()
        self._answers: dict[str, Answer] = {}
        self._pending: dict[str, threading.Event] = {}
        self.calls: list[Call] = []  # in the order they were answered: the manifest of a saved read

    def answered(self) -> list[Answer]:
        with self._lock:
            return [self._answers[call.key] for call in self.calls]

    def ask(self, call: Call) -> Answer:
        key = call.key
        with self._lock:
            if key in self._answers:
                return self._answers[key]
            waiting = self._pending.get(key)
            if waiting is None:
                self._pending[key] = threading.Event()
        if waiting is not None:
            waiting.wait()
            return self._answers.get(key) or Answer(call, error="NotRead")
        answer: Answer | None = None
        try:
            answer = self._answer(call)
        finally:
            with self._lock:
                if answer is not None:
                    self._answers[key] = answer
                    self.calls.append(call)
                self._pending.pop(key).set()
        return answer

    def _client(self, service: str, region: str) -> object:
        with self._lock:  # a boto3 session is not thread-safe; its clients are
            client = self._clients.get((service, region))
            if client is None:
                client = self._session.client(service, region_name=region, config=self._config)
                self._clients[(service, region)] = client
        return client

    def _answer(self, call: Call) -> Answer:
        from botocore import xform_name
        from botocore.exceptions import BotoCoreError, ClientError

        client = self._client(call.service, call.region or "us-east-1")
        method = xform_name(call.operation)
        params = {name: list(value) if isinstance(value, tuple) else value for name, value in call.params}
        try:
            if call.paged and getattr(client, "can_paginate")(method):  # noqa: B009 (a boto3 client)
                pages = getattr(client, "get_paginator")(method).paginate(**params)  # noqa: B009
                response = pages.build_full_result()
            else:
                response = getattr(client, method)(**params)
        except ClientError as exc:
            error = exc.response.get("Error", {})
            return Answer(call, error=str(error.get("Code") or "Error") if isinstance(error, dict) else "Error")
        except BotoCoreError as exc:
            if type(exc).__name__ in _SETUP_ERRORS:
                raise SetupError(_setup_message(exc)) from None
            return Answer(call, error=type(exc).__name__)  # a connection or parsing failure: not checked
        if not isinstance(response, dict):
            return Answer(call, error="UnexpectedAnswer")
        return self._kept(call, response)

    def _kept(self, call: Call, response: dict[str, object]) -> Answer:
        """The answer as the AWS CLI prints it, saved when asked, read back with positions."""
        code_file: Path | None = None
        code_note = ""
        code_text: str | None = None
        blob = _BLOB.get((call.service, call.operation))
        if blob is not None:
            code_text, code_note = self._blob(response.pop(blob, None))
            if code_text is not None and self.save_dir is not None:
                code_file, code_note = self._write(call.file_name(".js"), code_text.encode("utf-8"))
        elif call.service == "lambda" and call.operation == "GetFunction":
            code_file, code_note = self._package(call, response)
        text = render(response)
        file = call.name
        if self.save_dir is not None:
            path = self.save_dir / call.file_name()
            _save(path, text.encode("utf-8"))
            file = str(path)
        return Answer(call, parse(text, file), file, code_file=code_file, code_note=code_note, code_text=code_text)

    def _blob(self, body: object) -> tuple[str | None, str]:
        """A CloudFront Function's code, which `aws cloudfront get-function` writes to its outfile."""
        read = getattr(body, "read", None)
        data = read(MAX_FUNCTION_CODE + 1) if callable(read) else body
        if not isinstance(data, bytes):
            return None, "the answer holds no function code"
        if len(data) > MAX_FUNCTION_CODE:
            return None, f"the function's code is larger than {MAX_FUNCTION_CODE // 1024} KB"
        try:
            return data.decode("utf-8"), ""
        except UnicodeDecodeError:
            return None, "the function's code is not UTF-8 text"

    def _package(self, call: Call, response: dict[str, object]) -> tuple[Path | None, str]:
        """A Lambda@Edge function's zip, fetched from the location GetFunction gives, with `--edge` only."""
        code = response.get("Code")
        location = code.get("Location") if isinstance(code, dict) else None
        if not self.edge:
            return None, "its code package is read with --edge"
        if not isinstance(location, str) or urllib.parse.urlsplit(location).scheme not in ("https", "http"):
            return None, "GetFunction gives no location for its code package"
        try:
            with urllib.request.urlopen(location, timeout=CODE_TIMEOUT) as stream:
                data = stream.read(MAX_CODE_PACKAGE + 1)
        except OSError as exc:
            return None, f"its code package could not be fetched ({exc})"
        if len(data) > MAX_CODE_PACKAGE:
            return None, f"its code package is larger than {MAX_CODE_PACKAGE // (1024 * 1024)} MB"
        return self._write(call.file_name(".zip"), data)

    def _write(self, name: str, data: bytes) -> tuple[Path | None, str]:
        if self.code_dir is None:
            return None, "there is nowhere to keep its code"
        path = self.code_dir / name
        _save(path, data)
        return path, ""


def _save(path: Path, data: bytes) -> None:
    """Write what was read (`--save DIR`, or the scan's own directory for code): a failure stops the read."""
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise SetupError(f"cannot write {path}: {exc.strerror or exc}") from None


def _setup_message(exc: BaseException) -> str:
    name = type(exc).__name__
    hint = " (set AWS_PROFILE or --aws-profile, or the AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY variables)" \
        if "Credential" in name else ""
    return f"cannot use the AWS set-up: {' '.join(str(exc).split())}{hint}"
