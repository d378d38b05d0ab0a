#!/usr/bin/env python3
"""Prints the medians of each variant's runs in a folder written by scripts/bench.sh.

Each run folder (<label>-<round>) holds the load tool's latest-run.json. Per variant: completed and refused orders
per second, POST and final-via-SignalR latency, CPU milliseconds per accepted order per process, SQL statements and
commits per accepted order in each database, and whether every audit was clean. The single runs' p99 are listed too:
one slow second of a shared machine decides a run's p99.
"""
import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path

PROCESSES = ["orders", "payments", "gateway", "postgres", "rabbitmq", "loadtest"]


def load(folder):
    runs = defaultdict(list)
    for path in sorted(Path(folder).glob("*/latest-run.json")):
        label = path.parent.name.rsplit("-", 1)[0]
        runs[label].append(json.loads(path.read_text()))
    return runs


def per_order(run, value):
    accepted = run.get("accepted") or 0
    return value / accepted if accepted and value is not None else float("nan")


def row(label, runs):
    med = lambda values: statistics.median(values)
    cpu = {}
    for name in PROCESSES:
        cpu[name] = med([per_order(r, next((p["cpuSeconds"] * 1000 for p in r["processes"] if p["name"] == name), 0.0)) for r in runs])
    total = sum(cpu.values())
    db = lambda name, field: med([per_order(r, ((r.get("database") or {}).get(name) or {}).get(field)) for r in runs])
    duration = lambda r: r.get("durationSeconds") or 1
    return {
        "variant": label,
        "runs": len(runs),
        "completed/s": f"{med([r['completedPerSecond'] for r in runs]):.1f}",
        "refused/s": f"{med([r.get('refused', 0) / duration(r) for r in runs]):.1f}",
        "errors": str(sum(sum((r.get("errorsByKind") or {}).values()) for r in runs)),
        "POST p50/p99 ms": f"{med([r['postOrder']['p50'] for r in runs]):.1f} / {med([r['postOrder']['p99'] for r in runs]):.1f}",
        "final p50/p99 ms": f"{med([r['finalViaSignalR']['p50'] for r in runs]):.1f} / {med([r['finalViaSignalR']['p99'] for r in runs]):.1f}",
        "single-run p99": ", ".join(f"{r['finalViaSignalR']['p99']:.0f}" for r in runs),
        "CPU ms/order " + ", ".join(PROCESSES): ", ".join(f"{cpu[n]:.2f}" for n in PROCESSES) + f" = {total:.2f}",
        "Orders stmts/commits": f"{db('orders', 'statements'):.2f} / {db('orders', 'commits'):.2f}",
        "Payments stmts/commits": f"{db('payments', 'statements'):.2f} / {db('payments', 'commits'):.2f}",
        "audit": "clean" if all(r["audit"]["clean"] for r in runs) else "VIOLATED",
    }


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: bench-summary.py FOLDER")
    runs = load(sys.argv[1])
    if not runs:
        sys.exit(f"no runs under {sys.argv[1]}")
    for label, label_runs in runs.items():
        print(f"\n{label}")
        for key, value in row(label, label_runs).items():
            if key != "variant":
                print(f"  {key:<58} {value}")


if __name__ == "__main__":
    main()
