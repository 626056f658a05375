"""Parses the lake's DDL (coordinator lake ddl) with sqlglot.

Reads {"dialect": "athena|redshift|duckdb", "statements": [...]} as JSON on stdin and prints, per
statement, what sqlglot understood: its kind, whether it stayed an opaque command, the columns
with their types as the dialect writes them (for a view: the selected names), the partition
columns, and the parse error if any. Redshift Spectrum's CREATE EXTERNAL TABLE is not in sqlglot's
Redshift grammar: its column list is parsed as a Redshift CREATE TABLE instead (the rest of its
shape is checked as exact text by the Swift test)."""
import json
import re
import sys

import sqlglot
from sqlglot import exp

request = json.load(sys.stdin)
dialect = request["dialect"]
# Athena's DDL is Hive's; sqlglot prints its types in Hive's names when asked for "hive".
type_dialect = "hive" if dialect == "athena" else dialect


def columns_of(schema, as_dialect):
    return [[c.name, c.args["kind"].sql(as_dialect)] for c in schema.expressions if isinstance(c, exp.ColumnDef)]


out = []
for text in request["statements"]:
    entry = {"kind": None, "opaque": False, "columns": [], "partitions": [], "error": None}
    try:
        tree = sqlglot.parse_one(text, read=dialect, error_level=sqlglot.ErrorLevel.RAISE)
    except Exception as error:  # sqlglot raises ParseError and TokenError
        entry["error"] = str(error)
        out.append(entry)
        continue
    entry["kind"] = type(tree).__name__
    if isinstance(tree, exp.Command):
        entry["opaque"] = True
        match = re.match(r'CREATE EXTERNAL TABLE ("[^"]+"\."[^"]+") \((.*)\)\nPARTITIONED BY', text, re.S)
        if match:
            try:
                inner = sqlglot.parse_one(f"CREATE TABLE {match.group(1)} ({match.group(2)})", read=dialect, error_level=sqlglot.ErrorLevel.RAISE)
                entry["columns"] = columns_of(inner.this, type_dialect)
            except Exception as error:
                entry["error"] = "column list: " + str(error)
    elif isinstance(tree, exp.Create):
        if isinstance(tree.this, exp.Schema):
            entry["columns"] = columns_of(tree.this, type_dialect)
        elif isinstance(tree.expression, exp.Select):
            entry["columns"] = [[s.alias_or_name, None] for s in tree.expression.selects]
        properties = tree.args.get("properties")
        for prop in properties.expressions if properties else []:
            if isinstance(prop, exp.PartitionedByProperty):
                schema = prop.this
                if isinstance(schema, exp.Schema):
                    entry["partitions"] = columns_of(schema, type_dialect)
    out.append(entry)
print(json.dumps(out))
