"""``python -m sitrep.bench`` (``make bench``): throughput, memory, start-up and scaling.

For each corpus (a Reuters-21578 sample when ../shared has it, and a generated one) it
measures the bare spaCy model and sitrep's full analysis on the same texts, the time each
pipeline stage takes, and batch throughput with 1 and 2 worker processes; plus the wall
time of a cold ``sitrep analyze``. Results go to bench-results/latest.json and a table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import platform
import sys
from pathlib import Path
from typing import Any

from rich.console import Console

from sitrep.bench import measure
from sitrep.bench.corpus import BenchArticle, generate, sample_jsonl
from sitrep.bench.report import check_targets, print_report
from sitrep.config import Config
from sitrep.errors import SitrepError

log = logging.getLogger("sitrep.bench")

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_REUTERS = ROOT.parent / "shared" / "corpus" / "reuters21578.jsonl"
EXAMPLE = ROOT / "examples" / "kharkiv-talks.txt"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m sitrep.bench", description=__doc__.split("\n")[0])
    p.add_argument(
        "-n", "--reuters-n", type=int, default=1000, help="Reuters stories to sample (default 1000)"
    )
    p.add_argument("--generated-n", type=int, default=300, help="generated stories (default 300)")
    p.add_argument("--reuters", type=Path, default=DEFAULT_REUTERS, help="JSONL corpus to sample")
    p.add_argument("--corpus", choices=["all", "reuters", "generated"], default="all")
    p.add_argument(
        "--workers", default="1,2", help="worker counts for the scaling run (default 1,2)"
    )
    p.add_argument(
        "--skip",
        default="",
        help="comma list of parts to skip: bare,full,interleaved,components,workers,cold",
    )
    p.add_argument(
        "--cold-runs", type=int, default=3, help="cold `sitrep analyze` runs (default 3)"
    )
    p.add_argument("--out", type=Path, default=ROOT / "bench-results" / "latest.json")
    return p


def _corpora(args: argparse.Namespace) -> dict[str, list[BenchArticle]]:
    corpora: dict[str, list[BenchArticle]] = {}
    if args.corpus in ("all", "reuters"):
        if args.reuters.exists():
            corpora["reuters"] = sample_jsonl(args.reuters, args.reuters_n)
        else:
            log.warning("%s not found: skipping the Reuters sample", args.reuters)
    if args.corpus in ("all", "generated"):
        corpora["generated"] = generate(args.generated_n)
    return corpora


def run(args: argparse.Namespace, console: Console) -> dict[str, Any]:
    config = Config()
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    counts = tuple(int(c) for c in args.workers.split(",") if c.strip())
    results: dict[str, Any] = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },  # fmt: skip
        "model": config.model,
        "corpora": {},
    }
    for name, articles in _corpora(args).items():
        words = sum(len(a.text.split()) for a in articles)
        console.print(f"[bold]{name}[/]: {len(articles)} articles, {words} words")
        part: dict[str, Any] = {"articles": len(articles), "words": words}
        steps = [
            ("bare", lambda a=articles: measure.in_fresh_process(measure.bare_spacy, a, config)),
            ("full", lambda a=articles: measure.in_fresh_process(measure.full_sitrep, a, config)),
            ("interleaved",
             lambda a=articles: measure.in_fresh_process(measure.interleaved_ratio, a, config)),
            ("components",
             lambda a=articles: measure.in_fresh_process(measure.component_times, a, config)),
            ("workers", lambda a=articles: measure.worker_scaling(a, config, counts)),
        ]  # fmt: skip
        for key, step in steps:
            if key in skip:
                continue
            console.print(f"  {key} ...", end="")
            part[key] = step()
            console.print(" done")
        if "bare" in part and "full" in part:
            part["ratio_separate_runs"] = round(
                part["full"]["articles_per_s"] / part["bare"]["articles_per_s"], 3
            )
        if part.get("interleaved", {}).get("ratio_full_to_bare"):
            part["ratio_full_to_bare"] = part["interleaved"]["ratio_full_to_bare"]
        elif "ratio_separate_runs" in part:
            part["ratio_full_to_bare"] = part["ratio_separate_runs"]
        part["ratio_cpu"] = part.get("interleaved", {}).get("ratio_cpu")
        steady = part.get("workers", {}).get("1", {}).get("steady_articles_per_s")
        if steady and "bare" in part:  # `sitrep batch`, one worker, against bare spaCy
            part["ratio_batch_to_bare"] = round(steady / part["bare"]["articles_per_s"], 3)
        worker_cpu = part.get("workers", {}).get("1", {}).get("worker_cpu_ms_per_article")
        if worker_cpu and part.get("bare", {}).get("cpu_ms_per_article"):
            # the same by CPU time: what other jobs on a shared machine disturb least
            part["ratio_batch_cpu"] = round(part["bare"]["cpu_ms_per_article"] / worker_cpu, 3)
        results["corpora"][name] = part
    if "cold" not in skip:
        console.print("cold sitrep analyze ...", end="")
        results["cold_analyze"] = measure.cold_analyze(EXAMPLE, runs=args.cold_runs)
        console.print(" done")
    results["targets"] = check_targets(results)
    return results


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = _parser().parse_args(argv)
    console = Console()
    try:
        results = run(args, console)
    except SitrepError as err:
        console.print(f"error[{err.code}]: {err.message}", markup=False)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    stamp = results["when"].replace(":", "").replace("-", "")[:15]
    (args.out.parent / f"bench-{stamp}.json").write_text(json.dumps(results, indent=2) + "\n")
    print_report(results, console)
    console.print(f"results: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
