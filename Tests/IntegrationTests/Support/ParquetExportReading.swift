// Reads an exported Parquet file with pyarrow, fastparquet and DuckDB, beside the CSV export of
// the same blocks (Tests/SharedTests/Lake/parquet_read.py), and compares the two.

import Foundation
import TestSupport
import Shared
import Testing

/// What parquet_read.py reports: each reader's values as strings (nil for null), pyarrow's
/// schema, and the CSV as Python's csv module reads it.
struct ParquetExportReport: Decodable {
    struct Reader: Decodable {
        let numRows: Int
        let columns: [String: [String?]]
    }

    struct Field: Decodable, Equatable {
        let name: String
        let type: String
        let nullable: Bool
    }

    struct Arrow: Decodable {
        let numRows: Int
        let columns: [String: [String?]]
        let schema: [Field]
    }

    struct CSV: Decodable {
        let header: [String]
        let rows: [[String]]
    }

    let pyarrow: Arrow
    let fastparquet: Reader
    let duckdb: Reader
    let csv: CSV

    var readers: [(name: String, rows: Int, columns: [String: [String?]])] {
        [("pyarrow", pyarrow.numRows, pyarrow.columns), ("fastparquet", fastparquet.numRows, fastparquet.columns),
         ("duckdb", duckdb.numRows, duckdb.columns)]
    }

    /// The Python with pyarrow, fastparquet and DuckDB (scripts/parquet-venv; scripts/test sets it).
    static let python: String? = {
        guard let python = ProcessInfo.processInfo.environment["BLOCKFLEET_PARQUET_PYTHON"], !python.isEmpty else { return nil }
        return python
    }()

    static let skipReason: Comment = "BLOCKFLEET_PARQUET_PYTHON is not set: run the tests with scripts/test (scripts/parquet-venv)"

    /// Reads `parquet` with the three readers and `csv` with Python's csv module.
    static func read(_ parquet: URL, csv: URL) async throws -> ParquetExportReport {
        let python = try #require(python)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("SharedTests/Lake/parquet_read.py").path
        let result = try await ChildProcess.run(python, [script, parquet.path, csv.path])
        try #require(result.status == 0, "the readers refused \(parquet.path): \(result.stderrText)")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(ParquetExportReport.self, from: result.stdout)
    }

    /// A reader's value as the CSV cell of the same row: null and "" are both empty, booleans
    /// `True`/`False`, TIMESTAMP milliseconds back to ethereum-etl's unix seconds.
    static func csvCell(_ value: String?, _ type: ParquetColumnType) -> String {
        guard let value else { return "" }
        switch type {
        case .boolean: return value == "true" ? "True" : value == "false" ? "False" : "bad boolean \(value)"
        case .timestamp(.milliseconds): return Int64(value).map { String($0 / 1_000) } ?? "bad timestamp \(value)"
        default: return value
        }
    }

    /// Every reader's row count, schema and values equal the CSV export of `entity`; returns the
    /// count of nulls and of empty strings seen (by pyarrow) so callers can check both occurred.
    @discardableResult
    func expectEqualToCSV(_ entity: ExportEntity, sourceLocation: SourceLocation = #_sourceLocation) -> (nulls: Int, emptyStrings: Int) {
        let parquet = EntityParquetSchema.of(entity)
        let arrowType = { (type: ParquetColumnType) -> String in
            switch type {
            case .int64: "int64"
            case .string: "string"
            case .boolean: "bool"
            case .timestamp(.milliseconds): "timestamp[ms, tz=UTC]"
            default: "unexpected \(type)"
            }
        }
        let schema = parquet.schema.columns.map { Field(name: $0.name, type: arrowType($0.type), nullable: $0.nullable) }
        #expect(pyarrow.schema == schema, "\(entity.rawValue) schema", sourceLocation: sourceLocation)
        // ethereum-etl writes no header for an entity without rows.
        #expect(csv.header == (csv.rows.isEmpty ? [] : parquet.columns.names), "\(entity.rawValue) CSV header", sourceLocation: sourceLocation)
        var nulls = 0, empty = 0
        for reader in readers {
            #expect(reader.rows == csv.rows.count, "\(entity.rawValue): \(reader.name) read \(reader.rows) rows, CSV has \(csv.rows.count)", sourceLocation: sourceLocation)
            for field in parquet.fields {
                let got = reader.columns[field.column.name] ?? []
                let cells = got.map { Self.csvCell($0, field.column.type) }
                let wanted = csv.rows.map { $0[field.source] }
                if cells != wanted {
                    let row = (0..<min(cells.count, wanted.count)).first { cells[$0] != wanted[$0] } ?? min(cells.count, wanted.count)
                    Issue.record("\(entity.rawValue).\(field.column.name) by \(reader.name), row \(row) of \(got.count): got \(row < cells.count ? String(cells[row].prefix(80)) : "nothing"), CSV has \(row < wanted.count ? String(wanted[row].prefix(80)) : "nothing")", sourceLocation: sourceLocation)
                }
                if !field.column.nullable {
                    #expect(!got.contains(nil), "\(entity.rawValue).\(field.column.name) by \(reader.name): a null in a non-nullable column", sourceLocation: sourceLocation)
                }
                if reader.name == "pyarrow" {
                    nulls += got.count { $0 == nil }
                    empty += got.count { $0 == "" }
                }
            }
        }
        return (nulls, empty)
    }
}

/// Two Parquet files compared by pyarrow: schema and every value (`Table.equals`), whatever
/// their row groups, pages or encodings.
struct ParquetValueComparison: Decodable {
    let rows: Int
    let otherRows: Int
    let sameSchema: Bool
    let sameValues: Bool
    /// The first column whose values differ, if any.
    let firstDifference: String?

    /// Compares each pair of files (`[(ours, reference)]`) in one Python process.
    static func compare(_ pairs: [(URL, URL)]) async throws -> [ParquetValueComparison] {
        let python = try #require(ParquetExportReport.python)
        let script = """
        import json, sys
        import pyarrow.parquet as pq
        out = []
        paths = sys.argv[1:]
        for a, b in zip(paths[0::2], paths[1::2]):
            ta, tb = pq.read_table(a), pq.read_table(b)
            first = next((n for n in ta.column_names if n not in tb.column_names or not ta.column(n).equals(tb.column(n))), None)
            out.append({"rows": ta.num_rows, "other_rows": tb.num_rows, "same_schema": ta.schema.equals(tb.schema),
                        "same_values": ta.equals(tb), "first_difference": first})
        json.dump(out, sys.stdout)
        """
        let result = try await ChildProcess.run(python, ["-c", script] + pairs.flatMap { [$0.0.path, $0.1.path] })
        try #require(result.status == 0, "pyarrow could not read the files: \(result.stderrText)")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode([ParquetValueComparison].self, from: result.stdout)
    }
}
