// Export rows written as Parquet: read back by pyarrow, fastparquet and DuckDB equal to the CSV
// the same rows make; values that do not fit their column are refused by name.

import Foundation
import Testing
@testable import Shared

@Suite("Parquet row writer")
struct ParquetRowWriterTests {
    static let maxUInt256 = "115792089237316195423570985008687907853269984665640564039457584007913129639935"

    /// Row `index` of an entity, every value chosen from the column's table entry: nulls in
    /// nullable columns every third row, empty strings and lists, commas, quotes, line breaks,
    /// non-ASCII text, the maximal uint256, negative and large integers, both booleans.
    static func row(_ entity: ExportEntity, _ index: Int) -> ExportRow {
        let columns = EntityColumns.of(entity)
        let values = columns.columns.enumerated().map { position, column -> ExportValue in
            if column.isNullable, (index + position) % 3 == 0 { return .null }
            switch column.type {
            case .integer:
                let number: Int64 = column.name.contains("timestamp") ? 1_438_269_988 + Int64(index) * 13
                    : index % 7 == 0 ? Int64.max - Int64(index) : Int64(index * 1_000 + position)
                return .number(String(number))
            case .wei: return .number(index % 4 == 1 ? "0" : "\(UInt64(index) &* 1_000_000_007)000000000000")
            case .uint256: return .number(index % 5 == 2 ? maxUInt256 : String(index * 3))
            case .boolean: return .bool((index + position) % 2 == 0)
            case .timestamp: return .number(String(1_700_000_000 + index))
            case .text:
                if column.name == "withdrawals" {
                    return .objects((0..<(index % 3)).map { item in
                        ExportObject(["index": .number(String(item)), "address": .text("0xab,\(item)"), "amount": .number("32000000000")])
                    })
                }
                if column.name == "trace_address" { return .numbers((0..<(index % 4)).map(String.init)) }
                if column.rendering == .list { return .texts((0..<(index % 3)).map { "0x\(String(repeating: "ab", count: 32 - $0))" }) }
                switch index % 6 {
                case 0: return .text("")
                case 1: return .text("a,b \"quoted\"\r\nline")
                case 2: return .text("Ünïcödé ✓ \(column.name)")
                case 3: return .text("0x" + String(repeating: "0123456789abcdef", count: 4 + index % 50))
                default: return .text("0x\(String(index, radix: 16))")
                }
            }
        }
        return ExportRow(entity, values)
    }

    /// A Parquet reader's value as the CSV cell of the same row: null and "" are both empty,
    /// booleans `True`/`False`, TIMESTAMP milliseconds back to ethereum-etl's unix seconds.
    static func csvCell(_ value: String?, _ type: ParquetColumnType) -> String {
        guard let value else { return "" }
        switch type {
        case .boolean: return value == "true" ? "True" : value == "false" ? "False" : "bad boolean \(value)"
        case .timestamp(.milliseconds): return Int64(value).map { String($0 / 1_000) } ?? "bad timestamp \(value)"
        default: return value
        }
    }

    /// Every reader's values of every Parquet column equal the CSV's cells of its source column,
    /// and its nulls are exactly the rows' nulls (an empty string stays a string).
    static func expectEqual(_ report: ParquetReport, csv: CSVTable, rows: [ExportRow], entity: ExportEntity, sourceLocation: SourceLocation = #_sourceLocation) {
        let parquet = EntityParquetSchema.of(entity)
        #expect(csv.header == parquet.columns.names, sourceLocation: sourceLocation)
        for reader in report.readers {
            #expect(reader.rows == csv.rows.count, "\(entity.rawValue): \(reader.name) read \(reader.rows) rows", sourceLocation: sourceLocation)
            for field in parquet.fields {
                let name = field.column.name
                let got = reader.columns[name] ?? []
                let cells = got.map { csvCell($0, field.column.type) }
                let wanted = csv.rows.map { $0[field.source] }
                if cells != wanted {
                    let row = (0..<min(cells.count, wanted.count)).first { cells[$0] != wanted[$0] } ?? min(cells.count, wanted.count)
                    Issue.record("\(entity.rawValue).\(name) by \(reader.name), row \(row) of \(got.count): got \(row < cells.count ? cells[row].prefix(80) : "nothing"), CSV has \(row < wanted.count ? wanted[row].prefix(80) : "nothing")", sourceLocation: sourceLocation)
                }
                let nulls = got.indices.filter { got[$0] == nil }
                let rowNulls = rows.indices.filter { rows[$0].values[field.source] == .null }
                #expect(nulls == rowNulls, "\(entity.rawValue).\(name) by \(reader.name): nulls", sourceLocation: sourceLocation)
            }
        }
    }

    @Test("rows of all eight entities read back by three readers equal their CSV, over many row groups",
          .enabled(if: ParquetReaders.python != nil, ParquetReaders.skipReason))
    func allEntitiesEqualCSV() async throws {
        for entity in ExportEntity.allCases {
            let rows = (0..<1_500).map { Self.row(entity, $0) }
            let path = try ParquetReaders.temporaryPath("\(entity.rawValue).parquet")
            defer { ParquetReaders.removeTemporary(path) }
            // 64 KiB row groups: many of them, each with the dictionary and its PLAIN fallback.
            let writer = try ParquetRowWriter(.of(entity), output: ParquetFileOutput(path: path),
                                              configuration: ParquetWriterConfiguration(rowGroupBytes: 64 << 10, pageRows: 300))
            try writer.write(contentsOf: rows)
            try writer.finish()
            #expect(writer.rowCount == rows.count)
            #expect(writer.byteCount == (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int))
            let csv = MemorySink()
            let csvWriter = CSVRowWriter(.of(entity), to: csv)
            try csvWriter.write(contentsOf: rows)
            try csvWriter.finish()
            let report = try await ParquetReaders.read(path)
            #expect(report.metadata.numRowGroups > 3, "\(entity.rawValue): \(report.metadata.numRowGroups) row groups")
            Self.expectEqual(report, csv: CSVTable(csv.text), rows: rows, entity: entity)
        }
    }

    @Test("a null in a non-nullable column or text in an INT64 column fails the row, naming the column")
    func refusesValuesThatDoNotFit() throws {
        var row = Self.row(.transactions, 1)
        let nonce = try #require(EntityColumns.transactions.index(of: "nonce"))
        row.values[nonce] = .text("0x1")
        let writer = try ParquetRowWriter(.transactions, output: ParquetMemoryOutput())
        let error = #expect(throws: ExportError.self) { try writer.write(row) }
        #expect(error?.code == .valueType && error?.field == "nonce", "\(String(describing: error))")
        #expect(error?.message.contains("transactions.nonce is int64") == true, "\(String(describing: error))")

        var missing = Self.row(.blocks, 1)
        let hash = try #require(EntityColumns.blocks.index(of: "hash"))
        missing.values[hash] = .null
        let blocks = try ParquetRowWriter(.blocks, output: ParquetMemoryOutput())
        let nullError = #expect(throws: ExportError.self) { try blocks.write(missing) }
        #expect(nullError?.code == .valueType && nullError?.field == "hash" && nullError?.message.contains("not nullable") == true,
                "\(String(describing: nullError))")
        #expect(nullError?.isRetryable == false)
    }

    @Test("a writer made from a sink hands the whole Parquet file to it")
    func writerFromSink() throws {
        let sink = MemorySink()
        let writer = try RowFormat.parquet.makeWriter(.logs, to: sink)
        try writer.write(contentsOf: (0..<10).map { Self.row(.logs, $0) })
        try writer.finish()
        #expect(sink.bytes.count == writer.byteCount)
        #expect(Array(sink.bytes.prefix(4)) == Array("PAR1".utf8) && Array(sink.bytes.suffix(4)) == Array("PAR1".utf8))
    }
}
