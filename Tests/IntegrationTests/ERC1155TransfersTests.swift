// ERC-1155 transfers from the shipped definitions: decoded TransferSingle / TransferBatch tables
// and the built-in erc1155_transfers model, one row per (transfer, token id).

import Foundation
import PostgresNIO
import Shared
import Testing

@Suite("ERC-1155 transfers", .serialized)
struct ERC1155TransfersTests {
    static func word(_ value: UInt64) -> String { String(repeating: "0", count: 48) + String(format: "%016llx", value) }
    static func address(_ n: UInt64) -> String { "0x" + String(repeating: "0", count: 24) + String(format: "%040llx", n).suffix(40) }
    static func topicAddress(_ n: UInt64) -> String { "0x" + String(repeating: "0", count: 24) + String(format: "%040llx", n).suffix(40) }

    @Test("the shipped TransferSingle and TransferBatch definitions decode crafted ERC-1155 logs; erc1155_transfers holds single transfers plus every batch's token ids, with their values; a TransferSingle with another indexed layout is skipped and counted")
    func erc1155Transfers() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dataset = "e1155_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        // The shipped files, in a dataset of this test's own.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bf-1155-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent(dataset), withIntermediateDirectories: true)
        for file in ["All_event_TransferSingle.json", "All_event_TransferBatch.json"] {
            let text = try String(contentsOf: root.appendingPathComponent("parse/common/\(file)"), encoding: .utf8)
            try text.replacingOccurrences(of: "\"dataset_name\": \"common\"", with: "\"dataset_name\": \"\(dataset)\"")
                .write(to: folder.appendingPathComponent("\(dataset)/\(file)"), atomically: true, encoding: .utf8)
        }
        let catalog = try DecodedTableCatalog.load(directory: folder)
        #expect(catalog.stageRefusals.isEmpty && catalog.definitions.count == 2)
        let model = try #require(ERC1155TransfersModel.model(for: catalog.definitions))
        let single = Keccak256.hash("TransferSingle(address,address,address,uint256,uint256)")
        let batch = Keccak256.hash("TransferBatch(address,address,address,uint256[],uint256[])")
        let singleTopic = ABIHex.text(single), batchTopic = ABIHex.text(batch)
        let (operatorTopic, fromTopic, toTopic) = (Self.topicAddress(0xaa), Self.topicAddress(0xbb), Self.topicAddress(0xcc))

        // Block 100: two singles, a batch of 3, a batch of 1, and a TransferSingle with one topic too few.
        typealias Log = (index: Int64, address: String, topics: [String], data: String)
        let batchData = "0x" + Self.word(0x40) + Self.word(0x40 + 32 * 4)
            + Self.word(3) + Self.word(7) + Self.word(8) + Self.word(9)
            + Self.word(3) + Self.word(70) + Self.word(80) + Self.word(90)
        let oneData = "0x" + Self.word(0x40) + Self.word(0x80) + Self.word(1) + Self.word(5) + Self.word(1) + Self.word(50)
        let logs: [Log] = [
            (0, "0x00000000000000000000000000000000000000e1", [singleTopic, operatorTopic, fromTopic, toTopic], "0x" + Self.word(1) + Self.word(10)),
            (1, "0x00000000000000000000000000000000000000e1", [batchTopic, operatorTopic, fromTopic, toTopic], batchData),
            (2, "0x00000000000000000000000000000000000000E2", [singleTopic, operatorTopic, fromTopic, toTopic], "0x" + Self.word(2) + Self.word(20)),
            (3, "0x00000000000000000000000000000000000000e2", [batchTopic, operatorTopic, fromTopic, toTopic], oneData),
            (4, "0x00000000000000000000000000000000000000e3", [singleTopic, operatorTopic, fromTopic], "0x" + Self.word(3) + Self.word(30)),
        ]
        let staging = LoadTests.Staging()
        defer { staging.remove() }
        try await TestDatabase.with { db in
            try await PostgresWarehouse(client: db.client, schema: db.schema, store: staging.store, logger: db.logger).prepare()
            try await db.client.query(PostgresQuery(unsafeSQL: "INSERT INTO \"\(db.schema)\".blocks (number, hash, timestamp) VALUES (100, '0x01', 1700000000)"), logger: db.logger)
            for log in logs {
                try await db.client.query("""
                    INSERT INTO \(unescaped: "\"\(db.schema)\"").logs (log_index, transaction_hash, transaction_index, block_hash, block_number, address, data, topics)
                    VALUES (\(log.index), \("0xt\(log.index)"), 0, '0x01', 100, \(log.address), \(log.data), \(log.topics.joined(separator: ",")))
                    """, logger: db.logger)
            }
            let runner = ModelJobRunner(client: db.client, dialect: .postgres, schema: db.schema, catalog: try ModelCatalog([model]),
                                        decoding: try DecodeStage(definitions: catalog.definitions), logger: db.logger)
            do {
                try await runner.prepare()
                let summary = try await runner.run(first: 100, last: 100, loaded: [.blocks, .logs])
                #expect(summary.applied == ["erc1155_transfers"], "\(summary)")
                #expect(summary.decoded?.tables["\(dataset).all_event_transfersingle"] == DecodedTableCounts(decoded: 2, skipped: 1), "\(summary)")
                #expect(summary.decoded?.tables["\(dataset).all_event_transferbatch"] == DecodedTableCounts(decoded: 2, skipped: 0), "\(summary)")
                var rows: [String] = []
                for try await row in try await db.client.query(PostgresQuery(unsafeSQL: """
                    SELECT concat_ws('|', token_address, operator, from_address, to_address, token_id, value, transaction_hash, log_index, batch_index, block_number, block_timestamp)
                    FROM "\(db.schema)".erc1155_transfers ORDER BY log_index, batch_index
                    """), logger: db.logger).decode(String.self) { rows.append(row) }
                let parties = "0x00000000000000000000000000000000000000aa|0x00000000000000000000000000000000000000bb|0x00000000000000000000000000000000000000cc"
                #expect(rows == [
                    "0x00000000000000000000000000000000000000e1|\(parties)|1|10|0xt0|0|0|100|2023-11-14 22:13:20",
                    "0x00000000000000000000000000000000000000e1|\(parties)|7|70|0xt1|1|0|100|2023-11-14 22:13:20",
                    "0x00000000000000000000000000000000000000e1|\(parties)|8|80|0xt1|1|1|100|2023-11-14 22:13:20",
                    "0x00000000000000000000000000000000000000e1|\(parties)|9|90|0xt1|1|2|100|2023-11-14 22:13:20",
                    "0x00000000000000000000000000000000000000e2|\(parties)|2|20|0xt2|2|0|100|2023-11-14 22:13:20",
                    "0x00000000000000000000000000000000000000e2|\(parties)|5|50|0xt3|3|0|100|2023-11-14 22:13:20",
                ])
                // Analysts read the decoded tables (the reader role, which the queue migration creates).
                for try await (schema, table) in try await db.client.query(PostgresQuery(unsafeSQL: """
                    SELECT has_schema_privilege('blockfleet_reader', '\(dataset)', 'USAGE'),
                           has_table_privilege('blockfleet_reader', '\(dataset).all_event_transferbatch', 'SELECT')
                    """), logger: db.logger).decode((Bool, Bool).self) {
                    #expect(schema && table)
                }
                // Single transfers + the sum of batch lengths.
                #expect(rows.count == 2 + 3 + 1)
                // Again: up to date, the same rows.
                let again = try await runner.run(first: 100, last: 100, loaded: [.blocks, .logs])
                #expect(again.upToDate == ["erc1155_transfers"] && again.decoded?.upToDate.count == 2, "\(again)")
            } catch {
                _ = try? await db.client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \"\(dataset)\" CASCADE"), logger: db.logger)
                throw error
            }
            _ = try await db.client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \"\(dataset)\" CASCADE"), logger: db.logger)
        }
    }
}
