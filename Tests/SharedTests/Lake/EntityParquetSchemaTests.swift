// Each entity's Parquet schema against its column table, and as pyarrow reads it.

import Foundation
import Testing
@testable import Shared

@Suite("entity Parquet schemas")
struct EntityParquetSchemaTests {
    /// The Parquet column the lake promises for a column of the table (README, Exporting).
    static func expected(_ column: Column) -> ParquetColumn {
        let type: ParquetColumnType = switch column.type {
        case _ where column.name == "block_timestamp": .timestamp(.milliseconds)
        case .integer: .int64
        case .wei, .uint256, .text: .string
        case .boolean: .boolean
        case .timestamp: .timestamp(.milliseconds)
        }
        return ParquetColumn(column.name, type, nullable: column.isNullable)
    }

    @Test("every entity's Parquet schema follows its column table: names, order, types, nullability")
    func schemaFollowsTable() {
        for entity in ExportEntity.allCases {
            let table = EntityColumns.of(entity)
            let parquet = EntityParquetSchema.of(entity)
            var expected = table.columns.map(Self.expected)
            // Blocks have ethereum-etl's integer `timestamp` and gain the TIMESTAMP column.
            if let timestamp = table["timestamp"], table["block_timestamp"] == nil {
                expected.append(ParquetColumn("block_timestamp", .timestamp(.milliseconds), nullable: timestamp.isNullable))
            }
            #expect(parquet.schema.columns == expected, "\(entity.rawValue)")
            #expect(parquet.fields.map(\.column) == parquet.schema.columns, "\(entity.rawValue)")
            for field in parquet.fields {
                let source = table.columns[field.source].name
                #expect(source == field.column.name || (field.column.name == "block_timestamp" && source == "timestamp"),
                        "\(entity.rawValue).\(field.column.name) written from \(source)")
            }
        }
        #expect(EntityParquetSchema.of(.blocks).schema.columns.map(\.name).suffix(2) == ["excess_blob_gas", "block_timestamp"])
        #expect(EntityParquetSchema.of(.blocks).schema.columns.first { $0.name == "timestamp" }?.type == .int64)
        #expect(EntityParquetSchema.of(.transactions).schema.columns.first { $0.name == "block_timestamp" }?.type == .timestamp(.milliseconds))
        #expect(EntityParquetSchema.of(.transactions).schema.columns.first { $0.name == "value" }?.type == .string)
        #expect(EntityParquetSchema.of(.logs).schema.columns.count == EntityColumns.logs.count)
    }

    @Test("pyarrow, fastparquet and DuckDB open each entity's zero-row file with the table's schema",
          .enabled(if: ParquetReaders.python != nil, ParquetReaders.skipReason))
    func zeroRowFilesReadBack() async throws {
        for entity in ExportEntity.allCases {
            let path = try ParquetReaders.temporaryPath("\(entity.rawValue).parquet")
            defer { ParquetReaders.removeTemporary(path) }
            let writer = try ParquetRowWriter(.of(entity), output: ParquetFileOutput(path: path))
            try writer.finish()
            let report = try await ParquetReaders.read(path)
            for reader in report.readers { #expect(reader.rows == 0, "\(entity.rawValue): \(reader.name)") }
            let arrow = { (type: ParquetColumnType) -> String in
                switch type {
                case .int64: "int64"
                case .string: "string"
                case .boolean: "bool"
                case .timestamp(.milliseconds): "timestamp[ms, tz=UTC]"
                default: "unexpected \(type)"
                }
            }
            let expected = EntityParquetSchema.of(entity).schema.columns.map {
                ParquetReport.Field(name: $0.name, type: arrow($0.type), nullable: $0.nullable)
            }
            #expect(report.pyarrow.schema == expected, "\(entity.rawValue)")
        }
    }
}
