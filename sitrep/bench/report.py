"""Turn benchmark results into target checks and tables."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

# The targets. Component shares are of the bare spaCy pipeline's time.
MIN_RATIO = 0.75  # full analysis throughput / bare spaCy throughput
MAX_RSS_MB = 1024.0  # per worker process
MAX_COLD_S = 3.0  # `sitrep analyze` of one article, new process
MIN_SPEEDUP_2 = 1.6  # 1 -> 2 workers ("near-linear")
MAX_RESOLUTION_SHARE = 0.25  # actors + places + times (issue 3)
MAX_EVENTS_SHARE = 0.30  # events (issue 4)
RESOLUTION = ("sitrep: actors", "sitrep: places", "sitrep: times")


def stage_shares(components: dict[str, Any]) -> dict[str, float]:
    """Each stage's time as a share of the spaCy stages' total (bare pipeline time)."""
    seconds: dict[str, float] = components["seconds"]
    spacy_s = sum(v for k, v in seconds.items() if k.startswith("spacy:")) or 1e-9
    shares = {k: v / spacy_s for k, v in seconds.items()}
    shares["resolution (actors+places+times)"] = sum(shares.get(k, 0.0) for k in RESOLUTION)
    shares["all sitrep stages"] = sum(v for k, v in shares.items() if k.startswith("sitrep:"))
    return shares


def check_targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    checks: list[dict[str, Any]] = []

    def add(name: str, value: float | None, limit: float, higher_is_better: bool) -> None:
        if value is None:
            return
        ok = value >= limit if higher_is_better else value <= limit
        sign = ">=" if higher_is_better else "<="
        checks.append({"target": name, "value": round(value, 3), "limit": f"{sign} {limit}",
                       "ok": ok})  # fmt: skip

    for name, part in results.get("corpora", {}).items():
        add(
            f"{name}: full / bare spaCy throughput", part.get("ratio_full_to_bare"), MIN_RATIO, True
        )
        add(
            f"{name}: batch (1 worker) / bare spaCy throughput",
            part.get("ratio_batch_to_bare"),
            MIN_RATIO,
            True,
        )
        rss = [part.get(k, {}).get("peak_rss_mb") for k in ("bare", "full")]
        workers = part.get("workers", {})
        rss += [v.get("peak_rss_mb_per_worker") for v in workers.values() if isinstance(v, dict)]
        rss_known = [r for r in rss if r]
        add(f"{name}: peak memory per worker (MB)", max(rss_known, default=None), MAX_RSS_MB, False)
        add(f"{name}: speed-up 1 -> 2 workers", workers.get("speedup_1_to_2"), MIN_SPEEDUP_2, True)
        if "components" in part:
            shares = stage_shares(part["components"])
            add(f"{name}: resolution share of spaCy time",
                shares["resolution (actors+places+times)"], MAX_RESOLUTION_SHARE, False)  # fmt: skip
            add(f"{name}: events share of spaCy time", shares.get("sitrep: events"),
                MAX_EVENTS_SHARE, False)  # fmt: skip
    cold = results.get("cold_analyze", {})
    add("cold `sitrep analyze` of one article (s)", cold.get("median_s"), MAX_COLD_S, False)
    return checks


def print_report(results: dict[str, Any], console: Console) -> None:
    for name, part in results.get("corpora", {}).items():
        table = Table(title=f"{name}: {part['articles']} articles, {part['words']} words",
                      title_justify="left")  # fmt: skip
        for col in ("run", "articles/s", "words/s", "peak MB", "start-up s"):
            table.add_column(col, justify="right" if col != "run" else "left")
        for key, label in (("bare", "bare spaCy"), ("full", "sitrep full")):
            if key in part:
                r = part[key]
                table.add_row(label, f"{r['articles_per_s']:.1f}", f"{r['words_per_s']:.0f}",
                              f"{r['peak_rss_mb']:.0f}", f"{r['load_s'] + r.get('warm_s', 0):.2f}")  # fmt: skip
        for n, r in part.get("workers", {}).items():
            if isinstance(r, dict):
                table.add_row(f"batch, {n} worker(s) (after start-up)",
                              f"{r['steady_articles_per_s']:.1f}", "",
                              f"{r['peak_rss_mb_per_worker']:.0f}", "")  # fmt: skip
        console.print(table)
        if part.get("ratio_full_to_bare") is not None:
            extra = [f"{label} {part[key]:.2f}" for key, label in (
                ("ratio_cpu", "by CPU time"), ("ratio_separate_runs", "separate runs"),
                ("ratio_batch_to_bare", "batch with 1 worker"),
                ("ratio_batch_cpu", "batch with 1 worker by CPU time"),
            ) if part.get(key) is not None]  # fmt: skip
            console.print(f"sitrep / bare spaCy throughput: {part['ratio_full_to_bare']:.2f}"
                          + (f" ({'; '.join(extra)})" if extra else ""))  # fmt: skip
        if "components" in part:
            _print_components(name, part["components"], console)
    checks = results.get("targets", [])
    if checks:
        table = Table(title="targets", title_justify="left")
        for col in ("target", "value", "limit", ""):
            table.add_column(col)
        for c in checks:
            mark = "[green]ok[/]" if c["ok"] else "[red]MISSED[/]"
            table.add_row(c["target"], str(c["value"]), c["limit"], mark)
        console.print(table)


def _print_components(name: str, components: dict[str, Any], console: Console) -> None:
    seconds: dict[str, float] = components["seconds"]
    n = components["articles"] or 1
    total = sum(seconds.values()) or 1e-9
    shares = stage_shares(components)
    table = Table(title=f"{name}: time per stage", title_justify="left")
    for col in ("stage", "s", "ms/article", "% of total", "% of bare spaCy"):
        table.add_column(col, justify="left" if col == "stage" else "right")
    for stage, s in sorted(seconds.items(), key=lambda kv: -kv[1]):
        table.add_row(stage, f"{s:.2f}", f"{1000 * s / n:.2f}", f"{100 * s / total:.1f}",
                      f"{100 * shares[stage]:.1f}")  # fmt: skip
    for key in ("resolution (actors+places+times)", "all sitrep stages"):
        table.add_row(f"[bold]{key}[/]", "", "", "", f"{100 * shares[key]:.1f}")
    console.print(table)
