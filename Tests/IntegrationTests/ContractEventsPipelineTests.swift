// Contract events end to end: worker processes export, load and decode devchain's ERC-1155,
// Uniswap V2, Seaport, CCIP, Curve and ENS events and pair.swap calls with real definition files,
// each decoded table compared with eth-abi's decoding of the same raw logs and traces.

import Foundation
import PostgresNIO
import Shared
import Testing

@Suite("Contract events decoded end to end on devchain", .serialized)
struct ContractEventsPipelineTests {
    static let fixtures = DifferentialTests.packageRoot.appendingPathComponent("Tests/SharedTests/Fixtures")

    /// The definition files: ethereum-etl-airflow's own for the Uniswap V2 factory (literal mainnet
    /// address, which devchain's factory has), its pairs' Swap/Mint/Burn/Sync (contracts from
    /// `SELECT pair FROM ref('UniswapV2Factory_event_PairCreated')`) and Seaport 1.1's
    /// OrderFulfilled; the shipped ERC-1155 and Approval defaults; and the test definitions of
    /// Fixtures/devchain-definitions (events and the swap call the corpus has no file for that
    /// devchain emits: CCIP, Curve, ENS, pair.swap).
    static var definitionFiles: [URL] {
        let own = fixtures.appendingPathComponent("devchain-definitions/devchain_test")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: own.path)) ?? []
        return [
            AirflowFixtures.root.appendingPathComponent("uniswap/UniswapV2Factory_event_PairCreated.json"),
            AirflowFixtures.root.appendingPathComponent("seaport/SeaportV11_event_OrderFulfilled.json"),
        ] + pairEvents.map {
            AirflowFixtures.root.appendingPathComponent("uniswap/UniswapV2Pair_event_\($0).json")
        } + ["All_event_TransferSingle.json", "All_event_TransferBatch.json", "All_event_Approval.json"].map {
            DifferentialTests.packageRoot.appendingPathComponent("parse/common/\($0)")
        } + names.filter { $0.hasSuffix(".json") }.sorted().map { own.appendingPathComponent($0) }
    }

    /// The Uniswap V2 pair events devchain's pairs emit, decoded from the real files' ref() filter.
    static let pairEvents = ["Swap", "Mint", "Burn", "Sync"]
    static let factory = "0x5c69bee701ef814a2b6a3edd4b1652cb9cc5aa6f"

    /// Copies `files` into `folder/dataset/`, each with its dataset_name set to `dataset` (tests
    /// share the warehouse server, so every run decodes into a schema of its own).
    static func install(_ files: [URL], dataset: String, in folder: URL) throws -> [URL] {
        let directory = folder.appendingPathComponent(dataset)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try files.map { file in
            let text = try String(contentsOf: file, encoding: .utf8)
            let renamed = text.replacing(#/"dataset_name"\s*:\s*"[^"]*"/#, with: "\"dataset_name\": \"\(dataset)\"")
            let target = directory.appendingPathComponent(file.lastPathComponent)
            try renamed.write(to: target, atomically: true, encoding: .utf8)
            return target
        }
    }

    /// The contract filter as the check script takes it: nil for every contract, else the literal.
    static func contracts(ofFile url: URL) throws -> [String]? {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
        return ((object?["parser"] as? [String: Any])?["contract_address"] as? String).map { [$0] }
    }

    @Test("worker processes decode devchain's contract events and pair.swap calls from real definition files: every table holds exactly the logs (calls) eth-abi decodes, with eth-abi's values (tuples, arrays of tuples, fixed arrays, bytes[]); mismatched indexed layouts skipped and counted; the real Uniswap V2 pair files (ref('UniswapV2Factory_event_PairCreated')) with the last range loaded first and the others in parallel hold exactly the logs of the pairs created up to each range's last block, as computed from the raw logs; erc1155_transfers = singles + batch lengths; a reload leaves the same rows")
    func contractEventsEndToEnd() async throws {
        guard DecodedTableCheck.python != nil else {
            print("skipped: BLOCKFLEET_ETH_ABI_PYTHON is not set; scripts/test sets it (scripts/eth-abi-venv installs eth-abi)")
            return
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("bf-events-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let dataset = "ev_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        let parse = scratch.appendingPathComponent("parse")
        let files = try Self.install(Self.definitionFiles, dataset: dataset, in: parse)
        #expect(files.count == 13)
        let (node, url) = try await DifferentialTests().startDevChain(["--seed", "11", "--blocks", "120", "--txs-per-block", "20"])
        defer { node.signal(SIGKILL) }

        try await TestDatabase.with { db in
            try await db.queue.plan(try PlanRequest(from: 0, to: 119, chunkSize: 40, entities: ExportEntity.allCases))
            // Out of order: the first two ranges are held back until the last one is exported,
            // loaded and its model job has decoded PairCreated and deferred (the pair tables wait
            // for PairCreated's mark to reach block 79); then both are released together.
            try await db.client.query("UPDATE jobs SET run_after = now() + interval '1 day' WHERE kind = 'export' AND first_block < 80", logger: db.logger)
            var deferredReason = ""
            let workers = try await PipelineWorkers.run(db, node: url, scratch: scratch,
                                                        settings: ["BLOCKFLEET_PARSE_DIR": parse.path, "BLOCKFLEET_DECODE_WAIT_SECONDS": "1"],
                                                        modelJobs: 3, timeout: .seconds(300)) {
                try await eventually("the last range's model job to defer", timeout: .seconds(200), every: .milliseconds(200)) {
                    let rows = try await db.client.query("SELECT last_error FROM jobs WHERE kind = 'model' AND first_block = 80 AND last_error LIKE 'waiting:%'", logger: db.logger)
                    for try await reason in rows.decode(String.self) { deferredReason = reason }
                    return !deferredReason.isEmpty
                }
                #expect(try await db.count(kind: "model", state: "succeeded") == 0)
                try await db.client.query("UPDATE jobs SET run_after = now() WHERE kind = 'export' AND first_block < 80", logger: db.logger)
            }
            defer { workers.kill() }
            _ = try await workers.stop()

            do {
                let catalog = try DecodedTableCatalog.load(directory: parse)
                #expect(catalog.refusals.isEmpty && catalog.definitions.count == 13, "\(catalog.refusals)")
                for event in Self.pairEvents {
                    #expect(deferredReason.contains("\(dataset).uniswapv2pair_event_\(event.lowercased()): \(dataset).uniswapv2factory_event_paircreated is decoded contiguously from block 0 to -1 only; needs 79"),
                            "\(deferredReason)")
                }
                var summaries: [ModelRunSummary] = []
                for job in try await db.queue.jobs(JobFilter(kind: .model)) {
                    let result = try #require(try await db.row(job.id).result)
                    summaries.append(try JSONDecoder().decode(ModelRunSummary.self, from: Data(result.utf8)))
                }
                // A deferred job ran the models on its first pass; when it came back they were up to date.
                #expect(summaries.allSatisfy { ($0.applied + $0.upToDate).contains("erc1155_transfers") && $0.decoded?.waiting.isEmpty == true }, "\(summaries)")
                // Counts of every table decoded on the range (a deferred job's last pass decodes
                // only the tables that waited).
                func total(_ table: String, _ field: KeyPath<DecodedTableCounts, Int>) -> Int {
                    summaries.reduce(0) { $0 + ($1.decoded?.counts["\(dataset).\(table.lowercased())"]?[keyPath: field] ?? 0) }
                }

                // Every table against eth-abi: exactly the matching logs (calls) that fit the ABI,
                // every value equal, the rest skipped and counted by the stage.
                let logs = try await DecodedTableCheck.rawLogs(db)
                let traces = try await DecodedTableCheck.rawTraces(db)
                func topics(_ log: [String: Any]) -> [String] { log["topics"] as? [String] ?? [] }

                // The pairs, independently of the stage: the factory's raw PairCreated logs (the
                // pair is the first data word), each with the block it was created in. A pair
                // event's log on range [f, l] is decoded exactly when its contract is a pair
                // created in a block <= l.
                let pairCreatedTopic = ABIHex.text(Keccak256.hash("PairCreated(address,address,address,uint256)"))
                var created: [String: Int64] = [:]
                for log in logs where topics(log).first == pairCreatedTopic && (log["address"] as? String)?.lowercased() == Self.factory {
                    let data = try #require(log["data"] as? String)
                    created["0x" + data.dropFirst(2 + 24).prefix(40).lowercased()] = try #require(log["block"] as? Int64)
                }
                #expect(created.count == 15, "\(created)")
                func rangeLast(_ block: Int64) -> Int64 { block / 40 * 40 + 39 }
                let pairLogs = logs.filter { log in
                    guard let address = (log["address"] as? String)?.lowercased(), let block = log["block"] as? Int64 else { return false }
                    return created[address].map { $0 <= rangeLast(block) } ?? false
                }
                let pairDefinitions = catalog.definitions.filter { $0.dependencies == ["UniswapV2Factory_event_PairCreated"] }
                #expect(pairDefinitions.map(\.tableName).sorted() == Self.pairEvents.map { "UniswapV2Pair_event_\($0)" }.sorted())
                let pairTopics = Set(pairDefinitions.map { ABIHex.text($0.entry.topic0) })
                // Pair events in the range their pair was created in (seen only if the pair table
                // is written after the factory's rows of the same range), and on every range.
                let sameRange = pairLogs.filter { log in
                    guard pairTopics.contains(topics(log).first ?? ""), let address = (log["address"] as? String)?.lowercased(), let block = log["block"] as? Int64 else { return false }
                    return rangeLast(created[address] ?? -1) == rangeLast(block)
                }
                #expect(Set(sameRange.compactMap { ($0["block"] as? Int64).map(rangeLast) }) == [39, 79, 119], "\(sameRange.count)")
                let otherEmitters = logs.filter { pairTopics.contains(topics($0).first ?? "") && created[($0["address"] as? String)?.lowercased() ?? ""] == nil }.count
                print("pair events: \(pairLogs.count) logs of \(created.count) pairs, \(sameRange.count) in their pair's creation range; \(otherEmitters) pair-event logs from other contracts")
                var checks: [String: DecodedTableCheck] = [:]
                for definition in catalog.definitions {
                    let file = try #require(files.first { $0.lastPathComponent == "\(definition.tableName).json" })
                    let isLog = definition.parserType == .log
                    let isPair = definition.dependencies == ["UniswapV2Factory_event_PairCreated"]
                    let check = try #require(try await DecodedTableCheck.run(db, table: "\"\(definition.warehouseSchema)\".\"\(definition.warehouseTable)\"",
                                                                             abi: try DecodedTableCheck.abi(ofFile: file), type: isLog ? "log" : "trace",
                                                                             contracts: isPair ? Array(created.keys) : try Self.contracts(ofFile: file),
                                                                             raw: isPair ? pairLogs : isLog ? logs : traces))
                    checks[definition.tableName] = check
                    print("decoded on devchain: \(definition.tableName) \(check.decoded) rows, \(check.skipped) skipped")
                    #expect(check.agrees && check.decoded > 0, "\(definition.tableName): \(check.missing) \(check.unexpected) \(check.mismatched) \(check.decoded)/\(check.stored)")
                    #expect(total(definition.tableName, \.decoded) == check.decoded && total(definition.tableName, \.skipped) == check.skipped,
                            "\(definition.tableName): stage \(total(definition.tableName, \.decoded))/\(total(definition.tableName, \.skipped)), eth-abi \(check.decoded)/\(check.skipped)")
                }

                // Known topic 0s under another indexed layout: ERC-721 approvals under ERC-20's
                // Approval, 3-topic TransferSingles under ERC-1155's.
                let approvalTopic = ABIHex.text(Keccak256.hash("Approval(address,address,uint256)"))
                let singleTopic = ABIHex.text(Keccak256.hash("TransferSingle(address,address,address,uint256,uint256)"))
                let nftApprovals = logs.filter { topics($0).count == 4 && topics($0).first == approvalTopic }.count
                let oddSingles = logs.filter { topics($0).count == 3 && topics($0).first == singleTopic }.count
                #expect(nftApprovals > 0 && checks["All_event_Approval"]?.skipped == nftApprovals && total("All_event_Approval", \.skipped) == nftApprovals)
                #expect(oddSingles > 0 && checks["All_event_TransferSingle"]?.skipped == oddSingles && total("All_event_TransferSingle", \.skipped) == oddSingles)

                // Pairs: 15 created in blocks ≤ 119 (k(k+1)/2+1 for k = 0…14, the last in block 106),
                // each pair's events only in later blocks.
                let pairs = try await DecodePipelineTests.texts(db, "SELECT block_number::text || '|' || pair FROM \"\(dataset)\".uniswapv2factory_event_paircreated ORDER BY block_number")
                #expect(pairs.map { $0.split(separator: "|")[0] } == (0..<15).map { "\($0 * ($0 + 1) / 2 + 1)" }, "\(pairs)")
                for event in Self.pairEvents {
                    let table = "\"\(dataset)\".uniswapv2pair_event_\(event.lowercased())"
                    #expect(try await DecodePipelineTests.number(db, """
                        SELECT count(*) FROM \(table) e WHERE NOT EXISTS (
                          SELECT 1 FROM "\(dataset)".uniswapv2factory_event_paircreated p WHERE p.pair = e.contract_address AND p.block_number < e.block_number)
                        """) == 0, "\(event) from a pair not created in an earlier block")
                }
                #expect(try await DecodePipelineTests.number(db, "SELECT count(DISTINCT contract_address) FROM \"\(dataset)\".uniswapv2pair_event_swap") > 5)

                // pair.swap calls: straight to the pair (top-level) and through the router (nested).
                let swapCalls = try #require(checks["Test_UniswapV2Pair_call_swap"])
                #expect(swapCalls.rows.contains { $0.key.hasSuffix("/") } && swapCalls.rows.contains { !$0.key.hasSuffix("/") }, "\(swapCalls.rows.prefix(3).map(\.key))")
                #expect(try await DecodePipelineTests.number(db, "SELECT count(*) FROM \"\(dataset)\".test_uniswapv2pair_call_swap WHERE data <> '0x'") > 0)

                // Shapes: batches of 1 and long, empty offers and long considerations, token amounts in CCIP messages.
                let batches = try #require(checks["All_event_TransferBatch"]).rows.map { $0.values["ids"]?.list?.count ?? -1 }
                #expect(batches.contains(1) && batches.contains { $0 >= 20 } && !batches.contains(-1), "\(batches)")
                let orders = try #require(checks["SeaportV11_event_OrderFulfilled"]).rows
                #expect(orders.contains { $0.values["offer"]?.list?.isEmpty == true } && orders.contains { ($0.values["consideration"]?.list?.count ?? 0) >= 10 })

                // An indexed string is its keccak: ENS text keys.
                let texts = try #require(checks["Test_ENSPublicResolver_event_TextChanged"]).rows
                #expect(texts.contains { $0.values["key"]?.string == "" } && texts.allSatisfy {
                    guard let key = $0.values["key"]?.string else { return false }
                    return $0.values["indexedKey"]?.string == ABIHex.text(Keccak256.hash(key))
                })

                // erc1155_transfers: one row per single transfer plus one per token id of each batch.
                let singles = try #require(checks["All_event_TransferSingle"]).decoded
                let flattened = try await DecodePipelineTests.number(db, "SELECT count(*) FROM \"\(db.schema)\".erc1155_transfers")
                #expect(flattened == Int64(singles + batches.reduce(0, +)) && batches.count > 0 && singles > 0)

                // A reload of 40…79 decodes it again (in process, as the worker's model job does): the same rows.
                let tables = catalog.definitions.map { "\"\($0.warehouseSchema)\".\"\($0.warehouseTable)\"" } + ["\"\(db.schema)\".erc1155_transfers"]
                let digest = "SELECT " + tables.map { "(SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM \($0) t)" }.joined(separator: " || ")
                let before = try await DecodePipelineTests.texts(db, digest)
                let model = try #require(ERC1155TransfersModel.model(for: catalog.definitions))
                let runner = ModelJobRunner(client: db.client, dialect: .postgres, schema: db.schema, catalog: try ModelCatalog([model]),
                                            decoding: try DecodeStage(definitions: catalog.definitions), logger: db.logger)
                try await runner.prepare()
                try await db.client.query(PostgresQuery(unsafeSQL: ModelSQL.invalidate(schema: db.schema), binds: {
                    var binds = PostgresBindings(); binds.append(Int64(40)); binds.append(Int64(79)); return binds
                }()), logger: db.logger)
                let reloaded = try await runner.run(first: 40, last: 79, loaded: Set(ExportEntity.allCases), origin: 0)
                #expect(reloaded.decoded?.tables.count == 13 && reloaded.applied == ["erc1155_transfers"], "\(reloaded)")
                #expect(try await DecodePipelineTests.texts(db, digest) == before)
            } catch {
                _ = try? await db.client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \"\(dataset)\" CASCADE"), logger: db.logger)
                throw error
            }
            _ = try await db.client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \"\(dataset)\" CASCADE"), logger: db.logger)
        }
    }
}
