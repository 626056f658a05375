// ref('T') contract filters and the order rule, on real PostgreSQL with crafted logs: ranges in
// reverse give the rows of ranges in order, a dependent waits (deferred through the queue) until
// its dependency's high-water mark arrives, reloads, set operators and WHERE against an
// independent computation, a long table name, and the status read-out.

import Foundation
import PostgresNIO
import Shared
import Testing

@Suite("ref() filters and the order rule", .serialized)
struct DecodeRefTests {
    static let pairCreatedEvent = #"{"anonymous": false, "inputs": [{"indexed": true, "name": "token0", "type": "address"}, {"indexed": true, "name": "token1", "type": "address"}, {"indexed": false, "name": "pair", "type": "address"}, {"indexed": false, "name": "n", "type": "uint256"}], "name": "PairCreated", "type": "event"}"#
    static let swapEvent = #"{"anonymous": false, "inputs": [{"indexed": true, "name": "sender", "type": "address"}, {"indexed": false, "name": "amount", "type": "uint256"}], "name": "Swap", "type": "event"}"#
    static let poolAddedEvent = #"{"anonymous": false, "inputs": [{"indexed": false, "name": "pool", "type": "address"}, {"indexed": false, "name": "kind", "type": "uint256"}, {"indexed": false, "name": "tag", "type": "string"}], "name": "PoolAdded", "type": "event"}"#
    static let poolRemovedEvent = #"{"anonymous": false, "inputs": [{"indexed": false, "name": "pool", "type": "address"}], "name": "PoolRemoved", "type": "event"}"#
    static let pingEvent = #"{"anonymous": false, "inputs": [{"indexed": false, "name": "x", "type": "uint256"}], "name": "Ping", "type": "event"}"#

    static func address(_ n: Int) -> String { "0x" + String(format: "%040x", n) }
    static func word(_ n: Int) -> String { String(format: "%064x", n) }
    static func addressWord(_ n: Int) -> String { String(repeating: "0", count: 24) + String(format: "%040x", n) }
    static func topic(_ signature: String) -> String { ABIHex.text(Keccak256.hash(signature)) }
    /// ABI encoding of one dynamic string argument's tail (length word and padded bytes).
    static func stringTail(_ text: String) -> String {
        let bytes = Array(text.utf8)
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        return word(bytes.count) + hex + String(repeating: "0", count: (64 - hex.count % 64) % 64)
    }

    struct Log: Sendable {
        let block: Int64, index: Int64, address: String, topics: [String], data: String
    }

    static let factory = 0xfac
    static func pairCreated(_ block: Int64, _ index: Int64, pair: Int, from factory: Int = Self.factory) -> Log {
        Log(block: block, index: index, address: address(factory),
            topics: [topic("PairCreated(address,address,address,uint256)"), "0x" + addressWord(0xa0), "0x" + addressWord(0xb0)],
            data: "0x" + addressWord(pair) + word(pair))
    }
    static func swap(_ block: Int64, _ index: Int64, on pair: Int, amount: Int) -> Log {
        Log(block: block, index: index, address: address(pair), topics: [topic("Swap(address,uint256)"), "0x" + addressWord(0x5e)], data: "0x" + word(amount))
    }

    static func insert(_ logs: [Log], blocks: ClosedRange<Int64>?, _ db: TestDatabase) async throws {
        for block in blocks ?? 1...1 where blocks != nil {
            try await db.client.query("INSERT INTO \(unescaped: "\"\(db.schema)\"").blocks (number, hash, timestamp) VALUES (\(block), \("0xb\(block)"), \(1_700_000_000 + block))", logger: db.logger)
        }
        for log in logs {
            try await db.client.query("""
                INSERT INTO \(unescaped: "\"\(db.schema)\"").logs (log_index, transaction_hash, transaction_index, block_hash, block_number, address, data, topics)
                VALUES (\(log.index), \("0xt\(log.block)-\(log.index)"), 0, \("0xb\(log.block)"), \(log.block), \(log.address), \(log.data), \(log.topics.joined(separator: ",")))
                """, logger: db.logger)
        }
    }

    static func texts(_ db: TestDatabase, _ sql: String) async throws -> [String] {
        try await DecodePipelineTests.texts(db, sql)
    }

    /// A catalog of `files` (table name → file text) in a dataset of the test's own.
    static func catalog(_ files: [String: String], dataset: String) throws -> (DecodedTableCatalog, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bf-ref-\(UUID().uuidString)")
        try DecodePipelineTests.write(Dictionary(uniqueKeysWithValues: files.map { ("\($0.key).json", $0.value) }), dataset: dataset, in: folder)
        return (try DecodedTableCatalog.load(directory: folder), folder)
    }

    static func dataset(_ prefix: String) -> String {
        prefix + "_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(10)
    }

    static func factoryFiles(_ dataset: String) -> [String: String] {
        [
            "Factory_event_PairCreated": DecodePipelineTests.definition(dataset: dataset, table: "Factory_event_PairCreated", contract: "\"\(address(factory))\"",
                                                                         abi: pairCreatedEvent, fields: [("token0", "STRING"), ("token1", "STRING"), ("pair", "STRING"), ("n", "NUMERIC")]),
            "Pair_event_Swap": DecodePipelineTests.definition(dataset: dataset, table: "Pair_event_Swap", contract: #""SELECT pair FROM ref('Factory_event_PairCreated')""#,
                                                               abi: swapEvent, fields: [("sender", "STRING"), ("amount", "NUMERIC")]),
        ]
    }

    static func dropping(_ datasets: [String], _ db: TestDatabase, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            for dataset in datasets { _ = try? await db.client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \"\(dataset)\" CASCADE"), logger: db.logger) }
            throw error
        }
        for dataset in datasets { _ = try await db.client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \"\(dataset)\" CASCADE"), logger: db.logger) }
    }

    /// Three ranges of ten blocks: pair 0x1 created in the first (its swaps in the same range
    /// and later), pair 0x2 created in the second with a swap in the same block and one in the
    /// first range (before it existed: not decoded there), and swaps on 0x3, never created.
    static let ranges: [(Int64, Int64)] = [(100, 109), (110, 119), (120, 129)]
    static let logs: [Log] = [
        pairCreated(101, 0, pair: 0x1),
        swap(101, 1, on: 0x1, amount: 11),
        swap(105, 0, on: 0x1, amount: 12),
        swap(108, 0, on: 0x2, amount: 99),
        swap(112, 0, on: 0x3, amount: 98),
        pairCreated(112, 1, pair: 0x2),
        swap(112, 2, on: 0x2, amount: 21),
        swap(115, 0, on: 0x1, amount: 13),
        pairCreated(118, 0, pair: 0x9, from: 0xbad),
        swap(119, 0, on: 0x9, amount: 97),
        swap(121, 0, on: 0x2, amount: 22),
        swap(125, 0, on: 0x1, amount: 14),
        swap(129, 0, on: 0x3, amount: 96),
    ]

    static func swapRows(_ db: TestDatabase, _ dataset: String) async throws -> [String] {
        try await texts(db, "SELECT concat_ws('|', block_number, log_index, contract_address, sender, amount) FROM \"\(dataset)\".pair_event_swap ORDER BY block_number, log_index")
    }

    @Test("a dependent over ranges loaded in reverse gives exactly the rows it gives in order; a range decoded before its dependency's mark arrives is deferred through the queue (attempt not counted, visible in status) and then completed; reloading a range leaves the same rows")
    func reverseOrderAndDeferral() async throws {
        let staging = LoadTests.Staging()
        defer { staging.remove() }
        try await TestDatabase.with { db in
            try await PostgresWarehouse(client: db.client, schema: db.schema, store: staging.store, logger: db.logger).prepare()
            try await Self.insert(Self.logs, blocks: 100...129, db)
            let inOrder = Self.dataset("refa"), reverse = Self.dataset("refb")
            let (catalogA, folderA) = try Self.catalog(Self.factoryFiles(inOrder), dataset: inOrder)
            let (catalogB, folderB) = try Self.catalog(Self.factoryFiles(reverse), dataset: reverse)
            defer { try? FileManager.default.removeItem(at: folderA); try? FileManager.default.removeItem(at: folderB) }
            #expect(catalogA.stageRefusals.isEmpty && catalogB.stageRefusals.isEmpty)
            let runnerA = ModelJobRunner(client: db.client, dialect: .postgres, schema: db.schema, catalog: try ModelCatalog([]),
                                         decoding: try DecodeStage(definitions: catalogA.decodable), logger: db.logger)
            let runnerB = ModelJobRunner(client: db.client, dialect: .postgres, schema: db.schema, catalog: try ModelCatalog([]),
                                         decoding: try DecodeStage(definitions: catalogB.decodable, waitSeconds: 600), logger: db.logger)
            try await Self.dropping([inOrder, reverse], db) {
                try await runnerA.prepare()
                try await runnerB.prepare()
                let swapA = "\(inOrder).pair_event_swap", swapB = "\(reverse).pair_event_swap"
                for (first, last) in Self.ranges {
                    let summary = try await runnerA.run(first: first, last: last, loaded: [.blocks, .logs], origin: 100)
                    #expect(summary.decoded?.waiting.isEmpty == true, "\(summary)")
                }
                let expected = [
                    "101|1|\(Self.address(0x1))|\(Self.address(0x5e))|11",
                    "105|0|\(Self.address(0x1))|\(Self.address(0x5e))|12",
                    "112|2|\(Self.address(0x2))|\(Self.address(0x5e))|21",
                    "115|0|\(Self.address(0x1))|\(Self.address(0x5e))|13",
                    "121|0|\(Self.address(0x2))|\(Self.address(0x5e))|22",
                    "125|0|\(Self.address(0x1))|\(Self.address(0x5e))|14",
                ]
                #expect(try await Self.swapRows(db, inOrder) == expected)

                // Reverse, through the queue: the last range's model job decodes PairCreated and
                // defers; so does the middle one; the first decodes both; the others then complete.
                var jobs: [Int64] = []
                for (first, last) in Self.ranges.reversed() {
                    let ids = try await db.queue.enqueue([NewJob(kind: .model, firstBlock: first, lastBlock: last, payload: #"{"entities": ["blocks", "logs"], "origin": 100}"#)])
                    jobs += ids
                }
                func runOne(_ first: Int64) async throws -> JobOutcome {
                    try await db.client.query("UPDATE jobs SET run_after = now() - interval '1 day' WHERE kind = 'model' AND first_block = \(first) AND state = 'pending'", logger: db.logger)
                    // Claim order is by first block: make only this range's job ready.
                    try await db.client.query("UPDATE jobs SET run_after = now() + interval '1 day' WHERE kind = 'model' AND first_block <> \(first) AND state = 'pending'", logger: db.logger)
                    let claimed = try await db.queue.claim(kinds: [.model], limit: 1, owner: "test", lease: .seconds(60))
                    let job = try #require(claimed.first)
                    #expect(job.firstBlock == first)
                    let outcome = try await runnerB.run(job)
                    try await db.queue.complete(JobCompletion(lease: job.lease, result: outcome.result, deferral: outcome.deferral, modelBackfill: outcome.modelBackfill,
                                                             decodedCounts: outcome.decodedCounts))
                    return outcome
                }
                let third = try await runOne(120)
                #expect(third.deferral?.reason.contains(swapB) == true && third.deferral?.seconds == 600, "\(String(describing: third.deferral))")
                #expect(third.deferral?.reason.contains("\(reverse).factory_event_paircreated is decoded contiguously from block 100 to 99 only; needs 119") == true)
                let row = try await db.row(jobs[0])
                #expect(row.state == "pending" && row.attempts == 0 && row.secondsUntilRunnable > 500 && row.lastError?.hasPrefix("waiting: ") == true, "\(row)")
                #expect(try await Self.swapRows(db, reverse).isEmpty)
                // PairCreated itself was decoded (and recorded) on the range; only the Swap table waits.
                #expect(third.result?.contains("\"\(reverse).factory_event_paircreated\":{\"decoded\":0,\"skipped\":0}") == true, "\(third.result ?? "")")
                #expect(try await Self.texts(db, "SELECT model FROM \"\(db.schema)\".blockfleet_model_runs WHERE model LIKE 'decode:\(reverse).%' ORDER BY model")
                        == ["decode:\(reverse).factory_event_paircreated"])
                var report = try await StatusReport.load(from: db.queue)
                var status = try #require(report.decodedTables.first { $0.table == swapB })
                #expect(status.waitingRanges == 1 && status.firstWaitingBlock == 120 && status.waitingReason?.contains("needs 119") == true, "\(status)")
                #expect(report.render().contains(swapB) && report.render().contains("1 ranges from block 120"))
                let page = StatusPage(report: report, segments: [], workers: [], chainTip: nil).render()
                #expect(page.contains("id=\"decoded-tables\"") && page.contains("data-table=\"\(swapB)\"") && page.contains("1 ranges from block 120"))

                let second = try await runOne(110)
                #expect(second.deferral != nil)
                let firstRange = try await runOne(100)
                #expect(firstRange.deferral == nil)
                // The mark now reaches 129 (PairCreated is decoded on all three ranges).
                #expect(try await runOne(120).deferral == nil)
                #expect(try await runOne(110).deferral == nil)
                #expect(try await Self.swapRows(db, reverse) == expected)
                for id in jobs { #expect(try await db.row(id).state == "succeeded") }

                report = try await StatusReport.load(from: db.queue)
                status = try #require(report.decodedTables.first { $0.table == swapB })
                #expect(status.waitingRanges == 0 && status.decoded == 6 && status.ranges == 3, "\(status)")
                let factoryStatus = try #require(report.decodedTables.first { $0.table == "\(reverse).factory_event_paircreated" })
                #expect(factoryStatus.decoded == 2 && factoryStatus.ranges == 3, "\(factoryStatus)")
                // Counts are per range, replaced when a range reports again (deltas on the sums).
                let rerun = try await db.queue.enqueue([NewJob(kind: .model, firstBlock: 110, lastBlock: 119, entities: "x", payload: "{}")])
                let held = try #require(try await db.queue.claim(kinds: [.model], limit: 1, owner: "test", lease: .seconds(60)).first)
                #expect(held.id == rerun.first)
                try await db.queue.complete(JobCompletion(lease: held.lease, result: "{}",
                                                          decodedCounts: DecodedRangeCounts(firstBlock: 110, lastBlock: 119, tables: [swapB: (decoded: 5, skipped: 1)])))
                let moved = try #require(try await StatusReport.load(from: db.queue).decodedTables.first { $0.table == swapB })
                #expect(moved.decoded == 6 - 2 + 5 && moved.skipped == 1 && moved.ranges == 3, "\(moved)")
                let json = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
                #expect(json.contains("decodedTables") && json.contains(swapB))

                // A reload of the middle range (a load forgets its runs) leaves the same rows and
                // invalidates nothing (its PairCreated rows did not change).
                try await db.client.query(PostgresQuery(unsafeSQL: ModelSQL.invalidate(schema: db.schema), binds: {
                    var b = PostgresBindings(); b.append(Int64(110)); b.append(Int64(119)); return b }()), logger: db.logger)
                let reloaded = try await runnerB.run(first: 110, last: 119, loaded: [.blocks, .logs], origin: 100)
                #expect(reloaded.decoded?.invalidated == nil && reloaded.decoded?.tables[swapB] == DecodedTableCounts(decoded: 2, skipped: 0), "\(reloaded)")
                #expect(try await Self.swapRows(db, reverse) == expected)
                _ = swapA
            }
        }
    }

    @Test("a user model reading a decoded table that waits on the range waits too (not run, not recorded; its dependents with it) while other models run; when the range comes back it runs and holds the range's rows")
    func userModelsWaitForDecodedTables() async throws {
        let staging = LoadTests.Staging()
        defer { staging.remove() }
        try await TestDatabase.with { db in
            try await PostgresWarehouse(client: db.client, schema: db.schema, store: staging.store, logger: db.logger).prepare()
            try await Self.insert(Self.logs, blocks: 100...129, db)
            let dataset = Self.dataset("refm")
            let (catalog, folder) = try Self.catalog(Self.factoryFiles(dataset), dataset: dataset)
            defer { try? FileManager.default.removeItem(at: folder) }
            func model(_ name: String, _ text: String) throws -> WarehouseModel {
                try WarehouseModel.parse(name: name, postgresText: text, redshiftText: nil, source: "\(name).sql")
            }
            let models = try ModelCatalog([
                try model("swap_counts", """
                    -- requires: logs
                    CREATE TABLE IF NOT EXISTS swap_counts (block_number BIGINT, swaps BIGINT);
                    DELETE FROM swap_counts WHERE block_number BETWEEN :first_block AND :last_block;
                    INSERT INTO swap_counts SELECT block_number, count(*) FROM "\(dataset)".Pair_event_Swap WHERE block_number BETWEEN :first_block AND :last_block GROUP BY block_number;
                    """),
                try model("swap_counts_total", """
                    -- depends_on: swap_counts
                    -- requires: logs
                    CREATE TABLE IF NOT EXISTS swap_counts_total (first_block BIGINT, swaps BIGINT);
                    DELETE FROM swap_counts_total WHERE first_block = :first_block;
                    INSERT INTO swap_counts_total SELECT :first_block, coalesce(sum(swaps), 0) FROM swap_counts WHERE block_number BETWEEN :first_block AND :last_block;
                    """),
                try model("log_counts", """
                    -- requires: logs
                    CREATE TABLE IF NOT EXISTS log_counts (first_block BIGINT, logs BIGINT);
                    DELETE FROM log_counts WHERE first_block = :first_block;
                    INSERT INTO log_counts SELECT :first_block, count(*) FROM logs WHERE block_number BETWEEN :first_block AND :last_block;
                    """),
            ])
            let runner = ModelJobRunner(client: db.client, dialect: .postgres, schema: db.schema, catalog: models,
                                        decoding: try DecodeStage(definitions: catalog.decodable), logger: db.logger)
            try await Self.dropping([dataset], db) {
                try await runner.prepare()
                // The second range first: Swap waits for PairCreated's mark, and so do the models reading it.
                let early = try await runner.run(first: 110, last: 119, loaded: [.blocks, .logs], origin: 100)
                #expect(early.decoded?.waiting.keys.sorted() == ["\(dataset).pair_event_swap"], "\(early)")
                #expect(early.applied == ["log_counts"], "\(early)")
                #expect(early.skipped["swap_counts"]?.contains("reads decoded table \(dataset).pair_event_swap, which waits") == true, "\(early.skipped)")
                #expect(early.skipped["swap_counts_total"]?.contains("its dependency swap_counts waits") == true, "\(early.skipped)")
                #expect(try await Self.texts(db, "SELECT model FROM \"\(db.schema)\".blockfleet_model_runs WHERE first_block = 110 AND model NOT LIKE 'decode:%' ORDER BY model") == ["log_counts"])

                let first = try await runner.run(first: 100, last: 109, loaded: [.blocks, .logs], origin: 100)
                #expect(first.decoded?.waiting.isEmpty == true && Set(first.applied) == ["swap_counts", "swap_counts_total", "log_counts"], "\(first)")
                // The job comes back: the table is decoded, the waiting models run, the other is up to date.
                let again = try await runner.run(first: 110, last: 119, loaded: [.blocks, .logs], origin: 100)
                #expect(again.decoded?.waiting.isEmpty == true && again.applied == ["swap_counts", "swap_counts_total"] && again.upToDate == ["log_counts"], "\(again)")
                // Swaps of 110-119: block 112 on pair 0x2 (created there) and 115 on 0x1; not 112 on 0x3 or 119 on 0x9.
                #expect(try await Self.texts(db, "SELECT first_block || ':' || swaps FROM \"\(db.schema)\".swap_counts_total ORDER BY first_block") == ["100:2", "110:2"])
            }
        }
    }

    @Test("a reload whose dependency rows changed forgets the dependents' runs on later ranges and enqueues model jobs decoding them again (before the warehouse commits, or with the completion); doing so gives the rows a first decode would")
    func reloadChangesDependency() async throws {
        let staging = LoadTests.Staging()
        defer { staging.remove() }
        try await TestDatabase.with { db in
            try await PostgresWarehouse(client: db.client, schema: db.schema, store: staging.store, logger: db.logger).prepare()
            try await Self.insert(Self.logs, blocks: 100...129, db)
            let dataset = Self.dataset("refr")
            let (catalog, folder) = try Self.catalog(Self.factoryFiles(dataset), dataset: dataset)
            defer { try? FileManager.default.removeItem(at: folder) }
            let runner = ModelJobRunner(client: db.client, dialect: .postgres, schema: db.schema, catalog: try ModelCatalog([]),
                                        decoding: try DecodeStage(definitions: catalog.decodable), logger: db.logger)
            try await Self.dropping([dataset], db) {
                try await runner.prepare()
                for (first, last) in Self.ranges {
                    _ = try await runner.run(first: first, last: last, loaded: [.blocks, .logs], origin: 100)
                }
                let before = try await Self.swapRows(db, dataset)
                #expect(before.count == 6)
                // The first range is re-exported with pair 0x3 created in it: swaps on 0x3 in later
                // ranges now belong in the table.
                try await Self.insert([Self.pairCreated(103, 0, pair: 0x3)], blocks: nil, db)
                try await db.client.query(PostgresQuery(unsafeSQL: ModelSQL.invalidate(schema: db.schema), binds: {
                    var b = PostgresBindings(); b.append(Int64(100)); b.append(Int64(109)); return b }()), logger: db.logger)
                // The worker's runner has the queue: it enqueues model jobs on the later ranges
                // before the warehouse commits.
                try await db.queue.enqueue(Self.ranges.map { NewJob(kind: .export, firstBlock: $0.0, lastBlock: $0.1, entities: "blocks,logs") })
                try await db.client.query("UPDATE jobs SET state = 'succeeded' WHERE kind = 'export'", logger: db.logger)
                let worker = ModelJobRunner(client: db.client, dialect: .postgres, schema: db.schema, catalog: try ModelCatalog([]),
                                            decoding: try DecodeStage(definitions: catalog.decodable), queue: db.queue, logger: db.logger)
                let reload = try await worker.run(first: 100, last: 109, loaded: [.blocks, .logs], origin: 100)
                let swapRun = "decode:\(dataset).pair_event_swap"
                #expect(reload.decoded?.invalidated == DecodeInvalidation(tables: [swapRun], fromBlock: 110), "\(reload)")
                #expect(try await Self.texts(db, "SELECT count(*)::text FROM \"\(db.schema)\".blockfleet_model_runs WHERE model = '\(swapRun)' AND first_block > 109") == ["0"])
                let enqueued = try await Self.texts(db, "SELECT first_block::text || ' ' || payload::text FROM jobs WHERE kind = 'model' AND state = 'pending' ORDER BY first_block")
                #expect(enqueued.count == 2 && enqueued[0].hasPrefix("110 ") && enqueued[1].hasPrefix("120 ") && enqueued.allSatisfy { $0.contains(swapRun) }, "\(enqueued)")
                // Asked again (another changed range): the jobs still to run are left as they are.
                #expect(try await db.queue.backfillModels([swapRun], from: 110, keepingWaiting: true).isEmpty)
                #expect(try await db.queue.backfillModels([swapRun], from: 110).count == 2)
                try await db.client.query("DELETE FROM jobs WHERE kind = 'model'", logger: db.logger)
                // A runner without the queue hands the request to the completion instead: every
                // loaded range from block 110.
                let claimed = try await db.queue.enqueue([NewJob(kind: .model, firstBlock: 100, lastBlock: 109, payload: #"{"entities": ["blocks", "logs"]}"#)])
                let job = try #require(try await db.queue.claim(kinds: [.model], limit: 1, owner: "test", lease: .seconds(60)).first)
                #expect(job.id == claimed.first)
                try await db.queue.complete(JobCompletion(lease: job.lease, result: "{}", modelBackfill: ModelBackfill(force: [swapRun], fromBlock: 110)))
                let payloads = try await Self.texts(db, "SELECT first_block::text || ' ' || payload::text FROM jobs WHERE kind = 'model' AND state = 'pending' ORDER BY first_block")
                #expect(payloads.count == 2 && payloads[0].hasPrefix("110 ") && payloads[1].hasPrefix("120 ") && payloads.allSatisfy { $0.contains(swapRun) && $0.contains("\"origin\": 100") }, "\(payloads)")
                for (first, last) in Self.ranges.dropFirst() {
                    let summary = try await runner.run(first: first, last: last, loaded: [.blocks, .logs], forced: [swapRun], origin: 100)
                    #expect(summary.decoded?.tables["\(dataset).pair_event_swap"] != nil && summary.decoded?.waiting.isEmpty == true, "\(summary)")
                }
                let after = try await Self.swapRows(db, dataset)
                let three = Self.address(0x3)
                #expect(after.filter { !$0.contains(three) } == before)
                #expect(after.filter { $0.contains(three) } == ["112|0|\(three)|\(Self.address(0x5e))|98", "129|0|\(three)|\(Self.address(0x5e))|96"])
            }
        }
    }

    @Test("WHERE, GROUP BY/DISTINCT, UNION, EXCEPT and INTERSECT filters select the contracts an independent computation over the same registry gives, and the SQL agrees with ContractQuery evaluated in Swift over the table's rows")
    func filtersAgainstIndependentComputation() async throws {
        let staging = LoadTests.Staging()
        defer { staging.remove() }
        // The registry: pool n added with kind and tag; some removed. Pools 1…12; every pool and
        // the literal 0x…77 emit Ping.
        let added: [(pool: Int, kind: Int, tag: String)] = [
            (1, 1, "a"), (2, 2, "b"), (3, 3, "bad"), (4, 2, "a"), (5, 5, "c"), (6, 1, "b"), (7, 10, "a"),
            (8, 2, "B"), (9, 3, ""), (10, 4, "a"), (11, 2, "a"), (1, 7, "dup"),
        ]
        let removed = [2, 4, 9, 12]
        let literal = 0x77
        let poolAdded = "PoolAdded(address,uint256,string)", poolRemoved = "PoolRemoved(address)", ping = "Ping(uint256)"
        var logs: [Log] = []
        for (offset, entry) in added.enumerated() {
            logs.append(Log(block: 100, index: Int64(offset), address: Self.address(0xeee), topics: [Self.topic(poolAdded)],
                            data: "0x" + Self.addressWord(entry.pool) + Self.word(entry.kind) + Self.word(0x60) + Self.stringTail(entry.tag)))
        }
        for (offset, pool) in removed.enumerated() {
            logs.append(Log(block: 101, index: Int64(offset), address: Self.address(0xeee), topics: [Self.topic(poolRemoved)], data: "0x" + Self.addressWord(pool)))
        }
        for (offset, contract) in (Array(1...12) + [literal]).enumerated() {
            logs.append(Log(block: 105, index: Int64(offset), address: Self.address(contract), topics: [Self.topic(ping)], data: "0x" + Self.word(offset)))
        }
        // The filters, and what they must select, computed here without the library.
        let registryLogs = logs
        let addedPools = Set(added.map(\.pool)), removedPools = Set(removed)
        let lit = "'\(Self.address(literal))'"
        let filters: [(name: String, sql: String, expected: Set<Int>)] = [
            ("except_union", "(SELECT pool FROM ref('Reg_event_PoolAdded') EXCEPT DISTINCT SELECT pool FROM ref('Reg_event_PoolRemoved')) UNION ALL SELECT \(lit)",
             addedPools.subtracting(removedPools).union([literal])),
            ("where_group", "SELECT pool FROM ref('Reg_event_PoolAdded') WHERE kind >= 2 AND tag != 'bad' GROUP BY pool",
             Set(added.filter { $0.kind >= 2 && $0.tag != "bad" }.map(\.pool))),
            ("in_or_not", "SELECT DISTINCT pool FROM ref('Reg_event_PoolAdded') WHERE tag IN ('b', 'c') OR NOT (kind < 10)",
             Set(added.filter { ["b", "c"].contains($0.tag) || !($0.kind < 10) }.map(\.pool))),
            ("intersect", "SELECT pool FROM ref('Reg_event_PoolAdded') WHERE tag = 'b' INTERSECT DISTINCT SELECT pool FROM ref('Reg_event_PoolRemoved')",
             Set(added.filter { $0.tag == "b" }.map(\.pool)).intersection(removedPools)),
            ("numeric_text", "SELECT pool FROM ref('Reg_event_PoolAdded') WHERE kind > 9 OR kind = 1",
             Set(added.filter { $0.kind > 9 || $0.kind == 1 }.map(\.pool))),
            ("union_distinct", "SELECT pool FROM ref('Reg_event_PoolRemoved') UNION DISTINCT SELECT pool FROM ref('Reg_event_PoolAdded') WHERE tag = ''",
             removedPools.union(added.filter { $0.tag.isEmpty }.map(\.pool))),
        ]
        try await TestDatabase.with { db in
            try await PostgresWarehouse(client: db.client, schema: db.schema, store: staging.store, logger: db.logger).prepare()
            try await Self.insert(registryLogs, blocks: 100...109, db)
            let dataset = Self.dataset("reff")
            var files = [
                "Reg_event_PoolAdded": DecodePipelineTests.definition(dataset: dataset, table: "Reg_event_PoolAdded", abi: Self.poolAddedEvent,
                                                                       fields: [("pool", "STRING"), ("kind", "NUMERIC"), ("tag", "STRING")]),
                "Reg_event_PoolRemoved": DecodePipelineTests.definition(dataset: dataset, table: "Reg_event_PoolRemoved", abi: Self.poolRemovedEvent, fields: [("pool", "STRING")]),
            ]
            for filter in filters {
                let contract = String(data: try JSONEncoder().encode(filter.sql), encoding: .utf8)!
                files["Ping_\(filter.name)"] = DecodePipelineTests.definition(dataset: dataset, table: "Ping_\(filter.name)", contract: contract, abi: Self.pingEvent, fields: [("x", "NUMERIC")])
            }
            let (catalog, folder) = try Self.catalog(files, dataset: dataset)
            defer { try? FileManager.default.removeItem(at: folder) }
            #expect(catalog.stageRefusals.isEmpty, "\(catalog.stageRefusals)")
            let stage = try DecodeStage(definitions: catalog.decodable)
            let runner = ModelJobRunner(client: db.client, dialect: .postgres, schema: db.schema, catalog: try ModelCatalog([]), decoding: stage, logger: db.logger)
            try await Self.dropping([dataset], db) {
                try await runner.prepare()
                let summary = try await runner.run(first: 100, last: 109, loaded: [.blocks, .logs], origin: 100)
                #expect(summary.decoded?.waiting.isEmpty == true && summary.decoded?.tables.count == 2 + filters.count, "\(summary)")
                // The registry tables as text rows, for the Swift evaluation.
                var rows: [String: [[String: String]]] = [:]
                for table in ["Reg_event_PoolAdded", "Reg_event_PoolRemoved"] {
                    let definition = try #require(catalog.definition(dataset: dataset, table: table))
                    let columns = definition.schema.map(\.name)
                    let select = columns.map { "\($0)::text" }.joined(separator: " || chr(31) || ")
                    rows[table.lowercased()] = try await Self.texts(db, "SELECT \(select) FROM \"\(dataset)\".\"\(definition.postgresTable)\"").map { line in
                        Dictionary(uniqueKeysWithValues: zip(columns, line.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)))
                    }
                }
                for filter in filters {
                    let table = "ping_\(filter.name)"
                    let contracts = Set(try await Self.texts(db, "SELECT DISTINCT contract_address FROM \"\(dataset)\".\"\(table)\""))
                    let expected = Set(filter.expected.filter { (1...12).contains($0) || $0 == literal }.map(Self.address))
                    #expect(contracts == expected, "\(filter.name): \(contracts.sorted()) vs \(expected.sorted())")
                    let definition = try #require(catalog.definition(dataset: dataset, table: "Ping_\(filter.name)"))
                    guard case .query(let query) = definition.contracts else { Issue.record("\(filter.name) is not a query"); continue }
                    let swift = query.addresses { rows[$0.lowercased()] ?? [] }
                    #expect(swift == Set(filter.expected.map(Self.address)), "\(filter.name): Swift evaluation \(swift.sorted())")
                }
            }
        }
    }

    @Test("a table name over 63 bytes is accepted: decoded into its shortened Postgres table, which is queryable, and read through ref() by a dependent")
    func longTableName() async throws {
        let staging = LoadTests.Staging()
        defer { staging.remove() }
        try await TestDatabase.with { db in
            try await PostgresWarehouse(client: db.client, schema: db.schema, store: staging.store, logger: db.logger).prepare()
            try await Self.insert(Array(Self.logs.prefix(3)), blocks: 100...109, db)
            let dataset = Self.dataset("refl")
            let long = "Factory_event_PairCreated_with_a_name_much_longer_than_postgres_allows"
            let files = [
                long: DecodePipelineTests.definition(dataset: dataset, table: long, contract: "\"\(Self.address(Self.factory))\"",
                                                     abi: Self.pairCreatedEvent, fields: [("token0", "STRING"), ("token1", "STRING"), ("pair", "STRING"), ("n", "NUMERIC")]),
                "Pair_event_Swap": DecodePipelineTests.definition(dataset: dataset, table: "Pair_event_Swap", contract: "\"SELECT pair FROM ref('\(long)')\"",
                                                                   abi: Self.swapEvent, fields: [("sender", "STRING"), ("amount", "NUMERIC")]),
            ]
            let (catalog, folder) = try Self.catalog(files, dataset: dataset)
            defer { try? FileManager.default.removeItem(at: folder) }
            #expect(catalog.stageRefusals.isEmpty, "\(catalog.stageRefusals)")
            let definition = try #require(catalog.definition(dataset: dataset, table: long))
            #expect(definition.postgresTable.utf8.count == 63 && definition.postgresTable != definition.warehouseTable)
            let runner = ModelJobRunner(client: db.client, dialect: .postgres, schema: db.schema, catalog: try ModelCatalog([]),
                                        decoding: try DecodeStage(definitions: catalog.decodable), logger: db.logger)
            try await Self.dropping([dataset], db) {
                try await runner.prepare()
                let summary = try await runner.run(first: 100, last: 109, loaded: [.blocks, .logs], origin: 100)
                #expect(summary.decoded?.tables["\(dataset).\(long.lowercased())"] == DecodedTableCounts(decoded: 1, skipped: 0), "\(summary)")
                #expect(try await Self.texts(db, "SELECT pair FROM \"\(dataset)\".\"\(definition.postgresTable)\"") == [Self.address(0x1)])
                #expect(try await Self.texts(db, "SELECT count(*)::text FROM \"\(dataset)\".pair_event_swap") == ["2"])
            }
        }
    }

    @Test("the whole shared corpus decodes on Postgres, each dataset renamed for the test: 179 tables created and decoded on a first range, every real ref() filter run as SQL, and on the next range every dependency's mark read and reached")
    func corpusOnPostgres() async throws {
        let prefix = "c" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(6) + "_"
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bf-ref-corpus-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("SharedTests/Fixtures/ethereum-etl-airflow/table_definitions")
        // A copy whose top folders and dataset names carry the prefix (views are found by folder).
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for dataset in try FileManager.default.contentsOfDirectory(atPath: source.path) {
            try FileManager.default.copyItem(at: source.appendingPathComponent(dataset), to: folder.appendingPathComponent(prefix + dataset))
        }
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            guard file.pathExtension == "json" else { continue }
            let text = try String(contentsOf: file, encoding: .utf8)
            try text.replacingOccurrences(of: #"("dataset_name":\s*")"#, with: "$1\(prefix)", options: .regularExpression)
                .write(to: file, atomically: true, encoding: .utf8)
        }
        let catalog = try DecodedTableCatalog.load(directory: folder)
        #expect(catalog.stageRefusals.isEmpty && catalog.decodable.count == 179, "\(catalog.stageRefusals)")
        let stage = try DecodeStage(definitions: catalog.decodable)
        let schemas = Array(Set(stage.definitions.map(\.postgresSchema))).sorted()
        #expect(schemas.allSatisfy { $0.hasPrefix(prefix) })
        let staging = LoadTests.Staging()
        defer { staging.remove() }
        try await TestDatabase.with { db in
            try await PostgresWarehouse(client: db.client, schema: db.schema, store: staging.store, logger: db.logger).prepare()
            try await Self.insert([], blocks: 100...119, db)
            let runner = ModelJobRunner(client: db.client, dialect: .postgres, schema: db.schema, catalog: try ModelCatalog([]), decoding: stage, logger: db.logger)
            try await Self.dropping(schemas, db) {
                try await runner.prepare()
                let first = try await runner.run(first: 100, last: 109, loaded: [.blocks, .logs, .traces], origin: 100)
                #expect(first.decoded?.tables.count == 179 && first.decoded?.waiting.isEmpty == true, "\(String(describing: first.decoded?.waiting))")
                let second = try await runner.run(first: 110, last: 119, loaded: [.blocks, .logs, .traces], origin: 100)
                #expect(second.decoded?.tables.count == 179 && second.decoded?.waiting.isEmpty == true, "\(String(describing: second.decoded?.waiting))")
                // Without the first range, the dependents of a third range wait on their dependencies' marks.
                try await db.client.query("DELETE FROM \(unescaped: "\"\(db.schema)\"").blockfleet_model_runs WHERE first_block = 100", logger: db.logger)
                let third = try await runner.run(first: 110, last: 119, loaded: [.blocks, .logs, .traces], forced: Set(stage.definitions.map(DecodeStage.runName)), origin: 100)
                let dependents = stage.definitions.filter { !$0.dependencies.isEmpty }.count
                #expect(dependents == 46 && third.decoded?.waiting.count == dependents, "\(String(describing: third.decoded?.waiting.count))")
            }
        }
    }

    @Test("a worker claiming the model jobs of three ranges last range first defers the dependents (not counted as attempts or jobs done) and, once the first range is in, completes them: the rows of ranges in order")
    func workerDefersAndCompletes() async throws {
        let staging = LoadTests.Staging()
        defer { staging.remove() }
        try await TestDatabase.with { db in
            try await PostgresWarehouse(client: db.client, schema: db.schema, store: staging.store, logger: db.logger).prepare()
            try await Self.insert(Self.logs, blocks: 100...129, db)
            let dataset = Self.dataset("refw")
            let (catalog, folder) = try Self.catalog(Self.factoryFiles(dataset), dataset: dataset)
            defer { try? FileManager.default.removeItem(at: folder) }
            let runner = ModelJobRunner(client: db.client, dialect: .postgres, schema: db.schema, catalog: try ModelCatalog([]),
                                        decoding: try DecodeStage(definitions: catalog.decodable, waitSeconds: 0.3), logger: db.logger)
            try await Self.dropping([dataset], db) {
                // Priority orders claims before the first block: the last range is claimed first.
                for (offset, range) in Self.ranges.reversed().enumerated() {
                    try await db.queue.enqueue([NewJob(kind: .model, firstBlock: range.0, lastBlock: range.1, payload: #"{"entities": ["blocks", "logs"], "origin": 100}"#, priority: offset + 1)])
                }
                let worker = WorkerService(queue: db.queue, registry: WorkerRegistry(client: db.client, logger: db.logger), runners: [.model: runner],
                                           configuration: WorkerConfiguration(id: "ref-test", kinds: [.model], concurrency: 1, pollInterval: .milliseconds(100)), logger: db.logger)
                let running = Task { try await worker.run() }
                try await eventually("the three model jobs to succeed", timeout: .seconds(60)) { try await db.count(kind: "model", state: "succeeded") == 3 }
                worker.stop()
                try await running.value
                let expected = [
                    "101|1|\(Self.address(0x1))|\(Self.address(0x5e))|11", "105|0|\(Self.address(0x1))|\(Self.address(0x5e))|12",
                    "112|2|\(Self.address(0x2))|\(Self.address(0x5e))|21", "115|0|\(Self.address(0x1))|\(Self.address(0x5e))|13",
                    "121|0|\(Self.address(0x2))|\(Self.address(0x5e))|22", "125|0|\(Self.address(0x1))|\(Self.address(0x5e))|14",
                ]
                #expect(try await Self.swapRows(db, dataset) == expected)
                #expect(try await Self.texts(db, "SELECT max(attempts)::text FROM jobs WHERE kind = 'model'") == ["1"])
                let record = try #require(try await WorkerRegistry(client: db.client, logger: db.logger).list().first)
                #expect(record.jobsDone == 3 && record.jobsFailed == 0, "\(record)")
                let status = try #require(try await StatusReport.load(from: db.queue).decodedTables.first { $0.table == "\(dataset).pair_event_swap" })
                #expect(status.decoded == 6 && status.ranges == 3 && status.waitingRanges == 0, "\(status)")
            }
        }
    }
}
