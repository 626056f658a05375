#!/usr/bin/env python3
"""Compare an exported CSV file with a warehouse table dumped as JSON lines (first line: the
column names; then one JSON array per row, null for NULL). Python's csv module reads the CSV,
independently of BlockFleet's loader. Empty CSV fields are NULL; booleans compare case-blind.
Row order is ignored. Exit 0 when equal, printing a one-line summary either way."""
import csv
import json
import sys


def normal(value):
    if value is None or value == "":
        return None
    if value in ("True", "False", "true", "false"):
        return value.lower()
    return value


def main(csv_path, jsonl_path):
    with open(csv_path, newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None) or []
        expected = sorted(tuple(normal(v) for v in row) for row in reader)
    with open(jsonl_path) as handle:
        columns = json.loads(handle.readline())
        actual = sorted(tuple(normal(v) for v in json.loads(line)) for line in handle if line.strip())
    if header and columns != header:
        print(f"columns differ: csv {header} vs warehouse {columns}")
        return 1
    if expected == actual:
        print(f"identical ({len(actual)} rows)")
        return 0
    print(f"DIFFERENT: csv {len(expected)} rows, warehouse {len(actual)} rows")
    for a, b in zip(expected, actual):
        if a != b:
            print(f"first difference:\n  csv       {a}\n  warehouse {b}")
            break
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
