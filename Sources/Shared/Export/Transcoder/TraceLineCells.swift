// The cells of one trace row, in CSV or as a JSON line, written from values or from spans.

/// The cells of one CSV row or JSON line, each written as `ExportValue.appendCSV` or
/// `appendJSON(compact: false)` writes the value the mapper would give it.
struct TraceLineCells {
    let keys: [[UInt8]]?
    var column = 0

    @inline(__always)
    mutating func next(_ out: inout [UInt8]) {
        if let keys {
            out.append(contentsOf: keys[column])
        } else if column > 0 {
            out.append(UInt8(ascii: ","))
        }
        column += 1
    }

    @inline(__always)
    func null(_ out: inout [UInt8]) {
        if keys != nil { JSONCell.null(&out) }
    }

    /// `.text(value)`, or `.null`.
    mutating func text(_ value: String?, _ out: inout [UInt8]) {
        next(&out)
        guard let value else { return null(&out) }
        if keys != nil {
            ExportValue.appendJSONString(value, to: &out)
        } else {
            ExportValue.appendCSVText(value, to: &out)
        }
    }

    /// `.number(value)`, or `.null`: bare in JSON.
    mutating func number(_ value: String?, _ out: inout [UInt8]) {
        next(&out)
        guard let value else { return null(&out) }
        if keys != nil {
            out.append(contentsOf: value.utf8)
        } else {
            ExportValue.appendCSVText(value, to: &out)
        }
    }

    /// `.number(String(value))`, or `.null`: digits need no quoting in either format.
    mutating func unsigned(_ value: UInt64?, _ out: inout [UInt8]) {
        next(&out)
        guard let value else { return null(&out) }
        HexText.appendDecimalDigits(value, to: &out)
    }

    /// `.number(String(value))`, or `.null`.
    mutating func integer(_ value: Int?, _ out: inout [UInt8]) {
        next(&out)
        guard let value else { return null(&out) }
        Self.appendInteger(value, to: &out)
    }

    /// `.numbers(values.map(String.init))`, or `.null`: `1,0` (quoted, as it holds a comma) in
    /// CSV, `[1, 0]` in JSON.
    mutating func integers<Values: Collection<Int>>(_ values: Values?, _ out: inout [UInt8]) {
        next(&out)
        guard let values else { return null(&out) }
        if keys != nil {
            out.append(UInt8(ascii: "["))
            for (position, value) in values.enumerated() {
                if position > 0 {
                    out.append(UInt8(ascii: ","))
                    out.append(UInt8(ascii: " "))
                }
                Self.appendInteger(value, to: &out)
            }
            out.append(UInt8(ascii: "]"))
            return
        }
        // Decimal digits and `-` hold nothing to double: only the commas call for quotes.
        if values.count > 1 { out.append(UInt8(ascii: "\"")) }
        for (position, value) in values.enumerated() {
            if position > 0 { out.append(UInt8(ascii: ",")) }
            Self.appendInteger(value, to: &out)
        }
        if values.count > 1 { out.append(UInt8(ascii: "\"")) }
    }

    mutating func end(_ out: inout [UInt8]) {
        if keys != nil {
            JSONCell.endRow(&out)
        } else {
            CSVCell.endRow(&out)
        }
    }

    /// `String(value)`'s bytes.
    @inline(__always)
    static func appendInteger(_ value: Int, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        HexText.appendDecimalDigits(UInt64(value.magnitude), to: &out)
    }
}

/// The same cells from spans of a node's answer (see `CSVCell` and `JSONCell`).
extension TraceLineCells {
    /// `text(String(span))`.
    @inline(__always)
    mutating func text(_ span: JSONSpan, in base: UnsafePointer<UInt8>, _ out: inout [UInt8]) {
        next(&out)
        if keys != nil {
            JSONCell.text(span, in: base, to: &out)
        } else {
            CSVCell.text(span, in: base, to: &out)
        }
    }

    /// `text(_:)` of the text's string.
    @inline(__always)
    mutating func text(_ text: TraceText, in base: UnsafePointer<UInt8>, _ out: inout [UInt8]) {
        switch text {
        case .null: self.text(nil as String?, &out)
        case .span(let span): self.text(span, in: base, &out)
        case .literal(let word): plainText(UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount), &out)
        case .text(let string): self.text(string, &out)
        }
    }

    /// `text(String(span).asciiLowercased)`.
    @inline(__always)
    mutating func address(_ span: JSONSpan, in base: UnsafePointer<UInt8>, _ out: inout [UInt8]) {
        next(&out)
        if keys != nil {
            JSONCell.address(span, in: base, to: &out)
        } else {
            CSVCell.address(span, in: base, to: &out)
        }
    }

    /// `number(HexText.decimal(String(span)))`; malformed hex declines.
    @inline(__always)
    mutating func quantity(_ span: JSONSpan, in base: UnsafePointer<UInt8>, _ out: inout [UInt8]) throws(CSVTranscoder.Declined) {
        next(&out)
        if keys != nil {
            try JSONCell.quantity(span, in: base, to: &out)
        } else {
            try CSVCell.quantity(span, in: base, to: &out)
        }
    }

    /// `text(String(decoding: bytes))` for plain ASCII bytes built from spans (a trace id).
    mutating func plainText(_ bytes: UnsafeBufferPointer<UInt8>, _ out: inout [UInt8]) {
        next(&out)
        if keys != nil {
            JSONCell.quoted(bytes, to: &out)
        } else {
            ExportValue.appendCSVField(bytes, to: &out)
        }
    }
}
