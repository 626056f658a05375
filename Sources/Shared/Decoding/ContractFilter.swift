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
