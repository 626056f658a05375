// Which contracts a decoded table reads: every one, fixed addresses, or a query over other tables.

/// The model of a definition's `parser.contract_address`. Never SQL text: a query is a tree the
/// caller evaluates (`ContractQuery.addresses(rows:)`) or translates with bound values.
public enum ContractFilter: Hashable, Sendable {
    /// `null`: logs of every contract (traces: every callee).
    case all
    /// A literal address, or `SELECT * FROM UNNEST(['0x…', …])`: lower-cased, in file order.
    case addresses([String])
    /// SQL over other decoded tables of the same dataset (`ref('Table')`).
    case query(ContractQuery)

    /// Tables of the same dataset this filter reads, sorted, each once.
    public var dependencies: [String] {
        guard case .query(let query) = self else { return [] }
        return Array(Set(query.tables)).sorted()
    }

    /// A short name of the form: `all`, `address`, `address_list`, `query`.
    public var form: String {
        switch self {
        case .all: "all"
        case .addresses(let list): list.count == 1 ? "address" : "address_list"
        case .query: "query"
        }
    }
}

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

/// How two selects combine. Duplicates do not matter to `address IN (…)`, so both unions give
/// the same set; the distinction is kept for display.
public enum ContractSetOperator: String, Hashable, Sendable {
    case unionAll = "UNION ALL"
    case unionDistinct = "UNION DISTINCT"
    case exceptDistinct = "EXCEPT DISTINCT"
    case intersectDistinct = "INTERSECT DISTINCT"
}

/// One select over a decoded table of the same dataset.
public struct ContractSelect: Hashable, Sendable {
    /// The referenced table's name, as in `ref('…')`.
    public var table: String
    /// The column whose values are addresses.
    public var column: String
    /// Rows kept; nil keeps every row.
    public var predicate: ContractPredicate?
    /// `DISTINCT` or `GROUP BY column` (no effect on the set; kept for display).
    public var distinct: Bool

    public init(table: String, column: String, predicate: ContractPredicate? = nil, distinct: Bool = false) {
        self.table = table
        self.column = column
        self.predicate = predicate
        self.distinct = distinct
    }

    /// Every column the select reads (its address column and the predicate's).
    public var columns: [String] { [column] + (predicate?.columns ?? []) }
}
