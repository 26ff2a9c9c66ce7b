"""policykit against its peers, in one run on one machine: cfn-lint and checkov on the same inputs.

Installs the peers into a throwaway virtual environment by package name (pinned by default so ratios
compare across runs; `--latest` for the newest releases), then times each tool on each input over
several runs: the median, the paired ratio to policykit (each peer run next to a policykit run on the
same input, the median of those ratios) and the peak RSS. A peer that crashes or exceeds the time bound
on an input is reported as such. Writes a Markdown table and a JSON file.

    python bench/peers.py                          # pinned peers, 3 runs, bench/results/peers.{md,json}
    python bench/peers.py --latest --runs 5
    python bench/peers.py --venv .peers-venv       # reuse (or create) this environment
    python bench/peers.py --startup-only           # just start-up against the Python floor (no peers)
    python bench/peers.py --python /path/to/venv/bin/python   # policykit as installed there (a wheel)

Every tool runs in a temporary working directory, so `--python` measures the policykit installed for
that interpreter (an installed wheel reads its precompiled catalog), not this checkout.

Inputs: one small template; the shared corpus (../shared/corpus, when present); generated templates
with 50, 200, 800 and 1,600 distributions; 100 Terraform modules. cfn-lint reads no Terraform.
Also measured: start-up against the floor of any Typer CLI that reads YAML (`python -c "import yaml, typer"`).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import cfn_distributions, terraform_modules
from measure import Run, median, run

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
PINNED = {"cfn-lint": "1.58.0", "checkov": "3.3.30"}
SMALL = ROOT / "examples" / "cloudformation" / "correct.yaml"

# What each tool's exit code means when it ran normally (findings or none); anything else is a crash.
NORMAL_EXITS = {"policykit": {0, 1, 2}, "cfn-lint": {0, 2, 4, 6, 8, 10, 12, 14}, "checkov": {0, 1}}


@dataclass
class Input:
    name: str
    path: Path
    kind: str  # "cfn" (a template), "cfn-dir" (templates), "tf-dir" (Terraform modules), "mixed-dir"
    cfn_files: list[Path] = field(default_factory=list)


@dataclass
class Cell:
    tool: str
    input: str
    status: str  # "ok", "crash", "timeout", "n/a"
    seconds: float = float("nan")
    ratio: float = float("nan")  # paired: median of peer_i / policykit_i
    peak_rss_mb: float = float("nan")
    exit_codes: list[int] = field(default_factory=list)
    detail: str = ""


def install_peers(venv: Path, latest: bool) -> dict[str, str]:
    """The peers in `venv` (created when missing); returns their versions."""
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    wanted = ["cfn-lint", "checkov"] if latest else [f"{name}=={version}" for name, version in PINNED.items()]
    subprocess.run([str(python), "-m", "pip", "install", "-q", *(["--upgrade"] if latest else []), *wanted],
                   check=True)
    versions = {}
    for name in ("cfn-lint", "checkov"):
        out = subprocess.run([str(python), "-m", "pip", "show", name], capture_output=True, text=True, check=True)
        versions[name] = next(line.split(":", 1)[1].strip() for line in out.stdout.splitlines()
                              if line.startswith("Version:"))
    return versions


def commands(venv: Path, python: str) -> dict[str, Callable[[Input], list[str] | None]]:
    bin_dir = venv / "bin"

    def policykit(item: Input) -> list[str]:
        return [python, "-m", "policykit", "scan", "--no-config", "--format", "json", str(item.path)]

    def cfn_lint(item: Input) -> list[str] | None:
        if item.kind == "tf-dir":
            return None  # CloudFormation only
        files = [item.path] if item.kind == "cfn" else item.cfn_files
        return [str(bin_dir / "cfn-lint"), "--format", "json", "--", *map(str, files)]

    def checkov(item: Input) -> list[str]:
        target = ["-f", str(item.path)] if item.kind == "cfn" else ["-d", str(item.path)]
        framework = {"cfn": ["--framework", "cloudformation"], "cfn-dir": ["--framework", "cloudformation"],
                     "tf-dir": ["--framework", "terraform"]}.get(item.kind, [])
        return [str(bin_dir / "checkov"), *target, *framework, "--quiet", "--compact", "-o", "json",
                "--skip-download"]

    return {"policykit": policykit, "cfn-lint": cfn_lint, "checkov": checkov}


def prepare_inputs(tmp: Path, with_corpus: bool) -> list[Input]:
    inputs = [Input("small template", SMALL, "cfn")]
    if with_corpus and CORPUS.is_dir():
        cfn = sorted(p for p in (CORPUS / "cfn").rglob("*") if p.is_file() and p.suffix in (".yaml", ".yml",
                                                                                             ".json", ".template"))
        inputs.append(Input(f"corpus ({sum(1 for p in CORPUS.rglob('*') if p.is_file())} files)", CORPUS,
                            "mixed-dir", cfn))
    for count in (50, 200, 800, 1600):
        path = tmp / f"distributions-{count}.yaml"
        path.write_text(cfn_distributions(count), encoding="utf-8")
        inputs.append(Input(f"{count} distributions", path, "cfn"))
    inputs.append(Input("100 Terraform modules", terraform_modules(tmp / "terraform", 100), "tf-dir"))
    return inputs


def measure_input(item: Input, tools: dict[str, Callable[[Input], list[str] | None]], runs: int,
                  timeout: float, cwd: Path) -> list[Cell]:
    """Each run: policykit, then each peer, on the same input (paired), so load changes hit both."""
    samples: dict[str, list[Run]] = {name: [] for name in tools}
    stopped: dict[str, Cell] = {}
    for _ in range(runs):
        for name, build in tools.items():
            if name in stopped:
                continue
            command = build(item)
            if command is None:
                stopped[name] = Cell(name, item.name, "n/a", detail="does not read this input")
                continue
            sample = run(command, timeout, cwd=str(cwd))
            samples[name].append(sample)
            if sample.timed_out:
                stopped[name] = Cell(name, item.name, "timeout", seconds=sample.seconds,
                                     peak_rss_mb=sample.peak_rss_mb, detail=f"over {timeout:.0f} s")
            elif sample.code not in NORMAL_EXITS[name] or "Traceback" in sample.stderr_tail:
                stopped[name] = Cell(name, item.name, "crash", seconds=sample.seconds, exit_codes=[sample.code],
                                     peak_rss_mb=sample.peak_rss_mb, detail=sample.stderr_tail[-300:])
    base = samples["policykit"]
    cells = []
    for name in tools:
        if name in stopped:
            cells.append(stopped[name])
            continue
        mine = samples[name]
        ratios = [peer.seconds / own.seconds for peer, own in zip(mine, base, strict=False) if own.seconds > 0]
        cells.append(Cell(name, item.name, "ok", seconds=median([s.seconds for s in mine]),
                          ratio=median(ratios), peak_rss_mb=max(s.peak_rss_mb for s in mine),
                          exit_codes=sorted({s.code for s in mine})))
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
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs ({cpu}), Python "
            f"{platform.python_version()}, load average {load:.1f} at start")


def markdown(cells: list[Cell], versions: dict[str, str], start: dict[str, float], where: str, runs: int) -> str:
    tools = ["policykit", "cfn-lint", "checkov"]
    names = list(dict.fromkeys(c.input for c in cells))
    by = {(c.tool, c.input): c for c in cells}
    header = ["input", "policykit"] + [f"{t} {versions.get(t, '')}".strip() for t in tools[1:]]
    lines = [f"Machine: {where}. Median of {runs} runs; ratio = the peer's time / policykit's on the same "
             "input, paired run by run; RSS = peak of the tool's main process.", "",
             "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]

    def show(cell: Cell | None) -> str:
        if cell is None or cell.status == "n/a":
            return "n/a"
        if cell.status != "ok":
            return f"**{cell.status}** ({cell.detail.splitlines()[-1][:60] if cell.detail else ''})"
        text = f"{cell.seconds:.2f} s, {cell.peak_rss_mb:.0f} MB"
        return text if cell.tool == "policykit" else f"{text}, **{cell.ratio:.1f}x**"

    for name in names:
        lines.append("| " + " | ".join([name] + [show(by.get((t, name))) for t in tools]) + " |")
    lines += ["", startup_line(start)]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs per tool and input (default 3)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds a run may take (default 300)")
    parser.add_argument("--latest", action="store_true", help="the newest peers instead of the pinned ones")
    parser.add_argument("--venv", type=Path, help="the peers' environment (default: a temporary one)")
    parser.add_argument("--python", default=sys.executable, help="interpreter that runs policykit")
    parser.add_argument("--no-corpus", action="store_true", help="leave out ../shared/corpus")
    parser.add_argument("--startup-only", action="store_true",
                        help="measure only start-up against the floor (installs no peers); prints one line")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results", help="directory for peers.md/json")
    args = parser.parse_args()

    where = machine()
    if args.startup_only:
        with tempfile.TemporaryDirectory(prefix="policykit-startup-") as tmp:
            print(f"{where}\n{startup_line(startup(args.python, max(args.runs, 20), Path(tmp)))}")
        return 0
    with tempfile.TemporaryDirectory(prefix="policykit-peers-") as tmp:
        venv = args.venv or Path(tmp) / "venv"
        print(f"installing peers into {venv} ...", flush=True)
        versions = install_peers(venv, args.latest)
        print(f"peers: {versions}; {where}", flush=True)
        tools = commands(venv, args.python)
        cells: list[Cell] = []
        for item in prepare_inputs(Path(tmp), not args.no_corpus):
            for cell in measure_input(item, tools, args.runs, args.timeout, Path(tmp)):
                cells.append(cell)
                shown = f"{cell.seconds:.2f} s ratio {cell.ratio:.1f}" if cell.status == "ok" else cell.status
                print(f"{item.name:28} {cell.tool:10} {shown}", flush=True)
        start = startup(args.python, max(args.runs, 10), Path(tmp))
    args.out.mkdir(parents=True, exist_ok=True)
    table = markdown(cells, versions, start, where, args.runs)
    (args.out / "peers.md").write_text(table, encoding="utf-8")
    (args.out / "peers.json").write_text(json.dumps({
        "machine": where, "runs": args.runs, "timeout_s": args.timeout, "versions": versions, "startup": start,
        "cells": [c.__dict__ for c in cells]}, indent=2, default=str), encoding="utf-8")
    print("\n" + table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
