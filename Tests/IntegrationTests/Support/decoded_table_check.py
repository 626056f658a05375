"""An independent decoding (eth-abi) of a decoded table's raw logs or traces, compared with its rows.

Usage: python decoded_table_check.py < case.json
Input: {"abi": the definition's ABI entry, "type": "log" | "trace",
        "contracts": null or a list of lower-case addresses,
        "raw": logs [{"block", "index", "address", "topics": [...], "data"}] or
               traces [{"transaction_hash", "trace_address", "to_address", "input"}],
        "stored": the table's rows as JSON objects (Postgres row_to_json)}
A log matches when topic 0 is keccak(signature) (a trace when its input starts with the selector)
and its contract is in `contracts`; it decodes when it has exactly one topic per indexed input and
eth-abi decodes the data (the input after the selector) as the other inputs. Values are
normalised as ethereum-etl-airflow writes them: addresses lower-case, integers in decimal, bytes
0x-hex, bools, strings; tuples as objects keyed by component name (index when unnamed), arrays as
lists; indexed dynamic values as their topic.
Output: {"matching", "decoded", "skipped", "stored", "missing", "unexpected", "mismatched", "rows"}:
"missing"/"unexpected" list keys decoded here but not stored and stored but not decoded here,
"mismatched" the first differing values, "rows" every decoded row (key and values).
"""
import json
import sys

import eth_abi
from eth_hash.auto import keccak


def canonical(parameter):
    kind = parameter["type"]
    if kind.startswith("tuple"):
        return "(" + ",".join(canonical(c) for c in parameter["components"]) + ")" + kind[5:]
    return kind


def normalise(parameter, value, kind=None):
    kind = kind or parameter["type"]
    if kind.endswith("]"):
        element = kind[:kind.rindex("[")]
        return [normalise(parameter, v, element) for v in value]
    if kind.startswith("tuple"):
        return {(c.get("name") or str(i)): normalise(c, v) for i, (c, v) in enumerate(zip(parameter["components"], value))}
    if kind.startswith("uint") or kind.startswith("int"):
        return str(value)
    if kind == "bool":
        return bool(value)
    if kind == "address":
        return value.lower()
    if kind.startswith("bytes"):
        return "0x" + bytes(value).hex()
    if kind == "string":
        return value.replace("\x00", "")
    raise ValueError(kind)


def hashed_when_indexed(parameter):
    kind = parameter["type"]
    return kind in ("bytes", "string") or kind.startswith("tuple") or kind.endswith("]")


def decode_log(inputs, topics, data):
    indexed = [p for p in inputs if p.get("indexed")]
    if len(topics) != 1 + len(indexed):
        return None
    plain = [p for p in inputs if not p.get("indexed")]
    try:
        values = list(eth_abi.decode([canonical(p) for p in plain], data))
    except Exception:  # noqa: BLE001 - a log that does not fit is skipped, as the stage does
        return None
    out, topic_at = {}, 1
    for position, parameter in enumerate(inputs):
        name = parameter.get("name") or str(position)
        if parameter.get("indexed"):
            topic = bytes.fromhex(topics[topic_at][2:])
            topic_at += 1
            if hashed_when_indexed(parameter):
                out[name] = "0x" + topic.hex()
            else:
                try:
                    (value,) = eth_abi.decode([canonical(parameter)], topic)
                except Exception:  # noqa: BLE001
                    return None
                out[name] = normalise(parameter, value)
        else:
            out[name] = normalise(parameter, values.pop(0))
    return out


def decode_call(inputs, data):
    try:
        values = eth_abi.decode([canonical(p) for p in inputs], data)
    except Exception:  # noqa: BLE001
        return None
    return {(p.get("name") or str(i)): normalise(p, v) for i, (p, v) in enumerate(zip(inputs, values))}


def same(expected, stored):
    if isinstance(expected, (dict, list)):
        if isinstance(stored, str):
            stored = json.loads(stored)
        return expected == stored
    if isinstance(expected, bool):
        return stored in (expected, str(expected).lower())
    return str(stored) == expected


def main():
    case = json.load(sys.stdin)
    abi, contracts = case["abi"], case["contracts"]
    inputs = abi.get("inputs", [])
    signature = abi["name"] + "(" + ",".join(canonical(p) for p in inputs) + ")"
    digest = keccak(signature.encode())
    decoded, matching, skipped = {}, 0, 0
    for raw in case["raw"]:
        if case["type"] == "log":
            if not raw["topics"] or raw["topics"][0].lower() != "0x" + digest.hex():
                continue
            if contracts is not None and raw["address"].lower() not in contracts:
                continue
            key = "%d/%d" % (raw["block"], raw["index"])
            values = decode_log(inputs, raw["topics"], bytes.fromhex(raw["data"][2:]))
        else:
            data = bytes.fromhex((raw["input"] or "0x")[2:])
            if data[:4] != digest[:4]:
                continue
            if contracts is not None and (raw["to_address"] or "").lower() not in contracts:
                continue
            key = "%s/%s" % (raw["transaction_hash"], raw["trace_address"] or "")
            values = decode_call(inputs, data[4:])
        matching += 1
        if values is None:
            skipped += 1
        else:
            decoded[key] = values
    stored = {}
    for row in case["stored"]:
        if case["type"] == "log":
            key = "%d/%d" % (row["block_number"], row["log_index"])
        else:
            key = "%s/%s" % (row["transaction_hash"], row["trace_address"] or "")
        stored[key] = row
    mismatched = []
    for key in sorted(set(decoded) & set(stored)):
        for name, value in decoded[key].items():
            if not same(value, stored[key].get(name)):
                mismatched.append({"key": key, "field": name, "eth_abi": json.dumps(value), "stored": json.dumps(stored[key].get(name))})
    json.dump({
        "matching": matching, "decoded": len(decoded), "skipped": skipped, "stored": len(stored),
        "missing": sorted(set(decoded) - set(stored))[:10], "unexpected": sorted(set(stored) - set(decoded))[:10],
        "mismatched": mismatched[:10], "rows": [{"key": k, "values": v} for k, v in sorted(decoded.items())],
    }, sys.stdout)


if __name__ == "__main__":
    main()
