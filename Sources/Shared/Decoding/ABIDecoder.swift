// Decoding ABI-encoded bytes (head/tail layout) into values, bounds-checked, never trapping.

/// Reads the standard ABI encoding of a list of types, with ethers.js v5's rules (what
/// ethereum-etl-airflow's UDFs run): `uintN`/`intN` take the low N bits of their word (ethers
/// masks; eth-abi would reject dirty high bits), `bool` is true for any non-zero word, `bytesN`
/// takes the word's first N bytes, an address's 12 high bytes must be zero, strings must be UTF-8.
/// Every offset, length and count is checked against the data before use, so any input either
/// decodes or throws `ABIDecodeError.doesNotFit`.
public struct ABIDecoder {
    let data: [UInt8]
    /// ethers decodes event data loosely: the last dynamic `bytes`/`string` may lack its zero padding.
    let loose: Bool
    /// Work left: every word read costs 32, bytes their length; an honest encoding reads each
    /// word once, so it spends at most its own size. Offsets may legally point at shared tails,
    /// so without a budget a small crafted log could expand into gigabytes.
    var budget: Int

    public init(data: [UInt8], loose: Bool = false) {
        self.data = data
        self.loose = loose
        self.budget = data.count * 4 + 4096
    }

    /// Decodes `types` as one tuple starting at byte 0 (trailing bytes are ignored, as ethers does).
    public static func decode(_ types: [ABIType], from data: [UInt8], loose: Bool = false) throws -> [ABIValue] {
        var decoder = ABIDecoder(data: data, loose: loose)
        var values: [ABIValue] = []
        values.reserveCapacity(types.count)
        var head = 0
        for type in types {
            values.append(try decoder.member(type, base: 0, head: &head))
        }
        return values
    }

    /// Decodes one value of a static type from a single 32-byte word (an indexed topic).
    public static func decodeWord(_ type: ABIType, from word: [UInt8]) throws -> ABIValue {
        guard word.count == 32 else { throw ABIDecodeError.doesNotFit("a topic has \(word.count) bytes, not 32") }
        guard !type.isDynamic, type.headSize == 32 else { throw ABIDecodeError.doesNotFit("\(type.canonical) does not fit one word") }
        var decoder = ABIDecoder(data: word)
        return try decoder.value(type, at: 0)
    }

    /// One member of a tuple whose head starts at `base`; `head` is the member's head position.
    mutating func member(_ type: ABIType, base: Int, head: inout Int) throws -> ABIValue {
        if type.isDynamic {
            let offset = try length(at: head, what: "offset of \(type.canonical)")
            head += 32
            guard offset <= data.count - base else {
                throw ABIDecodeError.doesNotFit("offset \(offset) of \(type.canonical) points past the data (\(data.count) bytes)")
            }
            return try value(type, at: base + offset)
        }
        let value = try value(type, at: head)
        head += type.headSize
        return value
    }

    mutating func value(_ type: ABIType, at position: Int) throws -> ABIValue {
        switch type {
        case .uint(let bits):
            return .uint(try word(at: position).masked(to: bits))
        case .int(let bits):
            let (magnitude, negative) = try word(at: position).signed(bits: bits)
            return .int(magnitude: magnitude, negative: negative)
        case .bool:
            return .bool(!(try word(at: position).isZero))
        case .address:
            let bytes = try slice(at: position, count: 32, what: "address")
            guard bytes.prefix(12).allSatisfy({ $0 == 0 }) else {
                throw ABIDecodeError.doesNotFit("address word at byte \(position) has non-zero high bytes")
            }
            return .address(Array(bytes.suffix(20)))
        case .fixedBytes(let size):
            return .fixedBytes(Array(try slice(at: position, count: 32, what: type.canonical).prefix(size)))
        case .bytes:
            return .bytes(try dynamicBytes(at: position, what: "bytes"))
        case .string:
            let bytes = try dynamicBytes(at: position, what: "string")
            guard var text = String(validating: bytes, as: UTF8.self) else {
                throw ABIDecodeError.doesNotFit("string at byte \(position) is not UTF-8")
            }
            if text.utf8.contains(0) { text.removeAll { $0 == "\u{0}" } }
            return .string(text)
        case .array(let element, let fixed):
            var start = position
            let count: Int
            if let fixed {
                count = fixed
            } else {
                count = try length(at: position, what: "length of \(type.canonical)")
                start = position + 32
                guard count <= (data.count - start) / element.headSize else {
                    throw ABIDecodeError.doesNotFit("\(type.canonical) of \(count) elements does not fit the data (\(data.count) bytes)")
                }
            }
            var elements: [ABIValue] = []
            // A fixed length comes from the type, not the data: reserve no more than the data can hold.
            elements.reserveCapacity(min(count, (data.count - min(start, data.count)) / 32 + 1))
            var head = start
            for _ in 0..<count { elements.append(try member(element, base: start, head: &head)) }
            return .array(elements)
        case .tuple(let components):
            var members: [ABINamedValue] = []
            members.reserveCapacity(components.count)
            var head = position
            for component in components {
                members.append(ABINamedValue(name: component.name, value: try member(component.type, base: position, head: &head)))
            }
            return .tuple(members)
        }
    }

    mutating func spend(_ cost: Int) throws {
        budget -= cost
        guard budget >= 0 else {
            throw ABIDecodeError.doesNotFit("decoded values far exceed the data's size (overlapping offsets)")
        }
    }

    /// The `count` bytes at `position` (a slice: its indices are positions in `data`). `what`
    /// names the value in errors; it is built only on failure (type texts are long).
    mutating func slice(at position: Int, count: Int, what: @autoclosure () -> String) throws -> ArraySlice<UInt8> {
        guard position >= 0, count <= data.count, position <= data.count - count else {
            throw ABIDecodeError.doesNotFit("\(what()) at byte \(position) runs past the data (\(data.count) bytes)")
        }
        try spend(32)
        return data[position..<(position + count)]
    }

    mutating func word(at position: Int) throws -> ABIWord {
        _ = try slice(at: position, count: 32, what: "word")
        return ABIWord(data, at: position)
    }

    /// A word used as an offset, length or count: it must fit the data at all to be meaningful.
    mutating func length(at position: Int, what: @autoclosure () -> String) throws -> Int {
        let value = try word(at: position)
        guard let small = value.uint64, small <= UInt64(data.count) else {
            throw ABIDecodeError.doesNotFit("\(what()) at byte \(position) is \(value.decimalText), beyond the data (\(data.count) bytes)")
        }
        return Int(small)
    }

    /// A length word, then that many bytes, zero-padded to a multiple of 32 (padding not checked,
    /// as ethers; its presence is required unless `loose`).
    mutating func dynamicBytes(at position: Int, what: String) throws -> [UInt8] {
        let count = try length(at: position, what: "length of \(what)")
        let start = position + 32
        let padded = (count + 31) / 32 * 32
        let needed = loose ? count : padded
        guard needed <= data.count - start else {
            throw ABIDecodeError.doesNotFit("\(what) of \(count) bytes at byte \(position) runs past the data (\(data.count) bytes)")
        }
        try spend(count)
        return Array(data[start..<(start + count)])
    }
}
