"""eth-abi's judgement of devchain's ABI encoding (SyntheticABI and the synthetic chain's logs and inputs).

Usage: python eth_abi_encode_check.py < cases.json
Input: a JSON list of {"types": [...], "values": [...] or null, "data": "0x…"}.
  With values: eth_abi.encode(types, values) must equal data (values given as JSON: integers as
  decimal strings, addresses / bytes / bytesN as 0x-hex, bools as JSON booleans, strings as
  strings, arrays as lists, tuples as lists).
  Without: eth_abi.decode(types, data) must succeed and re-encode to data byte for byte
  (devchain's encoding is the canonical one).
Output: a JSON list of the failures, each {"index", "reason"}; [] when all agree.
"""
import json
import sys

import eth_abi


def split_tuple(text):
    inner, parts, depth, start = text[1:-1], [], 0, 0
    for i, ch in enumerate(inner):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(inner[start:i])
            start = i + 1
    parts.append(inner[start:])
    return parts


def convert(text, value):
    if text.endswith("]"):
        element = text[:text.rindex("[")]
        return [convert(element, v) for v in value]
    if text.startswith("("):
        return tuple(convert(t, v) for t, v in zip(split_tuple(text), value))
    if text.startswith("uint") or text.startswith("int"):
        return int(value, 0) if isinstance(value, str) else int(value)
    if text == "bool":
        return bool(value)
    if text == "address":
        return value
    if text.startswith("bytes"):
        return bytes.fromhex(value[2:])
    return value


def main():
    failures = []
    for index, case in enumerate(json.load(sys.stdin)):
        types, data = case["types"], bytes.fromhex(case["data"][2:])
        try:
            if case.get("values") is not None:
                expected = eth_abi.encode(types, [convert(t, v) for t, v in zip(types, case["values"])])
                if expected != data:
                    failures.append({"index": index, "reason": "eth-abi encodes 0x%s" % expected.hex()})
            else:
                decoded = eth_abi.decode(types, data)
                if eth_abi.encode(types, list(decoded)) != data:
                    failures.append({"index": index, "reason": "not the canonical encoding of what it decodes to"})
        except Exception as error:  # noqa: BLE001 - every failure is reported, with its reason
            failures.append({"index": index, "reason": "%s: %s" % (type(error).__name__, error)})
    json.dump(failures, sys.stdout)


if __name__ == "__main__":
    main()
