"""How fast the command line answers: real ``python -m tui.cli`` processes, as a clerk's
script or a cron job starts them.

Each command runs ``--repeat`` times in a fresh process; the JSON gives the median wall
time and the median CPU time (user + sys of the child) per command, so a loaded machine
can still be compared (CPU seconds move less than wall time under load).

    .venv/bin/python bench/bench_cli_startup.py [--repeat 5] [--root DIR] [--db FILE]

``--root`` runs another checkout's code (e.g. an extracted older commit, for "before"
numbers); ``--db`` reuses a demo company (else one is made in a temporary folder).

Targets (issue #15): ``--help`` and usage errors under 0.3 s, simple commands on a
small company under 0.6 s.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

COMMANDS: tuple[tuple[str, tuple[str, ...], bool], ...] = (
    # (name, arguments, needs the company)
    ("help", ("--help",), False),
    ("usage_error", ("no-such-command",), False),
    ("setup_help", ("setup", "--help"), False),
    ("reconcile_help", ("reconcile", "--help"), False),
    # commands whose handlers load services: their parsers are light modules too
    ("bankrec_help", ("bank-rec", "--help"), False),
    ("reminders_help", ("reminders", "create", "--help"), False),
    ("sales_help", ("sales", "--help"), False),
    ("load_help", ("load", "--help"), False),
    ("check", ("check", "--json"), True),
    ("setup_show", ("setup", "show", "--json"), True),
    ("statement_parse", ("statement", "parse", "{sample}", "--json"), False),
)


def run_once(root: Path, args: list[str]) -> tuple[float, float, int]:
    env = dict(os.environ, PYTHONPATH=str(root), LC_ALL="C.UTF-8")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "tui.cli", *args], cwd=root, env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--db", type=Path)
    opts = parser.parse_args()
    root = opts.root.resolve()
    with tempfile.TemporaryDirectory() as tmp:
        db = opts.db or Path(tmp) / "demo.db"
        if opts.db is None:
            subprocess.run([sys.executable, "-m", "tui.cli", "--db", str(db), "demo"], cwd=root,
                           env=dict(os.environ, PYTHONPATH=str(root)), check=True,
                           stdout=subprocess.DEVNULL)
        sample = next((root / "data" / "samples").glob("*.xml"), None)
        results: dict[str, dict[str, float | int]] = {}
        for name, args, needs_db in COMMANDS:
            argv = [a.replace("{sample}", str(sample)) for a in args]
            if needs_db:
                argv = ["--db", str(db), *argv]
            runs = [run_once(root, argv) for _ in range(opts.repeat)]
            results[name] = {
                "wall_s": round(statistics.median(r[0] for r in runs), 3),
                "cpu_s": round(statistics.median(r[1] for r in runs), 3),
                "exit": runs[-1][2],
            }
    load = os.getloadavg()[0]
    print(json.dumps({"root": str(root), "repeat": opts.repeat, "load_avg_1m": round(load, 2),
                      "results": results,
                      "targets_s": {"help": 0.3, "usage_error": 0.3, "simple_command": 0.6}},
                     indent=2))


if __name__ == "__main__":
    main()
