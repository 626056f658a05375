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
        var out = ""
        appendJSON(to: &out)
        return out
    }

    func appendJSON(to out: inout String) {
        switch self {
        case .bool(let flag):
            out += flag ? "true" : "false"
        case .array(let elements):
            out += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { out += "," }
                element.appendJSON(to: &out)
            }
            out += "]"
        case .tuple(let members):
            out += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { out += "," }
                Self.appendJSONString(member.name.isEmpty ? String(index) : member.name, to: &out)
                out += ":"
                member.value.appendJSON(to: &out)
            }
            out += "}"
        default:
            Self.appendJSONString(text, to: &out)
        }
    }

    static func appendJSONString(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
