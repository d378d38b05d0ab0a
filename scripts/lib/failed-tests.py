#!/usr/bin/env python3
"""Prints every failed test of the given .trx files: its name, the start of its message and of its stack trace.

scripts/test.sh calls it before its last line, so the tail of a CI log names what failed even when the failure
happened in a suite that ran long before the end.
"""
import sys
import xml.etree.ElementTree as ET

NS = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
MAX_FAILURES = 20
MAX_LINES = 40


def head(text, lines):
    if not text:
        return []
    rows = text.strip().splitlines()
    return rows[:lines] + ([f"… ({len(rows) - lines} more lines)"] if len(rows) > lines else [])


def main(paths):
    failures = []
    for path in paths:
        try:
            root = ET.parse(path).getroot()
        except (ET.ParseError, OSError) as error:
            print(f"[test] {path}: unreadable ({error})")
            continue
        for result in root.iter(NS + "UnitTestResult"):
            if result.get("outcome") == "Failed":
                failures.append((path, result))
    if not failures:
        return
    print(f"[test] {len(failures)} failed test(s):")
    for path, result in failures[:MAX_FAILURES]:
        print(f"- {result.get('testName')}  ({path.rsplit('/', 1)[-1]}, {result.get('duration')})")
        message = result.find(f"{NS}Output/{NS}ErrorInfo/{NS}Message")
        trace = result.find(f"{NS}Output/{NS}ErrorInfo/{NS}StackTrace")
        for line in head(message.text if message is not None else "", MAX_LINES):
            print(f"    {line}")
        for line in head(trace.text if trace is not None else "", 4):
            print(f"    {line.strip()}")
    if len(failures) > MAX_FAILURES:
        print(f"… and {len(failures) - MAX_FAILURES} more (see the .trx files)")


if __name__ == "__main__":
    main(sys.argv[1:])
