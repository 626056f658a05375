#!/usr/bin/env python3
"""Checks that Sources/Shared's folders use only the layers below them (docs/architecture.md).

Swift does not see folders, so this reads the sources: every top-level type belongs to the folder
that declares it; a file that names a type of another folder depends on that folder. A folder may
depend only on folders earlier in LAYERS, and no two sub-folders may depend on each other both ways.
Exits non-zero naming each offending dependency and the types that make it.
"""
import collections, os, re, sys

# Lowest first. "." is Sources/Shared itself (BlockFleet.swift).
# Lake sits below Export: the exporter writes Parquet (ParquetRowWriter) with Lake's writer and
# entity schemas, while Lake itself needs only Entities, Support, Compression, S3 and Staging.
# Decoding (the ABI decoder and the table definitions: pure, no I/O but reading a folder) sits
# below Warehouse, whose model stage runs the decode stage in its transaction (Warehouse/Decode).
LAYERS = [".", "Support", "Postgres", "Metrics", "Entities", "Compression", "RPC", "S3", "Staging",
          "Lake", "Queue", "Export", "Decoding", "Warehouse", "Fleet", "Coordination", "Status", "HTTP", "App"]

DECLARATION = re.compile(
    r"^(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|internal|private|fileprivate|package|final|indirect|nonisolated)\s+)*"
    r"(?:struct|class|enum|protocol|actor|typealias)\s+([A-Z]\w*)", re.M)
IDENTIFIER = re.compile(r"\b([A-Z]\w*)\b")


def interpolations(literal):
    """The code inside a string literal's interpolations: `"a \\(T.f(x)) b"` keeps `T.f(x)`."""
    kept, index = [], 0
    while (start := literal.find("\\(", index)) >= 0:
        depth, end = 1, start + 2
        while end < len(literal) and depth:
            depth += {"(": 1, ")": -1}.get(literal[end], 0)
            end += 1
        kept.append(literal[start + 2:end - 1])
        index = end
    return " ".join(kept)


def strip(source):
    source = re.sub(r"/\*.*?\*/", "", source, flags=re.S)
    source = re.sub(r"//.*", "", source)
    # Text in string literals is not a dependency; what their interpolations call is.
    return re.sub(r'"(?:[^"\\\n]|\\.)*"', lambda m: '"" ' + interpolations(m.group(0)), source)


def main(root):
    files, owner = {}, {}
    for folder, _, names in os.walk(root):
        for name in names:
            if name.endswith(".swift"):
                path = os.path.join(folder, name)
                relative = os.path.relpath(path, root)
                source = strip(open(path, encoding="utf-8").read())
                files[relative] = (os.path.dirname(relative) or ".", source)
                for match in DECLARATION.finditer(source):
                    owner.setdefault(match.group(1), files[relative][0])
    uses = collections.defaultdict(lambda: collections.defaultdict(set))
    for relative, (folder, source) in files.items():
        for name in set(IDENTIFIER.findall(source)):
            other = owner.get(name)
            if other and other != folder:
                uses[folder][other].add(name)
    problems = []
    top = lambda folder: folder.split("/")[0]
    for folder, targets in sorted(uses.items()):
        if top(folder) not in LAYERS:
            problems.append(f"{folder}: not in LAYERS (add it where it belongs)")
            continue
        for target, names in sorted(targets.items()):
            a, b = top(folder), top(target)
            if a != b and b in LAYERS and LAYERS.index(b) > LAYERS.index(a):
                problems.append(f"{folder} uses {target}, a higher layer: {', '.join(sorted(names)[:8])}")
            if a == b and folder < target and folder in uses.get(target, {}):
                problems.append(f"{folder} and {target} use each other: {', '.join(sorted(names)[:5])} / "
                                f"{', '.join(sorted(uses[target][folder])[:5])}")
    for problem in problems:
        print("layering:", problem, file=sys.stderr)
    print(f"layering: {len(files)} files in {len({f for f, _ in files.values()})} folders, "
          f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "Sources", "Shared")))
