"""`--param` and `--var` names that no scanned input declares: input errors, as CloudFormation refuses a parameter
its template does not declare and Terraform a `-var` its root module does not. A typo (`--param OrignHost=x`)
would otherwise leave the value unused and the run clean."""

from __future__ import annotations

from collections.abc import Iterable

from policykit.findings import ScanError

_REFUSES = {
    "--param": ("CloudFormation template declares this parameter", "CloudFormation refuses undeclared ones"),
    "--var": ("Terraform module declares this variable", "Terraform refuses a -var its root module does not declare"),
}


def undeclared(given: Iterable[str], declared: set[str], option: str) -> list[ScanError]:
    """One error per name in `given` that is not in `declared`, with the nearest declared name."""
    missing = [name for name in given if name not in declared]
    if not missing:
        return []
    import difflib  # only for a name that is missing

    what, refuses = _REFUSES[option]
    out = []
    for name in missing:
        close = difflib.get_close_matches(name, sorted(declared), n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]}?)" if close else (
            f" (they declare {', '.join(sorted(declared)[:8])})" if declared else "")
        out.append(ScanError(f"{option} {name}", f"no scanned {what}, and {refuses}{hint}"))
    return out
