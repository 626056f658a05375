// One CSV cell from a span of response bytes, in the text the mappers and CSVRowWriter give it.

/// Each function writes what `RowBuilder` + `ExportValue.appendCSV` write for the same value,
/// with the same QUOTE_MINIMAL quoting, but from bytes in place. A value the decoding path would
/// reject (malformed hex) declines instead, so that path reports it.
enum CSVCell {
    typealias Declined = CSVTranscoder.Declined

    /// `RowBuilder.text`: passed through; null is empty.
    @inline(__always)
    static func text(_ span: JSONSpan, in base: UnsafePointer<UInt8>, to out: inout [UInt8]) {
        guard !span.isNull else { return }
        let bytes = span.bytes(in: base)
        if span.hasComma {
            ExportValue.appendCSVField(bytes, to: &out)
        } else {
            out.append(contentsOf: bytes)
        }
    }

    /// `RowBuilder.address`: lower-cased ASCII; null is empty.
    @inline(__always)
    static func address(_ span: JSONSpan, in base: UnsafePointer<UInt8>, to out: inout [UInt8]) {
        guard !span.isNull else { return }
        lowercased(span.bytes(in: base), prefix: false, to: &out)
        if span.hasComma { quote(from: out.count - Int(span.count), in: &out) }
    }

    /// `RowBuilder.quantity`: decimal text of hex; null is empty, malformed hex declines.
    @inline(__always)
    static func quantity(_ span: JSONSpan, in base: UnsafePointer<UInt8>, to out: inout [UInt8]) throws(Declined) {
        guard !span.isNull else { return }
        guard HexText.appendDecimal(span.bytes(in: base), to: &out) else { throw Declined("a quantity is not hex") }
    }

    /// `RowBuilder.texts`: the items joined with `,`, quoted when that needs it; null is empty.
    static func list(_ span: JSONSpan, items: [JSONSpan], in base: UnsafePointer<UInt8>, to out: inout [UInt8]) {
        guard !span.isNull, span.count > 0 else { return }
        // Plain strings hold no quote or line break, so only a comma (a second item, or one in
        // an item) calls for quoting, and there is nothing to double.
        let range = span.items
        let quoted = range.count > 1 || items[range.lowerBound].hasComma
        if quoted { out.append(UInt8(ascii: "\"")) }
        for index in range {
            if index > range.lowerBound { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: items[index].bytes(in: base))
        }
        if quoted { out.append(UInt8(ascii: "\"")) }
    }

    /// Any other value, through `ExportValue` (rare cells: withdrawals, float scalars).
    static func value(_ value: ExportValue, to out: inout [UInt8]) {
        value.appendCSV(to: &out)
    }

    /// `bytes` lower-cased (after `0x` when `prefix`); the caller quotes the cell if it needs it.
    static func lowercased(_ bytes: UnsafeBufferPointer<UInt8>, prefix: Bool, to out: inout [UInt8]) {
        if prefix {
            out.append(UInt8(ascii: "0"))
            out.append(UInt8(ascii: "x"))
        }
        let start = out.count
        out.append(contentsOf: bytes)
        // Nodes send lower-case hex: look before writing.
        guard bytes.contains(where: { $0 != $0.asciiLowercased }) else { return }
        out.withUnsafeMutableBufferPointer { buffer in
            for index in start..<buffer.count { buffer[index] = buffer[index].asciiLowercased }
        }
    }

    /// Re-writes the cell from `start` to the end with QUOTE_MINIMAL quoting (a rare path).
    static func quote(from start: Int, in out: inout [UInt8]) {
        let cell = Array(out[start...])
        out.removeSubrange(start...)
        ExportValue.appendCSVField(cell, to: &out)
    }

    @inline(__always)
    static func separator(_ out: inout [UInt8]) {
        out.append(UInt8(ascii: ","))
    }

    @inline(__always)
    static func endRow(_ out: inout [UInt8]) {
        out.append(UInt8(ascii: "\r"))
        out.append(UInt8(ascii: "\n"))
    }
}
