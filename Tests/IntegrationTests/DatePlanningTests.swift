// Planning and exporting by UTC date against devchain over HTTP, and against ethereum-etl's own lookup.

import AsyncHTTPClient
import Foundation
import Logging
import Shared
import Testing

@Suite("planning by date (devchain over HTTP)", .serialized)
struct DatePlanningTests {
    static let midnight: Int64 = 1_704_067_200  // 2024-01-01 00:00:00 UTC

    /// A devchain and every block's timestamp, read over HTTP: the answer a search must match.
    struct Chain {
        let name: String
        let node: FleetProcess
        let url: String
        let timestamps: [Int64]

        struct Header: Decodable, Sendable {
            let number: String
            let timestamp: String
        }

        static func start(_ name: String, genesis: Int64, secondsPerBlock: Int, blocksPerTimestamp: Int = 1, blocks: Int) async throws -> Chain {
            let (node, url) = try await Ops.startDevChain([
                "--seed", "11", "--blocks", "\(blocks)", "--txs-per-block", "2", "--genesis-timestamp", "\(genesis)",
                "--seconds-per-block", "\(secondsPerBlock)", "--blocks-per-timestamp", "\(blocksPerTimestamp)",
            ])
            do {
                let headers = try await withPool(url) { pool in
                    try await pool.call((0...UInt64(blocks)).map { RPCRequest.block($0, fullTransactions: false) }, as: Header.self)
                }
                return Chain(name: name, node: node, url: url, timestamps: headers.map { Int64($0.timestamp.dropFirst(2), radix: 16)! })
            } catch {
                node.signal(SIGTERM)
                throw error
            }
        }

        /// What the days must give, read off every block: the range, or the error's code.
        func expected(_ first: BlockDate, _ last: BlockDate) -> String {
            let (start, end) = (first.firstSecond, last.lastSecond)
            guard end < timestamps.last!, end >= timestamps[1] else { return BlockDateRangeError.Code.notCovered.rawValue }
            let firstBlock = timestamps.indices.dropFirst().first { timestamps[$0] >= start }!
            let lastBlock = timestamps.indices.dropFirst().last { timestamps[$0] <= end }!
            guard firstBlock <= lastBlock else { return BlockDateRangeError.Code.noBlocks.rawValue }
            return "\(firstBlock == 1 ? 0 : firstBlock),\(lastBlock)"
        }

        /// The days from the one before block 1 to the one after the head.
        var days: [BlockDate] {
            (BlockDate(timestamp: timestamps[1]).days - 1...BlockDate(timestamp: timestamps.last!).days + 1).map(BlockDate.init(days:))
        }

        func stop() { node.signal(SIGTERM) }
    }

    static func withPool<T: Sendable>(_ url: String, _ body: (NodePool) async throws -> T) async throws -> T {
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: HTTPClientService.defaultConfiguration)
        let pool = NodePool(configuration: NodePoolConfiguration(endpoints: [try RPCEndpoint(url)], attempts: 2), http: http,
                            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        do {
            let result = try await body(pool)
            try await http.shutdown()
            return result
        } catch {
            try await http.shutdown()
            throw error
        }
    }

    /// What BlockFleet's search says for the days, in `expected`'s terms.
    static func ours(_ chain: Chain, _ first: BlockDate, _ last: BlockDate) async throws -> (answer: String, calls: Int?) {
        try await withPool(chain.url) { pool in
            do {
                let range = try await BlockDateRangeFinder(source: NodePoolTimestampSource(pool: pool)).blocks(from: first, through: last)
                return ("\(range.firstBlock),\(range.lastBlock)", range.calls)
            } catch let error as BlockDateRangeError {
                return (error.code.rawValue, nil)
            }
        }
    }

    /// A block every 10 minutes from 2023-12-31 23:00: 2024-01-01 is blocks 6…149 (block 6 at 00:00:00), the head 2024-01-07 21:40.
    static func steady() async throws -> Chain {
        try await Chain.start("steady", genesis: midnight - 3_600, secondsPerBlock: 600, blocks: 1_000)
    }

    /// Runs of equal timestamps, on the day boundaries (`offset` 0: at 00:00:00; −1: at 23:59:59) or between them.
    static func repeated() async throws -> [Chain] {
        [
            try await Chain.start("6 blocks per timestamp, a run at 00:00:00", genesis: midnight - 86_400, secondsPerBlock: 1_800, blocksPerTimestamp: 6, blocks: 2_000),
            try await Chain.start("6 blocks per timestamp, a run at 23:59:59", genesis: midnight - 86_401, secondsPerBlock: 1_800, blocksPerTimestamp: 6, blocks: 2_000),
            try await Chain.start("25 blocks per timestamp, runs off the boundaries", genesis: midnight - 86_400 - 900, secondsPerBlock: 7_200, blocksPerTimestamp: 25, blocks: 2_000),
            // Where ethereum-etl's interpolation never pairs two equal timestamps, so it answers.
            try await Chain.start("3 blocks per timestamp, runs off the boundaries", genesis: midnight - 87_000, secondsPerBlock: 1_200, blocksPerTimestamp: 3, blocks: 2_000),
        ]
    }

    @Test("each day's first and last block as a scan of every header finds them: steady blocks, days without blocks, runs of equal timestamps, dates past the head")
    func againstAScan() async throws {
        let sparse = try await Chain.start("a block every 27.8 hours", genesis: Self.midnight + 3_600, secondsPerBlock: 100_000, blocks: 12)
        let chains = [try await Self.steady(), sparse] + (try await Self.repeated())
        defer { chains.forEach { $0.stop() } }
        var seen: [String: Int] = [:]
        for chain in chains {
            for day in chain.days {
                let expected = chain.expected(day, day)
                let (answer, calls) = try await Self.ours(chain, day, day)
                #expect(answer == expected, "\(chain.name), \(day)")
                seen[expected.contains(",") ? "range" : expected, default: 0] += 1
                if let calls { #expect(calls <= 2 + 3 * 12, "\(chain.name), \(day): \(calls) calls for ≤ 2,000 blocks") }
            }
            // Two days at once: from the first day's first block to the second's last.
            let (a, b) = (chain.days[1], chain.days[2])
            #expect(try await Self.ours(chain, a, b).answer == chain.expected(a, b), "\(chain.name), \(a)…\(b)")
        }
        #expect(seen["range", default: 0] >= 20 && seen["no_blocks", default: 0] >= 1 && seen["not_covered", default: 0] >= 5, "\(seen)")

        let steady = chains[0]
        #expect(try await Self.ours(steady, BlockDate(parsing: "2024-01-01")!, BlockDate(parsing: "2024-01-01")!).answer == "6,149")
        // The run at midnight is the day's start, whole: its first block's predecessor is the day before.
        let midnightRun = chains[2]
        let january2 = try await Self.ours(midnightRun, BlockDate(parsing: "2024-01-02")!, BlockDate(parsing: "2024-01-02")!).answer
        let first = Int(january2.split(separator: ",")[0])!
        #expect(midnightRun.timestamps[first] == Self.midnight + 86_400 && midnightRun.timestamps[first - 1] < Self.midnight + 86_400, "\(january2)")
    }

    @Test("coordinator plan --from-date plans exactly the days' blocks; a date past the head or a bad flag stops it and plans nothing")
    func coordinatorPlan() async throws {
        let chain = try await Self.steady()
        defer { chain.stop() }
        try await TestDatabase.with { (db: TestDatabase) async throws in
            let plan = try await Ops.coordinator(["plan", "--from-date", "2024-01-02", "--to-date", "2024-01-03", "--chunk-size", "50", "--rpc-url", chain.url], database: db.url)
            #expect(plan.status == 0, "\(plan.output)")
            #expect(plan.stdout.contains("2024-01-02…2024-01-03 (UTC) is blocks 150…437"), "\(plan.output)")
            let ranges = try await db.ranges(kind: "export")
            #expect(ranges.first?.lowerBound == 150 && ranges.last?.upperBound == 437, "\(ranges)")
            #expect(RangePlanner.uncovered(150...437, by: ranges).isEmpty && ranges.count == 6, "on the 50-block grid: \(ranges)")

            let past = try await Ops.coordinator(["plan", "--from-date", "2024-01-09", "--rpc-url", chain.url], database: db.url)
            #expect(past.status != 0 && past.output.contains("the head is block 1000 (2024-01-07 21:40:00 UTC), so that span is not over"), "\(past.output)")
            for (arguments, message) in [
                (["--from", "1", "--from-date", "2024-01-02"], "--from/--to (blocks) and --from-date/--to-date (days) exclude each other"),
                (["--from-date", "2024-1-2"], "--from-date must be a day as YYYY-MM-DD, got '2024-1-2'"),
                (["--from-date", "2024-01-03", "--to-date", "2024-01-02"], "--from-date (2024-01-03) is after --to-date (2024-01-02)"),
                (["--to-date", "2024-01-02"], "--to-date needs --from-date"),
                (["--from", "1", "--to", "5", "--rpc-url", chain.url], "--rpc-url is for looking up --from-date/--to-date"),
            ] {
                let refused = try await Ops.coordinator(["plan"] + arguments, database: db.url)
                #expect(refused.status != 0 && refused.output.contains(message), "\(arguments): \(refused.output)")
            }
            #expect(try await db.count(kind: "export") == 6, "nothing more was planned")
        }
    }

    @Test("worker export --from-date exports the day's blocks, a run of equal timestamps at midnight whole; a date past the head stops it, writing nothing")
    func workerExport() async throws {
        let chains = try await Self.repeated()
        defer { chains.forEach { $0.stop() } }
        let chain = chains[0]
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("bf-date-export-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let worker = try FleetProcess("worker", ["export", "--from-date", "2024-01-02", "--entities", "blocks,transactions", "--output", output.path, "--rpc-url", chain.url])
        #expect(try await worker.waitForExit(timeout: .seconds(60)) == 0, "\(worker.log)")
        let expected = chain.expected(BlockDate(parsing: "2024-01-02")!, BlockDate(parsing: "2024-01-02")!).split(separator: ",").map { Int($0)! }
        let rows = try String(contentsOf: output.appendingPathComponent("blocks.csv"), encoding: .utf8).split(separator: "\r\n").dropFirst()
        let header = try String(contentsOf: output.appendingPathComponent("blocks.csv"), encoding: .utf8).split(separator: "\r\n")[0].split(separator: ",")
        let (numberColumn, timestampColumn) = (header.firstIndex(of: "number")!, header.firstIndex(of: "timestamp")!)
        let numbers = rows.map { Int($0.split(separator: ",", omittingEmptySubsequences: false)[numberColumn])! }
        let timestamps = rows.map { Int64($0.split(separator: ",", omittingEmptySubsequences: false)[timestampColumn])! }
        #expect(numbers == Array(expected[0]...expected[1]), "\(worker.log)")
        #expect(timestamps.allSatisfy { BlockDate(timestamp: $0).description == "2024-01-02" })
        #expect(timestamps.prefix(6).allSatisfy { $0 == Self.midnight + 86_400 }, "the run at 00:00:00 starts the day, all six blocks")
        #expect(worker.log.contains("2024-01-02 (UTC) is blocks \(expected[0])…\(expected[1])"), "\(worker.log)")

        let past = try FleetProcess("worker", ["export", "--from-date", "2025-01-01", "--output", output.path + "-past", "--rpc-url", chain.url])
        #expect(try await past.waitForExit(timeout: .seconds(60)) != 0)
        #expect(past.log.contains("--from-date 2025-01-01 --to-date 2025-01-01: the chain's blocks do not cover 2025-01-01 00:00:00 UTC"), "\(past.log)")
        #expect(!FileManager.default.fileExists(atPath: output.path + "-past"), "nothing written")
    }

    @Test("ethereum-etl 2.4.2's get_block_range_for_date on the same devchains: the same blocks on steady chains; on runs of equal timestamps BlockFleet matches the scan")
    func againstEthereumETL() async throws {
        guard let etl = ProcessInfo.processInfo.environment["BLOCKFLEET_ETHEREUM_ETL"], FileManager.default.isExecutableFile(atPath: etl) else {
            throw TestSetupError("BLOCKFLEET_ETHEREUM_ETL must name ethereum-etl 2.4.2's `ethereumetl`: run the tests with scripts/test, which installs it")
        }
        let chains = [try await Self.steady()] + (try await Self.repeated())
        defer { chains.forEach { $0.stop() } }
        var report: [String] = []
        for chain in chains {
            for day in chain.days.dropFirst().prefix(5) {
                let run = try await Ops.run(etl, ["get_block_range_for_date", "-p", chain.url, "-d", day.description])
                let theirs = run.status == 0 ? run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                    : "error: " + (run.output.split(separator: "\n").last.map(String.init) ?? "")
                let ours = try await Self.ours(chain, day, day).answer
                let expected = chain.expected(day, day)
                #expect(ours == expected, "\(chain.name), \(day)")
                if chain.name == "steady" {
                    #expect(theirs == ours || (ours == "not_covered" && theirs.contains("do not completely cover")), "\(day): ethereum-etl \(theirs), BlockFleet \(ours)")
                } else if theirs != ours, ours.contains(",") {
                    // Where they differ on runs, the day starts or ends on a run ethereum-etl cut or stumbled on.
                    let blocks = ours.split(separator: ",").map { Int($0)! }
                    let onRun = chain.timestamps[blocks[0]] == day.firstSecond || chain.timestamps[blocks[1]] == day.lastSecond
                    #expect(onRun || theirs.hasPrefix("error: ValueError"), "\(chain.name), \(day): ethereum-etl \(theirs), BlockFleet \(ours)")
                }
                report.append("\(chain.name) \(day): ethereum-etl \(theirs) | BlockFleet \(ours)\(theirs == ours ? "" : "  (differs)")")
            }
        }
        print(report.joined(separator: "\n"))
        #expect(report.filter { !$0.hasPrefix("steady") && !$0.contains("differs") }.count >= 3, "ethereum-etl agrees on some days with runs")
    }
}
