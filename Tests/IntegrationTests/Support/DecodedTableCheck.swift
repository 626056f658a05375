// DecodedTableCheck: a decoded table compared with eth-abi's decoding of the warehouse's raw logs
// or traces (Support/decoded_table_check.py), row by row and value by value.

import Foundation
import TestSupport
import PostgresNIO
import Shared
import Testing

/// What eth-abi makes of the raw logs (or traces) a definition matches, next to the table's rows.
struct DecodedTableCheck: Decodable {
    struct Row: Decodable {
        let key: String
        let values: [String: JSONValue]
    }

    /// A JSON value as the script wrote it (strings, booleans, lists, objects).
    indirect enum JSONValue: Decodable, Equatable, CustomStringConvertible {
        case string(String), bool(Bool), list([JSONValue]), object([String: JSONValue])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) { self = .string(text) }
            else if let flag = try? container.decode(Bool.self) { self = .bool(flag) }
            else if let list = try? container.decode([JSONValue].self) { self = .list(list) }
            else { self = .object(try container.decode([String: JSONValue].self)) }
        }

        var string: String? { if case .string(let text) = self { text } else { nil } }
        var list: [JSONValue]? { if case .list(let values) = self { values } else { nil } }
        var description: String {
            switch self {
            case .string(let text): text
            case .bool(let flag): "\(flag)"
            case .list(let values): "[" + values.map(\.description).joined(separator: ",") + "]"
            case .object(let members): "{" + members.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ",") + "}"
            }
        }
    }

    /// Logs (or traces) whose topic 0 (selector) and contract match the definition.
    let matching: Int
    /// Those eth-abi decodes with the definition's indexed layout; the rest are `skipped`.
    let decoded: Int
    let skipped: Int
    /// Rows in the table.
    let stored: Int
    let missing: [String]
    let unexpected: [String]
    let mismatched: [[String: String]]
    let rows: [Row]

    /// Every decodable matching log is a row, no other row, every value equal to eth-abi's.
    var agrees: Bool { missing.isEmpty && unexpected.isEmpty && mismatched.isEmpty && decoded == stored }

    static var python: String? {
        let python = ProcessInfo.processInfo.environment["BLOCKFLEET_ETH_ABI_PYTHON"] ?? ""
        return python.isEmpty ? nil : python
    }

    /// The raw logs of the warehouse schema, as the script reads them.
    static func rawLogs(_ db: TestDatabase) async throws -> [[String: Any]] {
        var out: [[String: Any]] = []
        let rows = try await db.client.query(PostgresQuery(unsafeSQL: "SELECT block_number, log_index, address, topics, data, transaction_hash FROM \"\(db.schema)\".logs"), logger: db.logger)
        for try await (block, index, address, topics, data, hash) in rows.decode((Int64, Int64, String, String?, String, String).self) {
            out.append(["block": block, "index": index, "address": address, "topics": (topics ?? "").split(separator: ",").map(String.init), "data": data,
                        "transaction_hash": hash])
        }
        return out
    }

    static func rawTraces(_ db: TestDatabase) async throws -> [[String: Any]] {
        var out: [[String: Any]] = []
        let rows = try await db.client.query(PostgresQuery(unsafeSQL: "SELECT transaction_hash, trace_address, to_address, input FROM \"\(db.schema)\".traces"), logger: db.logger)
        for try await (hash, address, to, input) in rows.decode((String?, String?, String?, String?).self) {
            out.append(["transaction_hash": hash ?? "", "trace_address": address ?? "", "to_address": to ?? "", "input": input ?? "0x"])
        }
        return out
    }

    /// Compares `table` (quoted and qualified) with eth-abi's decoding of `raw` under `abi`
    /// (the definition file's `parser.abi`); nil when BLOCKFLEET_ETH_ABI_PYTHON is not set.
    static func run(_ db: TestDatabase, table: String, abi: Any, type: String, contracts: [String]?, raw: [[String: Any]]) async throws -> DecodedTableCheck? {
        guard let python else { return nil }
        var stored: [Any] = []
        for try await text in try await db.client.query(PostgresQuery(unsafeSQL: "SELECT row_to_json(t)::text FROM \(table) t"), logger: db.logger).decode(String.self) {
            stored.append(try JSONSerialization.jsonObject(with: Data(text.utf8)))
        }
        let contractList: Any = contracts.map { $0.map { $0.lowercased() } } ?? NSNull()
        let input: [String: Any] = ["abi": abi, "type": type, "contracts": contractList, "raw": raw, "stored": stored]
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("decoded_table_check.py").path
        let result = try await ChildProcess.run(python, [script], input: try JSONSerialization.data(withJSONObject: input))
        guard result.status == 0 else { throw TestSetupError("decoded_table_check.py exited \(result.status) for \(table): \(result.stderrText)") }
        return try JSONDecoder().decode(DecodedTableCheck.self, from: result.stdout)
    }

    /// `parser.abi` of a definition file.
    static func abi(ofFile url: URL) throws -> Any {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
        return try #require((object?["parser"] as? [String: Any])?["abi"])
    }
}
