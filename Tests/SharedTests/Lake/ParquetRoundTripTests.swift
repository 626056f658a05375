// Parquet files written in Swift, read back by pyarrow, fastparquet and DuckDB.

import Foundation
import Testing
@testable import Shared

@Suite("Parquet files read back by pyarrow, fastparquet and DuckDB", .enabled(if: ParquetReaders.python != nil, ParquetReaders.skipReason))
struct ParquetRoundTripTests {
    /// Every reader saw exactly the written values, column by column (the first difference is
    /// reported, shortened: a value may be 200,000 characters). fastparquet reads decimals as
    /// floats: those it must get to within a float's precision.
    static func expectValues(_ report: ParquetReport, _ table: ParquetTestTable) {
        let expected = table.expected
        let decimals = table.columns.filter { if case .decimal = $0.type { true } else { false } }.map(\.name)
        for name in decimals {
            let got = report.fastparquet.columns[name] ?? []
            let wrote = expected[name] ?? []
            #expect(got.count == wrote.count, "fastparquet \(name)")
            for (row, (value, written)) in zip(got, wrote).enumerated() {
                let close = switch (value.flatMap(Double.init), written.flatMap(Double.init)) {
                case (nil, nil): value == nil && written == nil
                case let (a?, b?): abs(a - b) <= abs(b) * 1e-15
                default: false
                }
                #expect(close, "fastparquet \(name) row \(row): got \(value ?? "null"), wrote \(written ?? "null")")
            }
        }
        for reader in report.readers {
            #expect(reader.rows == table.rowCount, "\(reader.name) read \(reader.rows) rows")
            #expect(Set(reader.columns.keys) == Set(expected.keys), "\(reader.name) columns")
            for (name, values) in expected where reader.name != "fastparquet" || !decimals.contains(name) {
                let got = reader.columns[name] ?? []
                guard got != values else { continue }
                let row = (0..<min(got.count, values.count)).first { got[$0] != values[$0] } ?? min(got.count, values.count)
                let show = { (value: String??) in value.map { $0.map { String($0.prefix(80)) } ?? "null" } ?? "missing" }
                Issue.record("\(reader.name) column \(name) row \(row): got \(show(row < got.count ? got[row] : nil)), wrote \(show(row < values.count ? values[row] : nil)) (\(got.count) values)")
            }
        }
    }

    @Test("every type, nulls, empty strings, 100 KB calldata and the maximal uint256 read back equal, with each codec",
          arguments: [ParquetCodec.default, .snappy, .uncompressed, .zstd(level: 19)])
    func everyTypeEachCodec(codec: ParquetCodec) async throws {
        let name = switch codec {
        case .zstd: "ZSTD"
        case .snappy: "SNAPPY"
        case .uncompressed: "UNCOMPRESSED"
        }
        let table = ParquetTestTable.sample(rows: 3_000)
        let path = try ParquetReaders.temporaryPath("sample.parquet")
        defer { ParquetReaders.removeTemporary(path) }
        try table.write(to: path, configuration: ParquetWriterConfiguration(codec: codec, pageRows: 700))
        let report = try await ParquetReaders.read(path)
        Self.expectValues(report, table)
        #expect(report.pyarrow.columns["value"]?[3] == ParquetTestTable.maxUInt256)
        #expect(report.duckdb.columns["input"]?[7]?.utf8.count == 200_002)
        let chunks = report.metadata.rowGroups.flatMap(\.columns)
        #expect(!chunks.isEmpty && chunks.allSatisfy { $0.compression == name }, "pyarrow codecs: \(Set(chunks.map(\.compression)))")
        #expect(report.duckdb.chunks.count == chunks.count && report.duckdb.chunks.allSatisfy { $0.compression == name })
    }

    @Test("the schema carries physical, logical and converted types, and nullability")
    func schemaTypes() async throws {
        let table = ParquetTestTable.sample(rows: 40)
        let path = try ParquetReaders.temporaryPath("types.parquet")
        defer { ParquetReaders.removeTemporary(path) }
        try table.write(to: path)
        let report = try await ParquetReaders.read(path)
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
    func manyRowGroups() async throws {
        let table = ParquetTestTable.sample(rows: 10_500)
        let path = try ParquetReaders.temporaryPath("groups.parquet")
        defer { ParquetReaders.removeTemporary(path) }
        let writer = try table.write(to: path, configuration: ParquetWriterConfiguration(rowGroupRows: 1_000, pageRows: 300), batchRows: 250)
        let report = try await ParquetReaders.read(path)
        Self.expectValues(report, table)
        #expect(report.metadata.numRowGroups == 11 && writer.rowGroupCount == 11)
        #expect(report.metadata.rowGroups.map(\.numRows) == Array(repeating: 1_000, count: 10) + [500])
        for group in report.metadata.rowGroups {
            #expect(group.columns.allSatisfy { $0.numValues == group.numRows })
        }
    }

    @Test("row groups are also cut by their size in bytes")
    func rowGroupsBySize() async throws {
        let table = ParquetTestTable.sample(rows: 3_000)
        let path = try ParquetReaders.temporaryPath("bytes.parquet")
        defer { ParquetReaders.removeTemporary(path) }
        // Row 7's calldata alone exceeds 64 KiB: its batch becomes a row group of its own size.
        try table.write(to: path, configuration: ParquetWriterConfiguration(rowGroupBytes: 64 << 10), batchRows: 10)
        let report = try await ParquetReaders.read(path)
        Self.expectValues(report, table)
        #expect(report.metadata.numRowGroups > 5)
        #expect(report.metadata.rowGroups.first?.numRows == 10)
        #expect(report.metadata.rowGroups.map(\.numRows).reduce(0, +) == 3_000)
    }

    @Test("a file with zero rows is valid and keeps its schema")
    func zeroRows() async throws {
        let table = ParquetTestTable.sample(rows: 0)
        let path = try ParquetReaders.temporaryPath("empty.parquet")
        defer { ParquetReaders.removeTemporary(path) }
        let writer = try table.write(to: path)
        let report = try await ParquetReaders.read(path)
        #expect(writer.rowGroupCount == 0)
        #expect(report.metadata.numRows == 0 && report.metadata.numRowGroups == 0)
        for reader in report.readers {
            #expect(reader.rows == 0, "\(reader.name)")
            #expect(reader.columns.count == 12 && reader.columns.values.allSatisfy(\.isEmpty), "\(reader.name)")
        }
        #expect(report.duckdb.types.count == 12 && report.duckdb.types["seen_at"] == "TIMESTAMP WITH TIME ZONE")
    }

    @Test("decimal columns: 38-digit amounts, negatives and fractions read back exactly, with true min and max; an all-null column has no bounds")
    func decimals() async throws {
        let nines = String(repeating: "9", count: 38)
        let amounts = ["0", nines, "-" + nines, "1", "-1", "100000000000000000000", "123456789012345678901234567890", "1", "1", "1"]
        let prices = ["-12.34", "0.05", "99999999.99", "1.50", "-0.01", "0.00", "1.50", "1.50", "1.50", "1.50"]
        let rows = 2_000
        let table = ParquetTestTable(
            columns: [
                ParquetColumn("amount", .decimal(precision: 38, scale: 0), nullable: true),
                ParquetColumn("price", .decimal(precision: 10, scale: 2)),
                ParquetColumn("small", .decimal(precision: 4, scale: 1)),
                ParquetColumn("never", .decimal(precision: 20, scale: 0), nullable: true),
            ],
            values: [
                (0..<rows).map { $0 % 11 == 10 ? nil : .decimal(amounts[$0 % amounts.count]) },
                (0..<rows).map { .decimal(prices[$0 % prices.count]) },
                (0..<rows).map { .decimal($0 % 2 == 0 ? "999.9" : "-\($0 % 1_000).\($0 % 10)") },
                Array(repeating: nil, count: rows),
            ]
        )
        let path = try ParquetReaders.temporaryPath("decimals.parquet")
        defer { ParquetReaders.removeTemporary(path) }
        try table.write(to: path, configuration: ParquetWriterConfiguration(rowGroupRows: 1_000))
        let report = try await ParquetReaders.read(path)
        Self.expectValues(report, table)
        #expect(report.metadata.physicalTypes == Array(repeating: "FIXED_LEN_BYTE_ARRAY", count: 4))
        #expect(report.metadata.logicalTypes == ["Decimal(precision=38, scale=0)", "Decimal(precision=10, scale=2)", "Decimal(precision=4, scale=1)", "Decimal(precision=20, scale=0)"])
        #expect(report.duckdb.types == ["amount": "DECIMAL(38,0)", "price": "DECIMAL(10,2)", "small": "DECIMAL(4,1)", "never": "DECIMAL(20,0)"])
        var start = 0
        for group in report.metadata.rowGroups {
            let rows = start..<(start + group.numRows)
            start += group.numRows
            for (index, chunk) in group.columns.enumerated() {
                #expect(chunk.nullCount == table.nullCount(index, rows: rows))
                guard let bounds = table.bounds(index, rows: rows) else {
                    #expect(chunk.column == "never" && !chunk.hasMinMax && chunk.nullCount == group.numRows)
                    continue
                }
                #expect(chunk.min == bounds.min && chunk.max == bounds.max, "\(chunk.column): \(chunk.min ?? "nil")…\(chunk.max ?? "nil"), true \(bounds.min)…\(bounds.max)")
            }
            #expect(group.columns[0].min == "-" + nines && group.columns[0].max == nines)
            #expect(group.columns[1].hasDictionaryPage, "repeated prices are dictionary-encoded")
        }
    }
}
