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
    /// The rows' bytes. An array, not a ByteBuffer, while rows are built: a field is a few
    /// appends, and ByteBuffer's per-write checks cost a fifth of the decode stage.
    public private(set) var bytes: [UInt8] = []
    public var rows = 0
    public var skipped = 0
    private var fieldsInRow = 0
    /// For a table whose contracts come from a ref() filter, known only once its dependencies are
    /// written: each row's contract and end in `bytes`, and each skipped row's contract, so
    /// `keeping(_:)` can filter them afterwards.
    var tracksContracts = false
    private var rowContracts: [String?] = []
    private var rowEnds: [Int] = []
    private var skippedContracts: [String?] = []

    public init(tracksContracts: Bool = false, format: Format = .postgresCopy) {
        self.tracksContracts = tracksContracts
        self.format = format
    }

    /// The rows as a buffer for COPY or staging (one copy, once per table and range).
    public var buffer: ByteBuffer { ByteBuffer(bytes: bytes) }

    public mutating func field(_ value: String?) {
        if case .jsonLines(let columns) = format {
            jsonField(value, key: columns[fieldsInRow])
            return
        }
        if fieldsInRow > 0 { bytes.append(UInt8(ascii: "\t")) }
        fieldsInRow += 1
        guard var value else {
            bytes.append(UInt8(ascii: "\\"))
            bytes.append(UInt8(ascii: "N"))
            return
        }
        // One scan of the bytes, then one copy: most values need no escape.
        let written = value.withUTF8 { utf8 -> Bool in
            guard Self.plain(utf8) else { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
        if written { return }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\\"), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(Self.escapeLetter(byte))
            default: bytes.append(byte)
            }
        }
    }

    /// The letter after the backslash in COPY text (and JSON) for a byte that needs one.
    static func escapeLetter(_ byte: UInt8) -> UInt8 {
        switch byte {
        case UInt8(ascii: "\t"): UInt8(ascii: "t")
        case UInt8(ascii: "\n"): UInt8(ascii: "n")
        case UInt8(ascii: "\r"): UInt8(ascii: "r")
        default: byte
        }
    }

    /// An integer field, its digits appended straight (COPY text; JSON lines take it as a
    /// string, as every JSON value here is).
    public mutating func field(_ value: Int64?) {
        guard let value, case .postgresCopy = format else {
            field(value.map { String($0) })
            return
        }
        if fieldsInRow > 0 { bytes.append(UInt8(ascii: "\t")) }
        fieldsInRow += 1
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        HexText.appendDecimalDigits(value.magnitude, to: &bytes)
    }

    public mutating func endRow(contract: String? = nil) {
        if case .jsonLines = format {
            if fieldsInRow == 0 { bytes.append(UInt8(ascii: "{")) }
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(UInt8(ascii: "\n"))
        fieldsInRow = 0
        rows += 1
        if tracksContracts {
            rowContracts.append(contract)
            rowEnds.append(bytes.count)
        }
    }

    public mutating func skip(contract: String? = nil) {
        skipped += 1
        if tracksContracts { skippedContracts.append(contract) }
    }

    /// The rows (and skips) whose contract is in `allowed`, in order.
    public func keeping(_ allowed: Set<String>) -> DecodedCopyRows {
        var kept = DecodedCopyRows(format: format)
        var start = 0
        for (contract, end) in zip(rowContracts, rowEnds) {
            if let contract, allowed.contains(contract) {
                kept.bytes.append(contentsOf: bytes[start..<end])
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
        bytes.append(fieldsInRow == 0 ? UInt8(ascii: "{") : UInt8(ascii: ","))
        fieldsInRow += 1
        writeJSONString(key)
        bytes.append(UInt8(ascii: ":"))
        guard let value else {
            bytes.append(contentsOf: Self.null)
            return
        }
        writeJSONString(value)
    }

    private mutating func writeJSONString(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(byte)
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(Self.escapeLetter(byte))
            case 0..<0x20:
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                bytes.append(Self.hexDigits[Int(byte >> 4)])
                bytes.append(Self.hexDigits[Int(byte & 0xf)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
    static let null: [UInt8] = Array("null".utf8)

    /// Whether no byte needs an escape in COPY text (backslash, tab, newline, carriage return:
    /// all below 0x60 and none of the digits, letters or `x` that most values are made of).
    static func plain(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in bytes where byte < 0x20 || byte == UInt8(ascii: "\\") {
            if byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { return false }
        }
        return true
    }
}
