#!/usr/bin/env python3
"""Compare two CSV exports of one entity the way ethereum-etl's tests do: row order ignored,
values exact, by column name over the columns both files have. Exit 0 when equal."""
import csv
import sys


def rows(path):
    with open(path, newline="") as handle:
        reader = csv.DictReader(handle)
        return reader.fieldnames or [], list(reader)


def main(ours, theirs, entity):
    our_columns, our_rows = rows(ours)
    their_columns, their_rows = rows(theirs)
    common = [c for c in their_columns if c in our_columns]
    missing = [c for c in their_columns if c not in our_columns]
    key = lambda row: tuple(row[c] for c in common)
    a, b = sorted(map(key, our_rows)), sorted(map(key, their_rows))
    if missing:
        print(f"{entity}: columns ethereum-etl has and we lack: {missing}")
        return 1
    if a == b:
        print(f"{entity}: identical ({len(a)} rows, {len(common)} columns)")
        return 0
    print(f"{entity}: DIFFERENT ({len(a)} rows vs {len(b)})")
    for ra, rb in zip(a, b):
        if ra != rb:
            for column, va, vb in zip(common, ra, rb):
                if va != vb:
                    print(f"  first difference in {column}: ours {va!r} ethereum-etl {vb!r}")
                    break
            break
    return 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
