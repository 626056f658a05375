// The warehouse tables, one per entity, typed for analysis and keyed by block range.

/// A column's type in warehouse terms is its `ColumnType` from the column table; each dialect
/// maps it to its own SQL type (wei is NUMERIC(78,0) in Postgres and NUMERIC(38,0) in Redshift;
/// uint256 is NUMERIC(78,0) in Postgres and text in Redshift, whose NUMERIC stops at 38 digits).
public typealias WarehouseType = ColumnType

/// One entity's table: ethereum-etl's columns, in its order, with types.
public struct WarehouseTable: Sendable, Equatable {
    public let entity: ExportEntity
    public let columns: [(name: String, type: WarehouseType)]
    /// The block number column a range is deleted and reloaded by.
    public let rangeColumn: String
    /// Redshift distribution and sort keys, after the seed's schemas (sorted by block first,
    /// since every load deletes a block range).
    public let distributionKey: String
    public let sortKey: [String]

    public var name: String { entity.rawValue }
    public var columnNames: [String] { columns.map(\.name) }

    public static func == (lhs: WarehouseTable, rhs: WarehouseTable) -> Bool {
        lhs.entity == rhs.entity && lhs.columnNames == rhs.columnNames && lhs.columns.map(\.type) == rhs.columns.map(\.type)
    }

    /// The entity's columns and their types, from the column table.
    init(_ entity: ExportEntity, rangeColumn: String = "block_number", distributionKey: String = "block_number", sortKey: [String]) {
        self.entity = entity
        self.columns = EntityColumns.of(entity).columns.map { ($0.name, $0.type) }
        self.rangeColumn = rangeColumn
        self.distributionKey = distributionKey
        self.sortKey = sortKey
    }

    public static func of(_ entity: ExportEntity) -> WarehouseTable {
        switch entity {
        case .blocks: return blocks
        case .transactions: return transactions
        case .receipts: return receipts
        case .logs: return logs
        case .tokenTransfers: return tokenTransfers
        case .traces: return traces
        case .contracts: return contracts
        case .tokens: return tokens
        }
    }

    static let blocks = WarehouseTable(.blocks, rangeColumn: "number", distributionKey: "number", sortKey: ["number"])
    static let transactions = WarehouseTable(.transactions, sortKey: ["block_number", "transaction_index"])
    static let receipts = WarehouseTable(.receipts, sortKey: ["block_number", "transaction_index"])
    static let logs = WarehouseTable(.logs, sortKey: ["block_number", "log_index"])
    static let tokenTransfers = WarehouseTable(.tokenTransfers, sortKey: ["block_number", "log_index"])
    static let traces = WarehouseTable(.traces, sortKey: ["block_number", "transaction_index"])
    static let contracts = WarehouseTable(.contracts, distributionKey: "address", sortKey: ["block_number", "address"])
    static let tokens = WarehouseTable(.tokens, distributionKey: "address", sortKey: ["block_number", "address"])
}
