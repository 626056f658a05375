// A table of known values to write with the Parquet writer and compare with what readers see.

import Foundation
@testable import Shared

/// One test value, as appended and as the readers report it.
enum ParquetTestValue: Hashable {
    case int(Int64)
    case text(String)
    case bytes([UInt8])
    case bool(Bool)
    /// Decimal text in the form readers print it (scale digits after the point).
    case decimal(String)

    /// The form parquet_read.py prints.
    var reported: String {
        switch self {
        case .int(let value): String(value)
        case .text(let value): value
        case .bytes(let value): "0x" + value.map { String(format: "%02x", $0) }.joined()
        case .bool(let value): value ? "true" : "false"
        case .decimal(let value): value
        }
    }

    /// Parquet's order for statistics: signed integers, unsigned bytewise for text and bytes.
    static func isLess(_ a: ParquetTestValue, _ b: ParquetTestValue) -> Bool {
        switch (a, b) {
        case (.int(let x), .int(let y)): x < y
        case (.text(let x), .text(let y)): Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8))
        case (.bytes(let x), .bytes(let y)): x.lexicographicallyPrecedes(y)
        case (.bool(let x), .bool(let y)): !x && y
        case (.decimal(let x), .decimal(let y)): Decimal(string: x)! < Decimal(string: y)!
        default: false
        }
    }
}

/// Columns with their values (nil for null), written through `ParquetWriter`.
struct ParquetTestTable {
    var columns: [ParquetColumn]
    var values: [[ParquetTestValue?]]

    var rowCount: Int { values.first?.count ?? 0 }

    /// Writes the table to `path`, ending a batch every `batchRows` rows.
    @discardableResult
    func write(to path: String, configuration: ParquetWriterConfiguration = ParquetWriterConfiguration(), batchRows: Int = 100) throws -> ParquetWriter {
        let writer = try ParquetWriter(schema: ParquetSchema(columns), output: ParquetFileOutput(path: path), configuration: configuration)
        for row in 0..<rowCount {
            for (index, buffer) in writer.columns.enumerated() {
                switch values[index][row] {
                case nil: buffer.appendNull()
                case .int(let value)?: buffer.append(value)
                case .text(let value)?: buffer.append(value)
                case .bytes(let value)?: buffer.append(bytes: value)
                case .bool(let value)?: buffer.append(value)
                case .decimal(let value)?: buffer.append(value)
                }
            }
            if row % batchRows == batchRows - 1 { try writer.endBatch() }
        }
        try writer.finish()
        return writer
    }

    /// Each column's values as the readers should report them.
    var expected: [String: [String?]] {
        Dictionary(uniqueKeysWithValues: zip(columns, values).map { column, values in (column.name, values.map { $0?.reported }) })
    }

    /// The true min and max of `column` over `rows`, as reported, or nil when all are null.
    func bounds(_ column: Int, rows: Range<Int>) -> (min: String, max: String)? {
        let present = values[column][rows].compactMap { $0 }
        guard var low = present.first, var high = present.first else { return nil }
        for value in present {
            if ParquetTestValue.isLess(value, low) { low = value }
            if ParquetTestValue.isLess(high, value) { high = value }
        }
        return (low.reported, high.reported)
    }

    func nullCount(_ column: Int, rows: Range<Int>) -> Int {
        values[column][rows].filter { $0 == nil }.count
    }
}
