"""policykit against its peers, in one run on one machine: cfn-lint and checkov on the same inputs.

Installs the peers into a throwaway virtual environment by package name (pinned by default so ratios
compare across runs; `--latest` for the newest releases), then times each tool on each input as whole
processes, as users run them: policykit `scan`, cfn-lint on the template, checkov both on a directory
(`-d DIR`, its default frameworks) and on the file (`-f FILE --framework cloudformation`). Each run times
policykit and then each peer on the same input (paired, so a change of load hits both); reported are the
median time, the median of the per-run ratios peer / policykit and the peak RSS. A peer that crashes,
exceeds the time bound or reads no resource of the input is reported as such. When the peers cannot be
installed (no package index), policykit is measured alone and the table says so. Writes a Markdown table
and a JSON file.

    python bench/peers.py                          # realistic shape, pinned peers, 3 runs, bench/results/
    python bench/peers.py --shapes realistic light --sizes 1 50 200 800 1600 --runs 5
    python bench/peers.py --venv .peers-venv       # reuse (or create) this environment
    python bench/peers.py --corpus --terraform     # also the shared corpus and 100 Terraform modules
    python bench/peers.py --startup-only           # just start-up against the Python floor (no peers)
    python bench/peers.py --python /path/to/venv/bin/python   # policykit as installed there (a wheel)

Every tool runs in a temporary working directory, so `--python` measures the policykit installed for
that interpreter (an installed wheel reads its precompiled catalog), not this checkout.

Shapes (bench/generate.py): `realistic`, each distribution with its ACM certificate, load balancer, HTTPS
listener, cache policy and origin request policy, names from a mapping and `!Sub` (what real stacks hold);
`light`, a distribution and an S3 bucket each, around one shared load balancer. cfn-lint is slow on large
templates (80 s at 1,600 light distributions), so it runs up to `--cfn-lint-upto` distributions (default 200).
Also measured: start-up against the floor of any Typer CLI that reads YAML (`python -c "import yaml, typer"`).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import cfn_distributions, cfn_realistic, terraform_modules
from measure import Run, median, run

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
PINNED = {"cfn-lint": "1.58.0", "checkov": "3.3.30"}
SMALL = ROOT / "examples" / "cloudformation" / "correct.yaml"
SHAPES: dict[str, Callable[[int], str]] = {"realistic": cfn_realistic, "light": cfn_distributions}
TOOLS = ["policykit", "policykit before", "cfn-lint", "checkov -d", "checkov -f"]

# What each tool's exit code means when it ran normally (findings or none); anything else is a crash.
NORMAL_EXITS = {"policykit": {0, 1, 2}, "policykit before": {0, 1, 2}, "cfn-lint": {0, 2, 4, 6, 8, 10, 12, 14},
                "checkov -d": {0, 1}, "checkov -f": {0, 1}}


@dataclass
class Input:
    name: str
    path: Path  # the template, or the directory of the inputs
    kind: str  # "cfn" (a template alone in its directory), "tf-dir" (Terraform modules), "mixed-dir"
    cfn_files: list[Path] = field(default_factory=list)
    distributions: int = 0  # generated inputs: cfn-lint runs up to --cfn-lint-upto of them


@dataclass
class Cell:
    tool: str
    input: str
    status: str  # "ok", "crash", "timeout", "n/a", "read nothing"
    seconds: float = float("nan")
    ratio: float = float("nan")  # paired: median of peer_i / policykit_i
    peak_rss_mb: float = float("nan")
    exit_codes: list[int] = field(default_factory=list)
    spread: tuple[float, float] = (float("nan"), float("nan"))  # least and most seconds of the runs
    detail: str = ""


def install_peers(venv: Path, latest: bool) -> tuple[dict[str, str], str]:
    """The peers in `venv` (created when missing): their versions, or none and why they could not be installed."""
    python = venv / "bin" / "python"
    wanted = ["cfn-lint", "checkov"] if latest else [f"{name}=={version}" for name, version in PINNED.items()]
    try:
        if not python.exists():
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *(["--upgrade"] if latest else []), *wanted],
                       check=True, capture_output=True, text=True, timeout=1800)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        said = getattr(exc, "stderr", "") or str(exc)
        last = [line for line in str(said).splitlines() if line.strip() and "WARNING" not in line][-1:]
        return {}, f"the peers ({', '.join(wanted)}) could not be installed: {' '.join(last) or exc}"
    versions = {}
    for name in ("cfn-lint", "checkov"):
        out = subprocess.run([str(python), "-m", "pip", "show", name], capture_output=True, text=True, check=True)
        versions[name] = next(line.split(":", 1)[1].strip() for line in out.stdout.splitlines()
                              if line.startswith("Version:"))
    return versions, ""


Command = Callable[[Input], "list[str] | None"]


def commands(venv: Path | None, python: str, before: str | None = None) -> dict[str, Command]:
    """Each tool as users run it; without `venv` (no peers), policykit alone; with `before`, an interpreter
    with an earlier policykit installed, that one too (to show what a change gained, paired like a peer)."""

    def policykit(item: Input) -> list[str]:
        return [python, "-m", "policykit", "scan", "--no-config", "--format", "json", str(item.path)]

    def policykit_before(item: Input) -> list[str]:
        return [str(before), "-m", "policykit", "scan", "--no-config", "--format", "json", str(item.path)]

    ours: dict[str, Command] = {"policykit": policykit, **({"policykit before": policykit_before} if before else {})}
    if venv is None:
        return ours
    bin_dir = venv / "bin"

    def cfn_lint(item: Input) -> list[str] | None:
        if item.kind == "tf-dir":
            return None  # CloudFormation only
        files = [item.path] if item.kind == "cfn" else item.cfn_files
        return [str(bin_dir / "cfn-lint"), "--format", "json", "--", *map(str, files)]

    checkov_flags = ["--quiet", "--compact", "-o", "json", "--skip-download"]

    def checkov_dir(item: Input) -> list[str]:  # the directory, every framework checkov has (its default)
        directory = item.path.parent if item.kind == "cfn" else item.path
        return [str(bin_dir / "checkov"), "-d", str(directory), *checkov_flags]

    def checkov_file(item: Input) -> list[str] | None:  # the template, CloudFormation only
        if item.kind != "cfn":
            return None
        return [str(bin_dir / "checkov"), "-f", str(item.path), "--framework", "cloudformation", *checkov_flags]

    return {**ours, "cfn-lint": cfn_lint, "checkov -d": checkov_dir, "checkov -f": checkov_file}


def alone(directory: Path, name: str, text: str) -> Path:
    """`text` written as `name`, alone in `directory` (so `checkov -d` reads that template and nothing else)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def prepare_inputs(tmp: Path, shapes: list[str], sizes: list[int], with_corpus: bool,
                   with_terraform: bool) -> list[Input]:
    inputs = [Input("small template", alone(tmp / "small", SMALL.name, SMALL.read_text(encoding="utf-8")), "cfn")]
    for shape in shapes:
        for count in sizes:
            text = SHAPES[shape](count)
            path = alone(tmp / f"{shape}-{count}", "template.yaml", text)
            size = len(text.encode())
            inputs.append(Input(f"{shape}: {count:,} distribution{'s' if count > 1 else ''} "
                                f"({f'{size / 1e6:.2f} MB' if size > 100_000 else f'{size / 1e3:.0f} kB'})",
                                path, "cfn", distributions=count))
    if with_corpus and CORPUS.is_dir():
        cfn = sorted(p for p in (CORPUS / "cfn").rglob("*") if p.is_file() and p.suffix in (".yaml", ".yml",
                                                                                             ".json", ".template"))
        inputs.append(Input(f"corpus ({sum(1 for p in CORPUS.rglob('*') if p.is_file())} files)", CORPUS,
                            "mixed-dir", cfn))
    if with_terraform:
        inputs.append(Input("100 Terraform modules", terraform_modules(tmp / "terraform", 100), "tf-dir"))
    return inputs


def resources_read(tool: str, stdout: str) -> int | None:
    """How many resources checkov says it read (None when it does not say): a peer that could not parse the input
    finishes fast having checked nothing, which is no run to compare with. Found with a pattern, not by loading the
    report: a large one (100 MB at 1,600 distributions) loaded would leave this process large, and a process it
    starts after that would count this one's memory in its peak RSS until it replaces itself with the tool."""
    if not tool.startswith("checkov"):
        return None
    counts = [int(n) for n in re.findall(r'"resource_count":\s*(\d+)', stdout)]
    return sum(counts) if counts else None


def measure_input(item: Input, tools: dict[str, Command], runs: int, timeout: float, cwd: Path,
                  cfn_lint_upto: int) -> list[Cell]:
    """Each run: policykit, then each peer, on the same input (paired), so load changes hit both."""
    samples: dict[str, list[Run]] = {name: [] for name in tools}
    stopped: dict[str, Cell] = {}
    for index in range(runs):
        for name, build in tools.items():
            if name in stopped:
                continue
            command = build(item)
            if command is None or (name == "cfn-lint" and item.distributions > cfn_lint_upto):
                why = "not run above --cfn-lint-upto" if command else "does not read this input"
                stopped[name] = Cell(name, item.name, "n/a", detail=why)
                continue
            sample = run(command, timeout, cwd=str(cwd), keep_stdout=index == 0 and name.startswith("checkov"))
            read = resources_read(name, sample.stdout) if sample.stdout else None
            sample = dataclasses.replace(sample, stdout="")  # this process stays small (see resources_read)
            samples[name].append(sample)
            if sample.timed_out:
                stopped[name] = Cell(name, item.name, "timeout", seconds=sample.seconds,
                                     peak_rss_mb=sample.peak_rss_mb, detail=f"over {timeout:.0f} s")
            elif sample.code not in NORMAL_EXITS[name] or "Traceback" in sample.stderr_tail:
                stopped[name] = Cell(name, item.name, "crash", seconds=sample.seconds, exit_codes=[sample.code],
                                     peak_rss_mb=sample.peak_rss_mb, detail=sample.stderr_tail[-300:])
            elif read == 0:
                stopped[name] = Cell(name, item.name, "read nothing", seconds=sample.seconds,
                                     peak_rss_mb=sample.peak_rss_mb, detail="0 resources in its report")
    base = samples["policykit"]
    cells = []
    for name in tools:
        if name in stopped:
            cells.append(stopped[name])
            continue
        mine = samples[name]
        ratios = [peer.seconds / own.seconds for peer, own in zip(mine, base, strict=False) if own.seconds > 0]
        times = [s.seconds for s in mine]
        cells.append(Cell(name, item.name, "ok", seconds=median(times), ratio=median(ratios),
                          peak_rss_mb=max(s.peak_rss_mb for s in mine), exit_codes=sorted({s.code for s in mine}),
                          spread=(min(times), max(times))))
    return cells


def startup(python: str, runs: int, cwd: Path) -> dict[str, float]:
    """The floor, `policykit --version` and a small scan, run in turn `runs` times (so a loaded machine slows all
    three alike), in wall and in CPU time: each one's median and least, and the small scan over the floor paired
    (the median of the per-run ratios) and as the ratio of the least times. CPU time is the steadier on a shared
    machine; the least time is the one least disturbed by other work."""
    commands = {"floor": [python, "-c", "import yaml, typer"],
                "version": [python, "-m", "policykit", "--version"],
                "small_scan": [python, "-m", "policykit", "scan", "--no-config", str(SMALL)]}
    samples: dict[str, list[Run]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            samples[name].append(run(command, 60, cwd=str(cwd)))
    out: dict[str, float] = {"runs": float(runs)}
    for name, done in samples.items():
        out[f"{name}_s"] = median([r.seconds for r in done])
        out[f"{name}_cpu_s"] = median([r.cpu_seconds for r in done])
        out[f"{name}_min_s"] = min(r.seconds for r in done)
        out[f"{name}_min_cpu_s"] = min(r.cpu_seconds for r in done)
    pairs = list(zip(samples["small_scan"], samples["floor"], strict=True))
    out["small_scan_over_floor"] = median([scan.seconds / floor.seconds for scan, floor in pairs])
    out["small_scan_over_floor_cpu"] = median([scan.cpu_seconds / floor.cpu_seconds for scan, floor in pairs])
    out["small_scan_over_floor_min"] = out["small_scan_min_s"] / out["floor_min_s"]
    out["small_scan_over_floor_min_cpu"] = out["small_scan_min_cpu_s"] / out["floor_min_cpu_s"]
    return out


def startup_line(start: dict[str, float]) -> str:
    def ms(key: str) -> str:
        return f"{start[key] * 1000:.0f} ms"

    return (f"Start-up (median of {start['runs']:.0f} runs in turn): `python -c \"import yaml, typer\"` "
            f"{ms('floor_s')} (the floor), `policykit --version` {ms('version_s')}, a small scan "
            f"{ms('small_scan_s')}: **{start['small_scan_over_floor']:.2f}x** the floor, paired (the median of the "
            f"per-run ratios); in CPU time {ms('floor_cpu_s')}, {ms('version_cpu_s')} and {ms('small_scan_cpu_s')}: "
            f"**{start['small_scan_over_floor_cpu']:.2f}x**. Least times: {ms('floor_min_s')} and "
            f"{ms('small_scan_min_s')} ({start['small_scan_over_floor_min']:.2f}x), in CPU time "
            f"{ms('floor_min_cpu_s')} and {ms('small_scan_min_cpu_s')} "
            f"({start['small_scan_over_floor_min_cpu']:.2f}x).")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), cpu)
    except OSError:
        pass
    python = platform.python_version()
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs ({cpu}), Python {python}"


def load() -> str:
    return ", ".join(f"{value:.1f}" for value in os.getloadavg()) if hasattr(os, "getloadavg") else "unknown"


def markdown(cells: list[Cell], versions: dict[str, str], start: dict[str, float] | None, where: str,
             runs: int, skipped: str) -> str:
    tools = [t for t in TOOLS if any(c.tool == t for c in cells)]
    names = list(dict.fromkeys(c.input for c in cells))
    by = {(c.tool, c.input): c for c in cells}
    header = ["input", *(f"{t} {versions.get(t.split()[0], '')}".strip() for t in tools)]
    # "policykit before": the ratio is its time / this policykit's, like a peer's
    lines = [f"Machine: {where}. Median of {runs} runs as whole processes (least–most in brackets); ratio = the "
             "peer's time / policykit's on the same input, paired run by run (above 1: policykit is faster); "
             "RSS = peak of the tool's main process.", "",
             "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    if skipped:
        lines[0:0] = [f"**Peers not measured**: {skipped}. policykit alone.", ""]

    def show(cell: Cell | None) -> str:
        if cell is None or cell.status == "n/a":
            return "n/a" if cell is None or not cell.detail.startswith("not run") else "not run"
        if cell.status != "ok":
            return f"**{cell.status}** ({cell.detail.splitlines()[-1][:60] if cell.detail else ''})"
        least, most = cell.spread
        text = f"{cell.seconds:.2f} s ({least:.2f}–{most:.2f}), {cell.peak_rss_mb:.0f} MB"
        return text if cell.tool == "policykit" else f"{text}, **{cell.ratio:.1f}x**"

    for name in names:
        lines.append("| " + " | ".join([name] + [show(by.get((t, name))) for t in tools]) + " |")
    if start is not None:
        lines += ["", startup_line(start)]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs per tool and input (default 3)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds a run may take (default 300)")
    parser.add_argument("--latest", action="store_true", help="the newest peers instead of the pinned ones")
    parser.add_argument("--venv", type=Path, help="the peers' environment (default: a temporary one)")
    parser.add_argument("--no-peers", action="store_true", help="policykit alone (no peers installed)")
    parser.add_argument("--python", default=sys.executable, help="interpreter that runs policykit")
    parser.add_argument("--before", help="an interpreter with an earlier policykit installed, measured beside it")
    parser.add_argument("--shapes", nargs="+", choices=sorted(SHAPES), default=["realistic"],
                        help="generated template shapes (default: realistic)")
    parser.add_argument("--sizes", nargs="+", type=int, default=[1, 50, 200, 800, 1600],
                        help="distributions per generated template (default 1 50 200 800 1600)")
    parser.add_argument("--cfn-lint-upto", type=int, default=200,
                        help="run cfn-lint on generated templates up to this many distributions (default 200)")
    parser.add_argument("--corpus", action="store_true", help="also the shared corpus (../shared/corpus)")
    parser.add_argument("--terraform", action="store_true", help="also 100 generated Terraform modules")
    parser.add_argument("--no-startup", action="store_true", help="leave out the start-up line")
    parser.add_argument("--startup-only", action="store_true",
                        help="measure only start-up against the floor (installs no peers); prints one line")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results", help="directory for peers.md/json")
    args = parser.parse_args()

    where = machine()
    if args.startup_only:
        with tempfile.TemporaryDirectory(prefix="policykit-startup-") as tmp:
            line = startup_line(startup(args.python, max(args.runs, 20), Path(tmp)))
            print(f"{where}, load average {load()}\n{line}")
        return 0
    load_before = load()
    with tempfile.TemporaryDirectory(prefix="policykit-peers-") as tmp:
        venv: Path | None = args.venv or Path(tmp) / "venv"
        versions, skipped = ({}, "--no-peers") if args.no_peers else (None, "")
        if versions is None and venv is not None:
            print(f"installing peers into {venv} ...", flush=True)
            versions, skipped = install_peers(venv, args.latest)
        if skipped:
            print(f"peers skipped: {skipped}; measuring policykit alone", flush=True)
            venv = None
        print(f"peers: {versions}; {where}; load average {load_before}", flush=True)
        tools = commands(venv, args.python, args.before)
        cells: list[Cell] = []
        for item in prepare_inputs(Path(tmp), args.shapes, args.sizes, args.corpus, args.terraform):
            for cell in measure_input(item, tools, args.runs, args.timeout, Path(tmp), args.cfn_lint_upto):
                cells.append(cell)
                shown = f"{cell.seconds:.2f} s ratio {cell.ratio:.2f}" if cell.status == "ok" else cell.status
                print(f"{item.name:44} {cell.tool:11} {shown}", flush=True)
        start = None if args.no_startup else startup(args.python, max(args.runs, 10), Path(tmp))
        if args.venv is None and venv is not None:
            shutil.rmtree(venv, ignore_errors=True)
    where = f"{where}, load average {load_before} at start and {load()} at the end"
    args.out.mkdir(parents=True, exist_ok=True)
    table = markdown(cells, versions or {}, start, where, args.runs, skipped)
    (args.out / "peers.md").write_text(table, encoding="utf-8")
    (args.out / "peers.json").write_text(json.dumps({
        "machine": where, "runs": args.runs, "timeout_s": args.timeout, "versions": versions, "startup": start,
        "skipped": skipped, "cells": [c.__dict__ for c in cells]}, indent=2, default=str), encoding="utf-8")
    print("\n" + table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
