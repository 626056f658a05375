// Parquet files written in Swift, read back by pyarrow, fastparquet and DuckDB.

import Foundation
import Testing
@testable import Shared

@Suite("Parquet files read back by pyarrow, fastparquet and DuckDB", .enabled(if: ParquetReaders.python != nil, ParquetReaders.skipReason))
struct ParquetRoundTripTests {
    /// Every reader saw exactly the written values, column by column (the first difference is
    /// reported, shortened: a value may be 200,000 characters).
    static func expectValues(_ report: ParquetReport, _ table: ParquetTestTable) {
        let expected = table.expected
        for reader in report.readers {
            #expect(reader.rows == table.rowCount, "\(reader.name) read \(reader.rows) rows")
            #expect(Set(reader.columns.keys) == Set(expected.keys), "\(reader.name) columns")
            for (name, values) in expected {
                let got = reader.columns[name] ?? []
                guard got != values else { continue }
                let row = (0..<min(got.count, values.count)).first { got[$0] != values[$0] } ?? min(got.count, values.count)
                let show = { (value: String??) in value.map { $0.map { String($0.prefix(80)) } ?? "null" } ?? "missing" }
                Issue.record("\(reader.name) column \(name) row \(row): got \(show(row < got.count ? got[row] : nil)), wrote \(show(row < values.count ? values[row] : nil)) (\(got.count) values)")
            }
        }
    }

    static let codecs: [(ParquetCodec, String)] = [(.zstd(level: 3), "ZSTD"), (.snappy, "SNAPPY"), (.uncompressed, "UNCOMPRESSED"), (.zstd(level: 19), "ZSTD")]

    @Test("every type, nulls, empty strings, 100 KB calldata and the maximal uint256 read back equal, with each codec", arguments: 0..<4)
    func everyTypeEachCodec(codecIndex: Int) throws {
        let (codec, name) = Self.codecs[codecIndex]
        let table = ParquetTestTable.sample(rows: 3_000)
        let path = try ParquetReaders.temporaryPath("sample.parquet")
        defer { ParquetReaders.removeTemporary(path) }
        try table.write(to: path, configuration: ParquetWriterConfiguration(codec: codec, pageRows: 700))
        let report = try ParquetReaders.read(path)
        Self.expectValues(report, table)
        #expect(report.pyarrow.columns["value"]?[3] == ParquetTestTable.maxUInt256)
        #expect(report.duckdb.columns["input"]?[7]?.utf8.count == 200_002)
        let chunks = report.metadata.rowGroups.flatMap(\.columns)
        #expect(!chunks.isEmpty && chunks.allSatisfy { $0.compression == name }, "pyarrow codecs: \(Set(chunks.map(\.compression)))")
        #expect(report.duckdb.chunks.count == chunks.count && report.duckdb.chunks.allSatisfy { $0.compression == name })
    }

    @Test("the schema carries physical, logical and converted types, and nullability")
    func schemaTypes() throws {
        let table = ParquetTestTable.sample(rows: 40)
        let path = try ParquetReaders.temporaryPath("types.parquet")
        defer { ParquetReaders.removeTemporary(path) }
        try table.write(to: path)
        let report = try ParquetReaders.read(path)
        Self.expectValues(report, table)
        #expect(report.metadata.physicalTypes == ["INT64", "INT64", "BYTE_ARRAY", "BYTE_ARRAY", "BYTE_ARRAY", "BYTE_ARRAY", "BYTE_ARRAY", "BYTE_ARRAY", "BOOLEAN", "INT64", "INT64", "BYTE_ARRAY"])
        #expect(report.metadata.convertedTypes == ["INT_64", "INT_64", "UTF8", "UTF8", "UTF8", "UTF8", "UTF8", "NONE", "NONE", "TIMESTAMP_MILLIS", "TIMESTAMP_MICROS", "UTF8"])
        #expect(report.metadata.logicalTypes[0] == "Int(bitWidth=64, isSigned=true)")
        #expect(report.metadata.logicalTypes[9].hasPrefix("Timestamp(isAdjustedToUTC=true, timeUnit=milliseconds"))
        #expect(report.metadata.logicalTypes[10].hasPrefix("Timestamp(isAdjustedToUTC=true, timeUnit=microseconds"))
        #expect(report.duckdb.types["block_timestamp"] == "TIMESTAMP WITH TIME ZONE")
        #expect(report.duckdb.types["raw"] == "BLOB" && report.duckdb.types["hash"] == "VARCHAR" && report.duckdb.types["success"] == "BOOLEAN")
        #expect(report.metadata.createdBy == ParquetWriter.createdBy)
    }

    @Test("many row groups: rows split at the row limit, every value read back")
    func manyRowGroups() throws {
        let table = ParquetTestTable.sample(rows: 10_500)
        let path = try ParquetReaders.temporaryPath("groups.parquet")
        defer { ParquetReaders.removeTemporary(path) }
        let writer = try table.write(to: path, configuration: ParquetWriterConfiguration(rowGroupRows: 1_000, pageRows: 300), batchRows: 250)
        let report = try ParquetReaders.read(path)
        Self.expectValues(report, table)
        #expect(report.metadata.numRowGroups == 11 && writer.rowGroupCount == 11)
        #expect(report.metadata.rowGroups.map(\.numRows) == Array(repeating: 1_000, count: 10) + [500])
        for group in report.metadata.rowGroups {
            #expect(group.columns.allSatisfy { $0.numValues == group.numRows })
        }
    }

    @Test("row groups are also cut by their size in bytes")
    func rowGroupsBySize() throws {
        let table = ParquetTestTable.sample(rows: 3_000)
        let path = try ParquetReaders.temporaryPath("bytes.parquet")
        defer { ParquetReaders.removeTemporary(path) }
        // Row 7's calldata alone exceeds 64 KiB: its batch becomes a row group of its own size.
        try table.write(to: path, configuration: ParquetWriterConfiguration(rowGroupBytes: 64 << 10), batchRows: 10)
        let report = try ParquetReaders.read(path)
        Self.expectValues(report, table)
        #expect(report.metadata.numRowGroups > 5)
        #expect(report.metadata.rowGroups.first?.numRows == 10)
        #expect(report.metadata.rowGroups.map(\.numRows).reduce(0, +) == 3_000)
    }

    @Test("a file with zero rows is valid and keeps its schema")
    func zeroRows() throws {
        let table = ParquetTestTable.sample(rows: 0)
        let path = try ParquetReaders.temporaryPath("empty.parquet")
        defer { ParquetReaders.removeTemporary(path) }
        let writer = try table.write(to: path)
        let report = try ParquetReaders.read(path)
        #expect(writer.rowGroupCount == 0)
        #expect(report.metadata.numRows == 0 && report.metadata.numRowGroups == 0)
        for reader in report.readers {
            #expect(reader.rows == 0, "\(reader.name)")
            #expect(reader.columns.count == 12 && reader.columns.values.allSatisfy(\.isEmpty), "\(reader.name)")
        }
        #expect(report.duckdb.types.count == 12 && report.duckdb.types["seen_at"] == "TIMESTAMP WITH TIME ZONE")
    }
}
