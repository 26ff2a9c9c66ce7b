"""Deploy-time scenarios in CloudFormation (policykit/cfn/scenarios.py): inputs with finite domains, conditions
decided from their roots, findings named in deploy terms and merged across scenarios, the bound, and
definitions that once crashed or blew up resolution (cycles, `!Select [.inf]`, doubling defaults)."""

from __future__ import annotations

import time

import pytest

from policykit.api import ScanOptions, scan
from policykit.findings import Finding, ScanResult
from tests.helpers import RunCli, Write
from tests.templates import CFN_HEAD, cfn_distribution

WEBSITE = "www.s3-website-us-east-1.amazonaws.com"


def distribution(name: str = "Site", domain: str = WEBSITE, protocol: str = "https-only",
                 extra: str = "", behavior_extra: str = "") -> str:
    """The distribution the scenarios vary: one origin `site`, an S3 website endpoint by default."""
    return cfn_distribution(name, domain, protocol, origin_id="site", extra=extra, behavior_extra=behavior_extra)


def run(write: Write, text: str, **params: str) -> ScanResult:
    return scan([write("t.yaml", text)], ScanOptions(params=params))


def fired(result: ScanResult, policy_id: str) -> list[Finding]:
    return [f for f in result.findings if f.policy_id == policy_id and not f.unknown]


ENV_PROD = CFN_HEAD + """\
Parameters:
  Env: {Type: String, Default: dev}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
""" + distribution(protocol="!If [IsProd, https-only, http-only]")


def test_a_default_is_one_possibility_not_the_deployed_value(write: Write) -> None:
    # Env defaults to dev; the prod deploy sends HTTPS to an S3 website endpoint: 502.
    found = fired(run(write, ENV_PROD), "PK101")
    assert len(found) == 1
    assert found[0].scenario == "when Env=prod"
    assert found[0].message.endswith("(when Env=prod).")  # inside the sentence, before its full stop


def test_param_fixes_a_scenario(write: Write) -> None:
    assert fired(run(write, ENV_PROD, Env="dev"), "PK101") == []
    fixed = fired(run(write, ENV_PROD, Env="prod"), "PK101")
    assert len(fixed) == 1 and fixed[0].scenario == ""
    # the finding is the same finding whether or not a scenario label is on it
    assert fixed[0].fingerprint == fired(run(write, ENV_PROD), "PK101")[0].fingerprint


def test_allowed_values_used_directly_are_each_judged(write: Write) -> None:
    text = CFN_HEAD + """\
Parameters:
  Protocol: {Type: String, Default: http-only, AllowedValues: [http-only, https-only]}
Resources:
""" + distribution(protocol="!Ref Protocol")
    found = fired(run(write, text), "PK101")
    assert [f.scenario for f in found] == ["when Protocol=https-only"]


def test_allowed_values_through_conditions(write: Write) -> None:
    text = CFN_HEAD + """\
Parameters:
  Tier: {Type: String, Default: free, AllowedValues: [free, pro, enterprise]}
Conditions:
  Paid: !Or [!Equals [!Ref Tier, pro], !Equals [!Ref Tier, enterprise]]
Resources:
""" + distribution(protocol="!If [Paid, https-only, http-only]")
    found = fired(run(write, text), "PK101")
    assert [f.scenario for f in found] == ["when Tier is pro or enterprise"]


def test_resource_condition_false_only_at_the_default_is_analysed(write: Write) -> None:
    # The distribution exists only when an origin is given (default ""): it was silently dropped.
    text = CFN_HEAD + """\
Parameters:
  OriginDomain: {Type: String, Default: ""}
Conditions:
  HasOrigin: !Not [!Equals [!Ref OriginDomain, ""]]
Resources:
  Fn: {Type: AWS::Lambda::Function}
""" + distribution(domain="!Ref OriginDomain", extra="    Condition: HasOrigin\n", behavior_extra="""\
          LambdaFunctionAssociations:
            - EventType: origin-request
              LambdaFunctionARN: !GetAtt Fn.Arn
""")
    result = run(write, text)
    assert sum(result.distributions.values()) == 1
    assert len(fired(result, "PK401")) == 1  # the unversioned Lambda@Edge ARN the default hid
    assert result.never_deployed == ()


def test_impossible_combinations_never_appear(write: Write) -> None:
    # https-only needs IsProd and IsNotProd at once: no deploy can do that.
    text = CFN_HEAD + """\
Parameters:
  Env: {Type: String, Default: dev}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsNotProd: !Not [!Condition IsProd]
Resources:
""" + distribution(protocol="!If [IsProd, !If [IsNotProd, https-only, http-only], http-only]")
    result = run(write, text)
    assert fired(result, "PK101") == []
    assert not any("IsNotProd" in f.message for f in result.findings)


def test_and_or_not_are_consistent(write: Write) -> None:
    text = CFN_HEAD + """\
Parameters:
  Env: {Type: String, AllowedValues: [dev, staging, prod]}
  Region: {Type: String, Default: us-east-1, AllowedValues: [us-east-1, eu-west-1]}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsUs: !Equals [!Ref Region, us-east-1]
  ProdUs: !And [!Condition IsProd, !Condition IsUs]
  NotProdOrNotUs: !Or [!Not [!Condition IsProd], !Not [!Condition IsUs]]
Resources:
""" + distribution(protocol="!If [ProdUs, !If [NotProdOrNotUs, https-only, http-only], "
                            "!If [NotProdOrNotUs, http-only, https-only]]")
    # ProdUs and NotProdOrNotUs are each other's negation: https-only is never chosen
    assert fired(run(write, text), "PK101") == []
    text2 = text.replace("!If [ProdUs, !If [NotProdOrNotUs, https-only, http-only], "
                         "!If [NotProdOrNotUs, http-only, https-only]]", "!If [ProdUs, https-only, http-only]")
    found = fired(run(write, text2), "PK101")
    assert [f.scenario for f in found] == ["when Env=prod and Region=us-east-1"]


def test_a_distribution_that_can_never_exist_is_listed_in_the_summary(write: Write, run_cli: object) -> None:
    text = CFN_HEAD + """\
Parameters:
  Env: {Type: String, AllowedValues: [dev, prod]}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  Never: !And [!Condition IsProd, !Not [!Condition IsProd]]
Resources:
""" + distribution(extra="    Condition: Never\n")
    result = run(write, text)
    assert result.findings == () and sum(result.distributions.values()) == 0
    assert len(result.never_deployed) == 1 and "Site" in result.never_deployed[0]
    assert "Condition Never is false for every value of Env" in result.never_deployed[0]


def test_never_deployed_in_the_text_summary(write: Write, run_cli: RunCli) -> None:
    text = (CFN_HEAD + "Conditions:\n  Disabled: !Equals [a, b]\nResources:\n"
            + distribution(extra="    Condition: Disabled\n"))
    code, out, _ = run_cli("scan", str(write("t.yaml", text)))
    assert code == 0
    assert "1 never deployed" in out and "Site (its Condition Disabled is always false)" in out


def test_ssm_parameter_default_is_a_name_not_a_value(write: Write) -> None:
    text = CFN_HEAD + """\
Parameters:
  Origin: {Type: "AWS::SSM::Parameter::Value<String>", Default: /app/origin-domain}
Resources:
""" + distribution(domain="!Ref Origin")
    result = run(write, text)
    assert fired(result, "PK103") == []  # `/app/origin-domain` is the SSM name, not the origin domain
    unknown = [f for f in result.findings if f.policy_id == "PK103" and f.unknown]
    assert unknown and "SSM" in unknown[0].message
    assert fired(run(write, text, Origin="https://x.example.com"), "PK103")


def test_scenarios_worded_differently_are_one_finding(write: Write) -> None:
    text = CFN_HEAD + """\
Parameters:
  Env: {Type: String, Default: dev, AllowedValues: [dev, prod]}
Resources:
""" + distribution(domain='!Sub "www-${Env}.s3-website-us-east-1.amazonaws.com"')
    found = fired(run(write, text), "PK101")
    assert len(found) == 1 and found[0].scenario == ""
    assert "www-dev" in found[0].message
    assert any(key == "when Env=prod" and "www-prod" in value for key, value in found[0].evidence)


def test_past_the_bound_each_choice_alone_and_a_note(write: Write) -> None:
    params = "".join(f"  P{i}: {{Type: String, Default: a, AllowedValues: [a, b, c]}}\n" for i in range(8))
    headers = "".join(f"          - {{HeaderName: X-{i}, HeaderValue: !Ref P{i}}}\n" for i in range(7))
    text = CFN_HEAD + "Parameters:\n" + params + "  Protocol: {Type: String, Default: http-only, " \
        "AllowedValues: [http-only, https-only]}\n" + "Resources:\n" + distribution(protocol="!Ref Protocol")
    text = text.replace("            CustomOriginConfig:", "            OriginCustomHeaders:\n" + headers.replace(
        "          - ", "              - ") + "            CustomOriginConfig:", 1)
    started = time.perf_counter()
    result = run(write, text)
    assert time.perf_counter() - started < 30  # not 3**7 * 2 scenarios
    notes = [f for f in result.findings if f.policy_id == "PK009"]
    assert len(notes) == 1 and "combinations of several non-default values are not" in notes[0].message
    assert [f.scenario for f in fired(result, "PK101")] == ["when Protocol=https-only"]


# -- definitions that crashed or blew up resolution, each from its minimal input ---------------

@pytest.mark.parametrize(("section", "cycle"), [
    ("Conditions:\n  C: !Equals [!If [C, a, b], a]\n", "condition C -> condition C"),
    ("Conditions:\n  A: !Condition B\n  B: !Not [!Condition A]\n", "condition A -> condition B -> condition A"),
    ("Parameters:\n  P: {Type: String, Default: !Ref P}\n", "parameter P -> parameter P"),
    ("Mappings:\n  M:\n    K:\n      V: !FindInMap [M, K, V]\n", "mapping M/K/V -> mapping M/K/V"),
])
def test_a_definition_using_itself_is_an_input_error_naming_the_cycle(write: Write, section: str,
                                                                       cycle: str) -> None:
    use = {"C": "!If [C, a.example.com, b.example.com]", "A": "!If [A, a.example.com, b.example.com]",
           "P": "!Ref P", "M": "!FindInMap [M, K, V]"}[section.split("\n")[1].strip()[0]]
    result = run(write, CFN_HEAD + section + "Resources:\n" + distribution(domain=use))
    assert result.findings == () or all(f.unknown for f in result.findings)
    assert len(result.errors) == 1, result.errors
    error = result.errors[0]
    assert cycle in error.message and error.line > 0


def test_select_with_an_infinite_index_is_unknown(write: Write) -> None:
    result = run(write, CFN_HEAD + "Resources:\n" + distribution(domain="!Select [.inf, [a.example.com]]"))
    assert result.errors == ()
    assert fired(result, "PK103") == []


def test_defaults_doubling_thirty_deep_stop_at_the_string_bound(write: Write) -> None:
    params = "  P0: {Type: String, Default: xxxxxxxx}\n" + "".join(
        f"  P{i}: {{Type: String, Default: !Join ['', [!Ref P{i - 1}, !Ref P{i - 1}]]}}\n" for i in range(1, 31))
    started = time.perf_counter()
    result = run(write, CFN_HEAD + "Parameters:\n" + params + "Resources:\n" + distribution(domain="!Ref P30"))
    assert time.perf_counter() - started < 20
    assert len(result.errors) == 1 and "1,000,000 characters" in result.errors[0].message
    assert result.errors[0].line > 0


def test_defaults_doubling_under_the_bound_resolve_once_each(write: Write) -> None:
    params = "  P0: {Type: String, Default: a}\n" + "".join(
        f"  P{i}: {{Type: String, Default: !Join ['', [!Ref P{i - 1}, !Ref P{i - 1}]]}}\n" for i in range(1, 16))
    started = time.perf_counter()
    result = run(write, CFN_HEAD + "Parameters:\n" + params + "Resources:\n" + distribution(domain="!Ref P15"))
    assert time.perf_counter() - started < 10  # memoised: 15 resolutions, not 2**15
    assert result.errors == ()


def test_a_chain_of_definitions_past_the_bound_is_an_input_error(write: Write) -> None:
    # 400 mappings each pointing into the next would recurse past Python's limit (exit 3).
    mappings = "".join(f"  M{i}:\n    K:\n      V: !FindInMap [M{i + 1}, K, V]\n" for i in range(400))
    mappings += "  M400:\n    K:\n      V: a.example.com\n"
    result = run(write, CFN_HEAD + "Mappings:\n" + mappings + "Resources:\n"
                 + distribution(domain="!FindInMap [M0, K, V]"))
    assert len(result.errors) == 1 and "more than 100 definitions" in result.errors[0].message
    params = "  P0: {Type: String, Default: a.example.com}\n" + "".join(
        f"  P{i}: {{Type: String, Default: !Ref P{i - 1}}}\n" for i in range(1, 50))
    assert run(write, CFN_HEAD + "Parameters:\n" + params + "Resources:\n"
               + distribution(domain="!Ref P49")).errors == ()


def test_resources_around_a_distribution_are_resolved_in_each_scenario(write: Write) -> None:
    # The load balancer is internal only in prod: PK108 holds there, not at the defaults.
    text = CFN_HEAD + """\
Parameters:
  Env: {Type: String, Default: dev, AllowedValues: [dev, prod]}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Alb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Scheme: !If [IsProd, internal, internet-facing]}
  Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties: {LoadBalancerArn: !Ref Alb, Port: 80, Protocol: HTTP}
""" + distribution(domain="!GetAtt Alb.DNSName", protocol="http-only")
    found = fired(run(write, text), "PK108")
    assert [f.scenario for f in found] == ["when Env=prod"]
