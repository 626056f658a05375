// The warehouse tables, one per entity, typed for analysis and keyed by block range.

/// A column's type in warehouse terms; each dialect maps it to its own SQL type.
public enum WarehouseType: Sendable, Equatable {
    /// Counts, indexes, gas, timestamps: BIGINT.
    case integer
    /// Wei amounts and fees: NUMERIC(78,0) in Postgres; NUMERIC(38,0) in Redshift (all ether fits).
    case wei
    /// Arbitrary uint256 (token amounts, supplies): NUMERIC(78,0) in Postgres; text in Redshift,
    /// whose NUMERIC stops at 38 digits, as the seed's Redshift schema does.
    case uint256
    case text
    case boolean
    /// A UTC time without zone (the enriched tables' `block_timestamp`).
    case timestamp
}

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

    init(_ entity: ExportEntity, rangeColumn: String = "block_number", distributionKey: String = "block_number", sortKey: [String], types: [String: WarehouseType]) {
        self.entity = entity
        self.columns = EntityColumns.of(entity).names.map { ($0, types[$0] ?? .text) }
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

    // Columns not listed are text.
    static let blocks = WarehouseTable(.blocks, rangeColumn: "number", distributionKey: "number", sortKey: ["number"], types: [
        "number": .integer, "difficulty": .wei, "total_difficulty": .wei, "size": .integer, "gas_limit": .integer,
        "gas_used": .integer, "timestamp": .integer, "transaction_count": .integer, "base_fee_per_gas": .wei,
        "blob_gas_used": .integer, "excess_blob_gas": .integer,
    ])
    static let transactions = WarehouseTable(.transactions, sortKey: ["block_number", "transaction_index"], types: [
        "nonce": .integer, "block_number": .integer, "transaction_index": .integer, "value": .wei, "gas": .integer,
        "gas_price": .wei, "block_timestamp": .integer, "max_fee_per_gas": .wei, "max_priority_fee_per_gas": .wei,
        "transaction_type": .integer, "max_fee_per_blob_gas": .wei,
    ])
    static let receipts = WarehouseTable(.receipts, sortKey: ["block_number", "transaction_index"], types: [
        "transaction_index": .integer, "block_number": .integer, "cumulative_gas_used": .integer, "gas_used": .integer,
        "status": .integer, "effective_gas_price": .wei, "l1_fee": .wei, "l1_gas_used": .integer, "l1_gas_price": .wei,
        "blob_gas_price": .wei, "blob_gas_used": .integer,
    ])
    static let logs = WarehouseTable(.logs, sortKey: ["block_number", "log_index"], types: [
        "log_index": .integer, "transaction_index": .integer, "block_number": .integer,
    ])
    static let tokenTransfers = WarehouseTable(.tokenTransfers, sortKey: ["block_number", "log_index"], types: [
        "value": .uint256, "log_index": .integer, "block_number": .integer,
    ])
    static let traces = WarehouseTable(.traces, sortKey: ["block_number", "transaction_index"], types: [
        "block_number": .integer, "transaction_index": .integer, "value": .wei, "gas": .integer, "gas_used": .integer,
        "subtraces": .integer, "status": .integer,
    ])
    static let contracts = WarehouseTable(.contracts, distributionKey: "address", sortKey: ["block_number", "address"], types: [
        "is_erc20": .boolean, "is_erc721": .boolean, "block_number": .integer,
    ])
    static let tokens = WarehouseTable(.tokens, distributionKey: "address", sortKey: ["block_number", "address"], types: [
        "decimals": .uint256, "total_supply": .uint256, "block_number": .integer,
    ])
}
