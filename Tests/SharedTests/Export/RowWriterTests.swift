// CSV and JSON-lines writing: quoting, escaping, booleans, lists, headers and buffering.

import Foundation
import Testing
@testable import Shared

@Suite("row writers")
struct RowWriterTests {
    /// A tokens row (6 columns) with the given symbol and name, the rest plain.
    static func tokenRow(symbol: ExportValue, name: ExportValue) -> ExportRow {
        ExportRow(.tokens, [.text("0xabc"), symbol, name, .number("18"), .null, .number("1")])
    }

    static func render(_ rows: [ExportRow], _ columns: EntityColumns, _ format: RowFormat) throws -> String {
        let sink = MemorySink()
        let writer = try format.makeWriter(columns, to: sink)
        try writer.write(contentsOf: rows)
        try writer.finish()
        return sink.text
    }

    @Test("CSV quotes only fields with a comma, quote or line break, doubling quotes (QUOTE_MINIMAL)")
    func csvQuoting() throws {
        let rows = [
            Self.tokenRow(symbol: .text("a,b"), name: .text(#"say "hi""#)),
            Self.tokenRow(symbol: .text("line\nbreak"), name: .text("cr\rx")),
            Self.tokenRow(symbol: .text(" spaced "), name: .text("")),
        ]
        let lines = try Self.render(rows, .tokens, .csv).components(separatedBy: "\r\n")
        #expect(lines[0] == "address,symbol,name,decimals,total_supply,block_number")
        #expect(lines[1] == #"0xabc,"a,b","say ""hi""",18,,1"#)
        #expect(lines[2] == "0xabc,\"line\nbreak\",\"cr\rx\",18,,1")
        #expect(lines.last == "" && lines[lines.count - 2] == "0xabc, spaced ,,18,,1")
        // And our own reader (Python csv rules) gets the values back.
        let table = CSVTable(try Self.render(rows, .tokens, .csv))
        #expect(table.rows.map { $0[1] } == ["a,b", "line\nbreak", " spaced "])
        #expect(table.rows.map { $0[2] } == [#"say "hi""#, "cr\rx", ""])
    }

    @Test("booleans are True/False in CSV and true/false in JSON; null is empty and null")
    func booleansAndNull() throws {
        let row = ExportRow(.contracts, [.text("0xabc"), .text("0x60"), .texts(["0x06fdde03", "0x095ea7b3"]), .bool(true), .bool(false), .null])
        let csv = try Self.render([row], .contracts, .csv)
        #expect(csv.hasSuffix("0xabc,0x60,\"0x06fdde03,0x095ea7b3\",True,False,\r\n"))
        let json = try Self.render([row], .contracts, .json)
        #expect(json == #"{"address": "0xabc", "bytecode": "0x60", "function_sighashes": ["0x06fdde03", "0x095ea7b3"], "is_erc20": true, "is_erc721": false, "block_number": null}"# + "\n")
    }

    @Test("lists: one item unquoted, empty list empty in CSV and [] in JSON")
    func lists() throws {
        let one = ExportRow(.contracts, [.text("0x1"), .text("0x"), .texts(["0xa"]), .bool(false), .bool(false), .number("7")])
        let none = ExportRow(.contracts, [.text("0x2"), .text("0x"), .texts([]), .bool(false), .bool(false), .number("7")])
        let csv = try Self.render([one, none], .contracts, .csv).components(separatedBy: "\r\n")
        #expect(csv[1] == "0x1,0x,0xa,False,False,7")
        #expect(csv[2] == "0x2,0x,,False,False,7")
        let json = try Self.render([none], .contracts, .json)
        #expect(json.contains(#""function_sighashes": [], "#))
    }

    @Test("JSON escapes like Python's ensure_ascii: controls, DEL, non-ASCII and astral characters")
    func jsonEscaping() throws {
        let row = Self.tokenRow(symbol: .text("é\u{7F}\u{1}😀/"), name: .text("q\"b\\n\nt\tr\r\u{8}\u{C}"))
        let json = try Self.render([row], .tokens, .json)
        #expect(json.contains(#""symbol": "\u00e9\u007f\u0001\ud83d\ude00/""#))
        #expect(json.contains(#""name": "q\"b\\n\nt\tr\r\b\f""#))
    }

    @Test("withdrawals render as compact JSON objects in CSV and as an array in JSON")
    func withdrawals() throws {
        let object = ExportObject(["index": .number("1"), "validator_index": .number("2"), "address": .text("0xAb"), "amount": .number("100000000000000000000")])
        var values = [ExportValue](repeating: .null, count: EntityColumns.blocks.count)
        values[EntityColumns.blocks.index(of: "withdrawals")!] = .objects([object, object])
        let row = ExportRow(.blocks, values)
        let csv = try Self.render([row], .blocks, .csv).components(separatedBy: "\r\n")[1]
        let single = #"{""index"":1,""validator_index"":2,""address"":""0xAb"",""amount"":100000000000000000000}"#
        #expect(csv.contains(",\"" + single + "," + single + "\","))
        let json = try Self.render([row], .blocks, .json)
        let element = #"{"index": 1, "validator_index": 2, "address": "0xAb", "amount": 100000000000000000000}"#
        #expect(json.contains(#""withdrawals": ["# + element + ", " + element + "]"))
    }

    @Test("no rows: an empty CSV file, as ethereum-etl writes the header with the first row")
    func emptyOutput() throws {
        #expect(try Self.render([], .transactions, .csv).isEmpty)
        #expect(try Self.render([], .transactions, .json).isEmpty)
        let sink = MemorySink()
        let writer = CSVRowWriter(.transactions, to: sink, headerWhenEmpty: true)
        try writer.finish()
        #expect(sink.text == EntityColumns.transactions.names.joined(separator: ",") + "\r\n")
    }

    @Test("a lone empty field is written as \"\" so the line is not blank, as Python's csv does")
    func loneEmptyField() throws {
        let columns = EntityColumns(entity: .tokens, names: ["symbol"])
        let sink = MemorySink()
        let writer = CSVRowWriter(columns, to: sink)
        try writer.write(ExportRow(.tokens, [.null]))
        try writer.finish()
        #expect(sink.text == "symbol\r\n\"\"\r\n")
    }

    @Test("output streams through a bounded buffer and equals the unbuffered bytes")
    func buffering() throws {
        final class ChunkSink: OutputSink {
            var chunks: [[UInt8]] = []
            func write(_ bytes: [UInt8]) throws(ExportError) { chunks.append(bytes) }
        }
        let rows = (0..<500).map { Self.tokenRow(symbol: .text("S\($0)"), name: .text("token number \($0)")) }
        for format in RowFormat.lineFormats {
            let chunked = ChunkSink()
            let writer: any RowWriter = format == .csv
                ? CSVRowWriter(.tokens, to: chunked, bufferCapacity: 1024)
                : JSONLinesRowWriter(.tokens, to: chunked, bufferCapacity: 1024)
            try writer.write(contentsOf: rows)
            #expect(chunked.chunks.count > 5, "flushed while writing, not only at the end")
            try writer.finish()
            #expect(chunked.chunks.allSatisfy { $0.count < 1024 + 200 })
            let whole = try Self.render(rows, .tokens, format)
            #expect(chunked.chunks.flatMap { $0 } == Array(whole.utf8))
            #expect(writer.byteCount == whole.utf8.count)
            #expect(writer.rowCount == 500)
        }
    }

    @Test("a row of another entity or width is rejected")
    func rowShape() throws {
        let writer = CSVRowWriter(.tokens, to: MemorySink())
        #expect(throws: ExportError.self) { try writer.write(ExportRow(.logs, [.null])) }
        let error = try #require(throws: ExportError.self) { try writer.write(ExportRow(.tokens, [.null, .null])) }
        #expect(error.code == .rowShape)
    }

    @Test("a file sink writes through a FileHandle")
    func fileSink() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString).json")
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: url) }
        let handle = try FileHandle(forWritingTo: url)
        let writer = JSONLinesRowWriter(.tokens, to: FileHandleSink(handle))
        try writer.write(Self.tokenRow(symbol: .text("X"), name: .text("Y")))
        try writer.finish()
        try handle.close()
        #expect(try String(contentsOf: url, encoding: .utf8) == #"{"address": "0xabc", "symbol": "X", "name": "Y", "decimals": 18, "total_supply": null, "block_number": 1}"# + "\n")
    }

    @Test("a comma, quote, CR or LF at any place of a field, across 8-byte words, quotes it; other bytes do not")
    func quotingAtEveryOffset() throws {
        for length in 0..<20 {
            let plain = String(repeating: "x", count: length)
            #expect(try Self.render([Self.tokenRow(symbol: .text(plain), name: .text("n"))], .tokens, .csv)
                .hasSuffix("0xabc,\(plain),n,18,,1\r\n"))
            for special in [",", "\"", "\r", "\n"] {
                for position in 0...length {
                    let text = String(plain.prefix(position)) + special + String(plain.dropFirst(position))
                    let quoted = "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                    let csv = try Self.render([Self.tokenRow(symbol: .text(text), name: .text("n"))], .tokens, .csv)
                    #expect(csv.hasSuffix("0xabc,\(quoted),n,18,,1\r\n"), "\(text.debugDescription)")
                }
            }
            // Bytes next to the special ones in value (and non-ASCII) stay unquoted.
            for other in ["+", "-", "!", "#", "\t", "\u{0B}", "é"] {
                let text = plain + other + plain
                let csv = try Self.render([Self.tokenRow(symbol: .text(text), name: .text("n"))], .tokens, .csv)
                #expect(csv.hasSuffix("0xabc,\(text),n,18,,1\r\n"), "\(text.debugDescription)")
            }
        }
    }
}
