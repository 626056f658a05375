// Each entity's Parquet schema, made from its column table (EntityColumns+Tables.swift).

/// The Parquet schema of one entity's files, derived from `EntityColumns` so a column is still
/// declared once. Types follow the table's `ColumnType`:
///
/// | column type | Parquet |
/// |---|---|
/// | `integer` | INT64 |
/// | `wei`, `uint256` | STRING, exact decimal text (uint256 needs up to 78 digits; see README) |
/// | `text` | STRING (lists comma-joined and withdrawals as JSON, as in the CSV) |
/// | `boolean` | BOOLEAN |
/// | `timestamp` | TIMESTAMP (UTC, milliseconds) |
///
/// Block time: a table column named `block_timestamp` (transactions: ethereum-etl's integer)
/// is a TIMESTAMP here, as ethereum-etl-airflow's BigQuery schema types it; an entity with an
/// integer `timestamp` but no `block_timestamp` (blocks) keeps `timestamp` as INT64 and gets a
/// TIMESTAMP `block_timestamp` appended, so both tables filter and partition by one column.
/// Nullable columns are OPTIONAL; a null is written where ethereum-etl leaves the field empty
/// (None), while an empty string or empty list stays an empty string.
public struct EntityParquetSchema: Sendable {
    public let columns: EntityColumns
    public let fields: [EntityParquetField]
    public let schema: ParquetSchema

    /// The unit of TIMESTAMP columns: milliseconds, which Athena and Redshift Spectrum read as
    /// well as DuckDB, Spark and Arrow (block times are whole seconds anyway).
    public static let timeUnit = ParquetTimeUnit.milliseconds
    /// The name of the block time column.
    public static let blockTimestamp = "block_timestamp"

    public init(_ columns: EntityColumns) {
        var fields: [EntityParquetField] = []
        for (index, column) in columns.columns.enumerated() {
            let (type, conversion) = Self.parquetType(of: column)
            fields.append(EntityParquetField(ParquetColumn(column.name, type, nullable: column.isNullable), source: index, conversion: conversion))
        }
        if columns.index(of: Self.blockTimestamp) == nil, let index = columns.index(of: "timestamp"), columns.columns[index].type == .integer {
            let parquet = ParquetColumn(Self.blockTimestamp, .timestamp(Self.timeUnit), nullable: columns.columns[index].isNullable)
            fields.append(EntityParquetField(parquet, source: index, conversion: .epochSeconds))
        }
        self.columns = columns
        self.fields = fields
        do {
            schema = try ParquetSchema(fields.map(\.column))
        } catch {
            // The column table's names are unique and non-empty (checked by its tests).
            preconditionFailure("the \(columns.entity.rawValue) column table makes no Parquet schema: \(error)")
        }
    }

    /// The Parquet type of a column-table column and how its value is converted.
    static func parquetType(of column: Column) -> (ParquetColumnType, EntityParquetField.Conversion) {
        if column.name == blockTimestamp, column.type == .integer { return (.timestamp(timeUnit), .epochSeconds) }
        switch column.type {
        case .integer: return (.int64, .int64)
        case .wei, .uint256, .text: return (.string, .text)
        case .boolean: return (.boolean, .boolean)
        case .timestamp: return (.timestamp(timeUnit), .epochSeconds)
        }
    }

    /// The schema of an entity, made once.
    public static func of(_ entity: ExportEntity) -> EntityParquetSchema {
        switch entity {
        case .blocks: blocks
        case .transactions: transactions
        case .receipts: receipts
        case .logs: logs
        case .tokenTransfers: tokenTransfers
        case .traces: traces
        case .contracts: contracts
        case .tokens: tokens
        }
    }

    private static let blocks = EntityParquetSchema(.blocks)
    private static let transactions = EntityParquetSchema(.transactions)
    private static let receipts = EntityParquetSchema(.receipts)
    private static let logs = EntityParquetSchema(.logs)
    private static let tokenTransfers = EntityParquetSchema(.tokenTransfers)
    private static let traces = EntityParquetSchema(.traces)
    private static let contracts = EntityParquetSchema(.contracts)
    private static let tokens = EntityParquetSchema(.tokens)
}
