// Runs a Python script of the tests under sqlglot's interpreter: JSON in, JSON out.

import Foundation
import Testing

enum SQLGlotScript {
    /// Runs `name` (a script in the calling test's folder) with `BLOCKFLEET_SQLGLOT_PYTHON`,
    /// `input` as JSON on its stdin, and returns its JSON output; nil, with a recorded issue, when
    /// sqlglot is not installed. The script must exit 0.
    static func run(_ name: String, input: Any, caller: String = #filePath) throws -> Any? {
        guard let python = ProcessInfo.processInfo.environment["BLOCKFLEET_SQLGLOT_PYTHON"], !python.isEmpty else {
            Issue.record("BLOCKFLEET_SQLGLOT_PYTHON is not set: run the tests with scripts/test, which installs sqlglot (scripts/sqlglot-venv)")
            return nil
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [URL(fileURLWithPath: caller).deletingLastPathComponent().appendingPathComponent(name).path]
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        stdin.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: input))
        try stdin.fileHandleForWriting.close()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "\(name) failed")
        return try JSONSerialization.jsonObject(with: data)
    }
}
