"""Aliases and OriginPath values as CloudFront accepts them (policykit/facts/wire_names.py): the fact of each
written value, known, partly known or not known (the rules themselves are policykit/core/name_rules.py)."""

from __future__ import annotations

import pytest

from policykit.core.values import Unknown
from policykit.facts.wire_names import (
    alias_problem,
    alias_shown,
    alias_valid,
    origin_path_problem,
    origin_path_shown,
    origin_path_valid,
)
from policykit.model.cloudfront import Alias, Origin
from tests.facts.helpers import distribution, origin
from tests.helpers import Write
from tests.templates import cfn_distribution, cfn_template


def _alias(write: Write, name: str, parameters: str = "") -> Alias:
    text = cfn_template(cfn_distribution("Site", config_extra=f"        Aliases: [{name}]\n"), parameters)
    (found,) = distribution(write(f"a{abs(hash(text))}.yaml", text)).aliases
    return found


def _origin(write: Write, path: str, parameters: str = "") -> Origin:
    text = cfn_template(cfn_distribution("Site", origin_extra=f"            OriginPath: {path}\n"), parameters)
    return origin(write(f"p{abs(hash(text))}.yaml", text))


@pytest.mark.parametrize(("name", "problem", "shown"), [
    ("www.example.com", None, "www.example.com"),
    ("'*.example.com'", None, "*.example.com"),
    ("a..example.com", "it has an empty label ('..', or a leading dot)", "a..example.com"),
    ("www.exämple.com", "it is not ASCII: CloudFront wants the punycode form www.xn--exmple-cua.com",
     "www.exämple.com"),  # printable: shown as written
    ('"w\\x01.example.com"', "it contains the control character '\\x01'", "w\\x01.example.com"),
])
def test_alias_as_cloudfront_accepts_it(write: Write, name: str, problem: str | None, shown: str) -> None:
    found = _alias(write, name)
    assert alias_problem(found) == problem
    assert alias_valid(found) is (problem is None)
    assert alias_shown(found) == shown


def test_alias_partly_known_or_not_known(write: Write) -> None:
    unknown = _alias(write, "!Ref Name", "  Name: {Type: String}\n")
    assert isinstance(alias_problem(unknown), Unknown) and isinstance(alias_valid(unknown), Unknown)
    partly = _alias(write, "!Sub '${Name}.example com'", "  Name: {Type: String}\n")
    assert alias_problem(partly) == "it contains a space" and alias_valid(partly) is False
    assert alias_shown(partly) == "${Name}.example com"
    assert isinstance(alias_problem(_alias(write, "!Sub '${Name}.example.com'", "  Name: {Type: String}\n")), Unknown)


@pytest.mark.parametrize(("path", "problem"), [
    ("/app", None),
    ("app", "it does not start with '/'"),
    ("/app/", "it ends with '/'"),
    ("'/a b'", "it contains a space (percent-encode it as %20)"),
    ("/ä", "it is not ASCII: write it percent-encoded, /%C3%A4"),
])
def test_origin_path_as_cloudfront_accepts_it(write: Write, path: str, problem: str | None) -> None:
    found = _origin(write, path)
    assert origin_path_problem(found) == problem
    assert origin_path_valid(found) is (problem is None)


def test_origin_path_not_written_not_known_or_shown(write: Write) -> None:
    unwritten = origin(write("none.yaml", cfn_template(cfn_distribution("Site"))))
    assert origin_path_problem(unwritten) is None and origin_path_valid(unwritten) is True
    unknown = _origin(write, "!Ref P", "  P: {Type: String}\n")
    assert isinstance(origin_path_problem(unknown), Unknown) and isinstance(origin_path_valid(unknown), Unknown)
    assert origin_path_shown(_origin(write, '"/a\\x01"')) == "/a\\x01"
    assert origin_path_shown(_origin(write, "/ä")) == "/ä"
    assert origin_path_problem(_origin(write, "!Sub '/a b/${P}'", "  P: {Type: String}\n")) == "it contains a space"
