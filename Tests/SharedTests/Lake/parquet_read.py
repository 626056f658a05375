"""Reads a Parquet file with three independent readers and prints what each saw, as JSON.

Usage: parquet_read.py FILE [CSV]
Prints {"pyarrow": {...}, "fastparquet": {...}, "duckdb": {...}, "metadata": {...}} where each
reader's "columns" maps a column name to its values in row order, normalised so the Swift tests
can compare them with what they wrote. Every value is a JSON string or null: text as it is, bytes
as "0x" hex, integers and timestamps (the count of the column's unit since 1970 UTC) in decimal,
booleans as "true"/"false", decimals in plain notation (fastparquet reads decimals as floats:
its decimal values are the float's repr). "metadata" is pyarrow's view of the footer (codec, encodings,
dictionary page, statistics per column chunk); duckdb's "chunks" are its parquet_metadata().
With CSV (an export of the same rows), "csv" holds its header and rows as Python's csv module
reads them (ethereum-etl writes its CSV with that module), for the tests to compare.
"""
import csv
import datetime
import decimal
import json
import sys

import duckdb
import fastparquet
import pandas
import pyarrow as pa
import pyarrow.parquet as pq

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def timestamp_integer(value, unit):
    """A datetime (or pandas Timestamp) as an integer count of `unit` since 1970 UTC, exactly."""
    if value is None:
        return None
    if hasattr(value, "value") and hasattr(value, "tz_convert"):  # pandas.Timestamp: nanoseconds
        return value.value // (1_000_000 if unit == "ms" else 1_000)
    delta = value - EPOCH
    micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    return micros // 1_000 if unit == "ms" else micros


def normal(value, kind, unit=None):
    """The value as the tests compare it: a string, or None for null."""
    if value is None:
        return None
    if kind == "bytes":
        return "0x" + bytes(value).hex()
    if kind == "timestamp":
        return str(timestamp_integer(value, unit))
    if kind == "int":
        return str(int(value))
    if kind == "bool":
        return "true" if value else "false"
    if kind == "decimal":
        return format(value, "f") if isinstance(value, decimal.Decimal) else repr(float(value))
    return str(value)


def kinds(schema):
    """Each column's kind and timestamp unit, from the Arrow schema."""
    result = {}
    for field in schema:
        t = field.type
        if pa.types.is_timestamp(t):
            result[field.name] = ("timestamp", t.unit)
        elif pa.types.is_binary(t) or pa.types.is_large_binary(t):
            result[field.name] = ("bytes", None)
        elif pa.types.is_integer(t):
            result[field.name] = ("int", None)
        elif pa.types.is_boolean(t):
            result[field.name] = ("bool", None)
        elif pa.types.is_decimal(t):
            result[field.name] = ("decimal", None)
        else:
            result[field.name] = ("string", None)
    return result


def read_pyarrow(path):
    table = pq.read_table(path)
    columns = {}
    for field in table.schema:
        kind, unit = KINDS[field.name]
        column = table.column(field.name)
        if kind == "timestamp":
            column = column.cast(pa.int64())
            kind = "int"
        columns[field.name] = [normal(v, kind, unit) for v in column.to_pylist()]
    schema = [{"name": f.name, "type": str(f.type), "nullable": f.nullable} for f in table.schema]
    return {"num_rows": table.num_rows, "schema": schema, "columns": columns}


def read_fastparquet(path):
    """fastparquet's values, one row group at a time: its whole-file to_pandas() (2026.9.0) drops
    the values of PLAIN string pages when other pages of the column are dictionary-encoded, in
    files pyarrow writes too (dictionary fallback), so each row group is decoded on its own."""
    file = fastparquet.ParquetFile(path)
    columns = {name: [] for name in file.columns}
    dtypes = {}
    rows = 0
    for frame in file.iter_row_groups():
        rows += len(frame)
        for name in frame.columns:
            kind, unit = KINDS[name]
            dtypes[name] = str(frame[name].dtype)
            for v in frame[name].tolist():
                if pandas.isna(v):
                    columns[name].append(None)
                elif kind == "timestamp":
                    columns[name].append(str(timestamp_integer(v, unit)))
                else:
                    columns[name].append(normal(v, kind, unit))
    if not file.row_groups:
        rows = len(file.to_pandas())  # a zero-row file must still load
    return {"num_rows": rows, "dtypes": dtypes, "columns": columns}


def read_duckdb(path):
    connection = duckdb.connect()
    select = []
    for name, (kind, unit) in KINDS.items():
        quoted = '"' + name.replace('"', '""') + '"'
        select.append(f"epoch_ms({quoted})" if kind == "timestamp" and unit == "ms" else
                      f"epoch_us({quoted})" if kind == "timestamp" else quoted)
    rows = connection.execute(f"SELECT {', '.join(select)} FROM read_parquet(?)", [path]).fetchall()
    columns = {}
    for index, (name, (kind, _)) in enumerate(KINDS.items()):
        columns[name] = [normal(row[index], "int" if kind == "timestamp" else kind) for row in rows]
    types = dict(connection.execute("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(?))", [path]).fetchall())
    metadata = connection.execute(
        "SELECT row_group_id, path_in_schema, compression, stats_min_value, stats_max_value, stats_null_count, "
        "dictionary_page_offset IS NOT NULL FROM parquet_metadata(?) ORDER BY row_group_id, column_id", [path]).fetchall()
    chunks = [{"row_group": r[0], "column": r[1], "compression": r[2], "min": r[3], "max": r[4],
               "null_count": None if r[5] is None else int(r[5]),
               "has_dictionary_page": r[6]} for r in metadata]
    return {"num_rows": len(rows), "types": types, "columns": columns, "chunks": chunks}


def statistic(value, kind, unit):
    if kind == "timestamp" and isinstance(value, int):
        return str(value)
    return normal(value, kind, unit)


def read_metadata(path):
    file = pq.ParquetFile(path)
    meta = file.metadata
    row_groups = []
    for g in range(meta.num_row_groups):
        group = meta.row_group(g)
        chunks = []
        for c in range(group.num_columns):
            chunk = group.column(c)
            name = chunk.path_in_schema
            kind, unit = KINDS[name]
            stats = chunk.statistics
            entry = {
                "column": name,
                "compression": chunk.compression,
                "encodings": list(chunk.encodings),
                "has_dictionary_page": chunk.has_dictionary_page,
                "num_values": chunk.num_values,
                "has_statistics": chunk.is_stats_set,
                "has_min_max": bool(stats is not None and stats.has_min_max),
                "null_count": stats.null_count if stats is not None and stats.has_null_count else None,
            }
            if entry["has_min_max"]:
                entry["min"] = statistic(stats.min, kind, unit)
                entry["max"] = statistic(stats.max, kind, unit)
            chunks.append(entry)
        row_groups.append({"num_rows": group.num_rows, "columns": chunks})
    return {"num_rows": meta.num_rows, "num_row_groups": meta.num_row_groups, "created_by": meta.created_by,
            "format_version": meta.format_version, "row_groups": row_groups,
            "logical_types": [str(file.schema.column(i).logical_type) for i in range(len(file.schema))],
            "converted_types": [str(file.schema.column(i).converted_type) for i in range(len(file.schema))],
            "physical_types": [str(file.schema.column(i).physical_type) for i in range(len(file.schema))]}


if __name__ == "__main__":
    PATH = sys.argv[1]
    KINDS = kinds(pq.read_schema(PATH))
    REPORT = {
        "pyarrow": read_pyarrow(PATH),
        "fastparquet": read_fastparquet(PATH),
        "duckdb": read_duckdb(PATH),
        "metadata": read_metadata(PATH),
    }
    if len(sys.argv) > 2:
        with open(sys.argv[2], newline="", encoding="utf-8") as source:
            records = list(csv.reader(source))
        REPORT["csv"] = {"header": records[0] if records else [], "rows": records[1:]}
    json.dump(REPORT, sys.stdout)
