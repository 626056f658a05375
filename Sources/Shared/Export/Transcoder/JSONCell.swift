// One JSON-lines value from a span of response bytes, as JSONLinesRowWriter writes it.

import Foundation

/// Each function writes what `RowBuilder` + `ExportValue.appendJSON` write for the same value.
/// Spans the transcoder accepts are plain ASCII without escapes, so a string is its bytes in
/// quotes; DEL, which Python's `ensure_ascii` escapes, goes through `appendJSONString`.
enum JSONCell {
    typealias Declined = CSVTranscoder.Declined

    @inline(__always)
    static func null(_ out: inout [UInt8]) {
        out.append(contentsOf: [UInt8(ascii: "n"), UInt8(ascii: "u"), UInt8(ascii: "l"), UInt8(ascii: "l")])
    }

    /// `RowBuilder.text`: the string in quotes; null is `null`.
    @inline(__always)
    static func text(_ span: JSONSpan, in base: UnsafePointer<UInt8>, to out: inout [UInt8]) {
        guard !span.isNull else { return null(&out) }
        quoted(span.bytes(in: base), to: &out)
    }

    /// A plain string in quotes.
    @inline(__always)
    static func quoted(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        if let start = bytes.baseAddress, memchr(start, 0x7F, bytes.count) != nil {
            return ExportValue.appendJSONString(String(decoding: bytes, as: UTF8.self), to: &out)
        }
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: bytes)
        out.append(UInt8(ascii: "\""))
    }

    /// `RowBuilder.address`: lower-cased, in quotes; null is `null`.
    @inline(__always)
    static func address(_ span: JSONSpan, in base: UnsafePointer<UInt8>, to out: inout [UInt8]) {
        guard !span.isNull else { return null(&out) }
        let bytes = span.bytes(in: base)
        if let start = bytes.baseAddress, memchr(start, 0x7F, bytes.count) != nil {
            return ExportValue.appendJSONString(String(decoding: bytes, as: UTF8.self).asciiLowercased, to: &out)
        }
        out.append(UInt8(ascii: "\""))
        CSVCell.lowercased(bytes, prefix: false, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// `RowBuilder.quantity`: a bare decimal number; null is `null`, malformed hex declines.
    @inline(__always)
    static func quantity(_ span: JSONSpan, in base: UnsafePointer<UInt8>, to out: inout [UInt8]) throws(Declined) {
        guard !span.isNull else { return null(&out) }
        guard HexText.appendDecimal(span.bytes(in: base), to: &out) else { throw Declined("a quantity is not hex") }
    }

    /// `RowBuilder.texts`: an array of strings with Python's `, ` separator; null is `null`.
    static func list(_ span: JSONSpan, items: [JSONSpan], in base: UnsafePointer<UInt8>, to out: inout [UInt8]) {
        guard !span.isNull else { return null(&out) }
        out.append(UInt8(ascii: "["))
        for index in span.items {
            if index > span.items.lowerBound {
                out.append(UInt8(ascii: ","))
                out.append(UInt8(ascii: " "))
            }
            quoted(items[index].bytes(in: base), to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// Each column's key with what comes before it: `{"name": ` for the first, `, "name": ` after.
    static func keys(_ columns: EntityColumns) -> [[UInt8]] {
        columns.names.enumerated().map { index, name in
            var key: [UInt8] = index == 0 ? [UInt8(ascii: "{")] : [UInt8(ascii: ","), UInt8(ascii: " ")]
            ExportValue.appendJSONString(name, to: &key)
            key.append(UInt8(ascii: ":"))
            key.append(UInt8(ascii: " "))
            return key
        }
    }

    @inline(__always)
    static func endRow(_ out: inout [UInt8]) {
        out.append(UInt8(ascii: "}"))
        out.append(UInt8(ascii: "\n"))
    }
}
