// Log lines in logfmt and JSON: parseable, with the job's metadata.

import Foundation
import Logging
import Shared
import Testing

@Suite("Structured logs")
struct StructuredLogTests {
    static let metadata: Logger.Metadata = ["job": "12", "range": "100-199", "worker": "w-1", "lease_token": "3", "error": "bad \"quote\"\nnext"]
    static let when = Date(timeIntervalSince1970: 1_700_000_000)

    @Test("logfmt: key=value pairs, values with spaces, quotes or newlines quoted and escaped")
    func logfmt() {
        let line = StructuredLogHandler.render(timestamp: Self.when, level: .warning, label: "blockfleet.worker", message: "job failed", metadata: Self.metadata, format: .logfmt)
        #expect(line.hasPrefix("ts=2023-11-14T22:13:20.000Z level=warning logger=blockfleet.worker msg=\"job failed\" "), "\(line)")
        #expect(line.contains(#"error="bad \"quote\"\nnext""#), "\(line)")
        #expect(line.contains("job=12 lease_token=3 range=100-199 worker=w-1"), "\(line)")
        #expect(line.hasSuffix("\n") && line.filter { $0 == "\n" }.count == 1)
    }

    @Test("JSON lines: one object per line that JSONSerialization reads back")
    func jsonLines() throws {
        let line = StructuredLogHandler.render(timestamp: Self.when, level: .info, label: "l", message: "job \"done\"", metadata: Self.metadata, format: .json)
        #expect(line.filter { $0 == "\n" }.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object["msg"] == "job \"done\"")
        #expect(object["job"] == "12" && object["range"] == "100-199" && object["worker"] == "w-1" && object["lease_token"] == "3")
        #expect(object["error"] == "bad \"quote\"\nnext")
        #expect(object["level"] == "info")
    }

    @Test("BLOCKFLEET_LOG_FORMAT: logfmt by default, json on request, anything else named in the error")
    func formatSetting() throws {
        #expect(try LogFormat.parse(nil) == .logfmt)
        #expect(try LogFormat.parse("JSON") == .json)
        #expect(throws: ConfigurationError.self) { try LogFormat.parse("xml") }
    }
}
