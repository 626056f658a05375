// One output column of a decoded table, fixed or from the schema.

/// A column of a decoded table, in table order.
public struct DecodedTableColumn: Hashable, Sendable {
    public var name: String
    public var type: DecodedColumnType
    /// Whether the column is one of the parser type's fixed columns (block, transaction, …).
    public var isFixed: Bool

    public init(name: String, type: DecodedColumnType, isFixed: Bool) {
        self.name = name
        self.type = type
        self.isFixed = isFixed
    }

    /// What ethereum-etl-airflow's `parse_logs.sql` writes before the schema's fields.
    public static let logColumns: [DecodedTableColumn] = [
        .init(name: "block_timestamp", type: .timestamp, isFixed: true),
        .init(name: "block_number", type: .integer, isFixed: true),
        .init(name: "transaction_hash", type: .text, isFixed: true),
        .init(name: "log_index", type: .integer, isFixed: true),
        .init(name: "contract_address", type: .text, isFixed: true),
    ]

    /// What `parse_traces.sql` writes before the schema's fields. `error` is NULL for decoded
    /// rows: ethereum-etl-airflow fills it with the ethers message when an input does not fit
    /// and keeps the row; BlockFleet skips and counts such inputs instead.
    public static let traceColumns: [DecodedTableColumn] = [
        .init(name: "block_timestamp", type: .timestamp, isFixed: true),
        .init(name: "block_number", type: .integer, isFixed: true),
        .init(name: "transaction_hash", type: .text, isFixed: true),
        .init(name: "transaction_index", type: .integer, isFixed: true),
        .init(name: "trace_address", type: .text, isFixed: true),
        .init(name: "to_address", type: .text, isFixed: true),
        .init(name: "status", type: .integer, isFixed: true),
        .init(name: "error", type: .text, isFixed: true),
    ]
}
