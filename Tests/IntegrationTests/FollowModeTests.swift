// Follow mode against a real devchain and PostgreSQL: plan to finalized, never past it, catch up.

import AsyncHTTPClient
import Foundation
import Logging
import Shared
import Testing

@Suite("Follow mode", .serialized)
struct FollowModeTests {
    static func reader(_ url: String, confirmations: UInt64 = 10) throws -> ChainHeadReader {
        ChainHeadReader(transport: JSONRPCTransport(http: HTTPClient.shared, timeout: .seconds(5)), endpoints: [try RPCEndpoint(url)], confirmations: confirmations)
    }

    /// The planned export ranges cover 0…last exactly: contiguous, no overlap.
    static func expectContiguous(_ ranges: [ClosedRange<Int64>], through last: Int64, sourceLocation: SourceLocation = #_sourceLocation) {
        var next: Int64 = 0
        for range in ranges {
            #expect(range.lowerBound == next, "ranges \(ranges)", sourceLocation: sourceLocation)
            next = range.upperBound + 1
        }
        #expect(next == last + 1, "ranges end at \(next - 1), expected \(last)", sourceLocation: sourceLocation)
    }

    @Test("plans up to the node's finalized block and no further; a restarted planner resumes from the highest planned block")
    func plansToFinalized() async throws {
        let (node, url) = try await Ops.startDevChain(["--seed", "3", "--blocks", "100000", "--head", "300", "--txs-per-block", "1"])
        defer { node.signal(SIGTERM) }
        try await TestDatabase.with { (db: TestDatabase) async throws in
            let configuration = FollowConfiguration(enabled: true, chunkSize: 50)
            let planner = FollowPlanner(queue: db.queue, reader: try Self.reader(url), configuration: configuration, logger: db.logger)
            let tip = try await Self.reader(url).read()
            #expect(tip.head == 300)
            #expect(tip.finalized == 236, "devchain's finalized is head − 64")
            #expect(tip.target == 236)

            let first = try #require(try await planner.step())
            #expect(first.firstBlock == 0 && first.lastBlock == 236)
            #expect(first.inserted == 5)
            #expect(try await planner.step() == nil, "nothing new is planned while finalized stays put")
            let restarted = FollowPlanner(queue: db.queue, reader: try Self.reader(url), configuration: configuration, logger: db.logger)
            #expect(try await restarted.step() == nil)
            let ranges = try await db.ranges(kind: "export")
            Self.expectContiguous(ranges, through: 236)
            #expect(ranges.last == 200...236)

            // The RPC round trips were measured per endpoint and method.
            let exposition = FleetMetrics.exposition()
            let endpoint = try RPCEndpoint(url).name
            #expect(exposition.contains(#"blockfleet_rpc_request_duration_seconds_count{endpoint="\#(endpoint)",method="eth_blockNumber"}"#), "\(exposition)")
            let verdict = try await OperationsHTTPTests.promtool(exposition)
            #expect(verdict.status == 0, "\(verdict.output)")
        }
    }

    @Test("catches up as the node advances, never planning past the finalized block it read")
    func catchesUp() async throws {
        let (node, url) = try await Ops.startDevChain(["--seed", "3", "--blocks", "100000", "--head", "200", "--grow-per-second", "40", "--txs-per-block", "1"])
        defer { node.signal(SIGTERM) }
        try await TestDatabase.with { (db: TestDatabase) async throws in
            let reader = try Self.reader(url)
            let planner = FollowPlanner(queue: db.queue, reader: reader, configuration: FollowConfiguration(enabled: true, chunkSize: 25), logger: db.logger)
            var planned: Int64 = -1
            var steps = 0
            try await eventually("planning to pass block 400 as the head grows", timeout: .seconds(30), every: .milliseconds(300)) {
                if let result = try await planner.step() {
                    steps += 1
                    #expect(result.firstBlock == planned + 1, "each step resumes right after the last")
                    planned = result.lastBlock
                }
                // Read after planning: finalized only grows, so the plan must not be past it.
                let finalized = try #require(try await reader.read().finalized)
                #expect(Int64(finalized) >= planned, "planned \(planned) is past finalized \(finalized)")
                // At least two plans, however late the first step came (a loaded machine starts slowly).
                return planned > 400 && steps >= 2
            }
            Self.expectContiguous(try await db.ranges(kind: "export"), through: planned)
        }
    }

    @Test("coordinator serve --follow plans to finalized through the leader and reports head and lag on /metrics")
    func serveFollows() async throws {
        let (node, url) = try await Ops.startDevChain(["--seed", "3", "--blocks", "100000", "--head", "300", "--txs-per-block", "1"])
        defer { node.signal(SIGTERM) }
        try await TestDatabase.with { (db: TestDatabase) async throws in
            let port = try Ops.freePort()
            let coordinator = try FleetProcess("coordinator", [
                "serve", "--follow", "--rpc-url", url, "--follow-seconds", "0.2", "--chunk-size", "100",
                "--entities", "blocks,transactions", "--http-port", "\(port)",
            ], environment: ["BLOCKFLEET_DATABASE_URL": db.url, "BLOCKFLEET_LOG_FORMAT": "json"])
            try await eventually("the leader to plan up to finalized") { try await db.ranges(kind: "export").last?.upperBound == 236 }
            var metrics = ""
            try await eventually("/metrics to show the chain") {
                metrics = await Ops.get("http://127.0.0.1:\(port)/metrics")?.body ?? ""
                return Ops.sample(metrics, "blockfleet_chain_head_block") == 300
            }
            #expect(Ops.sample(metrics, "blockfleet_chain_finalized_block") == 236)
            #expect(Ops.sample(metrics, "blockfleet_export_lag_blocks") == 301, "nothing exported yet: lag is head + 1")
            #expect(Ops.sample(metrics, "blockfleet_follow_planned_jobs_total") == 3)
            Self.expectContiguous(try await db.ranges(kind: "export"), through: 236)
            coordinator.signal(SIGTERM)
            #expect(try await coordinator.waitForExit() == 0, "coordinator log:\n\(coordinator.log)")
            // JSON lines: every line of the log is an object; the follow line names the range planned.
            let lines = coordinator.log.split(separator: "\n")
            #expect(lines.allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) is [String: Any] }, "\(coordinator.log)")
            #expect(coordinator.log.contains(#""range":"0-236""#), "\(coordinator.log)")
        }
    }

    @Test("coordinator serve with nodes but without --follow reports head and lag on /metrics and plans nothing")
    func serveWatchesHeadWithoutFollowing() async throws {
        let (node, url) = try await Ops.startDevChain(["--seed", "3", "--blocks", "1000", "--head", "300", "--txs-per-block", "1"])
        defer { node.signal(SIGTERM) }
        try await TestDatabase.with { (db: TestDatabase) async throws in
            try await db.queue.plan(try PlanRequest(from: 0, to: 99, chunkSize: 100, entities: [.blocks]))
            let port = try Ops.freePort()
            let coordinator = try FleetProcess("coordinator", [
                "serve", "--rpc-url", url, "--follow-seconds", "0.2", "--http-port", "\(port)",
            ], environment: ["BLOCKFLEET_DATABASE_URL": db.url])
            var metrics = ""
            try await eventually("/metrics to show the chain head") {
                metrics = await Ops.get("http://127.0.0.1:\(port)/metrics")?.body ?? ""
                return Ops.sample(metrics, "blockfleet_chain_head_block") == 300
            }
            #expect(Ops.sample(metrics, "blockfleet_export_lag_blocks") == 301, "nothing exported yet: lag is head + 1")
            #expect(try await db.ranges(kind: "export") == [0...99], "watching the head must not plan")
            #expect(coordinator.log.contains("watching the chain head"), "\(coordinator.log)")
            coordinator.signal(SIGTERM)
            #expect(try await coordinator.waitForExit() == 0, "coordinator log:\n\(coordinator.log)")
        }
    }

    @Test("coordinator follow: one step from the CLI, then nothing new")
    func followOnce() async throws {
        let (node, url) = try await Ops.startDevChain(["--seed", "3", "--blocks", "100000", "--head", "300", "--txs-per-block", "1"])
        defer { node.signal(SIGTERM) }
        try await TestDatabase.with { (db: TestDatabase) async throws in
            let first = try await Ops.coordinator(["follow", "--rpc-url", url, "--chunk-size", "100", "--json"], database: db.url)
            #expect(first.status == 0, "\(first.output)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any], "\(first.output)")
            #expect((object["plan"] as? [String: Any])?["lastBlock"] as? Int == 236)
            #expect((object["tip"] as? [String: Any])?["head"] as? Int == 300)
            let second = try await Ops.coordinator(["follow", "--rpc-url", url], database: db.url)
            #expect(second.status == 0 && second.output.contains("nothing new to plan"), "\(second.output)")
            #expect(try await db.ranges(kind: "export").count == 3)
        }
    }

    @Test("a node without the finalized tag: plans up to head − confirmations")
    func headMinusConfirmations() async throws {
        let node = try await ScriptedNode(ScriptedNode.Script(head: 47219))
        try await TestDatabase.with { (db: TestDatabase) async throws in
            let reader = try Self.reader(node.url, confirmations: 19)
            let tip = try await reader.read()
            #expect(tip.finalized == nil)
            #expect(tip.target == 47200)
            let planner = FollowPlanner(
                queue: db.queue, reader: reader,
                configuration: FollowConfiguration(enabled: true, fromBlock: 47000, chunkSize: 100), logger: db.logger
            )
            let result = try #require(try await planner.step())
            #expect(result.firstBlock == 47000 && result.lastBlock == 47200)
        }
    }
}
