"""Facts of aliases and OriginPath values as CloudFront accepts them (PK307, PK110).

The rules themselves are policykit/core/name_rules.py, which the probes apply too: a value that breaks them is
a finding on the template's line and is never sent.
"""

from __future__ import annotations

from policykit.core.name_rules import dns_name_problem, origin_path_text_problem, partial_text_problem, shown
from policykit.core.values import Partial, Unknown
from policykit.model.cloudfront import Alias, Origin


def alias_problem(alias: Alias) -> str | Unknown | None:
    """What is wrong with the alias as a DNS name (empty label, length, control character, non-ASCII), or None."""
    name = alias.name
    if isinstance(name, Unknown):
        return name
    if isinstance(name, Partial):
        return partial_text_problem(name)
    if not isinstance(name, str):
        return None
    return dns_name_problem(name, wildcard=True) or None


def alias_valid(alias: Alias) -> bool | Unknown:
    """Is the alias a DNS name CloudFront accepts (a `*.` wildcard label allowed)?"""
    problem = alias_problem(alias)
    return problem if isinstance(problem, Unknown) else problem is None


def alias_shown(alias: Alias) -> str:
    """The alias as written, with control characters and non-ASCII escaped."""
    return shown(alias.name) if isinstance(alias.name, str) else str(alias.name)


def origin_path_problem(origin: Origin) -> str | Unknown | None:
    """What is wrong with the OriginPath (no leading `/`, a trailing `/`, control characters, spaces,
    non-ASCII), or None."""
    path = origin.origin_path
    if isinstance(path, Unknown):
        return path
    if isinstance(path, Partial):
        return partial_text_problem(path)
    if not isinstance(path, str):
        return None
    return origin_path_text_problem(path) or None


def origin_path_valid(origin: Origin) -> bool | Unknown:
    """Is the OriginPath empty or a valid path CloudFront accepts?"""
    problem = origin_path_problem(origin)
    return problem if isinstance(problem, Unknown) else problem is None


def origin_path_shown(origin: Origin) -> str:
    """The OriginPath as written, with control characters and non-ASCII escaped."""
    path = origin.origin_path
    return shown(path) if isinstance(path, str) else str(path)
