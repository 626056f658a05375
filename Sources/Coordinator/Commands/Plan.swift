// `coordinator plan`: splits a block span into jobs.

import ArgumentParser
import Foundation
import Shared

struct Plan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Split a block span into jobs. Idempotent: re-planning adds only ranges not planned yet.")
    @OptionGroup var options: CommonOptions
    @Option(help: "First block.") var from: Int64?
    @Option(help: "Last block (inclusive).") var to: Int64?
    @OptionGroup var dates: DateSpanOptions
    @Option(name: .customLong("rpc-url"), help: "Node the dates are looked up on, repeatable (env BLOCKFLEET_RPC_URLS; default http://127.0.0.1:8545); only with --from-date.")
    var rpcURLs: [String] = []
    @Option(name: .customLong("chunk-size"), help: "Blocks per job.") var chunkSize: Int64 = 100
    @Option(help: "Comma-separated entities to export: \(ExportEntity.allCases.map(\.rawValue).joined(separator: ", ")).")
    var entities: String = ExportEntity.listText(ExportEntity.defaultSet)
    @Option(help: "Lower runs first.") var priority: Int = 100
    @Option(name: .customLong("max-attempts"), help: "Attempts before a job is dead.") var maxAttempts: Int = 5
    @Option(help: "Job kind: export, or noop/sleep to drill the fleet.") var kind: String = "export"
    @Option(help: "Kind-specific JSON payload, e.g. {\"seconds\": 2} for sleep.") var payload: String = "{}"
    @Flag(help: "Print the result as JSON.") var json = false

    func validate() throws {
        try dates.validate(hasFrom: from != nil, hasTo: to != nil)
        if !dates.isGiven, !rpcURLs.isEmpty { throw ValidationError("--rpc-url is for looking up --from-date/--to-date; --from/--to need no node") }
    }

    /// The request for blocks `from`…`to`, or the flag that is wrong.
    static func request(from: Int64, to: Int64, kind: String, payload: String, chunkSize: Int64, entities: String, priority: Int, maxAttempts: Int) throws -> PlanRequest {
        do {
            let kind = try JobKind.parseList(kind, setting: "--kind")
            guard kind.count == 1 else { throw ValidationError("--kind takes one kind") }
            guard (try? JSONSerialization.jsonObject(with: Data(payload.utf8))) is [String: Any] else {
                throw ValidationError("--payload must be a JSON object, got '\(payload)'")
            }
            return try PlanRequest(
                kind: kind[0], from: from, to: to, chunkSize: chunkSize,
                entities: try ExportEntity.parseList(entities), priority: priority, maxAttempts: maxAttempts, payload: payload
            )
        } catch let error as QueueError {
            throw ValidationError(error.message)
        } catch let error as ExportEntityError {
            throw ValidationError("--entities: \(error)")
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        let (kind, payload, chunkSize, entities, priority, maxAttempts, dates) = (kind, payload, chunkSize, entities, priority, maxAttempts, dates)
        let request = { @Sendable (from: Int64, to: Int64) throws -> PlanRequest in
            try Plan.request(from: from, to: to, kind: kind, payload: payload, chunkSize: chunkSize, entities: entities, priority: priority, maxAttempts: maxAttempts)
        }
        // Every flag is checked before a node or the database is asked anything.
        let blocks = try request(from ?? 0, to ?? 0)
        let nodes = dates.isGiven ? try CommonOptions.reportingFlags {
            try NodePoolConfiguration(environment: options.environment(overlaying: ["BLOCKFLEET_RPC_URLS": ("--rpc-url", rpcURLs.isEmpty ? nil : rpcURLs.joined(separator: ","))]))
        } : nil
        let (planned, found, result) = try await withQueue(options) { queue, logger in
            guard let nodes else { return (blocks, nil as BlockDateRange?, try await queue.plan(blocks)) }
            let found = try await dates.blocks(nodes: nodes, logger: logger)
            let planned = try request(Int64(found.firstBlock), Int64(found.lastBlock))
            return (planned, found, try await queue.plan(planned))
        }
        if json {
            try printJSON(result)
        } else {
            if let found { print(dates.summary(found)) }
            print("planned \(result.inserted) \(planned.kind) jobs over blocks \(result.firstBlock)…\(result.lastBlock); \(result.alreadyPlannedBlocks) blocks were already planned")
        }
    }
}
