// A literal of a WHERE clause, and how a column's text compares with it.

/// A literal in a WHERE clause.
public enum ContractLiteral: Hashable, Sendable {
    case string(String)
    /// Decimal integer text (optionally negative).
    case integer(String)
    case bool(Bool)
    case null

    /// Compares a column's text with the literal: integers numerically (exact, any width), strings
    /// as text (case-insensitively for addresses and hex, which decoding writes lower-case),
    /// booleans against `true`/`false`. NULL compares unknown.
    func compare(_ value: String, _ comparison: ContractPredicate.Comparison) -> Bool? {
        let order: Int
        switch self {
        case .null:
            return nil
        case .bool(let flag):
            guard let actual = ["true": true, "false": false][value.lowercased()] else { return false }
            order = actual == flag ? 0 : (actual ? 1 : -1)
        case .integer(let text):
            guard let result = Self.compareDecimal(value, text) else { return false }
            order = result
        case .string(let text):
            let lhs = value.hasPrefix("0x") ? value.lowercased() : value
            let rhs = text.hasPrefix("0x") || text.hasPrefix("0X") ? text.lowercased() : text
            order = lhs == rhs ? 0 : (lhs < rhs ? -1 : 1)
        }
        switch comparison {
        case .equal: return order == 0
        case .notEqual: return order != 0
        case .less: return order < 0
        case .lessOrEqual: return order <= 0
        case .greater: return order > 0
        case .greaterOrEqual: return order >= 0
        }
    }

    /// -1, 0, 1 comparing two decimal integers of any width; nil when either is not one.
    static func compareDecimal(_ lhs: String, _ rhs: String) -> Int? {
        func parts(_ text: String) -> (negative: Bool, digits: Substring)? {
            let negative = text.hasPrefix("-")
            var digits = negative ? text.dropFirst() : Substring(text)
            guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            while digits.count > 1, digits.first == "0" { digits = digits.dropFirst() }
            return (negative && digits != "0", digits)
        }
        guard let a = parts(lhs), let b = parts(rhs) else { return nil }
        if a.negative != b.negative { return a.negative ? -1 : 1 }
        var magnitude: Int
        if a.digits.count != b.digits.count {
            magnitude = a.digits.count < b.digits.count ? -1 : 1
        } else {
            magnitude = a.digits == b.digits ? 0 : (a.digits < b.digits ? -1 : 1)
        }
        if a.negative { magnitude = -magnitude }
        return magnitude
    }
}
