"""How each input a scan found is read: the reader of its kind (CloudFormation, a Serverless service, Terraform),
the passes over the list of inputs (modules another module calls, files a service includes), and what the
configuration and the command line give each input (`exclusions`, `options_for`). Used by policykit.api."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from policykit.config import NAMES as CONFIG_NAMES
from policykit.findings import InputNotes, ScanError
from policykit.options import ScanOptions
from policykit.source.discover import Hidden, Input, InputKind, Skip
from policykit.source.files import is_stream, read_text
from policykit.source.globs import Exclusions, Globs

if TYPE_CHECKING:
    from policykit.model.cloudfront import Model

Read = tuple["list[Model]", InputNotes]
Reader = Callable[[Input, ScanOptions], "Read | None"]


def _read_cfn(item: Input, options: ScanOptions) -> Read | None:
    """A CloudFormation template; a file with the Serverless Framework's variables, or a service file by
    another name, is read as one."""
    from policykit.cfn.load import load_cfn
    from policykit.source.detect import looks_like_serverless

    text = read_text(item.path, b"AWS::")
    if text is None:
        return None
    if looks_like_serverless(text):
        service = _serverless(item, options, text)
        if service is not None:
            return service
    read = load_cfn(item.path, options.params, text)
    return None if read is None else ([read[0]], read[1])


def _read_serverless(item: Input, options: ScanOptions) -> Read | None:
    """A file named as a Serverless service: read as one, or, when it is none, as any other file."""
    text = read_text(item.path, b"service")
    if text is None:
        return None
    read = _serverless(item, options, text)
    return read if read is not None else _read_cfn(replace(item, kind="cfn"), options)


def _serverless(item: Input, options: ScanOptions, text: str) -> Read | None:
    from policykit.cfn.load import model_of_template
    from policykit.serverless.service import read_service
    from policykit.source.duplicates import SERVERLESS_REFUSES, duplicate_key_findings

    service = read_service(item.path, text)
    if service is None:
        return None
    duplicates = [finding for read in service.files for finding in duplicate_key_findings(
        read.duplicates, read.file, SERVERLESS_REFUSES if read.yaml else "the Serverless Framework reads")]
    model, notes = model_of_template(service.root, text, str(item.path), options.params, duplicates,
                                     any(read.mentions_policykit for read in service.files))
    notes.notes.extend(service.notes)  # files it names that are not read: what they hold is not checked
    return [model], notes


def _read_terraform(item: Input, options: ScanOptions) -> Read | None:
    try:
        from policykit.terraform import read_input
    except ImportError:  # Terraform support not installed in this build
        return None
    return read_input(item, options.tf_vars, options.tf_var_files)


READERS: dict[InputKind, Reader] = {"cfn": _read_cfn, "terraform": _read_terraform, "tf-json": _read_terraform,
                                    "serverless": _read_serverless}


def _module_dir(item: Input) -> Path:
    return (item.path if item.kind == "terraform" and item.path.is_dir() else item.path.parent).resolve()


def without_called_modules(found: list[Input | ScanError | Skip | Hidden]
                             ) -> Iterator[Input | ScanError | Skip | Hidden]:
    """Drop Terraform directories that another module of the scan calls (`source = "./x"`): they are
    scanned through their callers, with the inputs those give them, not twice; also when named on the
    command line beside their caller, however the path is spelled (alone, a module is scanned as given)."""
    modules: dict[Path, list[Path]] = {}
    for item in found:
        if isinstance(item, Input) and item.kind in ("terraform", "tf-json"):
            modules.setdefault(_module_dir(item), []).extend(item.files or (item.path,))
    called: set[Path] = set()
    if len(modules) > 1:
        try:
            from policykit.terraform.calls import scanned_through_callers
        except ImportError:  # Terraform support not installed in this build
            pass
        else:
            called = scanned_through_callers(modules)
    for item in found:
        if not (isinstance(item, Input) and item.kind in ("terraform", "tf-json") and _module_dir(item) in called):
            yield item


def without_included_files(found: list[Input | ScanError | Skip | Hidden]
                            ) -> Iterator[Input | ScanError | Skip | Hidden]:
    """Files a Serverless service of the scan includes (`${file(resources/cdn.yml)}`) are read as part of it
    (with its variables known), not on their own as well."""
    services = [item.path for item in found if isinstance(item, Input) and item.kind == "serverless"]
    included: dict[Path, Path] = {}
    if services:
        from policykit.serverless.includes import included_paths

        for service in services:
            included.update(dict.fromkeys(included_paths(service), service))
    for item in found:
        if included and isinstance(item, Input) and item.kind == "cfn" and not is_stream(item.path):
            includer = included.get(item.path.resolve())
            if includer is not None:
                yield Skip(item.path, f"read as part of the Serverless service {includer}, which includes it")
                continue
        yield item


def exclusions(options: ScanOptions) -> Exclusions:
    """What the scan never reads as an input: the excluded paths, and policykit's own files: the policies of the
    policy directories with their fixtures (`ID-slug.yaml`, `ID-slug/`: a fail fixture is broken on purpose), the
    baseline, the configuration, what the run writes. The rest of a policy directory is scanned as any other."""
    own = [*([options.baseline] if options.baseline else []),
           *([options.config_file] if options.config_file else []), *options.own_files]
    if options.policy_dirs:
        from policykit.policy.loader import policy_files

        for directory in options.policy_dirs:
            if directory.is_dir():
                own.extend(path for policy in policy_files(directory) for path in (policy, policy.with_suffix("")))
    # a configuration file by its name, wherever it is and whichever is in use: never a template
    return Exclusions.of(options.exclude, own, CONFIG_NAMES)


def options_for(item: Input, options: ScanOptions, names: dict[str, str]) -> ScanOptions:
    """Per-file parameters/variables from the config, its patterns matched against the input's path from the
    configuration file's directory (the working directory without one), however the path was spelt; standard input
    is matched under the name it stands for. The command line's values win."""
    if not options.file_options:
        return options
    shown = names.get(str(item.path))
    path = Path(shown) if shown and shown != "-" else item.path
    base = options.config_file.parent if options.config_file is not None else Path.cwd()
    params: dict[str, str] = {}
    tf_vars: dict[str, str] = {}
    for pattern, file_params, file_vars in options.file_options:
        if Globs.at(base, [pattern]).matching(path) is not None:
            params.update(file_params)
            tf_vars.update(file_vars)
    if not params and not tf_vars:
        return options
    return replace(options, params={**params, **options.params}, tf_vars={**tf_vars, **options.tf_vars})
