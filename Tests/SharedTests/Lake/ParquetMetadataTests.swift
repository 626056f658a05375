// The footer as readers see it: statistics per column chunk, dictionary pages, encodings.

import Foundation
import Testing
@testable import Shared

@Suite("Parquet footers: statistics and dictionary pages as pyarrow and DuckDB read them", .enabled(if: ParquetReaders.python != nil, ParquetReaders.skipReason))
struct ParquetMetadataTests {
    @Test("every column chunk's min, max and null count equal the true ones (signed integers, bytewise text)")
    func statistics() async throws {
        let table = ParquetTestTable.sample(rows: 3_000)
        let path = try ParquetReaders.temporaryPath("stats.parquet")
        defer { ParquetReaders.removeTemporary(path) }
        try table.write(to: path, configuration: ParquetWriterConfiguration(rowGroupRows: 1_000))
        let report = try await ParquetReaders.read(path)
        #expect(report.metadata.numRowGroups == 3)
        var start = 0
        var checked = 0
        for (groupIndex, group) in report.metadata.rowGroups.enumerated() {
            let rows = start..<(start + group.numRows)
            start += group.numRows
            for (index, chunk) in group.columns.enumerated() {
                let name = table.columns[index].name
                #expect(chunk.column == name)
                #expect(chunk.nullCount == table.nullCount(index, rows: rows), "\(name) null count in group \(groupIndex)")
                let bounds = try #require(table.bounds(index, rows: rows))
                // Row 7's 100 KB calldata is too long to be a bound: its chunk has no min/max.
                if max(bounds.min.utf8.count, bounds.max.utf8.count) > 4_096 {
                    #expect(name == "input" && rows.contains(7) && !chunk.hasMinMax, "\(name) min/max in group \(groupIndex)")
                    continue
                }
                #expect(chunk.hasMinMax, "\(name) has min/max in group \(groupIndex)")
                #expect(chunk.min == bounds.min && chunk.max == bounds.max, "\(name) group \(groupIndex): \(chunk.min ?? "nil")…\(chunk.max ?? "nil"), true \(bounds.min)…\(bounds.max)")
                checked += 1
            }
        }
        #expect(checked == 3 * 12 - 1)
        // The bounds that show the orders: Int64.min/max in the first group, "🦄" above "z" bytewise.
        let first = report.metadata.rowGroups[0].columns
        #expect(first[1].min == String(Int64.min) && first[1].max == String(Int64.max))
        #expect(first[11].min == "" && first[11].max == "🦄")
        #expect(first[8].min == "false" && first[8].max == "true")
        // DuckDB reads the same statistics for integer and text columns.
        for chunk in report.duckdb.chunks where ["block_number", "nonce", "hash", "label", "from_address"].contains(chunk.column) {
            let pyarrow = report.metadata.rowGroups[chunk.rowGroup].columns.first { $0.column == chunk.column }
            #expect(chunk.min == pyarrow?.min && chunk.max == pyarrow?.max && chunk.nullCount == pyarrow?.nullCount, "duckdb \(chunk.column) group \(chunk.rowGroup)")
        }
    }

    @Test("repeated columns get a dictionary page and RLE_DICTIONARY, unique ones stay PLAIN")
    func dictionaryPages() async throws {
        let table = ParquetTestTable.sample(rows: 3_000)
        let path = try ParquetReaders.temporaryPath("dictionary.parquet")
        defer { ParquetReaders.removeTemporary(path) }
        try table.write(to: path)
        let report = try await ParquetReaders.read(path)
        ParquetRoundTripTests.expectValues(report, table)
        let chunks = Dictionary(uniqueKeysWithValues: try #require(report.metadata.rowGroups.first).columns.map { ($0.column, $0) })
        for repeated in ["block_number", "from_address", "to_address", "block_timestamp", "label"] {
            let chunk = try #require(chunks[repeated])
            #expect(chunk.hasDictionaryPage && chunk.encodings.contains("RLE_DICTIONARY"), "\(repeated): \(chunk.encodings)")
        }
        for unique in ["hash", "seen_at", "success"] {
            let chunk = try #require(chunks[unique])
            #expect(!chunk.hasDictionaryPage && !chunk.encodings.contains("RLE_DICTIONARY"), "\(unique): \(chunk.encodings)")
        }
        let duckdb = Dictionary(uniqueKeysWithValues: report.duckdb.chunks.map { ($0.column, $0.hasDictionaryPage) })
        #expect(duckdb["from_address"] == true && duckdb["hash"] == false)
    }

    @Test("a dictionary that outgrows its limit falls back to PLAIN for the chunk, values intact")
    func dictionaryFallback() async throws {
        // 1,000 distinct addresses, each five times (46 KB of dictionary), and 2,000 distinct integers (16 KB).
        let addresses = (0..<1_000).map { "0x" + ParquetTestTable.hex(seed: UInt64($0), bytes: 20) }
        let table = ParquetTestTable(
            columns: [ParquetColumn("address", .string), ParquetColumn("count", .int64)],
            values: [(0..<5_000).map { .text(addresses[$0 % 1_000]) }, (0..<5_000).map { .int(Int64($0 % 2_000)) }]
        )
        for (limit, expectDictionary) in [(1 << 20, true), (8 << 10, false)] {
            let path = try ParquetReaders.temporaryPath("fallback.parquet")
            defer { ParquetReaders.removeTemporary(path) }
            try table.write(to: path, configuration: ParquetWriterConfiguration(dictionaryPageBytes: limit))
            let report = try await ParquetReaders.read(path)
            ParquetRoundTripTests.expectValues(report, table)
            let chunks = try #require(report.metadata.rowGroups.first).columns
            #expect(chunks.allSatisfy { $0.hasDictionaryPage == expectDictionary }, "limit \(limit): \(chunks.map(\.encodings))")
        }
    }
}
