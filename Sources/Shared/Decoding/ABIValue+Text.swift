// The text of a decoded value as ethereum-etl-airflow's ethers.js UDF writes it, and JSON for composites.

extension ABIValue {
    /// Whether the value is an array or tuple (written as JSON).
    public var isComposite: Bool {
        switch self {
        case .array, .tuple: true
        default: false
        }
    }

    /// A column's text: addresses lower-case 0x-hex, integers in decimal (negative with `-`),
    /// `true`/`false`, bytes lower-case 0x-hex, strings as they are; arrays and tuples as JSON text
    /// (see `jsonText`).
    public var text: String {
        switch self {
        case .address(let bytes), .fixedBytes(let bytes), .bytes(let bytes), .topicHash(let bytes): ABIHex.text(bytes)
        case .uint(let word): word.decimalText
        case .int(let magnitude, let negative): negative ? "-" + magnitude.decimalText : magnitude.decimalText
        case .bool(let flag): flag ? "true" : "false"
        case .string(let text): text
        case .array, .tuple: jsonText
        }
    }

    /// JSON text: arrays are JSON arrays, tuples JSON objects keyed by component name (the index,
    /// `"0"`, `"1"`…, for unnamed components), in ABI order. Integers are JSON strings of their
    /// decimal text (uint256 does not fit a JSON number's usual double; Redshift SUPER would
    /// round it), booleans JSON booleans, everything else the JSON string of `text`.
    public var jsonText: String {
        var out: [UInt8] = []
        appendJSON(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the JSON as UTF-8 bytes (one buffer for the whole tree: no string per member).
    func appendJSON(to out: inout [UInt8]) {
        switch self {
        case .bool(let flag):
            out.append(contentsOf: flag ? Self.trueBytes : Self.falseBytes)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                element.appendJSON(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .tuple(let members):
            out.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                Self.appendJSONString(member.name.isEmpty ? String(index) : member.name, to: &out)
                out.append(UInt8(ascii: ":"))
                member.value.appendJSON(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .address(let bytes), .fixedBytes(let bytes), .bytes(let bytes), .topicHash(let bytes):
            out.append(UInt8(ascii: "\""))
            ABIHex.append(bytes, to: &out)
            out.append(UInt8(ascii: "\""))
        case .uint, .int:
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: text.utf8)
            out.append(UInt8(ascii: "\""))
        case .string(let text):
            Self.appendJSONString(text, to: &out)
        }
    }

    static let trueBytes = Array("true".utf8)
    static let falseBytes = Array("false".utf8)
    static let hexDigits = Array("0123456789abcdef".utf8)

    /// A JSON string: `"` and `\` escaped, control characters as `\n`, `\r`, `\t` or `\u00XX`;
    /// everything else (UTF-8 included) as it is.
    static func appendJSONString(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { appendJSONString($0, to: &out) }
    }

    static func appendJSONString(_ utf8: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most text needs no escape: copy it whole.
        if !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out.append(contentsOf: utf8)
            out.append(UInt8(ascii: "\""))
            return
        }
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                out.append(UInt8(ascii: "\\"))
                out.append(byte)
            case UInt8(ascii: "\n"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            default:
                out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
