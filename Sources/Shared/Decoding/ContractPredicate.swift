// A WHERE clause over a decoded table's text columns, with SQL's three-valued logic.

/// A row condition: comparisons of a column with literals, combined by AND/OR/NOT.
public indirect enum ContractPredicate: Hashable, Sendable {
    public enum Comparison: String, Hashable, Sendable {
        case equal = "="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
    }

    case compare(column: String, Comparison, ContractLiteral)
    case inList(column: String, [ContractLiteral], negated: Bool)
    case isNull(column: String, negated: Bool)
    case and(ContractPredicate, ContractPredicate)
    case or(ContractPredicate, ContractPredicate)
    case not(ContractPredicate)

    /// Columns the predicate reads.
    public var columns: [String] {
        switch self {
        case .compare(let column, _, _), .inList(let column, _, _), .isNull(let column, _): [column]
        case .and(let left, let right), .or(let left, let right): left.columns + right.columns
        case .not(let inner): inner.columns
        }
    }

    /// Whether the row passes (SQL: unknown, e.g. a comparison with NULL, does not pass).
    public func holds(for row: [String: String]) -> Bool {
        evaluate(row) == true
    }

    /// true, false, or nil for SQL's unknown.
    func evaluate(_ row: [String: String]) -> Bool? {
        switch self {
        case .compare(let column, let comparison, let literal):
            guard let value = row[column] else { return nil }
            return literal.compare(value, comparison)
        case .inList(let column, let literals, let negated):
            guard let value = row[column] else { return nil }
            var sawUnknown = false
            for literal in literals {
                switch literal.compare(value, .equal) {
                case true?: return !negated
                case nil: sawUnknown = true
                case false?: break
                }
            }
            return sawUnknown ? nil : negated
        case .isNull(let column, let negated):
            return (row[column] == nil) != negated
        case .and(let left, let right):
            let lhs = left.evaluate(row), rhs = right.evaluate(row)
            if lhs == false || rhs == false { return false }
            return lhs == nil || rhs == nil ? nil : true
        case .or(let left, let right):
            let lhs = left.evaluate(row), rhs = right.evaluate(row)
            if lhs == true || rhs == true { return true }
            return lhs == nil || rhs == nil ? nil : false
        case .not(let inner):
            return inner.evaluate(row).map { !$0 }
        }
    }
}
