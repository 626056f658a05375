#!/usr/bin/env python3
"""Checks that cryo's Parquet output and BlockFleet's cover the same rows: block hashes,
transaction hashes and (transaction hash, log index) pairs, read with pyarrow. Exit 0 when they agree.
cryo writes hashes as binary (or 0x text with hex=True); both are compared as 0x text."""
import glob
import os
import sys

import pyarrow.parquet as pq

ours, theirs = sys.argv[1], sys.argv[2]


def text(value):
    return "0x" + value.hex() if isinstance(value, (bytes, bytearray)) else value


def cryo(kind, *columns):
    rows = []
    for path in sorted(glob.glob(os.path.join(theirs, f"*__{kind}__*.parquet"))):
        table = pq.read_table(path, columns=list(columns)).to_pydict()
        rows += list(zip(*(table[c] for c in columns)))
    return rows


def blockfleet(entity, *columns):
    table = pq.read_table(f"{ours}/{entity}.parquet", columns=list(columns)).to_pydict()
    return list(zip(*(table[c] for c in columns)))


checks = {
    "blocks": ({text(h) for (h,) in cryo("blocks", "block_hash")}, {h for (h,) in blockfleet("blocks", "hash")}),
    "transactions": ({text(h) for (h,) in cryo("transactions", "transaction_hash")}, {h for (h,) in blockfleet("transactions", "hash")}),
    "logs": ({(text(h), int(i)) for h, i in cryo("logs", "transaction_hash", "log_index")},
             {(h, int(i)) for h, i in blockfleet("logs", "transaction_hash", "log_index")}),
}
status = 0
for name, (cryo_set, our_set) in checks.items():
    if cryo_set == our_set:
        print(f"{name}: {len(our_set)} rows in both")
    else:
        print(f"{name}: cryo {len(cryo_set)}, BlockFleet {len(our_set)}; only cryo {len(cryo_set - our_set)}, only BlockFleet {len(our_set - cryo_set)}")
        status = 1
sys.exit(status)
