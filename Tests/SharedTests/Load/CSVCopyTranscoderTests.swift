// ethereum-etl CSV into COPY text: quoting, empty-as-NULL, escapes, and malformed input named.

import NIOCore
import Shared
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
}
