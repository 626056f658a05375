// ethereum-etl CSV into COPY text: quoting, empty-as-NULL, escapes, and malformed input named.

import NIOCore
import Shared
import TestSupport
import Testing

@Suite("CSV to COPY text")
struct CSVCopyTranscoderTests {
    func transcode(_ csv: String, columns: [String], chunk: Int = .max) throws(LoadError) -> (String, Int) {
        var transcoder = CSVCopyTranscoder(columns: columns)
        var output = ByteBuffer()
        let bytes = Array(csv.utf8)
        var offset = 0
        while offset < bytes.count {
            let end = chunk == .max ? bytes.count : min(offset + chunk, bytes.count)
            try transcoder.feed(ByteBuffer(bytes: bytes[offset..<end]), into: &output)
            offset = end
        }
        try transcoder.finish(into: &output)
        return (String(buffer: output), transcoder.rows)
    }

    static let columns = ["a", "b", "c"]

    @Test("quoted commas, doubled quotes, line breaks and tabs; empty unquoted is NULL", arguments: [1, 2, 5, Int.max])
    func converts(chunk: Int) throws {
        let csv = "a,b,c\r\n1,,\"x,y\"\r\n2,\"say \"\"hi\"\"\",\"two\nlines\"\r\n3,back\\slash,\"tab\there\"\r\n4,\"\",end"
        let (text, rows) = try transcode(csv, columns: CSVCopyTranscoderTests.columns, chunk: chunk)
        #expect(rows == 4)
        #expect(text == "1\t\\N\tx,y\n2\tsay \"hi\"\ttwo\\nlines\n3\tback\\\\slash\ttab\\there\n4\t\tend\n")
    }

    @Test("an empty file (ethereum-etl writes no header when a range has no rows) is zero rows")
    func empty() throws {
        #expect(try transcode("", columns: CSVCopyTranscoderTests.columns) == ("", 0))
        #expect(try transcode("a,b,c\r\n", columns: CSVCopyTranscoderTests.columns) == ("", 0))
    }

    @Test("malformed input is refused with the line named", arguments: [
        ("a,b\r\n1,2\r\n", "header"),
        ("a,b,c\r\n1,2\r\n", "line 2: 2 fields"),
        ("a,b,c\r\n1,2,3,4\r\n", "line 2: 4 fields"),
        ("a,b,c\r\n1,\"open,3\r\n", "ends inside a quoted field"),
        ("a,b,c\r\n1,x\"y,3\r\n", "quote inside an unquoted field"),
        ("a,b,c\r\n1,\"x\"y,3\r\n", "after a closing quote"),
        ("a,b,c\r\n1,2,3\rX", "carriage return"),
    ])
    func refuses(csv: String, expected: String) {
        #expect {
            try transcode(csv, columns: CSVCopyTranscoderTests.columns, chunk: 3)
        } throws: { error in
            guard let error = error as? LoadError, error.code == .malformedCSV else { return false }
            return error.message.contains(expected)
        }
    }

    @Test("a real ethereum-etl receipts file transcodes row for row")
    func fixture() throws {
        let csv = try FixtureFiles.text("test_export_receipts_job", "receipts_with_logs", "expected_receipts.csv")
        let lines = csv.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        let header = lines.first.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) } ?? []
        let (text, rows) = try transcode(csv, columns: header, chunk: 97)
        let dataLines = lines.dropFirst()
        #expect(rows == dataLines.count)
        let expected = dataLines.map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).map { $0.isEmpty ? "\\N" : String($0) }.joined(separator: "\t") + "\n"
        }.joined()
        #expect(text == expected)
    }

    @Test("random records with every quoting case, fed in random chunks, give the COPY text of their values", arguments: [1, 2, 3])
    func randomRecords(seed: UInt64) throws {
        var random = SeededGenerator(state: seed)
        let alphabet = Array("ab0x\\\t,\"\r\n ".utf8)
        var csv: [UInt8] = Array("a,b,c\r\n".utf8)
        var expected: [UInt8] = []
        let records = 300
        for _ in 0..<records {
            for column in 0..<3 {
                if column > 0 { csv.append(UInt8(ascii: ",")); expected.append(UInt8(ascii: "\t")) }
                let value = (0..<random.next(below: 12)).map { _ in alphabet[random.next(below: alphabet.count)] }
                let needsQuotes = value.contains { [UInt8(ascii: ","), UInt8(ascii: "\""), UInt8(ascii: "\r"), UInt8(ascii: "\n")].contains($0) }
                if value.isEmpty && random.next(below: 2) == 0 {
                    expected += Array("\\N".utf8)  // empty and unquoted: NULL
                } else if needsQuotes || value.isEmpty || random.next(below: 3) == 0 {
                    csv.append(UInt8(ascii: "\""))
                    for byte in value { csv += byte == UInt8(ascii: "\"") ? [byte, byte] : [byte] }
                    csv.append(UInt8(ascii: "\""))
                } else {
                    csv += value
                }
                for byte in value {
                    switch byte {
                    case UInt8(ascii: "\\"): expected += Array("\\\\".utf8)
                    case UInt8(ascii: "\t"): expected += Array("\\t".utf8)
                    case UInt8(ascii: "\n"): expected += Array("\\n".utf8)
                    case UInt8(ascii: "\r"): expected += Array("\\r".utf8)
                    default: expected.append(byte)
                    }
                }
            }
            csv += random.next(below: 2) == 0 ? Array("\r\n".utf8) : [UInt8(ascii: "\n")]
            expected.append(UInt8(ascii: "\n"))
        }
        var transcoder = CSVCopyTranscoder(columns: CSVCopyTranscoderTests.columns)
        var output = ByteBuffer()
        var offset = 0
        while offset < csv.count {
            let end = min(csv.count, offset + 1 + random.next(below: 64))
            try transcoder.feed(ByteBuffer(bytes: csv[offset..<end]), into: &output)
            offset = end
        }
        try transcoder.finish(into: &output)
        #expect(transcoder.rows == records)
        #expect(Array(output.readableBytesView) == expected)
    }

    @Test("a NUL byte, a blank line and a header split across chunks", arguments: [1, 4, Int.max])
    func edges(chunk: Int) throws {
        #expect { try transcode("a,b,c\n1,x\u{0}y,3\n", columns: CSVCopyTranscoderTests.columns, chunk: chunk) } throws: {
            ($0 as? LoadError)?.message.contains("line 2, column b: a NUL byte") == true
        }
        #expect { try transcode("a,b,c\n1,2,3\n\n4,5,6\n", columns: CSVCopyTranscoderTests.columns, chunk: chunk) } throws: {
            ($0 as? LoadError)?.message.contains("line 3: 1 fields") == true
        }
        #expect(try transcode("a,b,c", columns: CSVCopyTranscoderTests.columns, chunk: chunk) == ("", 0))
        #expect(try transcode("a,b,c\n1,,", columns: CSVCopyTranscoderTests.columns, chunk: chunk) == ("1\t\\N\t\\N\n", 1))
        #expect(try transcode("a,b,c\n1,2,3\r", columns: CSVCopyTranscoderTests.columns, chunk: chunk) == ("1\t2\t3\n", 1))
    }
}
