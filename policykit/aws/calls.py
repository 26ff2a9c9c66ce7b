"""One call to an AWS API and its answer, as a read from AWS and a saved directory both hold them.

A call is named by its service (the AWS CLI's and boto3's name), operation, Region and parameters; its answer
is the response as the AWS CLI prints it, read back as marked JSON (so findings point at lines of it), or the
error AWS gave. The traversal of what stands behind a distribution (policykit/aws/gather.py) asks a `Source`
for answers: the live one calls AWS (policykit/aws/live.py), the saved one reads a directory
(policykit/aws/saved.py), so a saved directory gives the same model as the read that wrote it.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import field
from pathlib import Path
from typing import Protocol

from policykit.core.nodes import MDict
from policykit.core.record import record

# The IAM service prefix of each API (what a policy's Action and an AccessDenied name)
IAM_PREFIX = {"cloudfront": "cloudfront", "acm": "acm", "elbv2": "elasticloadbalancing",
              "elb": "elasticloadbalancing", "ec2": "ec2", "lambda": "lambda", "iam": "iam"}
GLOBAL_SERVICES = frozenset({"cloudfront", "iam"})  # one endpoint, signed in us-east-1
# Error codes that mean "not allowed": the checks that need the answer are not checked, never an error
DENIED = frozenset({"AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedAccess",
                    "AuthorizationError", "NotAuthorized"})

# Every API action a read may call: the README's minimal read-only IAM policy is exactly these
READ_ACTIONS = (
    "cloudfront:ListDistributions", "cloudfront:GetDistribution", "cloudfront:GetCachePolicy",
    "cloudfront:GetOriginRequestPolicy", "cloudfront:GetVpcOrigin", "cloudfront:DescribeFunction",
    "cloudfront:GetFunction", "acm:DescribeCertificate", "iam:ListServerCertificates", "iam:GetServerCertificate",
    "iam:GetRole", "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeListeners",
    "elasticloadbalancing:DescribeListenerCertificates", "ec2:DescribeSecurityGroups", "lambda:GetFunction")

Param = str | tuple[str, ...]
_CAPITAL = re.compile(r"(?<!^)(?=[A-Z])")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def kebab(name: str) -> str:
    """`DescribeListeners` -> `describe-listeners` (the AWS CLI's spelling of operations and parameters)."""
    return _CAPITAL.sub("-", name).lower()


@record
class Call:
    """One call: `aws SERVICE OPERATION --region REGION --PARAM VALUE...`; `paged` merges every page, as the
    AWS CLI does."""

    service: str
    operation: str
    region: str = ""  # "" for the global services (CloudFront, IAM)
    params: tuple[tuple[str, Param], ...] = ()
    paged: bool = field(default=False, compare=False)

    @property
    def action(self) -> str:
        """The IAM action this call needs (`elasticloadbalancing:DescribeListeners`)."""
        return f"{IAM_PREFIX.get(self.service, self.service)}:{self.operation}"

    @property
    def key(self) -> str:
        """What identifies the call in a saved directory's manifest."""
        return json.dumps([self.service, self.operation, self.region,
                           [[k, list(v) if isinstance(v, tuple) else v] for k, v in self.params]])

    @property
    def command(self) -> str:
        """The AWS CLI command that prints the same answer."""
        words = ["aws", self.service, kebab(self.operation)]
        if self.region:
            words += ["--region", self.region]
        for name, value in self.params:
            words += [f"--{kebab(name)}", *(value if isinstance(value, tuple) else (value,))]
        return " ".join(words)

    @property
    def name(self) -> str:
        """How findings name the answer's document when nothing was saved: `aws:cloudfront/E123` for a
        distribution, `aws:elbv2/describe-listeners/ARN` for the rest."""
        if self.service == "cloudfront" and self.operation == "GetDistribution":
            return f"aws:cloudfront/{self.param('Id')}"
        values = [v if isinstance(v, str) else ",".join(v) for _, v in self.params]
        return f"aws:{self.service}/{kebab(self.operation)}" + "".join(f"/{v}" for v in values)

    def param(self, name: str) -> str:
        value = dict(self.params).get(name, "")
        return value if isinstance(value, str) else ",".join(value)

    def file_name(self, suffix: str = ".json") -> str:
        """A file name of its own in a saved directory: readable, and unique by a hash of the call."""
        values = "-".join(v if isinstance(v, str) else "-".join(v) for _, v in self.params)
        slug = _UNSAFE.sub("_", values.rsplit("/", 1)[-1].rsplit(":", 1)[-1])[:40].strip("._-")
        digest = hashlib.sha256(self.key.encode("utf-8")).hexdigest()[:8]
        parts = [self.service, kebab(self.operation), *([slug] if slug else []), digest]
        return "-".join(parts) + suffix


@record
class Answer:
    """What AWS answered a call: the response (as marked JSON, its positions in `file`), or the error code."""

    call: Call
    document: MDict | None = None
    file: str = ""  # the file the document's positions name: a saved file, or the call's name
    error: str = ""  # AccessDenied, LoadBalancerNotFound, ...: "" when AWS answered
    # code that came with the answer (a Lambda@Edge zip, a CloudFront Function's source), or why none did
    code_file: Path | None = None
    code_note: str = ""
    code_text: str | None = None  # a CloudFront Function's source, kept in memory when nothing is saved

    @property
    def reason(self) -> str:
        """Why the answer is missing, for "not checked" notes: `AccessDenied on elasticloadbalancing:...`."""
        return f"{self.error} on {self.call.action}" if self.error else ""

    @property
    def denied(self) -> bool:
        return self.error in DENIED

    @property
    def missing(self) -> bool:
        """AWS said that what was asked for does not exist."""
        return "NotFound" in self.error or self.error.startswith(("NoSuch", "EntityNotFound"))


class Source(Protocol):
    """Where answers come from: AWS itself, or a saved directory."""

    edge: bool  # fetch (or read) the code of Lambda@Edge functions too: `scan --edge` runs it

    def ask(self, call: Call) -> Answer:
        """The answer to one call (never raises for an error AWS gave: it is in the answer)."""
