// Nodes that stall mid-answer or report absurd heads, over real HTTP and PostgreSQL: no hang, no crash, no junk jobs.

import AsyncHTTPClient
import Foundation
import Logging
import Shared
import Testing

@Suite("Bad nodes", .serialized)
struct BadNodeTests {
    @Test("a node that sends its headers and then stalls the body fails the call at the deadline", .timeLimit(.minutes(1)))
    func stalledBodyTimesOut() async throws {
        let node = try await ScriptedNode(.init(stallBody: true))
        defer { node.stop() }
        let transport = JSONRPCTransport(http: HTTPClient.shared, timeout: .seconds(1))
        let endpoint = try RPCEndpoint(node.url)
        let started = ContinuousClock.now
        do {
            _ = try await transport.send([.blockNumber], to: endpoint, as: String.self)
            Issue.record("a stalled answer was accepted")
        } catch {
            #expect(error.code == .timeout, "\(error)")
        }
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(5), "\(elapsed)")
        #expect(node.count("eth_blockNumber") == 1, "the node was asked and answered its headers")
    }

    @Test("an export with one replica stalling mid-answer completes through the other, within a bound", .timeLimit(.minutes(1)))
    func exportAvoidsStalledReplica() async throws {
        let expected = try await NodePoolExportTests().baseline()
        let healthy = try await ScriptedNode()
        let stalled = try await ScriptedNode(.init(stallBody: true))
        defer { [healthy, stalled].forEach { $0.stop() } }
        let started = ContinuousClock.now
        // Two attempts: a call that stalled must go to the other replica next, not back to the same one.
        // A 3 s deadline: the healthy replica answers well within it even on a loaded machine.
        let files = try await NodePoolExportTests().export([stalled.url, healthy.url], attempts: 2, timeout: .seconds(3))
        let elapsed = ContinuousClock.now - started
        #expect(files == expected)
        #expect(stalled.totalCalls > 0, "the stalled replica was never asked")
        #expect(elapsed < .seconds(40), "\(elapsed)")
    }

    /// Two honest replicas at 47219 and the bad ones given.
    func reader(_ bad: [UInt64], logger: Logger) async throws -> (ChainHeadReader, [ScriptedNode]) {
        var nodes = [try await ScriptedNode(), try await ScriptedNode()]
        for head in bad { nodes.append(try await ScriptedNode(.init(head: head))) }
        let reader = ChainHeadReader(
            transport: JSONRPCTransport(http: HTTPClient.shared, timeout: .seconds(5)),
            endpoints: try nodes.map { try RPCEndpoint($0.url) }, confirmations: 10, logger: logger
        )
        return (reader, nodes)
    }

    @Test("replicas answering 2⁶⁴ − 1 and a huge smaller head: the agreed head is the honest one, outliers are counted, nothing junk is planned")
    func absurdHeadsAreOutvoted() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            let (reader, nodes) = try await reader([UInt64.max, 1 << 40], logger: db.logger)
            defer { nodes.forEach { $0.stop() } }
            let configuration = FollowConfiguration(enabled: true, fromBlock: 47000, chunkSize: 100)
            let planner = FollowPlanner(queue: db.queue, reader: reader, configuration: configuration, logger: db.logger)
            let tip = try await reader.read()
            #expect(tip.head == 47219)
            #expect(tip.target == 47209)
            let plan = try #require(try await planner.step())
            #expect(plan.firstBlock == 47000 && plan.lastBlock == 47209)
            #expect(try await planner.step() == nil, "the resume point stays at the honest target")
            #expect(try await db.ranges(kind: "export").last == 47200...47209)
            #expect(try await db.count(kind: "export") == 3)

            let exposition = FleetMetrics.exposition()
            for bad in nodes.suffix(2) {
                let series = #"blockfleet_chain_head_outliers_total{endpoint="\#(try RPCEndpoint(bad.url).name)"}"#
                #expect((Ops.sample(exposition, series) ?? 0) >= 1, "\(series) in\n\(exposition)")
            }
            let honest = #"blockfleet_chain_head_outliers_total{endpoint="\#(try RPCEndpoint(nodes[0].url).name)"}"#
            #expect(Ops.sample(exposition, honest) == nil)
        }
    }

    @Test("a lone replica answering 2⁶⁴ − 1: no trap in planning, metrics or the status page; one step plans at most its cap")
    func loneAbsurdHeadIsCapped() async throws {
        try await TestDatabase.with { (db: TestDatabase) async throws in
            let node = try await ScriptedNode(.init(head: .max))
            defer { node.stop() }
            let reader = ChainHeadReader(transport: JSONRPCTransport(http: HTTPClient.shared, timeout: .seconds(5)), endpoints: [try RPCEndpoint(node.url)], confirmations: 10)
            let configuration = FollowConfiguration(enabled: true, chunkSize: 100, maxJobsPerStep: 5)
            let registry = WorkerRegistry(client: db.client, logger: db.logger)
            let metrics = QueueMetrics(queue: db.queue, registry: registry)
            let planner = FollowPlanner(queue: db.queue, reader: reader, configuration: configuration, logger: db.logger,
                                        onTip: { tip in metrics.chainTip.withLock { $0 = tip } })
            let plan = try #require(try await planner.step())
            #expect(plan.firstBlock == 0 && plan.lastBlock == 499 && plan.inserted == 5)
            let next = try #require(try await planner.step())
            #expect(next.firstBlock == 500 && next.inserted == 5)
            #expect(try await db.count(kind: "export") == 10)

            await metrics.refresh()
            #expect(Ops.sample(FleetMetrics.exposition(), "blockfleet_chain_head_block") == Double(Int64.max))
            let page = try await StatusPage.load(from: db.queue, registry: registry, chainTip: metrics.chainTip.withLock { $0 }).render()
            #expect(page.contains("\(UInt64.max)"))
        }
    }

    @Test("a leader whose only node stalls mid-answer goes on reaping expired leases", .timeLimit(.minutes(2)))
    func stalledNodeDoesNotStopReaping() async throws {
        let node = try await ScriptedNode(.init(stallBody: true))
        defer { node.stop() }
        try await TestDatabase.with { (db: TestDatabase) async throws in
            // A minute's RPC timeout: reaping must not wait for it.
            let reader = ChainHeadReader(transport: JSONRPCTransport(http: HTTPClient.shared, timeout: .seconds(60)), endpoints: [try RPCEndpoint(node.url)], confirmations: 10)
            let planner = FollowPlanner(queue: db.queue, reader: reader, configuration: FollowConfiguration(enabled: true, interval: .milliseconds(100)), logger: db.logger)
            let configuration = CoordinatorConfiguration(reapInterval: .milliseconds(100), electionInterval: .milliseconds(100))
            let leader = LeaderService(queue: db.queue, registry: WorkerRegistry(client: db.client, logger: db.logger), configuration: configuration, logger: db.logger, follow: planner)
            let task = Task { try await leader.run() }
            defer { task.cancel() }
            try await eventually("the replica to lead") { leader.isLeader }
            try await eventually("the follow step to wait on the stalled node") { node.count("eth_blockNumber") >= 1 }

            let id = try #require(try await db.queue.enqueue([NewJob(kind: .noop, firstBlock: 0, lastBlock: 0)]).first)
            _ = try await db.queue.claim(kinds: [.noop], limit: 1, owner: "gone", lease: .seconds(30))
            try await db.expireLease(id)
            try await eventually("the leader to reap while its node stalls", timeout: .seconds(10)) { try await db.row(id).state == "pending" }
            #expect(leader.liveness() == nil)
            #expect(node.count("eth_blockNumber") == 1, "the follow step is still waiting on its first answer")
            task.cancel()
            _ = try? await task.value
        }
    }
}
