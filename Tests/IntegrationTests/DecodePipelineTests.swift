// Decoded tables after load: worker processes on devchain decode its ERC-20 and ERC-721 transfers,
// approvals and transfer calls into ethereum-etl-airflow-style tables in a real Postgres warehouse.

import Foundation
import TestSupport
import Logging
import PostgresNIO
import Shared
import Testing

@Suite("Decoded tables after load", .serialized)
struct DecodePipelineTests {
    static let transferEvent = #"{"anonymous": false, "inputs": [{"indexed": true, "name": "from", "type": "address"}, {"indexed": true, "name": "to", "type": "address"}, {"indexed": false, "name": "value", "type": "uint256"}], "name": "Transfer", "type": "event"}"#
    static let nftTransferEvent = #"{"anonymous": false, "inputs": [{"indexed": true, "name": "from", "type": "address"}, {"indexed": true, "name": "to", "type": "address"}, {"indexed": true, "name": "tokenId", "type": "uint256"}], "name": "Transfer", "type": "event"}"#
    static let approvalEvent = #"{"anonymous": false, "inputs": [{"indexed": true, "name": "owner", "type": "address"}, {"indexed": true, "name": "spender", "type": "address"}, {"indexed": false, "name": "value", "type": "uint256"}], "name": "Approval", "type": "event"}"#
    static let transferCall = #"{"inputs": [{"name": "_to", "type": "address"}, {"name": "_value", "type": "uint256"}], "name": "transfer", "outputs": [{"name": "", "type": "bool"}], "stateMutability": "nonpayable", "type": "function"}"#

    /// An ethereum-etl-airflow table definition file's text.
    static func definition(dataset: String, table: String, type: String = "log", contract: String = "null", abi: String, fields: [(String, String)]) -> String {
        let schema = fields.map { #"{"name": "\#($0.0)", "description": "", "type": "\#($0.1)"}"# }.joined(separator: ", ")
        return #"{"parser": {"type": "\#(type)", "contract_address": \#(contract), "abi": \#(abi), "field_mapping": {}}, "table": {"dataset_name": "\#(dataset)", "table_name": "\#(table)", "table_description": "", "schema": [\#(schema)]}}"#
    }

    /// Writes `files` (name → text) under `folder/dataset/`.
    static func write(_ files: [String: String], dataset: String, in folder: URL) throws {
        let directory = folder.appendingPathComponent(dataset)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8) }
    }

    static func texts(_ db: TestDatabase, _ sql: String) async throws -> [String] {
        var out: [String] = []
        for try await text in try await db.client.query(PostgresQuery(unsafeSQL: sql), logger: db.logger).decode(String?.self) { out.append(text ?? "NULL") }
        return out
    }

    static func number(_ db: TestDatabase, _ sql: String) async throws -> Int64 {
        for try await value in try await db.client.query(PostgresQuery(unsafeSQL: "SELECT CAST((\(sql)) AS BIGINT)"), logger: db.logger).decode(Int64?.self) { return value ?? 0 }
        return -1
    }

    /// The warehouse's logs of `[first, last]`: block, log index, transaction, address, topics, data.
    struct RawLog: Sendable {
        let block: Int64, index: Int64, transaction: String, address: String, topics: [[UInt8]], data: [UInt8]
    }

    static func logs(_ db: TestDatabase) async throws -> [RawLog] {
        var out: [RawLog] = []
        let rows = try await db.client.query(PostgresQuery(unsafeSQL: "SELECT block_number, log_index, transaction_hash, address, topics, data FROM \"\(db.schema)\".logs ORDER BY block_number, log_index"), logger: db.logger)
        for try await (block, index, transaction, address, topics, data) in rows.decode((Int64, Int64, String, String, String?, String).self) {
            let words = (topics ?? "").split(separator: ",").map { ABIHex.bytes($0) ?? [] }
            out.append(RawLog(block: block, index: index, transaction: transaction, address: address.lowercased(), topics: words, data: ABIHex.bytes(data) ?? []))
        }
        return out
    }

    /// What the Swift decoder makes of `logs` for `definition` (rows as `block|index|tx|contract|fields…`), and how many it skips.
    static func expected(_ definition: DecodedTableDefinition, _ logs: [RawLog], contracts: Set<String>? = nil) -> (rows: [String], skipped: Int) {
        var rows: [String] = []
        var skipped = 0
        for log in logs where log.topics.first.map({ $0 == definition.entry.topic0 }) ?? false {
            if let contracts, !contracts.contains(log.address) { continue }
            do {
                let cells = try definition.decodeLog(topics: log.topics, data: log.data)
                rows.append((["\(log.block)", "\(log.index)", log.transaction, log.address] + cells).joined(separator: "|"))
            } catch {
                skipped += 1
            }
        }
        return (rows.sorted(), skipped)
    }

    /// The decoded table's rows in the same shape.
    static func stored(_ db: TestDatabase, _ table: String, fields: [String]) async throws -> [String] {
        let columns = (["block_number", "log_index", "transaction_hash", "contract_address"] + fields).map { "\"\($0)\"::text" }.joined(separator: ", ")
        return try await texts(db, "SELECT concat_ws('|', \(columns)) FROM \(table)").sorted()
    }

    /// eth-abi's decoding of ERC-20 transfers (topics 1-2 as addresses, data as uint256), when
    /// BLOCKFLEET_ETH_ABI_PYTHON is set (scripts/test sets it): rows as `from|to|value`.
    static func ethABITransfers(_ logs: [RawLog]) async throws -> [String]? {
        guard let python = ProcessInfo.processInfo.environment["BLOCKFLEET_ETH_ABI_PYTHON"], !python.isEmpty else { return nil }
        let script = """
            import json, sys
            import eth_abi
            out = []
            for topic1, topic2, data in json.load(sys.stdin):
                (a,) = eth_abi.decode(["address"], bytes.fromhex(topic1[2:]))
                (b,) = eth_abi.decode(["address"], bytes.fromhex(topic2[2:]))
                (v,) = eth_abi.decode(["uint256"], bytes.fromhex(data[2:]))
                out.append("%s|%s|%d" % (a.lower(), b.lower(), v))
            print(json.dumps(out))
            """
        let input = try JSONSerialization.data(withJSONObject: logs.map { [ABIHex.text($0.topics[1]), ABIHex.text($0.topics[2]), ABIHex.text($0.data)] })
        let result = try await ChildProcess.run(python, ["-c", script], input: input)
        guard result.status == 0 else { throw TestSetupError("eth-abi script exited \(result.status): \(result.stderrText)") }
        return try JSONDecoder().decode([String].self, from: result.stdout)
    }

    @Test("worker processes decode a devchain range's transfers, approvals and transfer calls after load: exactly the matching logs, values as the Swift decoder and eth-abi give them, ERC-721 transfers under the ERC-20 signature skipped and counted; contract filters, a forced re-decode and a reload leave the same rows")
    func decodedTablesAfterLoad() async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("bf-decode-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let dataset = "dec_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        let filtered = dataset + "_f"
        let parse = scratch.appendingPathComponent("parse")
        try Self.write([
            "Token_event_Transfer.json": Self.definition(dataset: dataset, table: "Token_event_Transfer", abi: Self.transferEvent, fields: [("from", "STRING"), ("to", "STRING"), ("value", "STRING")]),
            "NFT_event_Transfer.json": Self.definition(dataset: dataset, table: "NFT_event_Transfer", abi: Self.nftTransferEvent, fields: [("from", "STRING"), ("to", "STRING"), ("tokenId", "STRING")]),
            "Token_event_Approval.json": Self.definition(dataset: dataset, table: "Token_event_Approval", abi: Self.approvalEvent, fields: [("owner", "STRING"), ("spender", "STRING"), ("value", "BIGNUMERIC")]),
            "Token_call_transfer.json": Self.definition(dataset: dataset, table: "Token_call_transfer", type: "trace", abi: Self.transferCall, fields: [("_to", "STRING"), ("_value", "STRING")]),
        ], dataset: dataset, in: parse)
        let (node, url) = try await DifferentialTests().startDevChain(["--seed", "11", "--blocks", "60", "--txs-per-block", "20"])
        defer { node.signal(SIGKILL) }

        try await TestDatabase.with { db in
            try await db.queue.plan(try PlanRequest(from: 0, to: 59, chunkSize: 20, entities: ExportEntity.allCases))
            let workers = try await PipelineWorkers.run(db, node: url, scratch: scratch, settings: ["BLOCKFLEET_PARSE_DIR": parse.path],
                                                        modelJobs: 3, timeout: .seconds(240))
            defer { workers.kill() }
            _ = try await workers.stop()

            let catalog = try DecodedTableCatalog.load(directory: parse)
            #expect(catalog.refusals.isEmpty && catalog.definitions.count == 4)
            func definition(_ table: String) throws -> DecodedTableDefinition { try #require(catalog.definitions.first { $0.tableName == table }) }
            let logs = try await Self.logs(db)
            var summaries: [ModelRunSummary] = []
            for job in try await db.queue.jobs(JobFilter(kind: .model)) {
                let result = try #require(try await db.row(job.id).result)
                summaries.append(try JSONDecoder().decode(ModelRunSummary.self, from: Data(result.utf8)))
            }
            func total(_ table: String, _ field: KeyPath<DecodedTableCounts, Int>) -> Int {
                summaries.reduce(0) { $0 + ($1.decoded?.tables["\(dataset).\(table)"]?[keyPath: field] ?? 0) }
            }

            // ERC-20 transfers: every 3-topic Transfer log, values as the Swift decoder gives them;
            // the ERC-721 transfers (same signature, 4 topics) skipped and counted.
            let tokenTransfer = try definition("Token_event_Transfer")
            let erc20 = Self.expected(tokenTransfer, logs)
            let erc721Logs = logs.filter { $0.topics.count == 4 && $0.topics[0] == tokenTransfer.entry.topic0 }
            #expect(erc20.rows.count > 50 && erc20.skipped == erc721Logs.count && !erc721Logs.isEmpty)
            let erc20Stored = try await Self.stored(db, "\"\(dataset)\".token_event_transfer", fields: ["from", "to", "value"])
            #expect(erc20Stored == erc20.rows)
            #expect(total("token_event_transfer", \.decoded) == erc20.rows.count)
            #expect(total("token_event_transfer", \.skipped) == erc721Logs.count)
            // The block's time, as parse_logs.sql writes it.
            #expect(try await Self.number(db, """
                SELECT count(*) FROM "\(dataset)".token_event_transfer d JOIN "\(db.schema)".blocks b ON b.number = d.block_number
                WHERE d.block_timestamp IS DISTINCT FROM to_timestamp(b.timestamp) AT TIME ZONE 'UTC'
                """) == 0)
            // And as eth-abi decodes the same raw logs.
            let erc20Logs = logs.filter { $0.topics.count == 3 && $0.topics[0] == tokenTransfer.entry.topic0 }
            if let reference = try await Self.ethABITransfers(erc20Logs) {
                let ours = try await Self.texts(db, "SELECT concat_ws('|', \"from\", \"to\", \"value\"::text) FROM \"\(dataset)\".token_event_transfer")
                #expect(ours.sorted() == reference.sorted() && reference.count == erc20Logs.count)
            }

            // ERC-721 transfers: the other layout; the ERC-20 ones are its skips.
            let nft = Self.expected(try definition("NFT_event_Transfer"), logs)
            #expect(try await Self.stored(db, "\"\(dataset)\".nft_event_transfer", fields: ["from", "to", "tokenId"]) == nft.rows)
            #expect(nft.rows.count == erc721Logs.count && total("nft_event_transfer", \.skipped) == erc20Logs.count)
            // Approvals, the value in a NUMERIC column.
            let approvals = Self.expected(try definition("Token_event_Approval"), logs)
            #expect(!approvals.rows.isEmpty)
            #expect(try await Self.stored(db, "\"\(dataset)\".token_event_approval", fields: ["owner", "spender", "value"]) == approvals.rows)
            // transfer(address,uint256) calls: every call trace whose input has the selector.
            let calls = try await Self.number(db, "SELECT count(*) FROM \"\(db.schema)\".traces WHERE left(input, 10) = '0xa9059cbb'")
            let callRows = try await Self.number(db, "SELECT count(*) FROM \"\(dataset)\".token_call_transfer")
            #expect(calls > 0 && callRows == calls)
            #expect(try await Self.number(db, """
                SELECT count(*) FROM "\(dataset)".token_call_transfer d JOIN "\(db.schema)".traces t
                  ON t.transaction_hash = d.transaction_hash AND t.trace_address IS NOT DISTINCT FROM d.trace_address
                WHERE d._to = '0x' || substr(t.input, 35, 40) AND d.to_address = lower(t.to_address)
                  AND d.status IS NOT DISTINCT FROM t.status AND d.error IS NULL
                """) == calls)

            // In the worker's model job, in process: contract filters (a literal, an UNNEST list),
            // a forced re-decode and a reload's re-decode give the same rows.
            var counts: [String: Int] = [:]
            for log in erc20Logs { counts[log.address, default: 0] += 1 }
            let byCount = counts.sorted { ($0.value, $0.key) > ($1.value, $1.key) }.map(\.key)
            let (one, two) = (byCount[0], byCount[1])
            try Self.write([
                "One_event_Transfer.json": Self.definition(dataset: filtered, table: "One_event_Transfer", contract: "\"\(one.uppercased().replacingOccurrences(of: "0X", with: "0x"))\"", abi: Self.transferEvent, fields: [("from", "STRING"), ("to", "STRING"), ("value", "STRING")]),
                "Two_event_Transfer.json": Self.definition(dataset: filtered, table: "Two_event_Transfer", contract: "\"SELECT * FROM UNNEST(['\(one)', '\(two)'])\"", abi: Self.transferEvent, fields: [("from", "STRING"), ("to", "STRING"), ("value", "STRING")]),
            ], dataset: filtered, in: scratch.appendingPathComponent("filtered"))
            let filteredCatalog = try DecodedTableCatalog.load(directory: scratch.appendingPathComponent("filtered"))
            #expect(filteredCatalog.refusals.isEmpty)
            let runner = ModelJobRunner(client: db.client, dialect: .postgres, schema: db.schema, catalog: try ModelCatalog([]),
                                        decoding: try DecodeStage(definitions: catalog.definitions + filteredCatalog.definitions), logger: db.logger)
            do {
                try await runner.prepare()
                let digest = "SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM \"\(dataset)\".token_event_transfer t"
                let before = try await Self.texts(db, digest)
                for first in stride(from: Int64(0), through: 40, by: 20) {
                    let summary = try await runner.run(first: first, last: first + 19, loaded: Set(ExportEntity.allCases))
                    // The fleet's tables are up to date; the new ones decode.
                    #expect(summary.decoded?.upToDate.count == 4 && summary.decoded?.tables.count == 2, "\(summary)")
                }
                let oneRows = Self.expected(tokenTransfer, logs, contracts: [one]).rows
                let twoRows = Self.expected(tokenTransfer, logs, contracts: [one, two]).rows
                #expect(oneRows.count == counts[one] && twoRows.count == counts[one]! + counts[two]!)
                #expect(try await Self.stored(db, "\"\(filtered)\".one_event_transfer", fields: ["from", "to", "value"]) == oneRows)
                #expect(try await Self.stored(db, "\"\(filtered)\".two_event_transfer", fields: ["from", "to", "value"]) == twoRows)

                // Forced (as a backfill does): deleted and inserted again, the same rows.
                let forced = try await runner.run(first: 20, last: 39, loaded: Set(ExportEntity.allCases), forced: ["decode:\(dataset).token_event_transfer"])
                #expect(forced.decoded?.tables.keys.sorted() == ["\(dataset).token_event_transfer"], "\(forced)")
                // A load of the range forgets its runs: everything decodes again, the same rows.
                try await db.client.query(PostgresQuery(unsafeSQL: ModelSQL.invalidate(schema: db.schema), binds: {
                    var binds = PostgresBindings(); binds.append(Int64(40)); binds.append(Int64(59)); return binds
                }()), logger: db.logger)
                let reloaded = try await runner.run(first: 40, last: 59, loaded: Set(ExportEntity.allCases))
                #expect(reloaded.decoded?.tables.count == 6 && reloaded.decoded?.upToDate.isEmpty == true, "\(reloaded)")
                #expect(try await Self.texts(db, digest) == before)
                #expect(try await Self.stored(db, "\"\(dataset)\".token_event_transfer", fields: ["from", "to", "value"]) == erc20.rows)
                #expect(try await Self.stored(db, "\"\(filtered)\".two_event_transfer", fields: ["from", "to", "value"]) == twoRows)
                // `parse backfill`: a model job per loaded range forcing the table; one, run here,
                // decodes that table alone (the others are up to date), the same rows.
                let backfill = try await Ops.coordinator(["parse", "backfill", "\(dataset).Token_event_Approval", "--from", "20", "--to", "59", "--parse-dir", parse.path], database: db.url)
                #expect(backfill.status == 0 && backfill.stdout.contains("2 model jobs enqueued to decode \(dataset).token_event_approval"), "\(backfill.output)")
                let backfilled = try await db.queue.jobs(JobFilter(state: .pending, kind: .model))
                #expect(backfilled.map(\.firstBlock).sorted() == [20, 40])
                let job = try #require(backfilled.first)
                let approvalsBefore = try await Self.stored(db, "\"\(dataset)\".token_event_approval", fields: ["owner", "spender", "value"])
                let outcome = try await runner.run(ClaimedJob(
                    id: job.id, kind: .model, firstBlock: job.firstBlock, lastBlock: job.lastBlock, entities: "",
                    payload: try #require(try await db.payload(job.id)), attempt: 1, maxAttempts: 5, leaseToken: 0, priority: 100
                ))
                let backfillSummary = try JSONDecoder().decode(ModelRunSummary.self, from: Data(try #require(outcome.result).utf8))
                #expect(backfillSummary.decoded?.tables.keys.sorted() == ["\(dataset).token_event_approval"], "\(backfillSummary)")
                #expect(try await Self.stored(db, "\"\(dataset)\".token_event_approval", fields: ["owner", "spender", "value"]) == approvalsBefore)
                let unknown = try await Ops.coordinator(["parse", "backfill", "no_such_table", "--parse-dir", parse.path], database: db.url)
                #expect(unknown.status == 64 && unknown.output.contains("no decoded table named 'no_such_table'"), "\(unknown.output)")
                // A range without logs loaded decodes nothing and says why.
                let partial = try await runner.run(first: 0, last: 19, loaded: [.blocks, .traces])
                #expect(partial.decoded?.notLoaded.count == 5 && partial.decoded?.upToDate.count == 1, "\(partial)")
            } catch {
                _ = try? await db.client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \"\(filtered)\" CASCADE"), logger: db.logger)
                throw error
            }
            _ = try await db.client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \"\(filtered)\" CASCADE"), logger: db.logger)
            _ = try await db.client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \"\(dataset)\" CASCADE"), logger: db.logger)
        }
    }

    @Test("a bad definition file, or ref() filters forming a cycle, stop the worker at start naming the files; parse list names them and exits non-zero")
    func badDefinitionsStopTheWorker() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bf-bad-parse-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.write([
            "Good_event_Transfer.json": Self.definition(dataset: "bad", table: "Good_event_Transfer", abi: Self.transferEvent, fields: [("from", "STRING"), ("to", "STRING"), ("value", "STRING")]),
            "Broken.json": "{\"parser\": ",
            // ref() filters run, but two tables reading each other are a cycle: both refused.
            "Pairs_event_Swap.json": Self.definition(dataset: "bad", table: "Pairs_event_Swap", contract: "\"SELECT value FROM ref('Cyc_event_Sync')\"", abi: Self.transferEvent, fields: [("value", "STRING")]),
            "Cyc_event_Sync.json": Self.definition(dataset: "bad", table: "Cyc_event_Sync", contract: "\"SELECT value FROM ref('Pairs_event_Swap')\"", abi: Self.transferEvent, fields: [("value", "STRING")]),
        ], dataset: "bad", in: folder)
        let base = ["BLOCKFLEET_DATABASE_URL": "postgres://nobody@127.0.0.1:1/none", "BLOCKFLEET_HTTP_PORT": "0", "BLOCKFLEET_WORKER_KINDS": "model"]
        let worker = try FleetProcess("worker", [], environment: base.merging(["BLOCKFLEET_PARSE_DIR": folder.path]) { $1 })
        #expect(try await worker.waitForExit() != 0)
        #expect(worker.log.contains("BLOCKFLEET_PARSE_DIR") && worker.log.contains("bad/Broken.json") && worker.log.contains("bad/Pairs_event_Swap.json")
                && worker.log.contains("cycle") && !worker.log.contains("bad/Good_event_Transfer.json"), "\(worker.log)")
        let missing = try FleetProcess("worker", [], environment: base.merging(["BLOCKFLEET_PARSE_DIR": "/nonexistent/parse"]) { $1 })
        #expect(try await missing.waitForExit() != 0)
        #expect(missing.log.contains("BLOCKFLEET_PARSE_DIR") && missing.log.contains("/nonexistent/parse"), "\(missing.log)")

        let list = try await Ops.coordinator(["parse", "list", "--parse-dir", folder.path], database: "postgres://nobody@127.0.0.1:1/none")
        #expect(list.status != 0 && list.output.contains("bad/Broken.json") && list.output.contains("bad/Pairs_event_Swap.json") && list.stdout.contains("Good_event_Transfer"), "\(list.output)")
        let json = try await Ops.coordinator(["parse", "list", "--parse-dir", folder.path, "--json"], database: "postgres://nobody@127.0.0.1:1/none")
        let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let definitions = parsed?["definitions"] as? [[String: Any]] ?? []
        let refused = parsed?["refused"] as? [[String: Any]] ?? []
        #expect(json.status != 0 && definitions.count == 1 && definitions.first?["table"] as? String == "Good_event_Transfer"
                && definitions.first?["contract_filter"] as? String == "all" && refused.count == 3, "\(json.output)")
    }
}
