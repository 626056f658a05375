// Reading a warehouse table back for comparison with the CSV it was loaded from.

import Foundation
import TestSupport
import Logging
import PostgresNIO
import Shared

enum WarehouseProbe {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Every row of `schema.table` with each column cast to text (NULL kept), as JSON lines.
    static func dump(_ client: PostgresClient, schema: String, entity: ExportEntity, logger: Logger) async throws -> String {
        let table = WarehouseTable.of(entity)
        let columns = table.columnNames.map { "\"\($0)\"::text" }.joined(separator: ", ")
        let rows = try await client.query(
            PostgresQuery(unsafeSQL: "SELECT json_build_array(\(columns))::text FROM \"\(schema)\".\"\(table.name)\""), logger: logger
        )
        var lines = [String(decoding: try JSONEncoder().encode(table.columnNames), as: UTF8.self)]
        for try await line in rows.decode(String.self) { lines.append(line) }
        return lines.joined(separator: "\n") + "\n"
    }

    static func count(_ client: PostgresClient, schema: String, entity: ExportEntity, logger: Logger) async throws -> Int {
        let rows = try await client.query(PostgresQuery(unsafeSQL: "SELECT count(*)::bigint FROM \"\(schema)\".\"\(entity.rawValue)\""), logger: logger)
        for try await count in rows.decode(Int64.self) { return Int(count) }
        return -1
    }

    /// Runs compare_warehouse.py on a CSV file and a table dump; returns its summary line and whether they matched.
    static func compare(csv: URL, dump: String) async throws -> (String, Bool) {
        let dumpURL = FileManager.default.temporaryDirectory.appendingPathComponent("bf-dump-\(UUID().uuidString).jsonl")
        try dump.write(to: dumpURL, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: dumpURL) }
        let result = try await ChildProcess.run("/usr/bin/env", ["python3", packageRoot.appendingPathComponent("Tests/IntegrationTests/Support/compare_warehouse.py").path, csv.path, dumpURL.path])
        return (result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines), result.status == 0)
    }
}
