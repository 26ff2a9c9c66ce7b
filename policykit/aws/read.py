"""Read distributions from AWS (`aws:cloudfront`, `aws:cloudfront/ID`) or from a saved read (`--save DIR`), into
models: each distribution built by the deployed-JSON reader the caller gives (`build`: policykit/cfn/deployed.py),
with what stands behind it attached."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING

from policykit.aws.attach import attach
from policykit.aws.calls import Answer, Call, Source
from policykit.aws.documents import Places
from policykit.aws.gather import Behind, gather
from policykit.aws.locations import relocate
from policykit.aws.options import MAX_CONCURRENCY, AwsOptions, AwsTarget, ReadProgress, parse_target
from policykit.core.errors import InputError
from policykit.core.nodes import MDict
from policykit.core.record import record
from policykit.model.cloudfront import Distribution, Model

if TYPE_CHECKING:
    from policykit.aws.live import LiveSource

# (the get-distribution document, the file its positions name, the distribution's name) -> the distribution
Build = Callable[[MDict, str, str], "list[Distribution] | None"]
MAX_ALIASES_SHOWN = 3
_DISTRIBUTION = ("Distribution", "DistributionConfig")


@record(frozen=False)
class AwsRead:
    """What a read gives: one model per distribution, the inputs it could not read (exit 2), notes."""

    models: list[Model] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@record
class Listed:
    """A distribution as `--list` shows it."""

    id: str
    aliases: tuple[str, ...] = ()
    domain_name: str = ""


def _live(options: AwsOptions, edge: bool) -> LiveSource:
    from policykit.aws.live import LiveSource

    if options.save_dir is not None:
        try:
            options.save_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(str(options.save_dir), f"--save: cannot make the directory ({exc.strerror or exc})") \
                from None
    return LiveSource(options, edge)


def read_aws(texts: Sequence[str], options: AwsOptions, edge: bool, build: Build) -> AwsRead:
    """Read the distributions the `aws:` inputs name, and what stands behind each, from AWS."""
    out = AwsRead()
    targets = []
    for text in texts:
        try:
            targets.append(parse_target(text))
        except InputError as exc:
            out.errors.append(exc)
    if not targets:
        return out
    with _named(", ".join(t.text for t in targets)):
        return _read_targets(out, targets, texts, options, edge, build)


def _read_targets(out: AwsRead, targets: list[AwsTarget], texts: Sequence[str], options: AwsOptions, edge: bool,
                  build: Build) -> AwsRead:
    source = _live(options, edge)
    ids: list[str] = []
    try:
        for target in targets:
            if target.distribution_id is not None:
                ids.append(target.distribution_id)
                continue
            listed = list_all(source, target.text)
            if not listed:
                out.notes.append(f"{target.text}: the account has no CloudFront distribution")
            ids.extend(item.id for item in listed)
        ids = list(dict.fromkeys(ids))
        results = _read_all(source, ids, options.concurrency, options.progress)
        places = None if options.save_dir is not None else _places(source.answered())
        _models(out, results, build, places)
    finally:
        if options.save_dir is not None:
            from policykit.aws.saved import write_manifest

            try:
                write_manifest(options.save_dir, list(texts), ids, source.answered())
            except OSError as exc:
                raise InputError(str(options.save_dir), f"--save: cannot write the manifest ({exc.strerror or exc})") \
                    from None
    return out


def read_saved(directory: Path, edge: bool, build: Build) -> AwsRead:
    """A saved read (`policykit scan DIR`): the same traversal over the saved answers, no network."""
    from policykit.aws.saved import SavedSource

    out = AwsRead()
    source = SavedSource(directory, edge)
    _models(out, [_read_one(source, ident) for ident in source.distributions], build, None)
    return out


@contextlib.contextmanager
def _named(inputs: str) -> Iterator[None]:
    """A set-up that cannot be used is said of the inputs being read (`aws:cloudfront: cannot use ...`)."""
    from policykit.aws.live import SetupError

    try:
        yield
    except SetupError as exc:
        raise InputError(inputs, exc.message) from None


def list_aws(texts: Sequence[str], options: AwsOptions) -> list[Listed]:
    """`--list`: the distributions the `aws:` inputs name, without reading what stands behind them."""
    with _named(", ".join(texts)):
        return _list(texts, AwsOptions(profile=options.profile, region=options.region))


def _list(texts: Sequence[str], options: AwsOptions) -> list[Listed]:
    source = _live(options, edge=False)
    out: list[Listed] = []
    for text in texts:
        target = parse_target(text)
        if target.distribution_id is None:
            out.extend(list_all(source, text))
            continue
        answer = _distribution(source, target.distribution_id)
        summary = answer.document.get("Distribution") if answer.document is not None else None
        config = summary.get("DistributionConfig") if isinstance(summary, MDict) else None
        out.append(_listed(summary, config, target.distribution_id))
    return out


def list_all(source: Source, text: str) -> list[Listed]:
    """Every distribution of the account (ListDistributions, page after page)."""
    answer = source.ask(Call("cloudfront", "ListDistributions", paged=True))
    if answer.error:
        raise InputError(text, f"{answer.reason}: the distributions cannot be listed")
    listing = answer.document.get("DistributionList") if answer.document is not None else None
    items = listing.get("Items") if isinstance(listing, MDict) else None
    return [_listed(item, item, str(item.get("Id"))) for item in items or [] if isinstance(item, MDict)
            and isinstance(item.get("Id"), str)]


def _listed(summary: object, config: object, ident: str) -> Listed:
    aliases = config.get("Aliases") if isinstance(config, MDict) else None
    names = aliases.get("Items") if isinstance(aliases, MDict) else None
    domain = summary.get("DomainName") if isinstance(summary, MDict) else None
    return Listed(ident, tuple(n for n in names or [] if isinstance(n, str)), domain if isinstance(domain, str) else "")


def _distribution(source: Source, ident: str) -> Answer:
    answer = source.ask(Call("cloudfront", "GetDistribution", "", (("Id", ident),)))
    if answer.error:
        what = "no such distribution" if answer.missing else "nothing of this distribution could be read"
        raise InputError(answer.call.name, f"{answer.reason}: {what}")
    return answer


def _read_one(source: Source, ident: str) -> tuple[Answer | InputError, Behind | None]:
    try:
        answer = _distribution(source, ident)
    except InputError as exc:
        return exc, None
    config = answer.document.get("Distribution") if answer.document is not None else None
    config = config.get("DistributionConfig") if isinstance(config, MDict) else None
    return answer, gather(source, config) if isinstance(config, MDict) else None


def _read_all(source: Source, ids: list[str], concurrency: int,
              progress: ReadProgress | None) -> list[tuple[Answer | InputError, Behind | None]]:
    """Each distribution and what stands behind it, `concurrency` distributions at once."""
    if progress is not None:
        progress.started([f"aws:cloudfront/{ident}" for ident in ids])
    try:
        with ThreadPoolExecutor(max_workers=max(1, min(concurrency, MAX_CONCURRENCY, len(ids) or 1))) as pool:
            futures = {pool.submit(_read_one, source, ident): ident for ident in ids}
            for future in as_completed(futures):
                if progress is not None:
                    progress.finished(f"aws:cloudfront/{futures[future]}")
            by_id = {futures[future]: future.result() for future in futures}
    finally:
        if progress is not None:
            progress.done()
    return [by_id[ident] for ident in ids]


def _places(answers: list[Answer]) -> dict[str, Places]:
    return {answer.file: Places(answer.call.name, answer.document,
                                _DISTRIBUTION if answer.call.operation == "GetDistribution" else ())
            for answer in answers if answer.document is not None}


def display_name(ident: str, config: object) -> str:
    """How findings name a distribution: its id and its aliases (`E123 (www.example.com, ws.example.com)`)."""
    aliases = _listed(None, config, ident).aliases
    if not aliases:
        return ident
    shown = ", ".join(aliases[:MAX_ALIASES_SHOWN])
    more = len(aliases) - MAX_ALIASES_SHOWN
    return f"{ident} ({shown}{f', +{more} more' if more > 0 else ''})"


def _models(out: AwsRead, results: list[tuple[Answer | InputError, Behind | None]], build: Build,
            places: dict[str, Places] | None) -> None:
    for answer, behind in results:
        if isinstance(answer, InputError):
            out.errors.append(answer)
            continue
        summary = answer.document.get("Distribution") if answer.document is not None else None
        config = summary.get("DistributionConfig") if isinstance(summary, MDict) else None
        dists = build(answer.document, answer.file, display_name(answer.call.param("Id"), config)) \
            if answer.document is not None and behind is not None else None
        if not dists:
            out.errors.append(InputError(answer.file, "the answer of GetDistribution holds no DistributionConfig"))
            continue
        for dist in dists:  # a multi-tenant distribution: one per tenant scenario, each with what stands behind it
            attach(dist, behind or Behind())
        model = Model(answer.file, distributions=dists)
        if places is not None:
            relocate(model, places)
        out.models.append(model)
