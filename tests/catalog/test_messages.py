"""Messages that must match what they quote: PK204 names the list it judges and says what is wrong with it,
in CloudFormation and Terraform."""

from __future__ import annotations

import pytest

from policykit.api import scan
from policykit.findings import Severity
from tests.helpers import Write
from tests.templates import cfn_distribution, cfn_template, tf_default_behavior, tf_distribution, tf_origin


def cfn(protocols: str) -> str:
    return cfn_template(cfn_distribution("Dist", "app.example.com", cache_policy=None,
                                         custom_extra=f"              OriginSSLProtocols: [{protocols}]\n"))


def terraform(protocols: str) -> str:
    return tf_distribution(tf_origin('"app.example.com"', protocols=protocols) + tf_default_behavior())


@pytest.mark.parametrize(("protocols", "severity", "says", "never"), [
    (["TLSv1.2", "SSLv3"], Severity.WARNING, "the list has TLSv1.2", "without TLSv1.2"),
    (["TLSv1", "TLSv1.1"], Severity.ERROR, "without TLSv1.2 a modern origin refuses", "SSLv3"),
    (["SSLv3"], Severity.ERROR, "without TLSv1.2", "the list has TLSv1.2"),
])
@pytest.mark.parametrize("fmt", ["cfn", "tf"])
def test_pk204_message_matches_the_list(write: Write, fmt: str, protocols: list[str], severity: Severity,
                                        says: str, never: str) -> None:
    if fmt == "cfn":
        path = write("t.yaml", cfn(", ".join(protocols)))
    else:
        path = write("mod/main.tf", terraform(", ".join(f'"{p}"' for p in protocols))).parent
    found = [f for f in scan([path]).findings if f.policy_id == "PK204" and not f.unknown]
    assert len(found) == 1 and found[0].severity is severity
    assert ", ".join(protocols) in found[0].message
    assert says in found[0].message and never not in found[0].message
