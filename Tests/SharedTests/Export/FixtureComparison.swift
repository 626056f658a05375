// Compares produced output with ethereum-etl's expected files, as its tests do: row order ignored.

import Foundation
import Testing
@testable import Shared

/// ethereum-etl's `compare_lines_ignore_order`, extended for our wider 2.4.x column set: the
/// expected files predate the EIP-4844 columns, so values are compared by column name over the
/// expected columns, and each line byte for byte once our extra (empty) columns are accounted for.
enum FixtureComparison {
    /// Writes rows through the real writer of a format and returns the bytes as text.
    static func render(_ rows: [ExportRow], _ columns: EntityColumns, as format: RowFormat) throws -> String {
        let sink = MemorySink()
        let writer = try format.makeWriter(columns, to: sink)
        try writer.write(contentsOf: rows)
        try writer.finish()
        #expect(writer.rowCount == rows.count)
        #expect(writer.byteCount == sink.bytes.count)
        return sink.text
    }

    static func expectCSV(_ produced: String, matches expected: String, _ columns: EntityColumns,
                          sourceLocation: SourceLocation = #_sourceLocation) {
        guard !expected.isEmpty else {
            // ethereum-etl writes the header with the first row: no rows, empty file.
            #expect(produced.isEmpty, "expected an empty file", sourceLocation: sourceLocation)
            return
        }
        let wanted = CSVTable(expected)
        let got = CSVTable(produced)
        #expect(got.header == columns.names, "our header is the declared 2.4.x column list", sourceLocation: sourceLocation)
        let unknown = wanted.header.filter { columns.index(of: $0) == nil }
        #expect(unknown.isEmpty, "expected columns we do not declare: \(unknown)", sourceLocation: sourceLocation)
        #expect(got.rows.count == wanted.rows.count, sourceLocation: sourceLocation)
        #expect(got.projected(onto: wanted.header) == wanted.projected(onto: wanted.header), sourceLocation: sourceLocation)

        // Python's csv ends every line with \r\n (the stored fixtures were normalized to \n).
        #expect(produced.hasSuffix("\r\n"), sourceLocation: sourceLocation)
        #expect(!produced.replacingOccurrences(of: "\r\n", with: "").contains("\n"), sourceLocation: sourceLocation)

        // The columns the fixture lacks are trailing and empty for these pre-4844 blocks, so each
        // of our lines is the expected line plus one comma per extra column: a byte-exact check.
        let extra = columns.names.filter { !wanted.header.contains($0) }
        #expect(Array(columns.names.prefix(wanted.header.count)) == wanted.header, sourceLocation: sourceLocation)
        let suffix = String(repeating: ",", count: extra.count)
        let wantedLines = lines(expected).dropFirst().map { $0 + suffix }.sorted()
        let gotLines = lines(produced).dropFirst().sorted()
        #expect(gotLines == wantedLines, sourceLocation: sourceLocation)
    }

    static func expectJSON(_ produced: String, matches expected: String, _ columns: EntityColumns,
                           sourceLocation: SourceLocation = #_sourceLocation) {
        let wanted = lines(expected).map(JSONLine.init)
        let got = lines(produced).map(JSONLine.init)
        #expect(got.count == wanted.count, sourceLocation: sourceLocation)
        for line in got {
            #expect(line.keys == columns.names, "keys in declared column order", sourceLocation: sourceLocation)
        }
        guard let wantedKeys = wanted.first?.keys else { return }
        func projected(_ lines: [JSONLine]) -> [[String]] {
            lines.map { line in wantedKeys.map { line.values[$0] ?? "<missing key>" } }
                .sorted { $0.lexicographicallyPrecedes($1) }
        }
        #expect(projected(got) == projected(wanted), sourceLocation: sourceLocation)

        // Byte-exact: our line is the expected line with the extra (null) keys before the brace.
        let extra = columns.names.filter { !wantedKeys.contains($0) }.map { ", \"\($0)\": null" }.joined()
        let wantedLines = lines(expected).map { String($0.dropLast()) + extra + "}" }.sorted()
        #expect(lines(produced).sorted() == wantedLines, sourceLocation: sourceLocation)
        #expect(produced.hasSuffix("}\n") && !produced.contains("\r"), sourceLocation: sourceLocation)
    }

    /// Non-empty lines without their terminators.
    static func lines(_ text: String) -> [String] {
        text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n").map(String.init)
    }
}
