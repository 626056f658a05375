// ERC-1155 transfers from the shipped definitions on devchain's logs: decoded TransferSingle /
// TransferBatch tables and the built-in erc1155_transfers model, one row per (transfer, token id).

import Foundation
import PostgresNIO
import Shared
import Testing

@Suite("ERC-1155 transfers", .serialized)
struct ERC1155TransfersTests {
    @Test("the shipped TransferSingle and TransferBatch definitions decode devchain's ERC-1155 logs as eth-abi does; erc1155_transfers holds one row per single transfer and per token id of each batch (batches of 1 and long), with eth-abi's values; 3-topic TransferSingles are skipped and counted; a second run is up to date")
    func erc1155Transfers() async throws {
        guard DecodedTableCheck.python != nil else {
            print("skipped: BLOCKFLEET_ETH_ABI_PYTHON is not set; scripts/test sets it (scripts/eth-abi-venv installs eth-abi)")
            return
        }
        let dataset = "e1155_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("bf-1155-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        // The shipped files, in a dataset of this test's own.
        let shipped = ["All_event_TransferSingle.json", "All_event_TransferBatch.json"].map { DifferentialTests.packageRoot.appendingPathComponent("parse/common/\($0)") }
        let files = try ContractEventsPipelineTests.install(shipped, dataset: dataset, in: scratch.appendingPathComponent("parse"))
        let catalog = try DecodedTableCatalog.load(directory: scratch.appendingPathComponent("parse"))
        #expect(catalog.stageRefusals.isEmpty && catalog.definitions.count == 2)
        let model = try #require(ERC1155TransfersModel.model(for: catalog.definitions))

        // devchain's blocks 0…149 exported and loaded (blocks and logs) as a load job does.
        let last: Int64 = 149
        let (node, url) = try await DifferentialTests().startDevChain(["--seed", "5", "--blocks", "\(last)", "--txs-per-block", "20"])
        defer { node.signal(SIGKILL) }
        let exported = scratch.appendingPathComponent("export")
        try await DifferentialTests().exportRange(0...UInt64(last), entities: [.blocks, .logs], from: url, to: exported)
        let staging = LoadTests.Staging()
        defer { staging.remove() }
        try await TestDatabase.with { db in
            let warehouse = PostgresWarehouse(client: db.client, schema: db.schema, store: staging.store, logger: db.logger)
            try await warehouse.prepare()
            for entity in [ExportEntity.blocks, .logs] {
                let csv = try String(contentsOf: exported.appendingPathComponent("\(entity.rawValue).csv"), encoding: .utf8)
                let rows = csv.utf8.split(separator: UInt8(ascii: "\n")).count - 1
                let request = try await staging.stage(csv, rows: rows, entity: entity.rawValue, key: "\(entity.rawValue)/0-\(last).csv.gz")
                _ = try await warehouse.load(request, into: .of(entity), first: 0, last: last)
            }
            let runner = ModelJobRunner(client: db.client, dialect: .postgres, schema: db.schema, catalog: try ModelCatalog([model]),
                                        decoding: try DecodeStage(definitions: catalog.definitions), logger: db.logger)
            do {
                try await runner.prepare()
                let summary = try await runner.run(first: 0, last: last, loaded: [.blocks, .logs])
                #expect(summary.applied == ["erc1155_transfers"], "\(summary)")

                // Both tables as eth-abi decodes the raw logs; the stage's counts the same.
                let logs = try await DecodedTableCheck.rawLogs(db)
                var checks: [String: DecodedTableCheck] = [:]
                for (definition, file) in zip(catalog.definitions.sorted { $0.tableName > $1.tableName }, files.sorted { $0.lastPathComponent > $1.lastPathComponent }) {
                    #expect(file.lastPathComponent == "\(definition.tableName).json")
                    let check = try #require(try await DecodedTableCheck.run(db, table: "\"\(dataset)\".\"\(definition.warehouseTable)\"",
                                                                             abi: try DecodedTableCheck.abi(ofFile: file), type: "log", contracts: nil, raw: logs))
                    #expect(check.agrees && check.decoded > 0, "\(definition.tableName): \(check.missing) \(check.unexpected) \(check.mismatched)")
                    #expect(summary.decoded?.tables["\(dataset).\(definition.warehouseTable)"] == DecodedTableCounts(decoded: check.decoded, skipped: check.skipped), "\(summary)")
                    checks[definition.tableName] = check
                }
                let single = try #require(checks["All_event_TransferSingle"]), batch = try #require(checks["All_event_TransferBatch"])
                // TransferSingle with `to` unindexed (3 topics): same topic 0, another layout.
                #expect(single.skipped > 0 && batch.skipped == 0)

                // erc1155_transfers: eth-abi's rows flattened — a single transfer is batch index 0,
                // a batch one row per (id, value) pair in order.
                var byKey: [String: [String: Any]] = [:]
                for log in logs { byKey["\(log["block"] as? Int64 ?? -1)/\(log["index"] as? Int64 ?? -1)"] = log }
                func text(_ value: DecodedTableCheck.JSONValue?) -> String { value?.string ?? "?" }
                var expected: [String] = []
                for (check, isBatch) in [(single, false), (batch, true)] {
                    for row in check.rows {
                        let log = try #require(byKey[row.key])
                        let parties = [text(row.values["operator"]), text(row.values["from"]), text(row.values["to"])]
                        let pairs = isBatch ? zip(row.values["ids"]?.list ?? [], row.values["values"]?.list ?? []).map { (text($0), text($1)) }
                                            : [(text(row.values["id"]), text(row.values["value"]))]
                        for (position, (id, value)) in pairs.enumerated() {
                            expected.append(([(log["address"] as? String ?? "").lowercased()] + parties
                                             + [id, value, log["transaction_hash"] as? String ?? "", "\(log["index"] ?? "")", "\(position)", "\(log["block"] ?? "")"]).joined(separator: "|"))
                        }
                    }
                }
                let lengths = batch.rows.map { $0.values["ids"]?.list?.count ?? 0 }
                #expect(lengths.contains(1) && lengths.contains { $0 >= 20 }, "\(lengths)")
                let rows = try await DecodePipelineTests.texts(db, """
                    SELECT concat_ws('|', token_address, operator, from_address, to_address, token_id, value, transaction_hash, log_index, batch_index, block_number)
                    FROM "\(db.schema)".erc1155_transfers
                    """)
                print("erc1155 on devchain: \(single.decoded) TransferSingle (\(single.skipped) with 3 topics skipped), \(batch.decoded) TransferBatch (lengths \(lengths.min() ?? 0)–\(lengths.max() ?? 0)), \(rows.count) erc1155_transfers rows")
                #expect(rows.count == single.decoded + lengths.reduce(0, +))
                #expect(rows.sorted() == expected.sorted())
                // The block's time, as parse_logs.sql writes it.
                #expect(try await DecodePipelineTests.number(db, """
                    SELECT count(*) FROM "\(db.schema)".erc1155_transfers e JOIN "\(db.schema)".blocks b ON b.number = e.block_number
                    WHERE e.block_timestamp IS DISTINCT FROM to_timestamp(b.timestamp) AT TIME ZONE 'UTC'
                    """) == 0)
                // Analysts read the decoded tables (the reader role, which the queue migration creates).
                for try await (schema, table) in try await db.client.query(PostgresQuery(unsafeSQL: """
                    SELECT has_schema_privilege('blockfleet_reader', '\(dataset)', 'USAGE'),
                           has_table_privilege('blockfleet_reader', '\(dataset).all_event_transferbatch', 'SELECT')
                    """), logger: db.logger).decode((Bool, Bool).self) {
                    #expect(schema && table)
                }
                // Again: up to date, the same rows.
                let again = try await runner.run(first: 0, last: last, loaded: [.blocks, .logs])
                #expect(again.upToDate == ["erc1155_transfers"] && again.decoded?.upToDate.count == 2, "\(again)")
                #expect(try await DecodePipelineTests.texts(db, "SELECT count(*)::text FROM \"\(db.schema)\".erc1155_transfers") == ["\(rows.count)"])
            } catch {
                _ = try? await db.client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \"\(dataset)\" CASCADE"), logger: db.logger)
                throw error
            }
            _ = try await db.client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \"\(dataset)\" CASCADE"), logger: db.logger)
        }
    }
}
