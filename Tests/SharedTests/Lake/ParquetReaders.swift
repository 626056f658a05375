// Runs the independent Parquet readers (pyarrow, fastparquet, DuckDB) over a written file.

import Foundation
import TestSupport
import Testing

/// What parquet_read.py reports about one file: each reader's values, and the footer as
/// pyarrow and DuckDB see it. Values are strings (or nil for null), as the script documents.
struct ParquetReport: Decodable {
    struct Reader: Decodable {
        let numRows: Int
        let columns: [String: [String?]]
        /// pyarrow's schema (name, Arrow type, nullable); fastparquet reports none.
        let schema: [Field]?
    }

    struct Field: Decodable, Equatable {
        let name: String
        let type: String
        let nullable: Bool
    }

    struct Chunk: Decodable {
        let column: String
        let compression: String
        let encodings: [String]
        let hasDictionaryPage: Bool
        let numValues: Int
        let hasMinMax: Bool
        let nullCount: Int?
        let min: String?
        let max: String?
    }

    struct RowGroup: Decodable {
        let numRows: Int
        let columns: [Chunk]
    }

    struct Metadata: Decodable {
        let numRows: Int
        let numRowGroups: Int
        let createdBy: String
        let rowGroups: [RowGroup]
        let logicalTypes: [String]
        let convertedTypes: [String]
        let physicalTypes: [String]
    }

    struct DuckDBChunk: Decodable {
        let rowGroup: Int
        let column: String
        let compression: String
        let min: String?
        let max: String?
        let nullCount: Int?
        let hasDictionaryPage: Bool
    }

    struct DuckDB: Decodable {
        let numRows: Int
        let columns: [String: [String?]]
        let types: [String: String]
        let chunks: [DuckDBChunk]
    }

    let pyarrow: Reader
    let fastparquet: Reader
    let duckdb: DuckDB
    let metadata: Metadata

    /// The three readers' values, by reader name.
    var readers: [(name: String, rows: Int, columns: [String: [String?]])] {
        [("pyarrow", pyarrow.numRows, pyarrow.columns), ("fastparquet", fastparquet.numRows, fastparquet.columns),
         ("duckdb", duckdb.numRows, duckdb.columns)]
    }
}

enum ParquetReaders {
    /// The Python with pyarrow, fastparquet and DuckDB (scripts/parquet-venv; scripts/test sets it).
    static let python: String? = {
        guard let python = ProcessInfo.processInfo.environment["BLOCKFLEET_PARQUET_PYTHON"], !python.isEmpty else { return nil }
        return python
    }()

    static let skipReason: Comment = "BLOCKFLEET_PARQUET_PYTHON is not set: run the tests with scripts/test, which installs pyarrow, fastparquet and DuckDB (scripts/parquet-venv)"

    /// Reads `path` with the three readers; fails if any of them refuses the file.
    static func read(_ path: String) async throws -> ParquetReport {
        let python = try #require(python)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("parquet_read.py").path
        let result = try await ChildProcess.run(python, [script, path])
        try #require(result.status == 0, "the readers refused \(path): \(result.stderrText)")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(ParquetReport.self, from: result.stdout)
    }

    /// Removes the folder `temporaryPath` made for `path`.
    static func removeTemporary(_ path: String) {
        try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path)
    }

    /// A fresh path in a temporary folder for one test's file.
    static func temporaryPath(_ name: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parquet-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent(name).path
    }
}
