// How a cell reads in JSON, as Python's json module (ensure_ascii) writes what ethereum-etl hands it.

extension ExportValue {
    /// Appends the JSON value. `compact` uses Python's `(',', ':')` separators (objects inside a
    /// CSV cell); otherwise the default `(', ', ': ')`.
    func appendJSON(to buffer: inout [UInt8], compact: Bool) {
        switch self {
        case .null:
            buffer.append(contentsOf: "null".utf8)
        case .text(let text):
            Self.appendJSONString(text, to: &buffer)
        case .number(let text):
            buffer.append(contentsOf: text.utf8)
        case .bool(let flag):
            buffer.append(contentsOf: (flag ? "true" : "false").utf8)
        case .texts(let list):
            buffer.append(UInt8(ascii: "["))
            for (index, item) in list.enumerated() {
                if index > 0 { Self.appendSeparator(compact: compact, to: &buffer) }
                Self.appendJSONString(item, to: &buffer)
            }
            buffer.append(UInt8(ascii: "]"))
        case .numbers(let list):
            buffer.append(UInt8(ascii: "["))
            for (index, item) in list.enumerated() {
                if index > 0 { Self.appendSeparator(compact: compact, to: &buffer) }
                buffer.append(contentsOf: item.utf8)
            }
            buffer.append(UInt8(ascii: "]"))
        case .objects(let objects):
            buffer.append(UInt8(ascii: "["))
            for (index, object) in objects.enumerated() {
                if index > 0 { Self.appendSeparator(compact: compact, to: &buffer) }
                Self.appendJSONObject(object, to: &buffer, compact: compact)
            }
            buffer.append(UInt8(ascii: "]"))
        }
    }

    static func appendJSONObject(_ object: ExportObject, to buffer: inout [UInt8], compact: Bool) {
        buffer.append(UInt8(ascii: "{"))
        for index in object.names.indices {
            if index > 0 { appendSeparator(compact: compact, to: &buffer) }
            appendJSONString(object.names[index], to: &buffer)
            buffer.append(UInt8(ascii: ":"))
            if !compact { buffer.append(UInt8(ascii: " ")) }
            object.values[index].appendJSON(to: &buffer, compact: compact)
        }
        buffer.append(UInt8(ascii: "}"))
    }

    private static func appendSeparator(compact: Bool, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: ","))
        if !compact { buffer.append(UInt8(ascii: " ")) }
    }

    /// A JSON string as Python's `json` writes it with `ensure_ascii=True`: printable ASCII as is,
    /// `\"` `\\` `\n` `\r` `\t` `\b` `\f` escaped, everything else (controls, DEL, non-ASCII) as
    /// lower-case `\uXXXX`, with surrogate pairs beyond the BMP.
    static func appendJSONString(_ text: String, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\""))
        var text = text
        let plain = text.withUTF8 { bytes in
            guard bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) else { return false }
            buffer.append(contentsOf: bytes)
            return true
        }
        if !plain {
            for scalar in text.unicodeScalars {
                switch scalar.value {
                case 0x22: buffer.append(contentsOf: #"\""#.utf8)
                case 0x5C: buffer.append(contentsOf: #"\\"#.utf8)
                case 0x0A: buffer.append(contentsOf: #"\n"#.utf8)
                case 0x0D: buffer.append(contentsOf: #"\r"#.utf8)
                case 0x09: buffer.append(contentsOf: #"\t"#.utf8)
                case 0x08: buffer.append(contentsOf: #"\b"#.utf8)
                case 0x0C: buffer.append(contentsOf: #"\f"#.utf8)
                case 0x20..<0x7F: buffer.append(UInt8(scalar.value))
                case 0x10000...:
                    let value = scalar.value - 0x10000
                    appendUnicodeEscape(0xD800 + (value >> 10), to: &buffer)
                    appendUnicodeEscape(0xDC00 + (value & 0x3FF), to: &buffer)
                default:
                    appendUnicodeEscape(scalar.value, to: &buffer)
                }
            }
        }
        buffer.append(UInt8(ascii: "\""))
    }

    private static func appendUnicodeEscape(_ unit: UInt32, to buffer: inout [UInt8]) {
        let digits = Array("0123456789abcdef".utf8)
        buffer.append(contentsOf: #"\u"#.utf8)
        for shift in stride(from: 12, through: 0, by: -4) {
            buffer.append(digits[Int((unit >> UInt32(shift)) & 0xF)])
        }
    }
}
