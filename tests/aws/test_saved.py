"""A saved read (`--save DIR`) is an input of its own, read with no network; it may come from anyone, so its
manifest is checked: bounded, and naming only plain files inside the directory."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from policykit.aws import saved
from policykit.aws.calls import Call
from policykit.aws.saved import MANIFEST, SavedSource
from policykit.core.errors import InputError
from policykit.source.discover import Input, discover
from tests.helpers import RunCli
from tests.templates import deployed_distribution

GET = Call("cloudfront", "GetDistribution", "", (("Id", "E1"),))


def _saved(directory: Path, calls: list[dict[str, Any]], ids: tuple[str, ...] = ("E1",)) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    manifest = {"policykit": "aws-read", "format": 1, "inputs": ["aws:cloudfront"], "distributions": list(ids),
                "calls": calls}
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return directory


def _distribution_call(file: str = "get.json", ident: str = "E1") -> dict[str, Any]:
    return {"service": "cloudfront", "operation": "GetDistribution", "region": "", "params": {"Id": ident},
            "file": file}


def _distribution_file(directory: Path, name: str = "get.json") -> None:
    document = deployed_distribution([{"id": "site", "domain": "b.s3-website-eu-west-1.amazonaws.com", "port": 443}])
    document["Distribution"] = {"Id": "E1", "DistributionConfig": document.pop("DistributionConfig")}
    (directory / name).write_text(json.dumps(document, indent=4), encoding="utf-8")


def test_a_saved_read_is_one_input_and_its_files_are_its_own(tmp_path: Path) -> None:
    directory = _saved(tmp_path / "repo" / "read", [_distribution_call()])
    _distribution_file(directory)
    (tmp_path / "repo" / "read" / "nested").mkdir()
    # one input, the directory, found in the walk of the tree given (or named by its manifest: its own tree)
    assert list(discover([tmp_path / "repo"])) == [Input(directory, "aws-saved", root=tmp_path / "repo")]
    assert list(discover([directory / MANIFEST])) == [Input(directory, "aws-saved", root=directory)]


def test_a_saved_read_scans_offline(tmp_path: Path, run_cli: RunCli) -> None:
    directory = _saved(tmp_path / "read", [_distribution_call()])
    _distribution_file(directory)
    code, out, err = run_cli("scan", "--no-config", str(directory), "--format", "json")
    assert code == 1, err
    (finding,) = [f for f in json.loads(out)["findings"] if f["policy_id"] == "PK101"]
    assert finding["file"] == str(directory / "get.json") and finding["line"] > 0
    assert finding["distribution"] == "E1"


def test_a_call_the_read_did_not_save_is_not_checked(tmp_path: Path) -> None:
    directory = _saved(tmp_path / "read", [_distribution_call(),
                                           {"service": "acm", "operation": "DescribeCertificate", "region": "x",
                                            "params": {"CertificateArn": "a"}, "error": "AccessDeniedException"}])
    _distribution_file(directory)
    source = SavedSource(directory, edge=False)
    assert source.ask(Call("acm", "DescribeCertificate", "x", (("CertificateArn", "a"),))).reason == \
        "AccessDeniedException on acm:DescribeCertificate"
    not_saved = source.ask(Call("elbv2", "DescribeListeners", "x"))
    assert not_saved.reason == "NotSaved on elasticloadbalancing:DescribeListeners"
    assert source.ask(GET).document is not None


@pytest.mark.parametrize(("manifest", "said"), [
    ("not json", "Expecting value"),
    ('{"policykit": "aws-read", "format": 2, "distributions": [], "calls": []}', "is not a policykit saved read"),
    ('{"policykit": "aws-read", "format": 1, "distributions": "E1", "calls": []}', "'distributions' is a list"),
    ('{"policykit": "aws-read", "format": 1, "distributions": [], "calls": {}}', "'calls' is a list"),
    ('{"policykit": "aws-read", "format": 1, "distributions": [], "calls": [1]}', "each call is an object"),
    ('{"policykit": "aws-read", "format": 1, "distributions": [], "calls": [{"service": "cloudfront"}]}',
     "names its service, operation, region and params"),
    ('{"policykit": "aws-read", "format": 1, "distributions": [], "calls": [{"service": "a", "operation": "b", '
     '"region": "", "params": {"Id": 1}}]}', "the parameter Id is a string or a list of strings"),
    ('{"policykit": "aws-read", "format": 1, "distributions": [], "calls": [{"service": "a", "operation": "b", '
     '"region": "", "params": {}, "file": "../../etc/passwd"}]}', "'file' is the plain name of a file"),
])
def test_a_bad_manifest_is_an_input_error_naming_it(tmp_path: Path, manifest: str, said: str) -> None:
    directory = tmp_path / "read"
    directory.mkdir()
    (directory / MANIFEST).write_text(manifest, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        SavedSource(directory, edge=False)
    assert raised.value.file == str(directory / MANIFEST) and said in raised.value.message


def test_a_manifest_over_its_bound(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    directory = _saved(tmp_path / "read", [_distribution_call()])
    monkeypatch.setattr(saved, "MAX_MANIFEST", 16)
    with pytest.raises(InputError, match="is larger than"):
        SavedSource(directory, edge=False)


def test_a_file_that_is_not_in_the_directory(tmp_path: Path, run_cli: RunCli) -> None:
    outside = tmp_path / "secret.json"
    outside.write_text("{}", encoding="utf-8")
    directory = _saved(tmp_path / "read", [_distribution_call("linked.json")])
    (directory / "linked.json").symlink_to(outside)  # a link out of the directory is not read
    code, _, err = run_cli("scan", "--no-config", str(directory))
    assert code == 2
    assert f"{directory / MANIFEST}" in err and "the file linked.json of `aws cloudfront get-distribution --id E1` " \
        "is not in the directory" in err


def test_a_saved_answer_that_is_not_json(tmp_path: Path, run_cli: RunCli) -> None:
    directory = _saved(tmp_path / "read", [_distribution_call()])
    (directory / "get.json").write_text("{\n  oops\n}\n", encoding="utf-8")
    code, _, err = run_cli("scan", "--no-config", str(directory))
    assert code == 2 and f"{directory / 'get.json'}:2:" in err


def test_a_distribution_the_read_could_not_get(tmp_path: Path, run_cli: RunCli) -> None:
    directory = _saved(tmp_path / "read", [{**_distribution_call(), "file": None, "error": "AccessDenied"}])
    code, _, err = run_cli("scan", "--no-config", str(directory))
    assert code == 2
    assert "aws:cloudfront/E1: AccessDenied on cloudfront:GetDistribution: nothing of this distribution" in err
