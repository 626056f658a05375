"""Parses SQL statements (a JSON list on stdin) with sqlglot's Redshift dialect.

Prints a JSON list of problems: statements that fail to parse, and statements sqlglot could only
keep as an opaque command (allowed only for the ones listed on the command line by prefix)."""
import json
import sys

import sqlglot
from sqlglot import exp

allowed_opaque = tuple(sys.argv[1:])
problems = []
for text in json.load(sys.stdin):
    try:
        tree = sqlglot.parse_one(text, read="redshift", error_level=sqlglot.ErrorLevel.RAISE)
    except Exception as error:  # sqlglot raises ParseError and TokenError
        problems.append({"sql": text, "error": str(error)})
        continue
    if isinstance(tree, exp.Command) and not text.lstrip().upper().startswith(allowed_opaque):
        problems.append({"sql": text, "error": "not understood (kept as an opaque command)"})
print(json.dumps(problems))
