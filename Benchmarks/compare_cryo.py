#!/usr/bin/env python3
"""Checks that cryo's CSV output and BlockFleet's cover the same rows: block hashes, transaction
hashes and (transaction hash, log index) pairs. Exit 0 when they agree."""
import csv
import glob
import os
import sys

ours, theirs = sys.argv[1], sys.argv[2]


def read(path):
    with open(path, newline="") as handle:
        yield from csv.DictReader(handle)


def cryo_rows(kind):
    for path in sorted(glob.glob(os.path.join(theirs, f"*__{kind}__*.csv"))):
        yield from read(path)


checks = {
    "blocks": ({r["block_hash"] for r in cryo_rows("blocks")}, {r["hash"] for r in read(f"{ours}/blocks.csv")}),
    "transactions": ({r["transaction_hash"] for r in cryo_rows("transactions")},
                     {r["hash"] for r in read(f"{ours}/transactions.csv")}),
    "logs": ({(r["transaction_hash"], int(r["log_index"])) for r in cryo_rows("logs")},
             {(r["transaction_hash"], int(r["log_index"])) for r in read(f"{ours}/logs.csv")}),
}
status = 0
for name, (cryo_set, our_set) in checks.items():
    if cryo_set == our_set:
        print(f"{name}: same {len(our_set)} rows as cryo")
    else:
        status = 1
        print(f"{name}: DIFFERENT: cryo {len(cryo_set)}, BlockFleet {len(our_set)}, "
              f"only cryo {len(cryo_set - our_set)}, only BlockFleet {len(our_set - cryo_set)}")
sys.exit(status)
