// One select of a contract query: a column of a decoded table, with an optional WHERE.

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
