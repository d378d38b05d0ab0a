#!/usr/bin/env python3
"""Per-file scores from a Stryker mutation-report.json: the table docs/testing.md keeps.

score         = killed (and timed out) / (every mutant that compiled and was not ignored)
covered score = killed (and timed out) / (killed + timed out + survived): of the mutants some test reached
"""
import json
import sys
from collections import Counter

report = json.load(open(sys.argv[1], encoding="utf-8"))
rows = []
totals = Counter()
for path, data in sorted(report["files"].items()):
    counts = Counter(m["status"] for m in data["mutants"])
    totals.update(counts)
    rows.append((path, counts))


def line(name, c):
    killed = c["Killed"] + c["Timeout"]
    valid = killed + c["Survived"] + c["NoCoverage"]
    covered = killed + c["Survived"]
    score = f"{100 * killed / valid:.0f} %" if valid else "-"
    covered_score = f"{100 * killed / covered:.0f} %" if covered else "-"
    return (f"| {name} | {score} | {covered_score} | {killed} | {c['Survived']} | {c['NoCoverage']} | "
            f"{c['CompileError']} | {c['Ignored']} |")


print("| file | score | covered score | killed | survived | no coverage | compile errors | ignored |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for path, counts in rows:
    print(line(path, counts))
print(line("**all**", totals))
