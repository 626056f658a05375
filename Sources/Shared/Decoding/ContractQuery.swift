// A set of addresses computed from other decoded tables: selects combined by set operators.

/// A set of addresses computed from decoded tables: selects combined by set operators.
public indirect enum ContractQuery: Hashable, Sendable {
    /// `SELECT [DISTINCT] column FROM ref('table') [WHERE …] [GROUP BY column]`.
    case select(ContractSelect)
    /// `SELECT '0x…'` (no FROM): a literal address; also what a select over a view of literal
    /// rows (`view_*.sql`) becomes once the catalog has read the view.
    case literals([String])
    /// `left UNION ALL|UNION DISTINCT|EXCEPT DISTINCT|INTERSECT DISTINCT right`.
    case combine(ContractQuery, ContractSetOperator, ContractQuery)

    /// Every table the query reads, in order of appearance (with repeats).
    public var tables: [String] {
        switch self {
        case .select(let select): [select.table]
        case .literals: []
        case .combine(let left, _, let right): left.tables + right.tables
        }
    }

    /// The addresses the query yields, lower-cased. `rows(table)` gives that table's rows as
    /// column → text (a missing key is NULL), e.g. read from the warehouse up to the range's end.
    public func addresses(rows: (String) throws -> [[String: String]]) rethrows -> Set<String> {
        switch self {
        case .literals(let addresses):
            return Set(addresses)
        case .select(let select):
            var out = Set<String>()
            for row in try rows(select.table) where select.predicate?.holds(for: row) ?? true {
                if let value = row[select.column] { out.insert(value.lowercased()) }
            }
            return out
        case .combine(let left, let op, let right):
            let lhs = try left.addresses(rows: rows)
            let rhs = try right.addresses(rows: rows)
            switch op {
            case .unionAll, .unionDistinct: return lhs.union(rhs)
            case .exceptDistinct: return lhs.subtracting(rhs)
            case .intersectDistinct: return lhs.intersection(rhs)
            }
        }
    }
}
