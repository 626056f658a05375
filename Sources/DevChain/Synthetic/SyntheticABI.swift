// SyntheticABI: a small Solidity ABI encoder for the synthetic chain's event data and call inputs.

/// devchain does not link Shared (its decoder lives there), and only ever encodes values it made
/// itself, so this is the encoding half alone: head/tail layout with offsets for dynamic values,
/// exactly as `abi.encode` (checked against eth-abi in DevChainTests).
enum SyntheticABI {
    /// A value together with enough of its type to lay it out.
    indirect enum Value: Sendable, Equatable {
        /// Any static 32-byte value already in its word form (uintN, intN, address, bool, bytesN).
        case word([UInt8])
        /// `bytes`: dynamic.
        case bytes([UInt8])
        /// `string`: dynamic, UTF-8.
        case string(String)
        /// `T[]`: dynamic, length-prefixed.
        case array([Value])
        /// `T[k]`: static when its elements are.
        case fixedArray([Value])
        /// `(T1,…,Tn)`: static when every member is.
        case tuple([Value])

        var isDynamic: Bool {
            switch self {
            case .word: false
            case .bytes, .string, .array: true
            case .fixedArray(let elements), .tuple(let elements): elements.contains { $0.isDynamic }
            }
        }
    }

    /// `abi.encode(values…)`: the values as one tuple's members.
    static func encode(_ values: [Value]) -> [UInt8] {
        var out: [UInt8] = []
        appendSequence(values, to: &out)
        return out
    }

    /// `selector ++ abi.encode(values…)`: a call's input.
    static func call(_ selector: [UInt8], _ values: [Value]) -> [UInt8] {
        selector + encode(values)
    }

    static func uint(_ value: UInt64) -> Value { .word(word(value)) }
    static func address(_ bytes: [UInt8]) -> Value { .word(SyntheticTransaction.word(bytes)) }
    static func bool(_ flag: Bool) -> Value { .word(word(flag ? 1 : 0)) }
    /// A big-endian unsigned integer of up to 32 bytes.
    static func uint(bytes: [UInt8]) -> Value { .word(SyntheticTransaction.word(bytes)) }

    static func word(_ value: UInt64) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 24)
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
        return out
    }

    /// Heads in order (a static value inline, a dynamic one as the offset of its tail from the
    /// start of this sequence), then the tails.
    private static func appendSequence(_ values: [Value], to out: inout [UInt8]) {
        let start = out.count
        var headSize = 0
        for value in values { headSize += value.isDynamic ? 32 : staticSize(value) }
        var tails: [UInt8] = []
        for value in values {
            if value.isDynamic {
                out.append(contentsOf: word(UInt64(headSize + tails.count)))
                appendValue(value, to: &tails)
            } else {
                appendValue(value, to: &out)
            }
        }
        out.append(contentsOf: tails)
        assert(out.count - start >= headSize)
    }

    private static func staticSize(_ value: Value) -> Int {
        switch value {
        case .word: 32
        case .fixedArray(let elements), .tuple(let elements): elements.reduce(0) { $0 + staticSize($1) }
        case .bytes, .string, .array: 32
        }
    }

    private static func appendValue(_ value: Value, to out: inout [UInt8]) {
        switch value {
        case .word(let bytes):
            out.append(contentsOf: bytes)
        case .bytes(let bytes):
            appendPadded(bytes, to: &out)
        case .string(let text):
            appendPadded(Array(text.utf8), to: &out)
        case .array(let elements):
            out.append(contentsOf: word(UInt64(elements.count)))
            appendSequence(elements, to: &out)
        case .fixedArray(let elements), .tuple(let elements):
            appendSequence(elements, to: &out)
        }
    }

    private static func appendPadded(_ bytes: [UInt8], to out: inout [UInt8]) {
        out.append(contentsOf: word(UInt64(bytes.count)))
        out.append(contentsOf: bytes)
        out.append(contentsOf: [UInt8](repeating: 0, count: (32 - bytes.count % 32) % 32))
    }
}
