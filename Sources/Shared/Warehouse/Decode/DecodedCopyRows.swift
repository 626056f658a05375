// The rows one decoded table gets from a range, as Postgres COPY text or JSON lines for
// Redshift's COPY, built while decoding.

import NIOCore

/// Postgres: COPY text format (tab-separated, `\N` for NULL, backslash escapes): decoded values
/// may hold any character but NUL (the decoder drops it), so tab, newline, carriage return and
/// backslash are escaped. Redshift: one JSON object per line, every value a JSON string (or
/// null) keyed by its column, as `COPY … FORMAT AS JSON 'auto ignorecase'` reads into a staging
/// table of VARCHAR columns. Why JSON and not CSV for Redshift: CSV cannot tell an empty string
/// from NULL without EMPTYASNULL/NULL AS rules that differ by column type; JSON's null can.
public struct DecodedCopyRows: Sendable {
    public enum Format: Sendable {
        case postgresCopy
        /// The column names, in order: the `n`-th field of a row is the `n`-th key.
        case jsonLines([String])
    }

    public var format: Format = .postgresCopy
    public var buffer = ByteBuffer()
    public var rows = 0
    public var skipped = 0
    private var fieldsInRow = 0
    /// For a table whose contracts come from a ref() filter, known only once its dependencies are
    /// written: each row's contract and end in `buffer`, and each skipped row's contract, so
    /// `keeping(_:)` can filter them afterwards.
    var tracksContracts = false
    private var rowContracts: [String?] = []
    private var rowEnds: [Int] = []
    private var skippedContracts: [String?] = []

    public init(tracksContracts: Bool = false, format: Format = .postgresCopy) {
        self.tracksContracts = tracksContracts
        self.format = format
    }

    public mutating func field(_ value: String?) {
        if case .jsonLines(let columns) = format {
            jsonField(value, key: columns[fieldsInRow])
            return
        }
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

    public mutating func field(_ value: Int64?) {
        field(value.map { String($0) })
    }

    public mutating func endRow(contract: String? = nil) {
        if case .jsonLines = format {
            buffer.writeStaticString(fieldsInRow == 0 ? "{}" : "}")
        }
        buffer.writeInteger(UInt8(ascii: "\n"))
        fieldsInRow = 0
        rows += 1
        if tracksContracts {
            rowContracts.append(contract)
            rowEnds.append(buffer.writerIndex)
        }
    }

    public mutating func skip(contract: String? = nil) {
        skipped += 1
        if tracksContracts { skippedContracts.append(contract) }
    }

    /// The rows (and skips) whose contract is in `allowed`, in order.
    public func keeping(_ allowed: Set<String>) -> DecodedCopyRows {
        var kept = DecodedCopyRows(format: format)
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

    /// `{"key":"value"` (or `,"key":null`): JSON-escaped (quote, backslash, control characters);
    /// other UTF-8 passes as it is.
    private mutating func jsonField(_ value: String?, key: String) {
        buffer.writeStaticString(fieldsInRow == 0 ? "{" : ",")
        fieldsInRow += 1
        writeJSONString(key)
        buffer.writeInteger(UInt8(ascii: ":"))
        guard let value else {
            buffer.writeStaticString("null")
            return
        }
        writeJSONString(value)
    }

    private mutating func writeJSONString(_ text: String) {
        buffer.writeInteger(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): buffer.writeStaticString("\\\"")
            case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
            case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
            case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
            case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
            case 0..<0x20:
                buffer.writeStaticString("\\u00")
                buffer.writeInteger(Self.hexDigits[Int(byte >> 4)])
                buffer.writeInteger(Self.hexDigits[Int(byte & 0xf)])
            default: buffer.writeInteger(byte)
            }
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    static func plain(_ bytes: some Sequence<UInt8>) -> Bool {
        for byte in bytes where byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
            return false
        }
        return true
    }
}
