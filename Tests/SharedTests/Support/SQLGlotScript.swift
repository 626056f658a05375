// Runs a Python script of the tests under sqlglot's interpreter: JSON in, JSON out.

import Foundation
import TestSupport
import Testing

enum SQLGlotScript {
    /// Runs `name` (a script in the calling test's folder) with `BLOCKFLEET_SQLGLOT_PYTHON`,
    /// `input` as JSON on its stdin, and returns its JSON output; nil, with a recorded issue, when
    /// sqlglot is not installed. The script must exit 0.
    static func run(_ name: String, input: Any, caller: String = #filePath) async throws -> Any? {
        guard let python = ProcessInfo.processInfo.environment["BLOCKFLEET_SQLGLOT_PYTHON"], !python.isEmpty else {
            Issue.record("BLOCKFLEET_SQLGLOT_PYTHON is not set: run the tests with scripts/test, which installs sqlglot (scripts/sqlglot-venv)")
            return nil
        }
        let script = URL(fileURLWithPath: caller).deletingLastPathComponent().appendingPathComponent(name).path
        let result = try await ChildProcess.run(python, [script], input: try JSONSerialization.data(withJSONObject: input))
        try #require(result.status == 0, "\(name) failed: \(result.stderrText)")
        return try JSONSerialization.jsonObject(with: result.stdout)
    }
}
