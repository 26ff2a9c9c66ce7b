"""What an `aws:` input names and how a read from AWS runs. Imported by the command line: nothing heavy here."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import field
from pathlib import Path
from typing import Protocol

from policykit.core.errors import InputError
from policykit.core.record import record

PREFIX = "aws:"
EXTRA = "cloudfront-policykit[aws]"
INSTALL_HINT = f"pip install '{EXTRA}'"
DEFAULT_CONCURRENCY = 8  # distributions read at once by `aws:cloudfront`
MAX_CONCURRENCY = 64
# What CloudFront distribution ids look like (E2QWRUHAPOMQZL); moto's are shorter: letters and digits, bounded
_DISTRIBUTION_ID = re.compile(r"[A-Za-z0-9]{1,64}")


class ReadProgress(Protocol):
    """Told how a read of many distributions goes. The command line shows it on a terminal
    (policykit/cli/progress.py); the library tells no one unless the caller gives one."""

    def started(self, endpoints: Sequence[str]) -> None:
        """The distributions about to be read."""

    def finished(self, endpoint: str) -> None:
        """One distribution and what stands behind it are read."""

    def done(self) -> None:
        """Every distribution is read."""


@record
class AwsOptions:
    """How `aws:` inputs are read: the credentials' profile and the default Region (the standard AWS chain and
    variables otherwise: AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL...), where to save what was read, how many
    distributions are read at once."""

    profile: str | None = None
    region: str | None = None
    save_dir: Path | None = None  # --save DIR: every answer as the AWS CLI prints it, and a manifest
    concurrency: int = DEFAULT_CONCURRENCY
    progress: ReadProgress | None = field(default=None, compare=False)
    # where code read for `--edge` is kept while the scan runs when nothing is saved (api makes and removes it)
    workdir: Path | None = None


@record
class AwsTarget:
    """One `aws:` input: a distribution, or every distribution of the account (`distribution_id` None)."""

    text: str
    distribution_id: str | None = None


def is_aws_input(path: Path | str) -> bool:
    """Does a path given to a scan name AWS (`aws:cloudfront...`) rather than a file?"""
    return str(path).startswith(PREFIX)


def parse_target(text: str) -> AwsTarget:
    """`aws:cloudfront` or `aws:cloudfront/ID`; anything else is an input error naming what is read."""
    rest = text[len(PREFIX):].strip("/")
    service, _, ident = rest.partition("/")
    if service != "cloudfront":
        raise InputError(text, "an aws: input is aws:cloudfront (every distribution of the account) or "
                               "aws:cloudfront/ID (one distribution)")
    if not ident:
        return AwsTarget(text)
    if not _DISTRIBUTION_ID.fullmatch(ident):
        raise InputError(text, f"'{ident[:80]}' is not a CloudFront distribution id (letters and digits, "
                               "e.g. E2QWRUHAPOMQZL)")
    return AwsTarget(text, ident)
