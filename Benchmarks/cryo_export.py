#!/usr/bin/env python3
"""Times cryo 0.3.2 (through its Python binding) exporting blocks, transactions and logs of blocks
FIRST…LAST from a node to CSV, and prints the seconds it took. Extra KEY=VALUE arguments are cryo
options (max_concurrent_requests=64, chunk_size=500, …); file_format=parquet writes Parquet
(cryo's default format) instead of CSV."""
import sys
import time

import cryo

url, first, last, output = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
options = {}
for argument in sys.argv[5:]:
    key, value = argument.split("=", 1)
    options[key] = int(value) if value.isdigit() else value
file_format = options.pop("file_format", "csv")
started = time.time()
# cryo's block ranges end before `end_block`.
cryo.freeze(["blocks", "transactions", "logs"], start_block=first, end_block=last + 1, rpc=url,
            file_format=file_format, output_dir=output, hex=True, verbose=False, **options)
print(f"{time.time() - started:.3f}")
