#!/usr/bin/env python3
"""False alarms of the privacy guard (issue 13): on the benchmark corpus, and on random digit strings.

    python bench/privacy_false_alarms.py --records 2000 --random 1000000 [--baseline 26d341b]

1. Generates the benchmark corpus (bench/generate.py, --records, --seed) and runs the whole guard on
   it as `disclosure check` does (records, ordinary pages, catalogue, mkdocs.yml): every finding
   there is a false alarm, since the generator writes no personal number.
2. Draws --random strings of each length 11, 15, 16, 18 and 19 (uniform digits, --seed) and scans
   each on its own, as a bare run of digits in a text: the fraction flagged, by kind, is the rate at
   which an arbitrary number of that length (an order number, a file number) would be taken for a
   personal one. With --baseline REV, the guard of that git revision is measured the same way.

Prints a Markdown table (for BENCHMARKS.md) and writes nothing else besides the corpus (--workdir).
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from site_builder.sources import privacy  # noqa: E402
from site_builder.sources.validate import load_project  # noqa: E402

LENGTHS = (11, 15, 16, 18, 19)
KINDS = (privacy.ID_CARD, privacy.MOBILE, privacy.BANK_CARD)


def corpus_false_alarms(records: int, seed: int, workdir: Path) -> dict:
    import generate

    out = workdir / f"corpus-{records}-seed{seed}"
    if not (out / generate.MARKER).exists():
        generate.generate(records, out, seed=seed, force=True, quiet=True)
    started = time.perf_counter()
    project = load_project(out / "content", out / "catalogue", root=out, config_file=out / "mkdocs.yml")
    seconds = time.perf_counter() - started
    alarms = [p for p in project.problems.items if "疑似" in p.message]
    return {"records": len(project.records), "alarms": len(alarms), "seconds": seconds,
            "examples": [p.format() for p in alarms[:5]]}


def load_baseline(rev: str):
    """The privacy module of git revision `rev`, importable beside ours."""
    for where, package in (("site_builder/sources/privacy.py", "site_builder.sources"),  # since the stage packages
                           ("site_builder/privacy.py", "site_builder")):
        shown = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:{where}"], capture_output=True, text=True)
        if shown.returncode == 0:
            break
    shown.check_returncode()
    path = Path(tempfile.mkdtemp()) / "privacy_baseline.py"
    path.write_text(shown.stdout.replace("from .", f"from {package}.").replace(f"from {package}. import",
                                                                            f"from {package} import"),
                    encoding="utf-8")
    spec = importlib.util.spec_from_file_location("privacy_baseline", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["privacy_baseline"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def random_rates(guard, n: int, seed: int) -> dict[int, Counter]:
    today = privacy.dt.date(2026, 11, 22)
    rates = {}
    for length in LENGTHS:
        rng = random.Random(f"{seed}:{length}")
        counts: Counter = Counter()
        for _ in range(n):
            digits = "".join(rng.choices("0123456789", k=length))
            found = guard.scan_text(f"编号 {digits} 。", today=today)
            counts[found[0].kind if found else "none"] += 1
        rates[length] = counts
    return rates


def table(rates: dict[int, Counter], n: int, title: str) -> str:
    lines = [f"{title}", "", "| length | ID number | mobile | bank card | any |", "|---|---|---|---|---|"]
    for length, counts in rates.items():
        cells = [f"{counts[k] / n:.4%}" for k in KINDS]
        lines.append(f"| {length} | " + " | ".join(cells) + f" | {(n - counts['none']) / n:.4%} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--records", type=int, default=2000)
    ap.add_argument("--random", type=int, default=1_000_000, help="random strings per length")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--baseline", help="a git revision whose guard is measured on the same strings")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/bench"))
    args = ap.parse_args(argv)

    if args.records:
        c = corpus_false_alarms(args.records, args.seed, args.workdir)
        print(f"Benchmark corpus, {c['records']} records (seed {args.seed}): {c['alarms']} false alarms "
              f"(whole guard in {c['seconds']:.1f} s, load_project included)")
        for line in c["examples"]:
            print("   ", line)
        print()
    if args.random:
        started = time.perf_counter()
        print(table(random_rates(privacy, args.random, args.seed), args.random,
                    f"Random digit strings, {args.random:,} per length (seed {args.seed}), this guard:"))
        print(f"\n({time.perf_counter() - started:.0f} s)\n")
        if args.baseline:
            print(table(random_rates(load_baseline(args.baseline), args.random, args.seed), args.random,
                        f"The same strings, the guard of {args.baseline}:"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
