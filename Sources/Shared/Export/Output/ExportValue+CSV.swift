// How a cell reads in CSV, as Python's csv module writes what ethereum-etl hands it.

extension ExportValue {
    /// Whether the cell is empty text in CSV (null, "", or an empty list).
    var isEmptyInCSV: Bool {
        switch self {
        case .null: return true
        case .text(let text), .number(let text): return text.isEmpty
        case .bool: return false
        case .texts(let list): return list.isEmpty || (list.count == 1 && list[0].isEmpty)
        case .numbers(let list): return list.isEmpty
        case .objects(let objects): return objects.isEmpty
        }
    }

    /// Appends the CSV field: null empty, booleans `True`/`False` (Python's `str`), lists joined
    /// with `,` (ethereum-etl's `join_multivalued`), objects as compact JSON (`separators=(',', ':')`)
    /// joined with `,`; then QUOTE_MINIMAL quoting.
    func appendCSV(to buffer: inout [UInt8]) {
        switch self {
        case .null:
            return
        case .number(let text):
            Self.appendCSVText(text, to: &buffer)
        case .bool(let flag):
            buffer.append(contentsOf: (flag ? "True" : "False").utf8)
        case .text(let text):
            Self.appendCSVText(text, to: &buffer)
        case .texts(let list), .numbers(let list):
            var joined: [UInt8] = []
            for (index, item) in list.enumerated() {
                if index > 0 { joined.append(UInt8(ascii: ",")) }
                joined.append(contentsOf: item.utf8)
            }
            Self.appendCSVField(joined, to: &buffer)
        case .objects(let objects):
            var joined: [UInt8] = []
            for (index, object) in objects.enumerated() {
                if index > 0 { joined.append(UInt8(ascii: ",")) }
                Self.appendJSONObject(object, to: &joined, compact: true)
            }
            Self.appendCSVField(joined, to: &buffer)
        }
    }

    /// `appendCSVField` over a string's contiguous UTF-8, the hot path for hashes and numbers.
    static func appendCSVText(_ text: String, to buffer: inout [UInt8]) {
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { bytes in
            if !needsQuotes(bytes) {
                buffer.append(contentsOf: bytes)
            } else {
                appendCSVField(bytes, to: &buffer)
            }
        }
        if done == nil { appendCSVField(Array(text.utf8), to: &buffer) }
    }

    /// Whether the bytes hold `,`, `"`, CR or LF, eight bytes at a time (hashes, addresses and
    /// calldata never do, and they are most of the output).
    static func needsQuotes(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        let raw = UnsafeRawPointer(base)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var index = 0
        while bytes.count - index >= 8 {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            let comma = word ^ (ones &* 0x2C)
            let quote = word ^ (ones &* 0x22)
            let cr = word ^ (ones &* 0x0D)
            let lf = word ^ (ones &* 0x0A)
            let flagged = ((comma &- ones) & ~comma) | ((quote &- ones) & ~quote) | ((cr &- ones) & ~cr) | ((lf &- ones) & ~lf)
            // Borrows can only flag bytes above a real match, so a clean word is truly clean.
            if flagged & highs != 0 { break }
            index += 8
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n") {
                return true
            }
            index += 1
        }
        return false
    }

    /// QUOTE_MINIMAL: quote only a field holding the delimiter, the quote or a line-terminator
    /// character; a quote inside is doubled.
    static func appendCSVField<Bytes: Collection<UInt8>>(_ bytes: Bytes, to buffer: inout [UInt8]) {
        let needsQuotes = bytes.contains { byte in
            byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n")
        }
        guard needsQuotes else {
            buffer.append(contentsOf: bytes)
            return
        }
        buffer.append(UInt8(ascii: "\""))
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { buffer.append(byte) }
            buffer.append(byte)
        }
        buffer.append(UInt8(ascii: "\""))
    }
}
