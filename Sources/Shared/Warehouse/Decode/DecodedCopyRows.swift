// The rows one decoded table gets from a range, as Postgres COPY text, built while decoding.

import NIOCore

/// COPY text format (tab-separated, `\N` for NULL, backslash escapes): decoded values may hold
/// any character but NUL (the decoder drops it), so tab, newline, carriage return and backslash
/// are escaped.
struct DecodedCopyRows {
    var buffer = ByteBuffer()
    var rows = 0
    var skipped = 0
    private var fieldsInRow = 0
    /// For a table whose contracts come from a ref() filter, known only once its dependencies are
    /// written: each row's contract and end in `buffer`, and each skipped row's contract, so
    /// `keeping(_:)` can filter them afterwards.
    var tracksContracts = false
    private var rowContracts: [String?] = []
    private var rowEnds: [Int] = []
    private var skippedContracts: [String?] = []

    init(tracksContracts: Bool = false) {
        self.tracksContracts = tracksContracts
    }

    mutating func field(_ value: String?) {
        if fieldsInRow > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
        fieldsInRow += 1
        guard let value else {
            buffer.writeStaticString("\\N")
            return
        }
        let utf8 = value.utf8
        if utf8.withContiguousStorageIfAvailable({ Self.plain($0) }) ?? Self.plain(utf8) {
            buffer.writeString(value)
            return
        }
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
            case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
            case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
            case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
            default: buffer.writeInteger(byte)
            }
        }
    }

    mutating func field(_ value: Int64?) {
        field(value.map { String($0) })
    }

    mutating func endRow(contract: String? = nil) {
        buffer.writeInteger(UInt8(ascii: "\n"))
        fieldsInRow = 0
        rows += 1
        if tracksContracts {
            rowContracts.append(contract)
            rowEnds.append(buffer.writerIndex)
        }
    }

    mutating func skip(contract: String? = nil) {
        skipped += 1
        if tracksContracts { skippedContracts.append(contract) }
    }

    /// The rows (and skips) whose contract is in `allowed`, in order.
    func keeping(_ allowed: Set<String>) -> DecodedCopyRows {
        var kept = DecodedCopyRows()
        var start = buffer.readerIndex
        for (contract, end) in zip(rowContracts, rowEnds) {
            if let contract, allowed.contains(contract), let slice = buffer.getSlice(at: start, length: end - start) {
                kept.buffer.writeImmutableBuffer(slice)
                kept.rows += 1
            }
            start = end
        }
        kept.skipped = skippedContracts.count { $0.map(allowed.contains) ?? false }
        return kept
    }

    static func plain(_ bytes: some Sequence<UInt8>) -> Bool {
        for byte in bytes where byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
            return false
        }
        return true
    }
}
