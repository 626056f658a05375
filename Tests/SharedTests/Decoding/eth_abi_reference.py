"""Reference cases for the ABI differential test: seeded random types and values encoded by eth-abi.

Usage: python eth_abi_reference.py SEED COUNT
Writes one JSON object to stdout:
  {"values": [{"types", "data", "expected"}...],   # eth_abi.encode of random values
   "events": [{"name", "types", "indexed", "topics", "data", "expected"}...],
   "calls": [{"name", "types", "input", "selector", "expected"}...],
   "hashes": [{"input", "keccak"}...]}               # eth_hash keccak of random bytes and signatures
`expected` holds the values normalised to BlockFleet's text rules: addresses lower-case 0x-hex,
integers as decimal strings, bools as JSON booleans, bytes as 0x-hex, strings with NULs removed,
arrays as lists, tuples as objects keyed by component index ("0", "1", ...).
"""
import json
import random
import sys

import eth_abi
from eth_hash.auto import keccak


def random_type(rng, depth=0):
    roll = rng.random()
    if depth < 3 and roll < 0.12:
        return "(" + ",".join(random_type(rng, depth + 1) for _ in range(rng.randint(1, 4))) + ")"
    if depth < 3 and roll < 0.30:
        inner = random_type(rng, depth + 1)
        return inner + ("[]" if rng.random() < 0.6 else "[%d]" % rng.randint(1, 3))
    kind = rng.choice(["uint", "int", "address", "bool", "bytesN", "bytes", "string"])
    if kind in ("uint", "int"):
        return kind + str(rng.choice([8, 16, 24, 32, 64, 112, 128, 160, 248, 256, 8 * rng.randint(1, 32)]))
    if kind == "bytesN":
        return "bytes" + str(rng.choice([1, 4, 20, 31, 32, rng.randint(1, 32)]))
    return kind


def split_tuple(text):
    """Members of a tuple text '(a,b,(c,d)[])' at depth 0."""
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


def array_suffix(text):
    """(element type, length or None) when text is an array type, else None."""
    if not text.endswith("]"):
        return None
    open_at = text.rindex("[")
    digits = text[open_at + 1:-1]
    return text[:open_at], (int(digits) if digits else None)


def random_bytes(rng, n):
    return bytes(rng.getrandbits(8) for _ in range(n))


def random_text(rng):
    length = rng.choice([0, 1, 5, 31, 32, 33, rng.randint(0, 80), 300])
    alphabet = "abcXYZ019 _-\"\\\n\t\x00\x01\x1féü€中文🙂"
    return "".join(rng.choice(alphabet) for _ in range(length))


def random_value(rng, text):
    """(value for eth_abi.encode, normalised expectation)."""
    arr = array_suffix(text)
    if arr:
        element, length = arr
        count = length if length is not None else rng.choice([0, 1, 2, 3, rng.randint(0, 6)])
        pairs = [random_value(rng, element) for _ in range(count)]
        return [p[0] for p in pairs], [p[1] for p in pairs]
    if text.startswith("("):
        pairs = [random_value(rng, member) for member in split_tuple(text)]
        return tuple(p[0] for p in pairs), {str(i): p[1] for i, p in enumerate(pairs)}
    if text.startswith("uint"):
        bits = int(text[4:])
        value = rng.choice([0, 1, 2 ** bits - 1, 2 ** (bits - 1), rng.getrandbits(bits), rng.getrandbits(rng.randint(1, bits))])
        return value, str(value)
    if text.startswith("int"):
        bits = int(text[3:])
        low, high = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
        value = rng.choice([0, -1, 1, low, high, low + 1, rng.randint(low, high)])
        return value, str(value)
    if text == "address":
        raw = random_bytes(rng, 20) if rng.random() < 0.9 else bytes(20)
        address = "0x" + raw.hex()
        return address, address
    if text == "bool":
        flag = rng.random() < 0.5
        return flag, flag
    if text == "bytes":
        raw = random_bytes(rng, rng.choice([0, 1, 31, 32, 33, 64, rng.randint(0, 200), 2000]))
        return raw, "0x" + raw.hex()
    if text.startswith("bytes"):
        raw = random_bytes(rng, int(text[5:]))
        return raw, "0x" + raw.hex()
    if text == "string":
        value = random_text(rng)
        return value, value.replace("\x00", "")
    raise ValueError(text)


def normalise(text, value):
    """The expectation for a value given explicitly (the edge cases)."""
    arr = array_suffix(text)
    if arr:
        return [normalise(arr[0], v) for v in value]
    if text.startswith("("):
        return {str(i): normalise(t, v) for i, (t, v) in enumerate(zip(split_tuple(text), value))}
    if text.startswith("uint") or text.startswith("int"):
        return str(value)
    if text == "bool":
        return value
    if text == "address":
        return value.lower()
    if text.startswith("bytes"):
        return "0x" + bytes(value).hex()
    return value.replace("\x00", "")


def hashed_when_indexed(text):
    return text in ("bytes", "string") or text.startswith("(") or text.endswith("]")


def main():
    seed, count = int(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(seed)
    out = {"values": [], "events": [], "calls": [], "hashes": []}
    # Edge cases first, whatever the seed: extremes, empty and long dynamic values, nested arrays of tuples.
    long_text = "".join(rng.choice("ab€🙂") for _ in range(3000))
    edges = [
        (["uint256", "uint256", "uint8"], [0, 2 ** 256 - 1, 255]),
        (["int256", "int256", "int8", "int8", "int24"], [-(2 ** 255), 2 ** 255 - 1, -128, 127, -1]),
        (["bytes", "string", "bytes", "string"], [b"", "", random_bytes(rng, 5000), long_text]),
        (["(uint256,string)[]", "(address,(bytes,int16)[])[2][]"],
         [[(1, "x"), (2 ** 256 - 1, "")],
          [[("0x" + "11" * 20, [(b"", -(2 ** 15)), (b"\x01" * 33, 2 ** 15 - 1)]), ("0x" + "22" * 20, [])]]]),
        (["uint256[][]", "string[2]", "bytes32[]"], [[[], [0, 1]], ["", "z"], []]),
    ]
    for types, values in edges:
        data = eth_abi.encode(types, values)
        out["values"].append({"types": types, "data": "0x" + data.hex(), "expected": [normalise(t, v) for t, v in zip(types, values)]})
    for _ in range(count):
        types = [random_type(rng) for _ in range(rng.randint(1, 5))]
        pairs = [random_value(rng, t) for t in types]
        data = eth_abi.encode(types, [p[0] for p in pairs])
        out["values"].append({"types": types, "data": "0x" + data.hex(), "expected": [p[1] for p in pairs]})

    for i in range(count):
        types = [random_type(rng) for _ in range(rng.randint(0, 5))]
        pairs = [random_value(rng, t) for t in types]
        indexed_positions = set(rng.sample(range(len(types)), min(len(types), rng.randint(0, 3))))
        name = "Event%d" % i
        signature = name + "(" + ",".join(types) + ")"
        topics = ["0x" + keccak(signature.encode()).hex()]
        expected, data_types, data_values, flags = [], [], [], []
        for position, (t, (value, norm)) in enumerate(zip(types, pairs)):
            if position in indexed_positions:
                flags.append(True)
                if hashed_when_indexed(t):
                    topic = "0x" + keccak(eth_abi.encode([t], [value])).hex()
                    expected.append(topic)
                else:
                    topic = "0x" + eth_abi.encode([t], [value]).hex()
                    expected.append(norm)
                topics.append(topic)
            else:
                flags.append(False)
                data_types.append(t)
                data_values.append(value)
                expected.append(norm)
        data = eth_abi.encode(data_types, data_values)
        out["events"].append({"name": name, "types": types, "indexed": flags, "topics": topics, "data": "0x" + data.hex(), "expected": expected})

    for i in range(count):
        types = [random_type(rng) for _ in range(rng.randint(0, 5))]
        pairs = [random_value(rng, t) for t in types]
        name = "call_%d" % i
        selector = keccak((name + "(" + ",".join(types) + ")").encode())[:4]
        data = selector + eth_abi.encode(types, [p[0] for p in pairs])
        out["calls"].append({"name": name, "types": types, "input": "0x" + data.hex(), "selector": "0x" + selector.hex(), "expected": [p[1] for p in pairs]})

    for _ in range(count):
        raw = random_bytes(rng, rng.choice([0, 1, 135, 136, 137, 272, rng.randint(0, 600)]))
        out["hashes"].append({"input": "0x" + raw.hex(), "keccak": "0x" + keccak(raw).hex()})
        signature = "f%d(%s)" % (rng.randint(0, 10 ** 6), ",".join(random_type(rng) for _ in range(rng.randint(0, 6))))
        out["hashes"].append({"input": "0x" + signature.encode().hex(), "keccak": "0x" + keccak(signature.encode()).hex()})

    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
